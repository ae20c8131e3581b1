"""click's own words that a reader of the command line meets, declared: its gettext msgids, as
click writes them in its source (its `_()` calls; click ships no catalogue).

`tracker.cli.support.ReaderGroup` has the standard library's gettext answer these from our
catalogues while the command runs (`tracker.i18n.stdlib_gettext`), so `--help` and the usage line
read in the reader's language. Marked with N_ so that `python -m tracker.i18n_extract` keeps them;
`tests/test_cli_help.py` checks that each is still a msgid of the installed click, so a click
release that rewords one fails a test instead of leaving it in English.

Not here: click's messages of an input it refuses («No such command», «Missing argument», a value
its type refuses …). `tracker.cli.support.usage_text` says those in the reader's words from the
exception's own fields and `vocabulary.COMMAND_REFUSALS`.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """A msgid for the extractor; the message itself."""
    return message


CLICK_MSGIDS: tuple[str, ...] = (
    N_("Usage:"),  # the usage line of --help and of every usage error
    N_("Options"),  # --help's sections
    N_("Commands"),
    N_("Show this message and exit."),  # the help of -h/--help
    N_("Show the version and exit."),  # the help of --version (made at import: translated as it is shown)
    N_("default: {default}"),  # an option's «[default: md]»
    N_("required"),  # an option's «[required]»
)

#: click's placeholders in a usage line, which it writes as constants (no `_()`): said in the
#: reader's language by `tracker.cli.support._ReadersHelp.collect_usage_pieces`
CLICK_METAVARS: tuple[str, ...] = (
    N_("[OPTIONS]"),  # `Command.options_metavar`
    N_("COMMAND [ARGS]..."),  # a group's `subcommand_metavar`
)
