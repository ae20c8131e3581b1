"""The Norsk Ordbank table is read from a compact cache built by a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json
from nlp import lemmatizer
lem = lemmatizer.NorwegianLemmatizer()
words = ["aktsomhetsvurderinger", "virksomhetenes", "forbrukernes", "leverandørkjedene", "bærekraftsrapporteringen"]
print(json.dumps([lem(w) for w in words], ensure_ascii=False))
"""
EXPECTED = '["aktsomhetsvurdering", "virksomhet", "forbruker", "leverandørkjede", "bærekraftsrapportering"]'


def _run(cache: Path) -> str:
    env = {**os.environ, "NCP_TRACKER_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_cache_is_built_once_and_gives_the_same_lemmas(tmp_path):
    assert _run(tmp_path) == EXPECTED
    (cached,) = (tmp_path / "ncp-tracker").glob("nb_lemma_exc-*.marshal")
    stamp = cached.stat().st_mtime_ns
    assert _run(tmp_path) == EXPECTED
    assert cached.stat().st_mtime_ns == stamp  # read, not rebuilt


def test_a_corrupt_cache_is_rebuilt(tmp_path):
    assert _run(tmp_path) == EXPECTED
    (cached,) = (tmp_path / "ncp-tracker").glob("nb_lemma_exc-*.marshal")
    cached.write_bytes(b"not a marshal file")
    assert _run(tmp_path) == EXPECTED
    assert cached.stat().st_size > 1_000_000


def test_no_writable_cache_still_lemmatizes(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")  # the cache directory cannot be created under a file
    assert _run(blocked) == EXPECTED
