"""Pages that break the way real pages break, on copies of the bundled replay days through the real
engine and `run`: a case page in another encoding than it declares, EØS-notat pages blocked or
with their labels renamed. The source says so (amber or red, naming the page or label) and the
store keeps what it knew: no garbled text, no false «Endret» in the digest."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT, cli, health, query

pytestmark = pytest.mark.slow

DAYS = ROOT / "data" / "replay"
OECD, EOS = "oecd_ncp_cases", "no_eos_notater"


def _two_days(tmp_path: Path, source: str, doctor: Callable[[Path, dict], None]) -> tuple[Path, Path]:
    """Copies of both bundled days of `source`; the second one's responses changed by `doctor`
    (folder, manifest), their validators dropped (a real change, not a 304)."""
    for day in ("2026-11-23", "2026-11-24"):
        shutil.copytree(DAYS / day / source, tmp_path / day / source)
    folder = tmp_path / "2026-11-24" / source
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for entry in manifest["responses"]:
        entry["headers"] = {k: v for k, v in entry.get("headers", {}).items() if k.lower() not in ("etag", "last-modified")}
    doctor(folder, manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return tmp_path / "2026-11-23", folder.parent


def _run_both(tmp_path: Path, day1: Path, day2: Path):
    db, out = tmp_path / "t.db", tmp_path / "out"
    (source,) = [folder.name for folder in day1.iterdir()]  # the one source copied: the days expect it alone
    first = cli("run", "--replay", str(day1), "--source", source, "--out", str(out), "--no-progress", db=db)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    before = {r["id"]: r for r in query(db, "select * from items")}
    second = cli("run", "--replay", str(day2), "--source", source, "--out", str(out), "--no-progress", "--allow-red",
                 db=db)
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    digest = (out / "2026-11-24" / "digest-ncp-2026-11-24.md").read_text("utf-8")
    return db, before, digest


def test_case_pages_in_windows_1252_are_read_right_and_the_source_is_amber(tmp_path):
    def cp1252(folder: Path, manifest: dict) -> None:
        for page in (folder / "cases").glob("*.html"):  # the header and the meta still say UTF-8
            page.write_bytes(page.read_text("utf-8").encode("cp1252"))

    db, _, digest = _run_both(tmp_path, *_two_days(tmp_path, OECD, cp1252))
    titles = {r["id"]: r["title"] for r in query(db, "select id, title from items")}
    assert titles["oecd_ncp_cases:cl0045"] == "Sindicato de Trabajadores Mineros del Loa vs. Compañía Minera Río Azul S.A."
    assert titles["oecd_ncp_cases:br0019"] == "Associação dos Pescadores de Itaquara vs. Brødrene Ærø & Søn ASA"
    assert not query(db, "select id from items where title like ? or body like ? or extra like ?", ("%\ufffd%",) * 3)
    assert not query(db, "select * from events where kind = 'updated' and field = 'title'")
    assert "\ufffd" not in digest
    row = health(db)[OECD]
    assert row["status"] == "amber", row["reason"]
    assert row["reason"].startswith("pages not in their declared encoding (utf-8), read as windows-1252: "
                                    "https://mneguidelines.oecd.org/database/instances/")
    # «Kildenes helse» of the digest says it, naming the pages
    assert ("| advarsel | 6 | tir. 24.11.2026 kl. 06.00 | sider i en annen tegnkoding enn oppgitt (utf-8), lest som "
            "windows-1252: https://mneguidelines.oecd.org/database/instances/") in digest


def test_blocked_eea_note_pages_keep_their_published_date(tmp_path):
    def blocked(folder: Path, manifest: dict) -> None:
        (folder / "challenge.html").write_text("<html><title>Just a moment...</title></html>", "utf-8")
        for entry in manifest["responses"]:
            if "/notatene/" in entry["url"]:  # every note's page: a Cloudflare challenge
                entry.update(status=403, file="challenge.html", headers={"Content-Type": "text/html"})

    db, before, digest = _run_both(tmp_path, *_two_days(tmp_path, EOS, blocked))
    assert "publisert" not in digest.lower()
    assert not query(db, "select * from events where field = 'published'")
    after = {r["id"]: r for r in query(db, "select * from items where source = ?", (EOS,))}
    for item_id, row in after.items():
        if item_id in before:  # what the pages said is kept: date, ministry, text
            assert (row["published"], row["owner"], row["body"]) == (
                before[item_id]["published"], before[item_id]["owner"], before[item_id]["body"])
    row = health(db)[EOS]
    assert row["status"] == "amber" and "detail pages blocked" in row["reason"], row["reason"]


def test_renamed_eea_note_labels_turn_the_source_red_and_keep_the_status(tmp_path):
    def renamed(folder: Path, manifest: dict) -> None:
        for page in (folder / "notes").glob("*.html"):  # schema drift: «Status» is now «Saksstatus»
            page.write_text(page.read_text("utf-8").replace("<h2>Status</h2>", "<h2>Saksstatus</h2>"), "utf-8")

    db, before, digest = _run_both(tmp_path, *_two_days(tmp_path, EOS, renamed))
    assert not query(db, "select * from events where kind = 'updated' and item_id in "
                         "(select id from items where source = ?)", (EOS,))
    for row in query(db, "select * from items where source = ?", (EOS,)):
        if row["id"] in before:
            assert row["body"] == before[row["id"]]["body"] and "Status: " in row["body"]
            assert row["published"] == before[row["id"]]["published"]
    row = health(db)[EOS]
    assert row["status"] == "red", row["reason"]
    assert row["reason"].startswith("EØS-notat pages without the label 'Status' (first: https://www.regjeringen.no/")
    # the digest's banner and «Kildenes helse» say it, naming the label and the page
    assert "**⚠ 1 kilde feiler: EØS-notater (regjeringen.no) (EØS-notatsider uten overskriften «Status» (første: " \
           "https://www.regjeringen.no/no/sub/eos-notatbasen/notatene/" in digest
    assert "| **FEILER** | 8 |" in digest
