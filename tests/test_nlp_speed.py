"""Throughput machinery of nlp.Tagger: the lingua helper process (same results as in-process,
fallback when it dies, no process left behind), streaming batches, the tagger's lean pipelines
(same spans as full spaCy pipelines) and whole-item context rules applied exactly once."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp import langdetect
from nlp import tagger as tagger_mod
from nlp.components import SPANS_KEY, build_pipeline
from nlp.eval import load_split
from nlp.options import NlpOptions
from nlp.tagger import Tagger, default_tagger

REPO = Path(__file__).resolve().parent.parent

_DUMP = """
import json, sys
from nlp.eval import load_split
from nlp.options import NlpOptions
from nlp.tagger import Tagger
items = load_split("tune") + load_split("heldout")
recs = [{"id": it["id"], "title": it["title"], "summary": it.get("description", ""),
         "source": it.get("source")} for it in items]
t = Tagger.load(options=NlpOptions(lingua_process=sys.argv[1] == "1", lingua_process_min=0))
for res in t.tag_many(recs):
    j = res.to_json()
    j["strengths"] = res.strengths
    print(json.dumps(j, ensure_ascii=False, sort_keys=True))
"""


def _dump(helper: bool) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _DUMP, "1" if helper else "0"],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return default_tagger()


def _records() -> list[dict]:
    items = load_split("tune") + load_split("heldout")
    return [{"id": it["id"], "title": it["title"], "summary": it.get("description", ""),
             "source": it.get("source")} for it in items]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the helper needs two CPUs")
def test_helper_process_gives_the_in_process_results():
    with_helper = _dump(helper=True)
    in_process = _dump(helper=False)
    assert len(with_helper) == 367
    assert with_helper == in_process
    langs = {json.loads(line)["language"] for line in with_helper}
    assert langs == {"nb", "nn", "en"}


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the helper needs two CPUs")
def test_helper_is_used_here():
    eager = default_tagger(NlpOptions(lingua_process_min=0))
    list(eager.tag_many(_records()[:80]))
    assert langdetect._HELPER and not langdetect._HELPER[0].broken
    assert langdetect._HELPER[0].proc.poll() is None


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the helper needs two CPUs")
def test_dead_helper_falls_back_to_in_process(monkeypatch, tagger):
    records = [{**r, "id": f"{r['id']}-{n}"} for n in range(3) for r in _records()]
    expected = [r.to_json() for r in tagger.tag_many(records)]
    own = langdetect._Helper()
    own.wait_ready()
    monkeypatch.setattr(langdetect, "_HELPER", [own])
    it = tagger.tag_many(records)
    got = [next(it).to_json()]  # requests for the first batches are out, the rest are not
    own.proc.kill()
    own.proc.wait()
    got += [r.to_json() for r in it]
    assert got == expected
    assert own.broken
    assert langdetect._helper() is None  # in-process from now on (in this patched state)


_HELPER_STARTED = ("import sys\nfrom nlp import Tagger, langdetect\n"
                   "n = int(sys.argv[1])\n"
                   # titles no function word or word form decides: each goes to lingua
                   "recs = [{'title': f'Dokument nr. {i} Oslo'} for i in range(n)]\n"
                   "list(Tagger.load().tag_many(recs))\n"
                   "print(bool(langdetect._HELPER))\n")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the helper needs two CPUs")
def test_helper_starts_only_for_a_large_batch():
    def started(n: int) -> str:
        out = subprocess.run([sys.executable, "-c", _HELPER_STARTED, str(n)], capture_output=True,
                             text=True, cwd=REPO, timeout=300)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert started(100) == "False"  # a day's few new items: no second process
    assert started(1500) == "True"  # a re-tag of the store: lingua on the second core


def test_no_helper_left_after_exit():
    code = ("from nlp import Tagger, langdetect\nfrom nlp.options import NlpOptions\n"
            "Tagger.load(options=NlpOptions(lingua_process_min=0)).tag({'title': 'Dokument nr. 7 Oslo'})\n"
            "print(langdetect._HELPER[0].proc.pid if langdetect._HELPER else 0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    pid = int(out.stdout.strip())
    if not pid:
        pytest.skip("no helper on this machine")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"lingua helper {pid} still running after its parent exited")


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
    assert consumed <= (tagger_mod._AHEAD + 1) * tagger_mod._CHUNK
    rest = list(itertools.islice(it, 500))
    assert [r.id for r in rest] == list(range(1, 501))
    assert consumed <= 501 + (tagger_mod._AHEAD + 1) * tagger_mod._CHUNK


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
