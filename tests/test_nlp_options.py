"""nlp/ reads no environment variables (issue 11): its run-time options are explicit
(:class:`nlp.options.NlpOptions`), filled by the tracker from the ``[nlp]`` configuration table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nlp.options import NlpOptions

REPO = Path(__file__).resolve().parent.parent


def environment_reads(source: str, name: str = "<probe>") -> list[str]:
    """Every read of the process environment in ``source``: ``os.environ``, ``os.getenv``,
    ``os.environb``, ``from os import environ/getenv`` (with line numbers)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv",
                                                             "getenvb"):
            found.append(f"{name}:{node.lineno} {node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"{name}:{node.lineno} from os import {a.name}" for a in node.names
                      if a.name in ("environ", "environb", "getenv", "getenvb")]
    return found


def test_the_check_finds_environment_reads():
    assert environment_reads("import os\nx = os.environ.get('A')\n")
    assert environment_reads("import os\nx = os.getenv('A')\n")
    assert environment_reads("from os import environ\n")
    assert environment_reads("import os\npid = os.getpid()\n") == []


def test_nlp_reads_no_environment_variables():
    files = sorted((REPO / "nlp").rglob("*.py"))
    assert len(files) > 10
    bad = [hit for p in files
           for hit in environment_reads(p.read_text(encoding="utf-8"), str(p.relative_to(REPO)))]
    assert bad == []


def test_options_take_a_path():
    assert NlpOptions(cache_dir="/tmp/x").cache_dir == Path("/tmp/x")  # type: ignore[arg-type]
    assert NlpOptions().lemma_cache_dir == Path.home() / ".cache" / "ncp-tracker"


def test_tracker_passes_the_nlp_table(tmp_path):
    from tracker import config
    from tracker.jobs.tagging import load_tagger, nlp_options

    path = tmp_path / "ncp-tracker.toml"
    path.write_text(f'[nlp]\ncache_dir = "{tmp_path / "lemmas"}"\n', encoding="utf-8")
    config.set_config(config.load_config(path))
    try:
        opts = nlp_options()
        assert opts == NlpOptions(cache_dir=tmp_path / "lemmas")
        assert load_tagger(tmp_path / "no-weights.toml").options == opts
    finally:
        config.set_config(None)


def test_a_wrong_nlp_value_is_refused(tmp_path):
    from tracker import config

    path = tmp_path / "ncp-tracker.toml"
    path.write_text('[nlp]\ncache_dir = 7\n', encoding="utf-8")
    with pytest.raises(config.ConfigError, match="cache_dir"):
        config.load_config(path)
    path.write_text('[nlp]\nlingua_process = false\n', encoding="utf-8")  # a removed setting
    with pytest.raises(config.ConfigError, match="lingua_process"):
        config.load_config(path)
