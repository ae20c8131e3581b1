"""The house's import rules, read from the source (lazy imports inside functions count too).

- crawlers/ knows nothing of tracker/, nlp/ or spaCy; nlp/ knows nothing of tracker/, crawlers/ or
  the database; tracker/store/ imports no layer above it;
- the CLI and the web app sit on top: nothing imports the CLI, and only the CLI's `serve` may
  start the web app.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ABOVE_STORE = ("tracker.jobs", "tracker.links", "tracker.attention", "tracker.digest", "tracker.workbench",
               "tracker.cli", "tracker.web")


def imports(path: Path, root: Path = ROOT) -> list[str]:
    """Every module `path` (a file under `root`) imports, at any depth of the file."""
    tree = ast.parse(path.read_text("utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def modules(folder: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / folder).rglob("*.py"))


def offending(folder: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    bad = []
    for path in modules(folder, root):
        for name in imports(path, root):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(root)} imports {name}")
    return sorted(set(bad))


def test_the_rule_reader_sees_lazy_and_relative_imports(tmp_path):
    # in a copy of the layout, never in the checkout (a parallel test worker may be reading it)
    store = tmp_path / "tracker" / "store"
    store.mkdir(parents=True)
    (store / "_probe.py").write_text("def f():\n    from ..cli import main\n    import tracker.web.app\n", "utf-8")
    assert offending("tracker/store", ABOVE_STORE, root=tmp_path) == [
        "tracker/store/_probe.py imports tracker.cli",
        "tracker/store/_probe.py imports tracker.cli.main",
        "tracker/store/_probe.py imports tracker.web.app",
    ]


@pytest.mark.parametrize("folder, forbidden", [
    ("crawlers", ("tracker", "nlp", "spacy")),
    ("nlp", ("tracker", "crawlers", "sqlite_utils", "sqlite3")),
    ("tracker/store", ABOVE_STORE),
    ("tracker/web", ("tracker.cli",)),
    ("tracker/jobs", ("tracker.cli", "tracker.web", "tracker.digest")),
    ("tracker/links", ("tracker.cli", "tracker.web", "tracker.digest", "tracker.workbench", "tracker.jobs")),
    ("tracker/attention", ("tracker.cli", "tracker.web", "tracker.digest", "tracker.workbench", "tracker.jobs")),
    ("tracker/digest", ("tracker.cli", "tracker.web", "tracker.jobs")),
    ("tracker/workbench", ("tracker.cli", "tracker.web")),
])
def test_no_module_imports_upward(folder, forbidden):
    assert offending(folder, forbidden) == []


def test_only_the_cli_starts_the_web_app_and_nothing_imports_the_cli():
    # tracker/__main__.py is `python -m tracker`, the CLI's other entry point
    outside_cli = [p for p in modules("tracker") if "cli" not in p.relative_to(ROOT / "tracker").parts[:1]
                   and p.name != "__main__.py"]
    bad = [f"{p.relative_to(ROOT)} imports {n}" for p in outside_cli for n in imports(p)
           if n == "tracker.cli" or n.startswith("tracker.cli.")]
    bad += [f"{p.relative_to(ROOT)} imports {n}" for p in outside_cli for n in imports(p)
            if (n == "tracker.web" or n.startswith("tracker.web.")) and "web" not in p.relative_to(ROOT / "tracker").parts[:1]]
    assert bad == []


def test_importing_the_web_app_loads_nothing_of_the_cli():
    code = ("import sys, tracker.web, tracker.web.app; "
            "print(sorted(m for m in sys.modules if m == 'tracker.cli' or m.startswith('tracker.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
