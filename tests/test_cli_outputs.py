"""What the commands write says what they did: the file a format names, this run's counts, whole
item ids, columns apart (`export --out`, `documents fetch`, the tables)."""

from __future__ import annotations

import re

from click.testing import CliRunner
from test_cli import scrape

from tracker.cli import main


def invoke(*args, db):
    return CliRunner().invoke(main, ["--db", str(db), *args])


#: an item id as long as Lovdata's («no_lovdata:LTI/delegering/2026-11-23-2130»): longer than the 40
#: characters a table cell was cut at
LONG_NATIVE = "LTI/delegering/2026-11-23-2130"
LONG_ID = f"no_regjeringen_horinger:{LONG_NATIVE}"


def test_tables_never_cut_an_item_id(tmp_path, as_of):
    """`items` and `search` cut the id, the handle `triage`, `draft` and `documents show` take, to
    40 characters («no_lovdata:LTI/delegering/2026-11-23-21…» for …-2130); now the id is whole
    and the title is what is cut."""
    db = tmp_path / "long.db"
    title = "Høring – åpenhetsloven og " + "en svært lang tittel " * 6
    scrape(db, as_of, native_id=LONG_NATIVE, url="https://lovdata.no/LTI/delegering/2026-11-23-2130", title=title)
    for args in (("items",), ("search", "åpenhetsloven")):
        result = invoke(*args, db=db)
        assert result.exit_code == 0, result.output
        row = re.split(r"\s{2,}", result.output.splitlines()[1])
        assert row[0] == LONG_ID, (args, row)
        assert "…" in result.output and title.strip() not in result.output  # the title is cut
    assert invoke("documents", "show", LONG_ID, db=db).exit_code == 1  # the id taken whole: no documents
