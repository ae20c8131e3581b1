"""The `ncp-tracker` command group; every command is registered here, explicitly.

Command modules import only click at module level (heavy libraries are imported inside the
commands), so `ncp-tracker --help` stays fast. The CLI sits on top of the house: nothing under
`tracker/` imports it.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from tracker import __version__
from tracker.cli import admin, backfill, digest, documents, eu, gpfg, horizon, house, pipeline, work
from tracker.cli.support import ReaderGroup, file_refused, valued_options

#: the group's options that take a value: also accepted after the command (`hoisted`)
GLOBAL_OPTIONS = ("--config", "--db")


def hoisted(args: list[str], valued: Callable[[str], frozenset[str]]) -> list[str]:
    """The command line with `--db FILE` / `--config FILE` (or `--db=FILE`) typed after the
    command moved before it, where the group reads them: `ncp-tracker demo --db x.db` was refused
    («ingen valg heter '--db' (mente du '--kind'?)») though the commands' help speaks of «--db».
    Nothing after `--` is moved, nor the value of the command's own option (`triage --note --db`:
    `valued(command)` names the command's options that take a value)."""
    args = list(args)
    front = 0  # the group's own options and their values, then the command
    while front < len(args) and args[front].startswith("-") and args[front] != "--":
        front += 2 if args[front] in GLOBAL_OPTIONS else 1
    if front >= len(args):
        return args
    takes_value = valued(args[front])
    moved: list[str] = []
    rest: list[str] = []
    i = front + 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if rest and rest[-1] in takes_value:  # the value of the option before it
            rest.append(arg)
        elif arg in GLOBAL_OPTIONS and i + 1 < len(args):
            moved += args[i:i + 2]
            i += 1
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            moved.append(arg)
        else:
            rest.append(arg)
        i += 1
    return args[:front] + moved + args[front:front + 1] + rest


class TrackerGroup(ReaderGroup):
    """The `ncp-tracker` group: its `--db` and `--config` also after the command (`hoisted`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoisted(args, lambda name: valued_options(self.commands.get(name))))


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
# eager: read before a --help that follows it, whose language is that file's [digest] lang
@click.option("--config", "config_path", type=click.Path(dir_okay=False), is_eager=True,
              help="Configuration file (default $NCP_TRACKER_CONFIG, else ./ncp-tracker.toml).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Database file (beats $NCP_TRACKER_DB and the configuration; default data/tracker.db).")
@click.version_option(__version__, prog_name="ncp-tracker")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None) -> None:
    """Tracks public consultations and legislation for Norway's OECD National Contact Point.

    Example: ncp-tracker run && ncp-tracker digest --format html --out today.html
    """
    from tracker.config import ConfigError, load_config, set_config

    _crash_traces()
    try:
        config = load_config(config_path, db=db_path)
    except ConfigError as exc:
        raise file_refused(exc) from exc  # in the reader's words (vocabulary.COMMAND_REFUSALS); exit 2
    set_config(config)
    ctx.ensure_object(dict)
    ctx.obj["db"] = str(config.db)
    ctx.obj["config"] = config


def _crash_traces() -> None:
    """A crash in native code (a segmentation fault in an extension module) prints every thread's
    Python stack to the real stderr before the process dies, so a cron mail or a CI log says
    where it happened instead of only "exit -11"."""
    import contextlib
    import faulthandler
    import sys

    if faulthandler.is_enabled() or sys.__stderr__ is None:
        return
    with contextlib.suppress(ValueError, OSError):  # no file descriptor behind stderr
        faulthandler.enable(file=sys.__stderr__, all_threads=True)


COMMANDS: tuple[click.Command, ...] = (
    # the house: configuration, data directory, schema
    house.config, house.init, house.migrate,
    # collect, store, tag
    pipeline.run, pipeline.crawl, pipeline.record, pipeline.ingest, pipeline.demo, pipeline.health,
    pipeline.items, pipeline.events, pipeline.tag, pipeline.classify, backfill.backfill,
    # tell
    digest.digest, eu.watchlist, gpfg.gpfg, gpfg.companies, horizon.horizon, horizon.outcomes, horizon.action_plan,
    # the advisers' workbench
    work.triage, work.inbox, work.search, work.export, work.draft, work.calibrate, work.answers,
    work.close_unanswered,
    # running it for a team
    admin.users, admin.serve, admin.backup, admin.restore,
    # the documents items link to
    documents.documents,
)
for _command in COMMANDS:
    main.add_command(_command)
