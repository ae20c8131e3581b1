"""Builds the replay days of `no_lovdata` (constructed, deterministic).

Constructed from docs/sources.md §7: Lovdata's feed
``http://lovdata.no/feed?data=LT&type=RSS`` ("Siste fra Norsk lovtidend", RSS 2.0
with about 100 items). Item fields beyond title/link/description/pubDate are
unverified; links follow Lovdata's document pattern ``/dokument/LTI/<lov|forskrift>/<date>-<nr>``.

Invented: every item. The åpenhetsloven items (a change to the regulation on
infringement fines, day 1; a delegation of authority to Forbrukertilsynet,
day 2) are fictional — no such change was found as of late 2026. The other items
are realistic Lovtidend titles with invented numbers, there so the filter has
something to drop.

Run: python data/replay/tools/build_no_lovdata.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_lovdata"
FEED_URL = "http://lovdata.no/feed?data=LT&type=RSS"

# path under /dokument/, title, description, pubDate
ITEMS = [
    ("LTI/forskrift/2026-11-20-2114", "Forskrift om endring i forskrift om merverdiavgift", "Finansdepartementet.",
     "Fri, 20 Nov 2026 15:00:00 +0100"),
    ("LTI/forskrift/2026-11-20-2110", "Forskrift om endring i forskrift om fiske etter torsk nord for 62° N i 2026",
     "Nærings- og fiskeridepartementet.", "Fri, 20 Nov 2026 14:00:00 +0100"),
    ("LTI/forskrift/2026-11-19-2101",
     "Forskrift om endring i forskrift om utmåling av overtredelsesgebyr etter åpenhetsloven",
     "Barne- og familiedepartementet. Endring i forskrift 17. juni 2022 nr. 1033 (LOV-2021-06-18-99).",
     "Thu, 19 Nov 2026 14:00:00 +0100"),
    ("LTI/lov/2026-11-13-80", "Lov om endringer i vegtrafikkloven (automatisk trafikkontroll)",
     "Samferdselsdepartementet.", "Fri, 13 Nov 2026 12:00:00 +0100"),
    ("LTI/forskrift/2026-11-12-2050", "Forskrift om endring i forskrift om offentlige anskaffelser",
     "Nærings- og fiskeridepartementet.", "Thu, 12 Nov 2026 12:00:00 +0100"),
    ("LTII/forskrift/2026-11-11-2040", "Forskrift om fredning av Bøkeskogen naturreservat", "Klima- og miljødepartementet.",
     "Wed, 11 Nov 2026 12:00:00 +0100"),
]
DAY2 = [
    ("LTI/delegering/2026-11-23-2130",
     "Delegering av myndighet til Forbrukertilsynet etter lov om virksomheters åpenhet og arbeid med grunnleggende "
     "menneskerettigheter og anstendige arbeidsforhold",
     "Barne- og familiedepartementet.", "Mon, 23 Nov 2026 14:00:00 +0100"),
    ("LTI/forskrift/2026-11-23-2125", "Forskrift om endring i tolltariffen", "Finansdepartementet.",
     "Mon, 23 Nov 2026 13:00:00 +0100"),
]


def feed(items: list) -> str:
    rows = []
    for path, title, desc, pub in items:
        rows.append(f"""<item>
<title>{html.escape(title)}</title>
<link>http://lovdata.no/dokument/{path}</link>
<description>{html.escape(desc)}</description>
<pubDate>{pub}</pubDate>
<guid>http://lovdata.no/dokument/{path}</guid>
</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Siste fra Norsk lovtidend</title>
<link>https://lovdata.no/register/lovtidend</link>
<description>Siste kunngjøringer i Norsk Lovtidend</description>
{chr(10).join(rows)}
</channel>
</rss>
"""


def write_day(day: str, body: str) -> None:
    folder = REPLAY / day / SOURCE
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "feed.xml").write_text(body, "utf-8")
    etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_lovdata.py",
                "responses": [{"url": FEED_URL, "status": 200,
                               "headers": {"Content-Type": "application/rss+xml; charset=UTF-8", "ETag": etag},
                               "file": "feed.xml"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", feed(ITEMS))
    write_day("2026-11-24", feed(DAY2 + ITEMS))


if __name__ == "__main__":
    main()
