"""What every command module shares: the database from the context, clear errors, dates, tables.

Only click is imported at module level, so `ncp-tracker --help` stays fast.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    import sqlite_utils

    from tracker.attention.profiles import Profile


class TrackerError(click.ClickException):
    """A clear, single-line error for the user, headed as every error is (`say`: «feil: …»)."""

    def __init__(self, message: str, lang: str | None = None, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.lang = lang or reader_lang()
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        say("error", self.format_message(), self.lang, file=file)


#: the exit code of input the command cannot use (a mistyped id, a search it cannot read, a
#: status change the item's status does not allow), as click's and `BadInput`'s
BAD_INPUT_EXIT = 2


def refused(exc: Exception | str, lang: str | None = None, *, input_error: bool = False) -> TrackerError:
    """A workbench refusal (a TriageError, SearchError, DraftError …: worded once, in English) as the
    error the reader reads: in the reader's language by `vocabulary.refusal_text`, as the web
    says it, with the command line's options; a refusal it does not know is shown as written.
    `input_error`: what the reader typed is refused (exit 2, as every bad input), not the state of
    the house (exit 1)."""
    from tracker.vocabulary import refusal_text

    lang = lang or reader_lang()
    return TrackerError(refusal_text(str(exc), lang, fields=_OPTION_NAMES, command_line=True), lang,
                        exit_code=BAD_INPUT_EXIT if input_error else 1)


def file_refused(exc: Exception, lang: str | None = None) -> TrackerError:
    """A file the reader names or writes — the configuration, the profiles, the watchlist, a feed's
    path — that the command cannot use (a ConfigError, ProfileError, WatchlistError …), in the
    reader's words (`refused`): bad input, exit 2, as every input the command cannot use (a file
    that is not there, a folder named as the file); exit 1 only when the system could not read a
    file that is there (permission denied …: the state of the machine, not what was written). The
    system's error is looked for along the chain of causes (a DraftError of an OutputError of it)."""
    cause = exc.__cause__
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__
    unreadable = isinstance(cause, OSError) and not isinstance(
        cause, (FileNotFoundError, IsADirectoryError, NotADirectoryError))
    return refused(exc, lang, input_error=not unreadable)


def write_refused(path: str | Path, exc: OSError, lang: str | None = None) -> TrackerError:
    """A file the command could not write where the reader said (its --out), in the reader's words
    (`refused`): a folder of its path that is a file — named — or a folder that is not there, or a
    folder where the file would be, is what the reader typed (exit 2); what the system refuses (no
    permission, the disk full) is the state of the machine (exit 1)."""
    from tracker.workbench.outputs import blocked_file

    blocked = blocked_file(path)
    if blocked is not None:
        return refused(blocked, lang, input_error=True)
    typed = isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError, FileExistsError))
    return refused(f"cannot write {path}: {exc.strerror or exc}", lang, input_error=typed)


def check_out_dir(path: str | Path, lang: str | None = None, option: str = "--out") -> None:
    """Before a command that writes into the folder `path` (its --out) does its work: a file where
    that folder, or one it runs through, would be is refused at once (exit 2), not found after the
    work as a failure to write; so is a file's name for it («oversikt.html»: it became a folder of
    that name, the files inside it, `store.files.file_name_as_folder`)."""
    from tracker.store.files import file_name_as_folder
    from tracker.workbench.outputs import blocked_folder

    if file_name_as_folder(path):
        from tracker.i18n import gettext

        raise TrackerError(gettext(lang, "%(path)s is a file name; %(option)s is the folder the files are written to",
                                   path=str(path), option=option), lang, exit_code=BAD_INPUT_EXIT)
    blocked = blocked_folder(path)
    if blocked is not None:
        raise refused(blocked, lang, input_error=True)


def out_format(fmt: str | None, out: str | None, endings: Mapping[str, str], default: str, lang: str) -> str:
    """The format a command writes its --out in: --format, else the one the file name ends in
    (`endings`: an ending → its format, any case; «apne.xlsx» is a workbook, «i-dag.html» a page),
    else `default`. A --format the name contradicts (`--format csv --out x.xlsx`: text under a
    workbook's name) is refused, exit 2, as options that cannot go together."""
    named = endings.get(Path(out).suffix.lower()) if out and out != "-" else None
    if fmt and named and fmt != named:
        from tracker.i18n import gettext

        raise TrackerError(gettext(lang, "--format %(format)s does not fit the file name %(path)s (a %(ext)s file): "
                                         "leave out --format to write %(named)s, or end the file name in .%(format)s",
                                   format=fmt, path=out, ext=Path(out).suffix, named=named),
                           lang, exit_code=BAD_INPUT_EXIT)
    return fmt or named or default


#: a search filter a refusal names by its field, as the command line names it: its option
_OPTION_NAMES = {"new_since": "--new-since", "changed_since": "--changed-since"}


class BadInput(click.BadParameter):
    """A value of an option that cannot be used (exit 2, as click's own): the usage lines, then the
    error in the reader's language («feil: ugyldig verdi for --source: …»)."""

    def __init__(self, message: str, param_hint: str, lang: str) -> None:
        super().__init__(message, param_hint=param_hint)
        self.lang = lang

    def format_message(self) -> str:
        from tracker.i18n import gettext

        return gettext(self.lang, "invalid value for %(option)s: %(message)s", option=self.param_hint,
                       message=self.message)

    def show(self, file=None) -> None:
        _show_usage_error(self, self.lang, file)


def bad_input(message: str, param_hint: str, lang: str | None = None, **values: object) -> BadInput:
    """The error of a value of `param_hint` that cannot be used: `message` (a catalogue msgid,
    marked with N_) with `values`, in `lang` (default: the reader's language)."""
    from tracker.i18n import gettext

    lang = lang or reader_lang()
    return BadInput(gettext(lang, message, **values), param_hint, lang)


def refused_value(exc: Exception, param_hint: str, lang: str | None = None) -> BadInput:
    """A value of `param_hint` that a house function refused (its ValueError, worded once in
    English: `-s NAME=VALUE`) as the error of that value, in the reader's words
    (`vocabulary.refusal_text`)."""
    from tracker.vocabulary import refusal_text

    lang = lang or reader_lang()
    return BadInput(refusal_text(str(exc), lang, command_line=True), param_hint, lang)


def _show_usage_error(error: click.UsageError, lang: str, file=None) -> None:
    """A usage error as every error is shown: the command's usage line, «Prøv … for hjelp.», then
    «feil: …» in the reader's language."""
    from tracker.i18n import gettext

    if error.ctx is not None:
        command = "'" + error.ctx.command_path + " --help'"
        hint = gettext(lang, "Try %(command)s for help.", command=command)
        with _speaking(lang):  # click's «Usage:», after click has left the command's context
            usage = error.ctx.get_usage()
        click.echo(f"{usage}\n{hint}\n", file=file, err=file is None, color=error.ctx.color)
    say("error", error.format_message(), lang, file=file)


class ReaderUsageError(click.UsageError):
    """click's own input error (an unknown command or option, a missing argument, a value its type
    refuses), shown as the commands show theirs (`_show_usage_error`), in the reader's language
    (`usage_text`).

    The language is the one the command would print in (`reader_lang`) as far as click has read
    the command line when it refuses it: its `--lang` if click has read it already, else the
    configuration's [digest] lang (Bokmål unless set) — `items --status x --lang en` stops at
    --status, before --lang, and says all of its error in the [digest] lang, never half of it."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(usage_text(error, lang), error.ctx)
        self.lang = lang

    def show(self, file=None) -> None:
        _show_usage_error(self, self.lang, file)


def usage_text(error: click.UsageError, lang: str) -> str:
    """What a click usage error says, in `lang`: built from the exception's own fields where it has
    them (the command or option named, the parameter missing); click's own words (a value its type
    refuses, an option without its value, an extra argument) by `vocabulary.refusal_text`, whose
    table has click's messages as click formats them (click's gettext msgids: click ships no
    catalogue, and Python's gettext reads only compiled files by the system's locale, so they are
    matched after the fact, as the workbench's refusals are)."""
    from tracker.i18n import gettext
    from tracker.vocabulary import refusal_text

    def maybe(names: list[str] | None) -> str:  # click's close matches
        return " " + gettext(lang, "(did you mean %(names)s?)", names=", ".join(map(repr, sorted(names)))) \
            if names else ""

    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)  # click ≥ 8.4
    if no_such_command is not None and isinstance(error, no_such_command):
        return gettext(lang, "no such command %(name)s", name=repr(error.command_name)) + maybe(error.possibilities)
    if isinstance(error, click.NoSuchOption):
        return gettext(lang, "no such option %(name)s", name=repr(error.option_name)) + maybe(error.possibilities)
    if isinstance(error, click.MissingParameter) and not error.message and error.param is not None:
        name = error.param.get_error_hint(error.ctx)
        if isinstance(error.param, click.Argument):
            return gettext(lang, "missing argument %(name)s", name=name)
        text = gettext(lang, "missing option %(name)s", name=name)
        if isinstance(error.param.type, click.Choice):
            text += " " + gettext(lang, "(choose from %(choices)s)", choices=", ".join(map(str, error.param.type.choices)))
        return text
    if isinstance(error, click.BadParameter) and (error.param_hint is not None or error.param is not None):
        hint = error.param_hint if error.param_hint is not None else error.param.get_error_hint(error.ctx)
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
        return gettext(lang, "invalid value for %(option)s: %(message)s", option=hint,
                       message=refusal_text(error.message, lang, command_line=True))
    return refusal_text(error.format_message(), lang, command_line=True)


#: the language of click's own words where it is not the reader's now (`_click_lang`): an error's,
#: shown after click has left the command's context (`_speaking`), or `_CLICKS_OWN`
_SPOKEN: ContextVar[str | None] = ContextVar("ncp_tracker_click_lang", default=None)
#: click's words as click writes them (untranslated): while click makes -h/--help, whose help it
#: keeps in the words of that moment (`_ReadersHelp.get_help_option`)
_CLICKS_OWN = "click"


@contextlib.contextmanager
def _speaking(lang: str) -> Iterator[None]:
    token = _SPOKEN.set(lang)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def _click_lang() -> str | None:
    """The language of click's own words (`tracker.cli.click_words`) where click says them now."""
    spoken = _SPOKEN.get()
    if spoken == _CLICKS_OWN:
        return None
    return spoken or reader_lang()


def help_text(text: str | None, lang: str) -> str | None:
    """A help text of the code (a command's docstring, an option's `help=`: its English is the msgid,
    as `tracker.i18n_extract` finds it) in `lang`."""
    if not text:
        return text
    from tracker.i18n import gettext

    return gettext(lang, inspect.cleandoc(text))


def _in_lang(command: click.Command, lang: str) -> click.Command:
    """A copy of `command` whose help texts (its own, its options') are in `lang`, for click to show
    (the command itself, which runs, keeps its English: the msgids)."""
    shown = copy.copy(command)
    shown.help = help_text(command.help, lang)
    shown.short_help = help_text(command.short_help, lang)
    shown.params = [_param_in_lang(param, lang) for param in command.params]
    shown._readers_lang = lang  # type: ignore[attr-defined]  # its -h/--help too (`get_help_option`)
    return shown


def _param_in_lang(param: click.Parameter, lang: str) -> click.Parameter:
    if not getattr(param, "help", None):
        return param
    shown = copy.copy(param)
    shown.help = help_text(param.help, lang)
    return shown


class _ReadersHelp:
    """`--help` in the reader's language (`reader_lang`: the configuration's [digest] lang, Bokmål
    unless set): the command's docstring and its options' help from the catalogue (msgids: the
    English of the code), click's own words (Usage:, Options, «Show this message and exit.») by
    `tracker.cli.click_words`."""

    #: the language of a copy made to be shown (`_in_lang`); None: the command that runs
    _readers_lang: str | None = None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super(_ReadersHelp, _in_lang(self, reader_lang(ctx))).format_help(ctx, formatter)  # type: ignore[misc, arg-type]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """The usage line's pieces, click's placeholders («[OPTIONS]», «COMMAND [ARGS]...») in the
        reader's language (`tracker.cli.click_words.CLICK_METAVARS`), in --help and usage errors."""
        from tracker.cli.click_words import CLICK_METAVARS
        from tracker.i18n import gettext

        lang = reader_lang(ctx)
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [gettext(lang, piece) if piece in CLICK_METAVARS else piece for piece in pieces]

    def get_short_help_str(self, limit: int = 45) -> str:  # a group's list of its commands
        return super(_ReadersHelp, _in_lang(self, reader_lang())).get_short_help_str(limit)  # type: ignore[misc, arg-type]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click makes -h/--help once per command and keeps it, its help in the words of that
        # moment: it is made in click's own (the msgid) and translated as it is shown, as every
        # option's help is
        token = _SPOKEN.set(_CLICKS_OWN)
        try:
            option = super().get_help_option(ctx)  # type: ignore[misc]
        finally:
            _SPOKEN.reset(token)
        if option is None or self._readers_lang is None:
            return option
        return _param_in_lang(option, self._readers_lang)  # type: ignore[return-value]


class ReaderCommand(_ReadersHelp, click.Command):
    """A command whose `--help` is in the reader's language (`_ReadersHelp`); its usage errors are
    its group's (`ReaderGroup`). A value typed empty («--owner ''», «--date ''», «answers ''») is
    refused, exit 2 — it was read as the option left out: every adviser's items, today's digest, a
    live fetch of every answer, each with exit 0 — unless the command names the option in
    `empty_ok` (`triage --owner ''`: no adviser)."""

    def __init__(self, *args: Any, empty_ok: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_ok = frozenset(empty_ok)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        refuse_empty(ctx, self.params, self.empty_ok)
        return rest


def refuse_empty(ctx: click.Context, params: list[click.Parameter], empty_ok: frozenset[str]) -> None:
    """A value of one of `params` given as an empty text (or only spaces) is bad input, unless its
    parameter's name is in `empty_ok`."""
    from tracker.vocabulary import N_

    for param in params:
        if param.name in empty_ok or param.name not in ctx.params:
            continue
        value = ctx.params[param.name]
        values = value if isinstance(value, tuple | list) else (value,)
        if any(isinstance(v, str) and not v.strip() for v in values):
            hint = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
            raise bad_input(N_("an empty value (leave the option out if you mean none)"), hint)


def valued_options(command: click.Command | None) -> frozenset[str]:
    """The names of the options of `command` (and of its subcommands) that take a value."""
    if command is None:
        return frozenset()
    names = {name for param in command.params if isinstance(param, click.Option) and not param.is_flag
             and not param.count for name in param.opts + param.secondary_opts}
    for sub in getattr(command, "commands", {}).values():
        names |= valued_options(sub)
    return frozenset(names)


class QueryCommand(ReaderCommand):
    """A command whose arguments are the words of a search query (`search`): a word that begins
    with one «-» — a negation, `-klima`, `-"norsk rett"`, `-state:new` — is a word of the query,
    not an option (click refused it: «ingen valg heter '-k'», unless the query came after `--`).
    Its own options (`--status open`, `-h`) are read as before, wherever they stand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, query_words_last(args, ctx))


def query_words_last(args: list[str], ctx: click.Context) -> list[str]:
    """`args` with the words of the query — what is no option of `ctx`'s command nor an option's
    value — moved after a `--`, in their order, so that click reads none of them as an option."""
    takes_value = valued_options(ctx.command)
    short = {name for param in ctx.command.get_params(ctx) if isinstance(param, click.Option)
             for name in param.opts + param.secondary_opts if not name.startswith("--")}
    options: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            words.extend(args[i + 1:])
            break
        if arg.startswith("--") or arg in short:
            options.append(arg)
            if arg in takes_value and i + 1 < len(args):
                options.append(args[i + 1])
                i += 1
        else:
            words.append(arg)
        i += 1
    return options + (["--", *words] if words else [])


class ReaderGroup(_ReadersHelp, click.Group):
    """A command group whose click input errors — its own options, an unknown command, and any
    command's (or subgroup's) arguments — are shown in the reader's language (`ReaderUsageError`)
    instead of click's «Error: …», and whose `--help` (and its commands') is in the reader's
    language (`_ReadersHelp`)."""

    command_class = ReaderCommand

    def main(self, *args, **kwargs):
        """The command line run with click's own words (`tracker.cli.click_words`) in the reader's
        language (`_click_lang`)."""
        from tracker.cli.click_words import CLICK_MSGIDS
        from tracker.i18n import stdlib_gettext

        with stdlib_gettext(_click_lang, CLICK_MSGIDS):
            return super().main(*args, **kwargs)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        with _in_readers_words():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context):
        with _in_readers_words():
            return super().invoke(ctx)


@contextlib.contextmanager
def _in_readers_words() -> Iterator[None]:
    """click's usage errors raised inside, as the reader reads them (`ReaderUsageError`); one
    already in the reader's words (BadInput, …) as it is. A question answered no, or not at all
    (`confirm`, a password prompt at the end of input or Ctrl-C), and Ctrl-C anywhere else, end the
    command with «Avbrutt.» / «Aborted.» and exit 1, where click said «Aborted!» in English. The
    database in a state no command can change — locked by another writer past the wait, read-only,
    the disk full, damaged, not a database (`vocabulary.SQLITE_ERRORS`) — said with its file, exit 1,
    where it was a traceback; any other SQLite error (a bug) keeps its traceback."""
    import sqlite3

    try:
        yield
    except (BadInput, ReaderUsageError):
        raise
    except sqlite3.DatabaseError as exc:
        from tracker.vocabulary import SQLITE_ERRORS

        if str(exc).strip().rstrip(".").casefold() not in SQLITE_ERRORS:
            raise
        ctx = click.get_current_context(silent=True)
        obj = (ctx.find_root().obj if ctx is not None else None) or {}
        raise refused(f"the database {obj.get('db') or '?'} cannot be used now: {exc}", obj.get("lang")) from exc
    except click.UsageError as exc:
        raise ReaderUsageError(exc, reader_lang(exc.ctx)) from exc
    except (click.Abort, KeyboardInterrupt) as exc:
        from tracker.i18n import gettext

        if isinstance(exc, KeyboardInterrupt):
            click.echo(err=True)  # the line the terminal's «^C» was written on
        click.echo(gettext(reader_lang(), "Aborted."), err=True)
        raise click.exceptions.Exit(1) from None


def confirm(question: str, lang: str) -> None:
    """Ask `question` before a change that replaces something («… [j/N]: »), in the reader's
    language: yes (nb: j, ja, y, yes; en: y, yes) goes on; no (n, nei, no), an empty answer, or no
    answer at all (end of input: a script, a cron job) stops the command — «Avbrutt.», exit 1,
    nothing changed. Any other answer is asked again. (click.confirm asked «[y/N]» and said
    «Aborted!», in English.)"""
    from tracker.i18n import gettext

    yes = {word.strip() for word in gettext(lang, "y,yes").split(",")}
    no = {word.strip() for word in gettext(lang, "n,no").split(",")} | {""}
    while True:
        try:
            answer = click.prompt(gettext(lang, "%(question)s [y/N]", question=question), default="",
                                  show_default=False, prompt_suffix=": ").strip().lower()
        except click.Abort:  # end of input or Ctrl-C: the prompt's line is left open
            click.echo(err=True)
            raise
        if answer in yes:
            return
        if answer in no:
            raise click.Abort
        click.echo(gettext(lang, "Answer y or n."), err=True)


def waiting_for_crawl(lang: str) -> Callable[[str], None]:
    """What a crawl (`run`, `crawl`, `documents fetch` …) says once when another crawl of its
    database holds the lock (tracker.store.runlock): whom it waits for, in the reader's words."""

    def waiting(holder: str) -> None:
        from tracker.i18n import gettext
        from tracker.vocabulary import lock_holder

        click.echo(gettext(lang, "waiting for the crawl that is writing this database to end (%(holder)s) …",
                           holder=lock_holder(holder, lang)), err=True)

    return waiting


def say_crawl_log(path: Path | None, warnings: int, errors: int, lang: str) -> None:
    """Where a crawl's log lines went (tracker.jobs.crawl.crawl_log_path: Scrapy's own, in
    English, kept off the reader's console) and how many warnings and errors it got, on stderr —
    nothing when it logged none or logged to the console (`-s LOG_FILE=`)."""
    if path is None or not (warnings or errors):
        return
    from tracker.i18n import gettext, ngettext

    counts = [ngettext(lang, "%(num)s warning", "%(num)s warnings", warnings) if warnings else "",
              ngettext(lang, "%(num)s error", "%(num)s errors", errors) if errors else ""]
    click.echo("  " + gettext(lang, "the crawl logged %(counts)s (its log, in English): %(path)s",
                              counts=", ".join(c for c in counts if c), path=str(path)), err=True)


def say(level: str, text: str, lang: str, *, file=None, **style) -> None:
    """`text` on stderr (or `file`), headed by its level in the reader's language: «feil: …» /
    «error: …», «advarsel: …» / «warning: …» — every error and warning of the commands is written
    here. `style`: click.secho's (fg, bold). In a terminal a longer line is wrapped between words,
    its next lines indented under the text (a banner naming every source ran on for ~400
    characters, broken anywhere); a path, a command or a link is never broken."""
    from tracker.i18n import gettext

    head = gettext(lang, "error") if level == "error" else gettext(lang, "warning")
    line = f"{head}: {text}"
    room = terminal_columns(err=True) if file is None else None
    if room and len(line) >= room and "\n" not in line:
        line = "\n".join(whole_words(line, max(room - 1, 40), hang=" " * (len(head) + 2)))
    click.secho(line, file=file, err=file is None, **style)


def open_db(ctx: click.Context, *, write: bool = False, create: bool = False):
    """The configured database (--db, $NCP_TRACKER_DB, [tracker] db; see `ncp-tracker config`).

    It must exist unless `create` (run, crawl, record, demo): a mistyped path is an error, never
    an empty database. Only commands that `write` bring its schema up to date; read commands
    open it as it is.
    """
    from tracker.store.db import StoreError
    from tracker.store.db import open_db as _open

    try:
        return _open(None, migrate=write or create, create=create)
    except StoreError as exc:  # in the reader's language (vocabulary.COMMAND_REFUSALS)
        raise refused(exc) from exc


def digest_profile(ctx: click.Context, name: str | None = None, lang: str | None = None) -> Profile:
    """The digest's profile: `name` (a --profile), else the configuration's [digest] profile — the
    one place that setting is read and checked against the profiles file (data_dir's, else the
    shipped one), for `digest`, `run`, `demo` and `config`. A name the file lacks is refused,
    exit 2: a configured one with the configuration's file, line and key, as every setting
    («…toml, linje 7: digest.profile må være en av eu, gpfg, ncp, …, ikke 'nope'»; it passed
    `config` and was met only by the digest, as a profile nobody had typed); a typed one as it
    was typed; a profiles file written wrongly with its own error."""
    from tracker.attention.profiles import ProfileError, UnknownProfile, load_profile
    from tracker.config import ConfigError

    config = ctx.obj["config"]
    origin = config.origin["digest"]["profile"]
    configured = name is None and origin != "default"
    try:
        return load_profile(name or config.get("digest", "profile"))
    except UnknownProfile as exc:
        if configured:
            refusal = ConfigError(f"{origin}: digest.profile must be one of {', '.join(exc.known)}, not {exc.name!r}")
            raise file_refused(refusal, lang) from exc
        raise file_refused(exc, lang) from exc
    except ProfileError as exc:  # a profiles file written wrongly: its own error, exit 2 (1: unreadable)
        raise file_refused(exc, lang) from exc


def say_untrusted(db, when: datetime, *, lang: str = "nb", profile: str | Profile = "ncp",
                  warn_only: bool = False) -> bool:
    """Before a view of the store other than the digest (`inbox`, `horizon`): the digest's banners
    on stderr — no crawl, no successful or recent one («feil:»), failing sources and sources not
    checked for 36 hours («advarsel:»). True when the data must not pass for current: the command
    then exits 2, as `digest` does. `warn_only`: every banner as «advarsel:», for a command whose
    result stands and exits 0 (`draft`: the draft is written from what the store holds)."""
    from tracker.attention.profiles import ProfileError
    from tracker.digest.build import trust_banners

    try:
        found, banners = trust_banners(db, as_of=when, profile=profile, lang=lang)
    except ProfileError as exc:  # a profiles file it cannot use: said, not a traceback
        raise file_refused(exc, lang) from exc
    for banner in banners:
        error = banner.text in found and not warn_only
        say("error" if error else "warning", banner.text, lang, fg="red" if banner.level == "red" else "yellow",
            bold=error)
    return bool(found)


def say_if_not_current(db, lang: str, when: datetime | None = None) -> None:
    """After a lookup of the store has its result (`items`, `search`, `events`, `export`; not the
    history views `companies` and `outcomes`): why what it lists may not be current — no crawl yet, none that succeeded, the latest
    successful one older than the ncp profile's max_age_hours (`tracker.attention.freshness`, as the
    digest decides it) — as «advarsel:» on stderr. The lookup's result stands (exit 0): it is what the
    store holds, said as such, never an empty list that passes for «nothing found»."""
    from tracker.attention.freshness import problems
    from tracker.attention.profiles import ProfileError, load_profile

    try:
        profile = load_profile("ncp")
    except ProfileError as exc:  # a profiles file it cannot use: said, not a traceback
        raise file_refused(exc, lang) from exc
    for problem in problems(db, when or now_or(None), profile, lang, digest=False):
        say("warning", problem, lang, fg="yellow")


#: `--lang` of the commands whose text people read (`horizon`, `inbox`, `health`, …): Bokmål unless
#: the configuration's [digest] lang says otherwise (`chosen_lang`); machine formats keep their keys
def remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A `--lang` option's callback: the chosen language also kept on the command group's shared
    `obj`, so that an error said after the command's own context has closed (`_in_readers_words`:
    a locked database) is said in it too."""
    if value and isinstance(ctx.obj, dict):
        ctx.obj["lang"] = value
    return value


#: eager: a --help after it is in that language
lang_option = click.option("--lang", type=click.Choice(["nb", "en"]), callback=remember_lang, is_eager=True,
                           help="Language of what it prints; default: [digest] lang (nb).")


def chosen_lang(ctx: click.Context, lang: str | None) -> str:
    """`--lang`, else the configuration's [digest] lang (the language the advisers read the
    digest in, Bokmål unless set)."""
    return lang or ctx.obj["config"].get("digest", "lang")


def reader_lang(ctx: click.Context | None = None) -> str:
    """The language of what a command says (its errors too): as `chosen_lang` — the command's
    `--lang`, else [digest] lang. Before the group has read the configuration (an unknown command,
    an unknown option of the group's own), the [digest] lang of the configuration it would read;
    Bokmål when it cannot be read (its own error)."""
    from tracker.i18n import DEFAULT_LANG, LANGS

    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return DEFAULT_LANG
    lang = ctx.params.get("lang")
    if lang in LANGS:
        return lang
    if isinstance(ctx.obj, dict) and "config" in ctx.obj:
        return chosen_lang(ctx, None)
    from tracker.config import ConfigError, load_config

    root = ctx.find_root()
    path = root.params.get("config_path")  # while click reads the line, not given is no str yet
    key = ("ncp-tracker: [digest] lang of", path if isinstance(path, str) else None)  # read once: --help asks often
    if key not in root.meta:
        try:
            root.meta[key] = load_config(key[1]).get("digest", "lang")
        except (ConfigError, OSError):
            root.meta[key] = DEFAULT_LANG
    return root.meta[key]


def source_with_code(code: str, lang: str) -> str:
    """A source as the terminal names it: by its name, as health, the digest and the web do, its
    code beside it (what --source takes): «Etikkrådet (no_etikkradet)»."""
    from tracker.vocabulary import source_name, with_code

    return with_code(source_name(code, lang), code)


def known_sources() -> list[str]:
    """Every source of items (a spider's name), from the crawlers.spiders package (no Scrapy import)."""
    from tracker.attention.profiles import known_sources as _known

    return _known()


def check_named(value: str, names: Mapping[str, str], valid: Sequence[str], message: str, param_hint: str) -> str:
    """The code of `value` — one of `valid`, or the name the output shows for one (`names`: code →
    msgid; `vocabulary.code_of`: any case, either language, ASCII spellings) — else an error
    (`message`, a msgid with %(name)s and %(valid)s) listing the valid ones as the reader types
    them (their names in the reader's language, each code beside it: «høring (hearing), …»; only
    codes were listed) and what the reader may have meant («(mente du 'høring'?)» for «høringg»).
    A mistyped value would match nothing: an empty list that looked like an answer."""
    from tracker.i18n import gettext
    from tracker.vocabulary import close_names, code_of, names_with_codes

    code = code_of(value, names)
    if code in valid:
        return code
    lang = reader_lang()
    text = gettext(lang, message, name=repr(value), valid=names_with_codes(names, list(valid), lang))
    if close := close_names(value, names, valid, lang):
        text += " " + gettext(lang, "(did you mean %(names)s?)", names=", ".join(map(repr, close)))
    raise BadInput(text, param_hint, lang)


def check_status(name: str | None, param_hint: str = "--status") -> str | None:
    """The item status `name` is, by its code or its name («åpen», «lukket»); an unknown one is an
    error listing them (a click.Choice took the English codes only, where the tables show names)."""
    if name is None:
        return None
    from tracker.store.status import STATUSES
    from tracker.vocabulary import N_, STATUS_NAMES

    return check_named(name, STATUS_NAMES, STATUSES, N_("unknown status %(name)s (valid: %(valid)s)"), param_hint)


def check_source(name: str | None, param_hint: str = "--source") -> str | None:
    """The source `name` is, by its code or its name as the tables show it («Etikkrådet», «Høringer
    (regjeringen.no)», as `search kilde:` takes it); an unknown one is an error listing them."""
    from tracker.vocabulary import N_, SOURCE_NAMES

    return None if name is None else check_named(name, SOURCE_NAMES, known_sources(),
                                                 N_("unknown source %(name)s (valid: %(valid)s)"), param_hint)


def check_kind(name: str | None, param_hint: str = "--kind") -> str | None:
    """`name` if it is a known item kind; an unknown one is an error listing the valid ones."""
    if name is None:
        return None
    from crawlers.fields import KINDS
    from tracker.vocabulary import KIND_NAMES, N_

    return check_named(name, KIND_NAMES, KINDS, N_("unknown kind %(name)s (valid: %(valid)s)"), param_hint)


def check_state(name: str | None, param_hint: str = "--state") -> str | None:
    """`name` if it is a triage state; an unknown one is an error listing the valid ones."""
    if name is None:
        return None
    from tracker.vocabulary import N_, TRIAGE_NAMES
    from tracker.workbench.triage import STATES

    return check_named(name, TRIAGE_NAMES, STATES, N_("unknown triage state %(name)s (valid: %(valid)s)"), param_hint)


def check_event_kind(name: str | None, param_hint: str = "--kind") -> str | None:
    """`name` if it is a kind of change event; an unknown one is an error listing the valid ones."""
    if name is None:
        return None
    from tracker.store.changes import EVENT_KINDS
    from tracker.vocabulary import EVENT_NAMES, N_

    return check_named(name, EVENT_NAMES, EVENT_KINDS, N_("unknown event kind %(name)s (valid: %(valid)s)"),
                       param_hint)


def check_item(db: sqlite_utils.Database, item_id: str) -> str:
    """`item_id` if the store has it; else an error, exit 2 (a mistyped id must not read as "nothing")."""
    from tracker.workbench.triage import item_exists

    if not item_exists(db, item_id):
        raise refused(f"unknown item id: {item_id!r} (see `ncp-tracker search` or `items`)", input_error=True)
    return item_id


def check_label(text: str | None, param_hint: str = "--label") -> str | None:
    """The label code for any usual spelling (åpenhetsloven, Kap. IV, oecd-iv, SPU …)."""
    if text is None:
        return None
    from nlp.labels import parse_label

    try:
        return parse_label(text)
    except ValueError as exc:  # the valid ones by code and name, in the reader's language
        from nlp.labels import LABELS
        from tracker.vocabulary import N_, label_name

        lang = reader_lang()
        valid = ", ".join(f"{code} ({label_name(code, lang)})" for code in LABELS)
        raise bad_input(N_("unknown label %(name)s; valid labels: %(valid)s"), param_hint, lang, name=repr(text),
                        valid=valid) from exc


def known_year(when: date, value: str, param_hint: str) -> None:
    """An error of `param_hint` when `when` (read from the typed `value`) lies outside the years the
    tracker reads dates in (crawlers.dates: MIN_YEAR–MAX_YEAR, as every source's dates): a day at the
    calendar's edge (0001-01-01, 9999-12-31) is a typo, and ended in an OverflowError traceback as
    soon as a day was counted from it (the digest's week before, the horizon's months after). Every
    date or clock the commands take passes here (`parse_as_of`, `parse_day`)."""
    from crawlers.dates import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= when.year <= MAX_YEAR:
        from tracker.vocabulary import N_

        raise bad_input(N_("the year must be from %(low)s to %(high)s, not %(value)s"), param_hint, low=MIN_YEAR,
                        high=MAX_YEAR, value=repr(value))


def parse_day(value: str, param_hint: str) -> date:
    """An ISO date (YYYY-MM-DD) of a year the tracker reads (`known_year`); else an error of
    `param_hint`, exit 2."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        from tracker.vocabulary import N_

        raise bad_input(N_("not an ISO date (YYYY-MM-DD): %(value)s"), param_hint, value=repr(value)) from exc
    known_year(day, value, param_hint)
    return day


def parse_as_of(value: str | None, param_hint: str = "--as-of") -> datetime | None:
    """An ISO date or datetime in Europe/Oslo; a bare date means 06:00 that day (the daily run). A
    year outside those the tracker reads is an error (`known_year`)."""
    if not value:
        return None
    from crawlers.dates import OSLO

    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        from tracker.vocabulary import N_

        raise bad_input(N_("not an ISO date or datetime: %(value)s"), param_hint, value=repr(value)) from exc
    known_year(dt, value, param_hint)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=OSLO)
        if len(value) <= 10:
            dt = dt.replace(hour=6)
    return dt


def now_or(value: str | None, *, writes: bool = False) -> datetime:
    """`parse_as_of(value)`, or now in Europe/Oslo. `writes`: the command writes state at that
    clock, which may not be later than now (past_as_of)."""
    from crawlers.dates import OSLO

    return (past_as_of(value) if writes else parse_as_of(value)) or datetime.now(OSLO)


#: how far ahead of the machine's clock a written clock may be (another machine's clock, a typo'd
#: minute): beyond it, `--as-of` of a command that writes state is refused
FUTURE_TOLERANCE_MINUTES = 10


def past_as_of(value: str | None, param_hint: str = "--as-of") -> datetime | None:
    """`parse_as_of(value)` for a command that writes state stamped with that clock (closes hearings,
    stores a crawl, logs checks): a clock later than now (beyond FUTURE_TOLERANCE_MINUTES) is an
    error — what it wrote would stay "in the future", never undone by the runs to come (a hearing
    closed unanswered would never reopen)."""
    from datetime import timedelta

    from crawlers.dates import OSLO

    when = parse_as_of(value, param_hint)
    now = datetime.now(OSLO)
    if when is not None and when > now + timedelta(minutes=FUTURE_TOLERANCE_MINUTES):
        from tracker.i18n import format_datetime
        from tracker.vocabulary import N_

        # now as the reader writes it («man. 07.12.2026 kl. 13.52»), not ISO with its UTC offset
        raise bad_input(N_("%(value)s is later than now (%(now)s): a command that writes cannot run at a clock still "
                           "to come"), param_hint, value=repr(value), now=format_datetime(now, reader_lang()))
    return when


#: the columns of an item's id (`items`, `search`, `inbox`, `events`, `documents provisions`): the
#: handle `triage`, `draft` and `documents show` take, so never cut (a cut id,
#: «no_lovdata:LTI/delegering/2026-11-23-21…», could not be copied into them); the title is cut
HANDLE_COLUMNS = frozenset({"id", "item_id", "item"})


def terminal_columns(*, err: bool = False) -> int | None:
    """The width of the terminal the tables are shown in (stdout's, or stderr's with `err`); None
    when it is no terminal (a pipe, a file, cron: the whole cells, as before, for grep and scripts)."""
    import shutil
    import sys

    return shutil.get_terminal_size().columns if (sys.stderr if err else sys.stdout).isatty() else None


def whole_words(text: str, width: int, *, first: str = "", hang: str = "") -> list[str]:
    """`text` in lines of at most `width` characters, broken between words only — never inside a
    word, a hyphenated one, a path or a link (one longer than a line stands alone on its line) —
    the first line after `first`, the others after `hang`."""
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False)


def echo_fitted(text: str, indent: int, *, narrow: int = 4, **style: Any) -> None:
    """A line of a terminal view (`horizon`, `gpfg`, `companies`, `watchlist`) on stdout, with
    click.secho's `style`: in a terminal narrower than it, wrapped between words (the terminal
    broke it anywhere, under the columns), its next lines indented by `indent` — under the column
    its text goes on in, which starts at `indent` — or, where that leaves less than 30 characters,
    that text on the lines under the columns before it, indented by `narrow`; a word is never
    broken (a link, an id). Piped: the line as it is."""
    room = terminal_columns()
    if room and len(text) >= room:
        def wrapped(line: str, hang: int) -> list[str]:
            return whole_words(line, max(room - 1, hang + 20), hang=" " * hang)

        head, rest = text[:indent].rstrip(), text[indent:].strip()
        # the text is moved under the columns only where `indent` is where a column starts
        if room - 1 - indent >= 30 or not head.strip() or not rest or text[indent - 1:indent] != " ":
            lines = wrapped(text, indent if room - 1 - indent >= 30 else narrow)
        else:  # the columns on a line, the text under them
            lines = [head, *wrapped(" " * narrow + rest, narrow)]
        text = "\n".join(lines)
    click.secho(text, **style)


#: the columns a table may cut to fit the terminal: an item's title and a search hit's snippet,
#: which its page shows whole (never an id, a status, a day or a source's reason: what a row says)
FITTED_COLUMNS = frozenset({"title", "snippet"})
#: the narrowest such a column is made (its heading, if longer, stays whole)
_NARROWEST = 20


def _fitted(sizes: dict[str, int], heads: dict[str, str], room: int) -> dict[str, int]:
    """Widths that bring a table within `room` characters: the widest of its `FITTED_COLUMNS` made
    narrower first, none below its heading or `_NARROWEST`. A table that cannot fit so keeps
    those floors (the terminal wraps it)."""
    out = dict(sizes)
    excess = sum(out.values()) + 2 * (len(out) - 1) - room
    while excess > 0:
        cuttable = [c for c in out if c in FITTED_COLUMNS and out[c] > max(len(heads[c]), _NARROWEST)]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda c: out[c])
        floor = max(len(heads[widest]), _NARROWEST)
        others = [out[c] for c in cuttable if c != widest]
        step = min(excess, out[widest] - floor, max(1, out[widest] - max(others, default=floor)))
        out[widest] -= step
        excess -= step
    return {c: w for c, w in out.items() if w < sizes[c]}


def print_table(rows: list[dict], columns: list[str], widths: dict[str, int] | None = None, *,
                headers: dict[str, str] | None = None, empty: str | None = None, wrap: str | None = None,
                style: Callable[[dict], dict[str, Any]] | None = None, heading: str | None = None) -> None:
    """A plain aligned table; long cells are cut with an ellipsis, except an item's id
    (`HANDLE_COLUMNS`), which is always whole; in a terminal, the table is made as wide as it
    (`terminal_columns`, `_fitted`), and the last column, when it is `wrap` (a source's reason,
    which is not cut), goes on under itself, wrapped between words at the terminal's edge. A column
    is headed by its name in `headers` (the reader's words), else by its key; a key with a trailing
    "_" (a display copy of a field, e.g. ``deadline_``: the day of ``deadline``) without it. No
    rows: `empty`, by default «(ingen)» in the reader's language. A table still wider than the
    terminal (its `wrap` column aside) is shown a row at a time (`_print_blocks`): the terminal
    broke every row anywhere, the title cut to 20 characters; its `heading` column (default the
    title, else the first) heads each row. `style`: click.style's arguments for a row's lines (a
    red source in red), which click drops where the output is no terminal."""
    widths = widths or {}
    if not rows:
        from tracker.i18n import gettext

        click.echo(gettext(reader_lang(), "(nothing)") if empty is None else empty)
        return
    heads = {c: (headers or {}).get(c, c.rstrip("_")) for c in columns}

    def cell(value, col):
        text = "" if value is None else str(value).replace("\n", " ")
        limit = widths.get(col, 40)
        return text if len(text) <= limit or col in HANDLE_COLUMNS else text[: limit - 1] + "…"

    def measured() -> dict[str, int]:  # each column as wide as its widest cell (after `widths`)
        return {c: max(len(heads[c]), *(len(cell(r.get(c), c)) for r in rows)) for c in columns}

    sizes = measured()
    room = terminal_columns()
    if room and sum(sizes.values()) + 2 * (len(columns) - 1) > room:  # as wide as the reader's terminal
        widths = {**widths, **_fitted(sizes, heads, room)}
        sizes = measured()
    # the wrapped column: under itself when the terminal leaves it 20 characters, else on the lines
    # under its row, indented; a row a time where even the other columns do not fit
    start = sum(sizes[c] for c in columns[:-1]) + 2 * (len(columns) - 1)
    wrapped = bool(wrap is not None and wrap == columns[-1] and room and start + sizes[wrap] > room)
    if room and (start - 2 if wrapped else start + sizes[columns[-1]]) > room:
        def whole(value) -> str:
            return "" if value is None else str(value).replace("\n", " ")

        _print_blocks([[(heads[c], whole(r.get(c))) for c in columns] for r in rows], room,
                      [style(r) if style else {} for r in rows],
                      heading=columns.index(heading or ("title" if "title" in columns else columns[0])),
                      apart=len(columns) - 1 if wrap == columns[-1] else None)
        return
    indent = start if room and room - start - 1 >= 20 else 4
    if wrapped and indent != start:  # the wrapped column's heading as its cells: under the others'
        click.echo("  ".join(heads[c].ljust(sizes[c]) for c in columns[:-1]).rstrip())
        click.echo(" " * indent + heads[wrap])
    else:
        click.echo("  ".join(heads[c].ljust(sizes[c]) for c in columns).rstrip())
    for r in rows:
        looks = style(r) if style else {}
        if not wrapped:
            click.secho("  ".join(cell(r.get(c), c).ljust(sizes[c]) for c in columns).rstrip(), reset=bool(looks),
                        **looks)
            continue
        lines = whole_words(cell(r.get(wrap), wrap), max(room - indent - 1, 20))
        head = "  ".join(cell(r.get(c), c).ljust(sizes[c]) for c in columns[:-1])
        if indent == start and lines:
            head, lines = f"{head}  {lines[0]}", lines[1:]
        click.secho(head.rstrip(), reset=bool(looks), **looks)
        for line in lines:
            click.secho(" " * indent + line, reset=bool(looks), **looks)


def _print_blocks(rows: list[list[tuple[str, str]]], room: int, looks: list[dict[str, Any]], *,
                  heading: int, apart: int | None) -> None:
    """A table too wide for the terminal, a row at a time: its `heading` cell (an item's title, else
    the first) on lines of its own, then «Heading: value» of each other cell that says something,
    whole and indented, as many to a line as the terminal holds (a pair is never broken between
    lines unless it is longer than one: then between the words of its value), the cell `apart` (a
    source's reason) on lines of its own. Every line within `room`; the heading's in bold (where a
    row begins)."""
    width = max(room - 1, 24)

    def wrapped(text: str, indent: str) -> list[str]:
        return whole_words(text, width, first=indent, hang=indent)

    for cells, look in zip(rows, looks, strict=True):
        head_lines = wrapped(cells[heading][1], "") or [""]
        lines, line = [], ""
        for i, (head, value) in enumerate(cells):
            if i == heading or not value.strip():
                continue
            pair = f"{head}:\0{value}" if head else value  # a heading stays with its value (no space)
            if i == apart or 4 + len(pair) > width:
                if line:
                    lines.append(line)
                    line = ""
                lines += wrapped(pair, "    ")
            elif line and len(line) + 3 + len(pair) > width:
                lines.append(line)
                line = "    " + pair
            else:
                line = f"{line} · {pair}" if line else "    " + pair
        if line:
            lines.append(line)
        for text in head_lines:  # in bold: where a row begins
            click.secho(text, **{"bold": True, **look})
        for text in lines:
            click.secho(text.replace("\0", " "), reset=bool(look), **look)
