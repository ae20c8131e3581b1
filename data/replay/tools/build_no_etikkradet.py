"""Builds the replay days of `no_etikkradet` (constructed, deterministic).

Constructed from docs/sources.md §6: the Council on Ethics' site looks like
WordPress, so the feed is a standard WordPress RSS 2.0 feed (guid
``https://etikkradet.no/?p=<id>``, categories, ``content:encoded``); the feed URL
itself is unverified. Post slugs follow the documented pattern
(``/<company-slug>/``; ``/kosmos-energy-ltd-og-cairn-energy-plc-opphevelse-av-utelukkelse/``
is a real slug).

Real events: the Caterpillar recommendation and divestment (Aug 2025), the pause
of the Council (Storting vote 4 Nov 2025) and the interim guidelines (7 Nov 2025).
Invented: all post ids, publication times, body text, the 2026 posts, and the
companies "Brødrene Ærø & Søn ASA", "Compañía Minera Río Azul S.A." and "Kestrel
Offshore Holdings Ltd" (fictional — no real company is named in a constructed
allegation). The Kosmos/Cairn post date is invented.

Run: python data/replay/tools/build_no_etikkradet.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_etikkradet"
FEED_URL = "https://etikkradet.no/feed/"

FLAG_BODY_1 = ("Etter de midlertidige etiske retningslinjene av 7. november 2025 har Etikkrådet identifisert "
               "Brødrene Ærø & Søn ASA (org.nr. 987 654 321), Compañía Minera Río Azul S.A. og Kestrel Offshore "
               "Holdings Ltd som aktuelle for Norges Banks eierskapsutøvelse. Vurderingen gjelder risiko for "
               "alvorlig miljøskade og brudd på grunnleggende arbeidstakerrettigheter i leverandørkjeden.")
FLAG_BODY_2 = FLAG_BODY_1 + " Compañía Minera Río Azul S.A. er notert med ISIN CL0000000019."

# post id, slug, title, pubDate, category, description, content
POSTS = [
    ("9290", "selskaper-identifisert-for-norges-banks-eierskapsutovelse-september-2026",
     "Selskaper identifisert for Norges Banks eierskapsutøvelse", "Tue, 15 Sep 2026 08:00:00 +0000",
     "Tilrådninger", "Etikkrådet har identifisert tre selskaper for Norges Banks eierskapsutøvelse.", FLAG_BODY_1),
    ("9320", "etikkradets-horingsuttalelse-om-endringer-i-forvaltningsmandatet",
     "Etikkrådets høringsuttalelse om endringer i forvaltningsmandatet", "Wed, 30 Sep 2026 10:00:00 +0000",
     "Nyheter", "Etikkrådet har gitt høringsuttalelse til Finansdepartementet om endringer i mandatet for SPU.",
     "Etikkrådet støtter at Norges Banks prinsipper for ansvarlig forvaltning skal bygge på OECDs retningslinjer."),
    ("9150", "arsmelding-2025", "Årsmelding 2025", "Mon, 02 Mar 2026 09:00:00 +0000", "Nyheter",
     "Etikkrådets årsmelding for 2025: et år med en tilrådning om utelukkelse og et pålagt opphold i arbeidet.",
     "Årsmeldingen omtaler blant annet tilrådningen om Caterpillar Inc. og de midlertidige etiske retningslinjene."),
    ("9001", "etikkradets-arbeid-er-satt-pa-pause", "Etikkrådets arbeid er satt på pause",
     "Fri, 07 Nov 2025 16:00:00 +0000", "Nyheter",
     "Stortinget har vedtatt å sette Etikkrådets arbeid på pause, og Finansdepartementet har fastsatt midlertidige "
     "etiske retningslinjer.",
     "Under de midlertidige retningslinjene tilrår ikke Etikkrådet utelukkelse eller observasjon, men identifiserer "
     "selskaper for Norges Banks eierskapsutøvelse."),
    ("8870", "caterpillar-inc-2", "Tilrådning om utelukkelse av Caterpillar Inc.", "Mon, 25 Aug 2025 10:00:00 +0000",
     "Tilrådninger", "Etikkrådet tilrår å utelukke Caterpillar Inc. fra Statens pensjonsfond utland.",
     "Tilrådningen gjelder uakseptabel risiko for at selskapet medvirker til alvorlige krenkelser av individers "
     "rettigheter i krig og konflikt."),
    ("4410", "kosmos-energy-ltd-og-cairn-energy-plc-opphevelse-av-utelukkelse",
     "Kosmos Energy Ltd og Cairn Energy Plc – opphevelse av utelukkelse", "Thu, 05 Mar 2020 10:00:00 +0000",
     "Tilrådninger", "Etikkrådet tilrår at utelukkelsen av Kosmos Energy Ltd og Cairn Energy Plc oppheves.", ""),
]
DAY2 = [
    ("9450", "etikkradets-horingsuttalelse-om-nou-2026-14", "Etikkrådets høringsuttalelse om NOU 2026: 14",
     "Mon, 23 Nov 2026 14:00:00 +0000", "Nyheter",
     "Etikkrådet har avgitt høringsuttalelse om utvalgets forslag til nytt etisk rammeverk for SPU.",
     "Etikkrådet mener at muligheten til å tilrå utelukkelse bør gjeninnføres, og at eierskapsutøvelse og "
     "utelukkelse bør ses i sammenheng. Uttalelsen viser til erfaringene med Caterpillar Inc."),
]


def feed(posts: list, built: str) -> str:
    items = []
    for pid, slug, title, pub, cat, desc, content in posts:
        items.append(f"""	<item>
		<title>{html.escape(title)}</title>
		<link>https://etikkradet.no/{slug}/</link>
		<dc:creator><![CDATA[Etikkrådet]]></dc:creator>
		<pubDate>{pub}</pubDate>
		<category><![CDATA[{cat}]]></category>
		<guid isPermaLink="false">https://etikkradet.no/?p={pid}</guid>
		<description><![CDATA[<p>{html.escape(desc)}</p>]]></description>
		<content:encoded><![CDATA[<p>{html.escape(content)}</p>]]></content:encoded>
	</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>Etikkrådet</title>
	<atom:link href="{FEED_URL}" rel="self" type="application/rss+xml" />
	<link>https://etikkradet.no</link>
	<description>Etikkrådet for Statens pensjonsfond utland</description>
	<lastBuildDate>{built}</lastBuildDate>
	<language>nb-NO</language>
	<generator>https://wordpress.org/?v=6.6.2</generator>
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
                "builder": "data/replay/tools/build_no_etikkradet.py",
                "responses": [{"url": FEED_URL, "status": 200,
                               "headers": {"Content-Type": "application/rss+xml; charset=UTF-8", "ETag": etag},
                               "file": "feed.xml"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", feed(POSTS, "Mon, 23 Nov 2026 04:00:00 +0000"))
    # day 2: a new post; the feed repeats every old one; the September post gained a sentence (ISIN)
    day2 = [POSTS[0][:6] + (FLAG_BODY_2,)] + POSTS[1:]
    write_day("2026-11-24", feed(DAY2 + day2, "Mon, 23 Nov 2026 14:00:00 +0000"))


if __name__ == "__main__":
    main()
