"""The `ncp-tracker` command group; every command is registered here, explicitly.

Command modules import only click at module level (heavy libraries are imported inside the
commands), so `ncp-tracker --help` stays fast. The CLI sits on top of the house: nothing under
`tracker/` imports it.
"""

from __future__ import annotations

import click

from tracker import __version__
from tracker.cli import admin, digest, eu, gpfg, pipeline, work


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", envvar="NCP_TRACKER_DB", type=click.Path(dir_okay=False),
              help="Database file (default data/tracker.db; env NCP_TRACKER_DB).")
@click.version_option(__version__, prog_name="ncp-tracker")
@click.pass_context
def main(ctx: click.Context, db_path: str | None) -> None:
    """Tracks public consultations and legislation for Norway's OECD National Contact Point.

    Example: ncp-tracker run && ncp-tracker digest --format html --out today.html
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path


COMMANDS: tuple[click.Command, ...] = (
    # collect, store, tag
    pipeline.run, pipeline.crawl, pipeline.record, pipeline.demo, pipeline.health,
    pipeline.items, pipeline.events, pipeline.tag, pipeline.classify,
    # tell
    digest.digest, eu.watchlist, gpfg.gpfg, gpfg.companies,
    # the advisers' workbench
    work.triage, work.inbox, work.search, work.export, work.draft, work.calibrate, work.answers,
    work.close_unanswered,
    # running it for a team
    admin.users, admin.serve, admin.backup, admin.restore,
)
for _command in COMMANDS:
    main.add_command(_command)
