"""The Norsk Ordbank table is read from a compact cache built by a child process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from nlp import lemmatizer
lem = lemmatizer.NorwegianLemmatizer(cache_dir=sys.argv[1])
words = ["aktsomhetsvurderinger", "virksomhetenes", "forbrukernes", "leverandørkjedene", "bærekraftsrapporteringen"]
print(json.dumps([lem(w) for w in words], ensure_ascii=False))
"""
EXPECTED = '["aktsomhetsvurdering", "virksomhet", "forbruker", "leverandørkjede", "bærekraftsrapportering"]'


def _run(cache: Path) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE, str(cache)], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_cache_is_built_once_and_gives_the_same_lemmas(tmp_path):
    assert _run(tmp_path) == EXPECTED
    (cached,) = tmp_path.glob("nb_lemma_exc-*.marshal")
    stamp = cached.stat().st_mtime_ns
    assert _run(tmp_path) == EXPECTED
    assert cached.stat().st_mtime_ns == stamp  # read, not rebuilt


def test_a_corrupt_cache_is_rebuilt(tmp_path):
    assert _run(tmp_path) == EXPECTED
    (cached,) = tmp_path.glob("nb_lemma_exc-*.marshal")
    cached.write_bytes(b"not a marshal file")
    assert _run(tmp_path) == EXPECTED
    assert cached.stat().st_size > 1_000_000


def test_no_writable_cache_still_lemmatizes(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")  # the cache directory cannot be created under a file
    assert _run(blocked / "ncp-tracker") == EXPECTED
