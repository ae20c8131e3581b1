"""Bounded memory of long tagging runs (issue 17): past a vocabulary size, each batch runs in a
spaCy memory zone, so the vocab stops growing, with the same results; the tagger's public
pipelines still read lemmas afterwards."""

from __future__ import annotations

import pytest

from nlp import tagger as tagger_mod
from nlp.components import build_pipeline
from nlp.eval import load_split
from nlp.tagger import Tagger


def _records() -> list[dict]:
    items = load_split("tune") + load_split("heldout")
    return [{"id": it["id"], "title": it["title"], "summary": it.get("description", ""),
             "source": it.get("source")} for it in items]


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    return [r.to_json() for r in Tagger.load().tag_many(_records())]


def _strings(t: Tagger) -> int:
    return sum(len(t.pipeline(lang).vocab.strings) for lang in ("nb", "nn", "en"))


def test_without_zones_the_vocab_grows(expected):
    t = Tagger.load().preload()
    before = _strings(t)
    assert [r.to_json() for r in t.tag_many(_records())] == expected
    assert _strings(t) > before + 1000


def test_memory_zones_keep_the_vocab_and_the_results(expected, monkeypatch):
    monkeypatch.setattr(tagger_mod, "_VOCAB_KEEP", 0)  # every batch in a zone
    t = Tagger.load()  # not preloaded: the matchers must be built outside the zones
    got = [r.to_json() for r in t.tag_many(_records())]
    assert got == expected
    before = _strings(t)
    assert [r.to_json() for r in t.tag_many(_records()[::-1])] == expected[::-1]
    assert _strings(t) == before  # nothing of the second run stays
    # the public pipeline shares the lemma cache filled inside the zones
    nb, full = t.pipeline("nb"), build_pipeline("nb", lexicon=t.lexicon)
    for rec in _records()[:60]:
        text = f"{rec['title']}\n\n{rec['summary']}"
        a, b = nb(text), full(text)
        assert [tok.lemma_ for tok in a] == [tok.lemma_ for tok in b]
        assert [(s.start, s.end, s.label_, s.id_) for s in a.spans["topics"]] == [
            (s.start, s.end, s.label_, s.id_) for s in b.spans["topics"]]
