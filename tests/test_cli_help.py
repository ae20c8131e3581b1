"""`--help` and click's own words in the reader's language: Bokmål unless the configuration's
[digest] lang is "en" (before: all of --help, «Usage:», «Options:», «Show this message and exit.»
in English while everything else the terminal says read in Bokmål)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.cli.click_words import CLICK_MSGIDS
from tracker.i18n import gettext as translate


def _paths(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _paths(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


def _flat(text: str) -> str:
    """Words as click wraps them: whitespace of any kind as one space."""
    return " ".join(text.split())


@pytest.fixture
def speaks(tmp_path, monkeypatch):
    """Run the CLI in `tmp_path` with a configuration whose [digest] lang is `lang`."""
    monkeypatch.chdir(tmp_path)

    def run(lang: str, *args: str):
        config = tmp_path / f"{lang}.toml"
        config.write_text(f'[digest]\nlang = "{lang}"\n', "utf-8")
        monkeypatch.setenv("NCP_TRACKER_CONFIG", str(config))
        return CliRunner().invoke(main, list(args))

    return run


def _own_texts(command: click.Command) -> list[str]:
    """The help texts of `command` (its docstring's paragraphs, its options' help): the msgids."""
    texts = [p for p in (command.help or "").split("\n\n") if p.strip()]
    texts = [click.unstyle(t) for t in (_flat(inspect_clean(t)) for t in texts)]
    return texts + [_flat(p.help) for p in command.params if getattr(p, "help", None)]


def inspect_clean(text: str) -> str:
    """A help text as click shows it, but for the wrapping: cleaned, without its \\b marks."""
    return inspect.cleandoc(text).replace("\b", "")


@pytest.mark.parametrize("path", _paths(), ids=lambda p: " ".join(p) or "ncp-tracker")
def test_every_help_reads_in_bokmal_by_default_and_in_english_with_lang_en(path, speaks):
    """No English sentence of the code (docstring paragraph, option help) nor click's words are
    left in the Bokmål --help; with [digest] lang = "en" it is the English of the code."""
    command = _command(path)
    nb = speaks("nb", *path, "--help")
    assert nb.exit_code == 0, nb.output
    shown = _flat(nb.output)
    assert shown.startswith("Bruk: ") and " Valg: " in shown and "Vis denne meldingen og avslutt." in shown
    assert not any(word in shown for word in ("Usage:", "Options:", "Commands:", "Show this message", "default:",
                                              "[OPTIONS]", "COMMAND [ARGS]"))
    assert "[VALG]" in shown.split(" Valg: ")[0], "click's placeholder in the usage line"
    if isinstance(command, click.Group):
        assert " Kommandoer: " in shown and "KOMMANDO [ARGUMENTER]..." in shown.split(" Valg: ")[0]
    english = [text for text in _own_texts(command) if text[:40] in shown]
    assert english == [], f"English left in `{' '.join(path)} --help`"
    msgid = _flat(inspect_clean(command.help or ""))
    assert _flat(inspect_clean(translate("nb", inspect.cleandoc(command.help or ""))))[:40] in shown, msgid
    assert ("Eksempel:" in shown) == ("Example:" in msgid), "the example is said in Bokmål too"

    en = speaks("en", *path, "--help")
    assert en.exit_code == 0, en.output
    shown = _flat(en.output)
    assert shown.startswith("Usage: ") and " Options: " in shown and "Show this message and exit." in shown
    assert all(text[:40] in shown for text in _own_texts(command)), f"`{' '.join(path)} --help` in English"


def test_the_group_lists_its_commands_in_bokmal(speaks):
    result = speaks("nb", "--help")
    assert "  digest            Morgenoversikten: sammendrag, trenger innspill, nytt,..." in result.output
    assert "  -h, --help     Vis denne meldingen og avslutt." in result.output
    assert "  --version      Vis versjonen og avslutt." in result.output
    default = speaks("nb", "items", "--help").output
    assert re.search(r"--format \[table\|jsonl\]\s+\[standard: table\]", default), default


def test_the_config_option_names_the_language_of_the_groups_help(speaks, tmp_path):
    """`--config FILE --help`: the file's [digest] lang (click reads --config before --help)."""
    english = tmp_path / "english.toml"
    english.write_text('[digest]\nlang = "en"\n', "utf-8")
    result = speaks("nb", "--config", str(english), "--help")
    assert result.exit_code == 0 and result.output.startswith("Usage: ")
    result = speaks("nb", "--config", str(english), "digest", "--help")
    assert result.exit_code == 0 and "Day of the digest" in result.output


@pytest.mark.parametrize("path", [("horizon",), ("digest",), ("search",)])
def test_lang_en_before_help_asks_for_english_help(path, speaks):
    """`--lang en --help` with a Bokmål configuration: the help in English (--lang is read before
    --help); `--help --lang en`, help asked first, stays in the configuration's language."""
    result = speaks("nb", *path, "--lang", "en", "--help")
    assert result.exit_code == 0 and result.output.startswith(f"Usage: main {' '.join(path)} [OPTIONS]"), result.output
    assert "Show this message and exit." in result.output
    result = speaks("nb", *path, "--help", "--lang", "en")
    assert result.exit_code == 0 and result.output.startswith(f"Bruk: main {' '.join(path)} [VALG]"), result.output


@pytest.mark.parametrize(("args", "said"), [
    (["digst"], "feil: ingen kommando heter 'digst' (mente du 'digest', 'ingest'?)"),
    (["digest", "--format", "xx"], "feil: ugyldig verdi for '--format': 'xx' er ikke en gyldig verdi"),
    (["triage"], "feil: argumentet 'ITEM' mangler"),
])
def test_clicks_input_errors_read_in_bokmal_with_exit_2(args, said, speaks):
    """An unknown command, a value its type refuses, a missing argument: the usage line too
    («Bruk:», where «Usage:» stood), in Bokmål, exit 2; in English with lang en."""
    result = speaks("nb", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Bruk: main ") and said in result.stderr, result.stderr
    assert not any(word in result.stderr for word in ("Usage:", "Error:", "Try '", "[OPTIONS]", "COMMAND [ARGS]"))
    english = speaks("en", *args)
    assert english.exit_code == 2 and english.stderr.startswith("Usage: main "), english.stderr


def _clicks_msgids() -> set[object]:
    """Every msgid in the installed click's source: the first argument(s) of its `_()` /
    `gettext()` / `ngettext()` calls, and what it puts into `extra[…]` where it says
    `_(extra[…])` (an option's «required»)."""
    found: set[object] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        if "_(extra[" in ast.unparse(tree):
            found.update(node.value.value for node in ast.walk(tree)
                         if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                         and isinstance(node.value.value, str)
                         and any(ast.unparse(t).startswith("extra[") for t in node.targets))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id in ("_", "gettext") and strings:
                found.add(strings[0])
            elif node.func.id == "ngettext" and len(strings) >= 2:
                found.update(strings[:2])
    return found


def test_the_declared_click_words_are_clicks_msgids():
    """A click release that rewords one of them would leave it in English: fail here instead."""
    clicks = _clicks_msgids()
    assert "Show this message and exit." in clicks  # the reading of click's source works
    assert [m for m in CLICK_MSGIDS if m not in clicks] == []


def test_the_declared_click_words_have_their_bokmal():
    assert {m: translate("nb", m) for m in CLICK_MSGIDS if translate("nb", m) == m} == {}


def test_the_extractor_finds_the_help_texts(tmp_path):
    """Docstrings of commands and `help=` texts are msgids (the extractor keeps and adds them)."""
    from tracker.i18n_extract import help_texts

    source = tmp_path / "cmd.py"
    source.write_text('import click\n\n\n@click.command("x")\n@click.option("--a", help="Only this "\n'
                      '              "source.")\ndef x(a):\n    """Do it.\n\n    Example: x\n    """\n\n\n'
                      'def not_a_command():\n    """Not help."""\n', "utf-8")
    assert sorted(help_texts(source)) == [(5, "Only this source."), (8, "Do it.\n\nExample: x")]


@pytest.mark.parametrize(("command", "said"), [
    (["close-unanswered", "--as-of", "2026-11-24T08:00"], "0 closed unanswered, 0 reopened\n"),
    (["tag"], "tagged 0 items (0 relevant)\n"),
    (["draft", "nope"], "error: Unknown item id: 'nope' (see `ncp-tracker search` or `items`).\n"),
])
def test_the_commands_that_speak_take_lang(tmp_path, command, said):
    """`documents fetch`, `draft`, `config`, `backup`, `close-unanswered`, `tag`, `run`, `crawl` and
    `classify` had no --lang («ingen valg heter '--lang'») while the commands beside them took it."""
    from click.testing import CliRunner

    from tracker.cli import main

    db = tmp_path / "t.db"
    from tracker.store.db import open_db

    open_db(db, create=True).close()
    for name in (["documents", "fetch"], ["config"], ["backup"], ["run"], ["crawl"], ["classify"]):
        shown = CliRunner().invoke(main, [*name, "--lang", "en", "--help"])
        assert shown.exit_code == 0 and "--lang" in shown.output, (name, shown.output)
    result = CliRunner().invoke(main, ["--db", str(db), *command, "--lang", "en"])
    assert said in result.output, result.output
