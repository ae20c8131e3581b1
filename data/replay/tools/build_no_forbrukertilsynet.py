"""Builds the replay days of `no_forbrukertilsynet` (constructed, deterministic).

Constructed from docs/sources.md §7: ``https://www.forbrukertilsynet.no/feed`` is
a standard RSS feed (item/title, link, description); the site is WordPress
(short links ``/?p=<id>``), so items carry a WordPress guid and pubDate.

Real: the article slug ``/oppdatert-veiledning-om-aktsomhetsvurderinger``, the
Lager 157 decision (post ``?p=36142``, NOK 450,000 fine) and the Markedsrådet
decision of 12 Feb 2025 (domain.md §2.3). Invented: all other posts, every post
id except 36142, all dates of publication and all text.

Run: python data/replay/tools/build_no_forbrukertilsynet.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_forbrukertilsynet"
FEED_URL = "https://www.forbrukertilsynet.no/feed"
SITE = "https://www.forbrukertilsynet.no"

# post id, slug, title, pubDate, categories, description
POSTS = [
    ("41220", "oppdatert-veiledning-om-aktsomhetsvurderinger", "Oppdatert veiledning om aktsomhetsvurderinger",
     "Thu, 19 Nov 2026 09:00:00 +0000", ["Åpenhetsloven"],
     "Forbrukertilsynet har oppdatert veiledningen om hvordan virksomheter skal gjennomføre aktsomhetsvurderinger "
     "etter åpenhetsloven § 4, i tråd med OECDs retningslinjer for flernasjonale selskaper."),
    ("41201", "villedende-miljopastander-i-markedsforing-av-klaer", "Villedende miljøpåstander i markedsføring av klær",
     "Tue, 17 Nov 2026 11:00:00 +0000", ["Markedsføring"],
     "Tilsynet har kontrollert bærekraftspåstander fra 20 klesbutikker på nett."),
    ("41150", "tilsyn-med-redegjorelser-etter-apenhetsloven-2026", "Tilsyn med redegjørelser etter åpenhetsloven for 2026",
     "Tue, 29 Sep 2026 08:00:00 +0000", ["Åpenhetsloven"],
     "Forbrukertilsynet har gjennomgått redegjørelsene til 40 virksomheter og sendt varsel om vedtak til seks av dem."),
    ("41098", "nye-regler-om-kredittkjop-pa-nett", "Nye regler om kredittkjøp på nett",
     "Mon, 14 Sep 2026 10:00:00 +0000", ["Finansielle tjenester"],
     "Fra 1. oktober gjelder nye regler for markedsføring av kreditt i nettbutikker."),
    ("40980", "husk-fristen-30-juni-redegjorelsen-etter-apenhetsloven", "Husk fristen 30. juni: redegjørelsen etter åpenhetsloven",
     "Mon, 15 Jun 2026 08:00:00 +0000", ["Åpenhetsloven"],
     "Større virksomheter skal publisere redegjørelsen for aktsomhetsvurderinger innen 30. juni hvert år."),
    ("40870", "skjult-reklame-i-sosiale-medier", "Forbrukertilsynet advarer mot skjult reklame i sosiale medier",
     "Wed, 20 May 2026 09:00:00 +0000", ["Markedsføring"],
     "Influensere må merke reklame tydelig."),
    ("38310", "markedsradet-opphevet-vedtak-etter-apenhetsloven", "Markedsrådet opphevet vedtak etter åpenhetsloven",
     "Wed, 12 Feb 2025 13:00:00 +0000", ["Åpenhetsloven"],
     "Markedsrådet mente at vilkåret om gjentatte overtredelser ikke var oppfylt. Forbrukertilsynet trekker seks "
     "forhåndsvarsler om overtredelsesgebyr."),
    ("36142", "vedtak-mot-lager-157", "Overtredelsesgebyr til Lager 157 AS etter åpenhetsloven",
     "Wed, 01 Mar 2023 10:00:00 +0000", ["Åpenhetsloven"],
     "Lager 157 AS har gjentatte ganger unnlatt å besvare informasjonskrav innen fristen (§ 7 jf. § 6). "
     "Forbrukertilsynet ilegger et overtredelsesgebyr på 450 000 kroner."),
]
DAY2 = [
    ("41260", "samarbeid-med-kontaktpunktet-om-veiledning", "Samarbeid med Kontaktpunktet om veiledning om åpenhetsloven",
     "Mon, 23 Nov 2026 12:00:00 +0000", ["Åpenhetsloven"],
     "Forbrukertilsynet og Norges kontaktpunkt for ansvarlig næringsliv skal samarbeide om veiledning om "
     "aktsomhetsvurderinger etter OECDs retningslinjer."),
]


def feed(posts: list, built: str) -> str:
    items = []
    for pid, slug, title, pub, cats, desc in posts:
        cat = "".join(f"<category><![CDATA[{c}]]></category>" for c in cats)
        items.append(f"""	<item>
		<title>{html.escape(title)}</title>
		<link>{SITE}/{slug}</link>
		<pubDate>{pub}</pubDate>
		{cat}
		<guid isPermaLink="false">{SITE}/?p={pid}</guid>
		<description><![CDATA[{html.escape(desc)}]]></description>
	</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
	<title>Forbrukertilsynet</title>
	<link>{SITE}</link>
	<description>Forbrukertilsynet</description>
	<lastBuildDate>{built}</lastBuildDate>
	<language>nb-NO</language>
{chr(10).join(items)}
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
                "builder": "data/replay/tools/build_no_forbrukertilsynet.py",
                "responses": [{"url": FEED_URL, "status": 200,
                               "headers": {"Content-Type": "application/rss+xml; charset=UTF-8", "ETag": etag},
                               "file": "feed.xml"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", feed(POSTS, "Thu, 19 Nov 2026 09:00:00 +0000"))
    write_day("2026-11-24", feed(DAY2 + POSTS, "Mon, 23 Nov 2026 12:00:00 +0000"))


if __name__ == "__main__":
    main()
