"""Turn data.stortinget.no XML bodies into the API's JSON form (``&format=json``).

The Stortinget spiders ask for the JSON form, so the recorded days must answer JSON. This script
rewrites the XML bodies of `data/replay/<day>/no_stortinget_horinger/` (written by
build_no_stortinget_horinger.py, which calls it at its end) into JSON files and points their
manifest entries at the JSON URLs; it also writes the constructed JSON twin of the real 2012
``eksport/saker`` capture (tests/fixtures/no_stortinget_horinger/saker_2011-2012_excerpt.json).
Deterministic; idempotent (entries already JSON are left alone).

    python data/replay/tools/stortinget_xml_to_json.py

The mapping is the one docs/sources.md §2 describes and crawlers/stortinget.py reads (no real
JSON answer has been published, so it is **constructed**): the root element's children become
the top-level object; ``*_liste`` → array; ``i:nil`` → null; ``true``/``false`` → booleans;
digits in ``id``/``*_id`` → numbers; local ISO date-times → ``/Date(<ms>+<offset>)/`` in
Europe/Oslo (``0001-01-01T00:00:00`` → ``/Date(-62135596800000)/``); other text as it is.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

ROOT = Path(__file__).resolve().parents[3]
SPIDER = "no_stortinget_horinger"
OSLO = ZoneInfo("Europe/Oslo")
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
ISO_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
REAL_CAPTURE = ROOT / "tests" / "fixtures" / "real" / SPIDER / "hdo_saker_2011-2012_excerpt_2012-04.xml"
REAL_TWIN = ROOT / "tests" / "fixtures" / SPIDER / "saker_2011-2012_excerpt.json"


def ms_date(text: str) -> str:
    if text.startswith("0001-01-01"):
        return "/Date(-62135596800000)/"
    local = datetime.fromisoformat(text).replace(tzinfo=OSLO)
    offset = local.strftime("%z")
    return f"/Date({int(local.timestamp() * 1000)}{offset})/"


def _leaf(name: str, text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    if (name == "id" or name.endswith("_id")) and re.fullmatch(r"-?\d+", text):
        return int(text)
    if ISO_LOCAL.match(text):
        return ms_date(text)
    return text


def _local(tag: Any) -> str:
    return etree.QName(tag).localname


def to_json_value(element: Any) -> Any:
    if element.get(XSI_NIL) == "true":
        return None
    name = _local(element.tag)
    children = [c for c in element if isinstance(c.tag, str)]
    if name.endswith("_liste"):
        return [to_json_value(c) for c in children]
    if not children:
        return _leaf(name, element.text or "") if (element.text or "").strip() else None
    return {_local(c.tag): to_json_value(c) for c in children}


def convert(body: bytes) -> str:
    """One XML answer as the JSON form's text."""
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    data = {_local(c.tag): to_json_value(c) for c in root if isinstance(c.tag, str)}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def json_url(url: str) -> str:
    return url if "format=json" in url else url + ("&" if "?" in url else "?") + "format=json"


def convert_day(folder: Path) -> int:
    """Rewrite one recorded day's XML bodies of the hearings spider; returns how many."""
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    done = 0
    for entry in manifest["responses"]:
        file = entry.get("file") or ""
        if not file.endswith(".xml"):
            continue
        source = folder / file
        target = source.with_suffix(".json")
        target.write_text(convert(source.read_bytes()), "utf-8")
        source.unlink()
        entry["file"] = target.name
        entry["url"] = json_url(entry["url"])
        entry.setdefault("headers", {})["Content-Type"] = "application/json; charset=utf-8"
        done += 1
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return done


def main() -> None:
    for folder in sorted((ROOT / "data" / "replay").glob(f"*/{SPIDER}")):
        print(folder.relative_to(ROOT), convert_day(folder), "bodies converted")
    if REAL_CAPTURE.exists():
        REAL_TWIN.write_text(convert(REAL_CAPTURE.read_bytes()), "utf-8")
        print("wrote", REAL_TWIN.relative_to(ROOT))
    else:
        sys.exit(f"missing {REAL_CAPTURE}")


if __name__ == "__main__":
    main()
