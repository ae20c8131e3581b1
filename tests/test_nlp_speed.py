"""Throughput machinery of nlp.Tagger: no thread or process of its own, streaming batches, the
tagger's lean pipelines (same spans as full spaCy pipelines) and whole-item context rules applied
exactly once."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import tagger as tagger_mod
from nlp.components import SPANS_KEY, build_pipeline
from nlp.eval import load_split
from nlp.tagger import Tagger, default_tagger

REPO = Path(__file__).resolve().parent.parent

@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return default_tagger()


def _records() -> list[dict]:
    items = load_split("tune") + load_split("heldout")
    return [{"id": it["id"], "title": it["title"], "summary": it.get("description", ""),
             "source": it.get("source")} for it in items]


_THREADS = """
import os
import spacy, lingua  # their own threads, if any, count before
from nlp import Tagger
before = len(os.listdir("/proc/self/task"))
t = Tagger.load().preload()
# titles no function word or word form decides: each goes to lingua
list(t.tag_many({"title": f"Dokument nr. {i} Oslo"} for i in range(600)))
print(before, len(os.listdir("/proc/self/task")), len(open("/proc/self/task/%d/children" % os.getpid()).read().split()))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_tagging_starts_no_threads_or_processes():
    """lingua runs in the tagging thread, one text at a time: no native thread pool that lives on
    until the process exits, no helper process (a CI run died with exit -11 after tagging)."""
    out = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True,
                         cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    before, after, children = map(int, out.stdout.split())
    assert after == before
    assert children == 0


def test_tag_many_streams_in_bounded_batches(tagger):
    consumed = 0

    def endless():
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield {"id": i, "title": f"Høring om åpenhetsloven {i}"}

    it = tagger.tag_many(endless())
    first = next(it)
    assert first.id == 0 and "apenhetsloven" in first.labels
    assert consumed <= tagger_mod._CHUNK  # one batch is held, never the whole input
    rest = list(itertools.islice(it, 500))
    assert [r.id for r in rest] == list(range(1, 501))
    assert consumed <= 501 + tagger_mod._CHUNK


def test_lean_pipelines_give_the_full_pipelines_spans(tagger):
    texts = [f"{r['title']}\n\n{r['summary']}" for r in _records()]
    for lang in ("nb", "nn", "en"):
        lean = tagger.pipeline(lang)
        full = build_pipeline(tagger_mod.PIPELINE_OF[lang], lexicon=tagger.lexicon)
        for text in texts:
            a, b = lean(text), full(text)
            assert [(s.start, s.end, s.label_, s.id_) for s in a.spans[SPANS_KEY]] == [
                (s.start, s.end, s.label_, s.id_) for s in b.spans[SPANS_KEY]], text
            assert [t.lemma_ for t in a] == [t.lemma_ for t in b], text


def test_whole_item_rules_apply_in_component_and_tagger(tagger):
    text = "Endringer i politiloven om korrupsjon og bestikkelser"
    nb = tagger.pipeline("nb")
    ids = {s.id_ for s in nb(text).spans[SPANS_KEY]}
    assert "corruption" not in ids  # the component alone applies the rule
    skipped = nb.get_pipe("ncp_topic_matcher")(nb.get_pipe("ncp_lemmatizer")(nb.make_doc(text)),
                                               item_rules=False)
    assert "corruption" in {s.id_ for s in skipped.spans[SPANS_KEY]}
    res = tagger.tag({"title": text})  # the tagger applies it once, per record
    assert all(e.term != "corruption" for e in res.evidence)
    assert "oecd-vii" not in res.labels
    plain = tagger.tag({"title": "Ny strategi mot korrupsjon og bestikkelser i næringslivet"})
    assert "oecd-vii" in plain.labels


def test_lemma_list_matching_gives_the_phrase_matchers_hits(tagger):
    from spacy.attrs import ORTH

    texts = [f"{r['title']}\n\n{r['summary']}" for r in _records()]
    texts.append("Aktsomhetsvurderinger for menneskerettigheter og anstendig arbeid, åpenhetsloven")
    n = 0
    for lang in ("nb", "nn", "en"):
        nlp = tagger.pipeline(lang)
        lem, matcher = nlp.get_pipe("ncp_lemmatizer"), nlp.get_pipe("ncp_topic_matcher")
        for text in texts:
            doc = lem(nlp.make_doc(text))
            orths = doc.to_array(ORTH).tolist()
            by_list = matcher.matches(doc, False, orths, lem.lemma_hashes(doc, orths))
            assert by_list == matcher.matches(doc, False), text
            n += len(by_list)
    assert n > 500
