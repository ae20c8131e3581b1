"""The Norsk Ordbank table is read from a cache of marisa tries built once by a child process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def _cache_dir(root: Path) -> Path:
    (cached,) = root.glob("nb_lemma_exc-*-trie1")
    assert cached.is_dir() and (cached / "manifest.json").exists()
    return cached


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A cache directory built once by the first lemmatizer that needed it (a child process)."""
    root = tmp_path_factory.mktemp("lemma-cache")
    assert _run(root) == EXPECTED
    return root


def test_cache_is_built_once_and_gives_the_same_lemmas(built):
    cached = _cache_dir(built)
    stamps = {f.name: f.stat().st_mtime_ns for f in cached.iterdir()}
    assert len(stamps) == 7  # six tries and the manifest
    assert sum(f.stat().st_size for f in cached.iterdir()) < 10_000_000  # compact: ~5 MB
    assert _run(built) == EXPECTED
    assert {f.name: f.stat().st_mtime_ns for f in cached.iterdir()} == stamps  # read, not rebuilt
    assert not list(built.glob("*.tmp"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "no manifest"])
def test_a_damaged_cache_is_rebuilt(built, tmp_path, damage):
    shutil.copytree(_cache_dir(built), tmp_path / _cache_dir(built).name)  # a good cache, then damaged
    cached = _cache_dir(tmp_path)
    noun = cached / "noun.marisa"
    size = noun.stat().st_size
    if damage == "garbage":
        noun.write_bytes(b"not a trie" * (size // 10))
    elif damage == "truncated":
        noun.write_bytes(noun.read_bytes()[: size // 2])
    else:
        (cached / "manifest.json").unlink()
    assert _run(tmp_path) == EXPECTED
    assert _cache_dir(tmp_path) == cached
    assert noun.stat().st_size == size and (cached / "manifest.json").exists()


def test_no_writable_cache_still_lemmatizes(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")  # the cache directory cannot be created under a file
    assert _run(blocked / "ncp-tracker") == EXPECTED


def test_processes_starting_together_on_an_empty_cache_all_lemmatize_and_leave_one_cache(tmp_path):
    """Parallel test workers, or a crawl's after-step and a `tag` started together, find no cache:
    each builds one, the first renamed into place wins, none deletes it, nothing is left over."""
    procs = [subprocess.Popen([sys.executable, "-c", PROBE, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outs]
    assert [out.strip() for out, _ in outs] == [EXPECTED] * 3
    assert _run(tmp_path) == EXPECTED and _cache_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [_cache_dir(tmp_path).name]
