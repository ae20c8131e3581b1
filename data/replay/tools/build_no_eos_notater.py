"""Builds the replay days of `no_eos_notater` (constructed, deterministic).

The RSS feed is *constructed* as regjeringen.no RSS 2.0 (the same fields as the
hearing feed: title, link, description, numeric guid, RFC 822 pubDate; docs/sources.md §1)
at the spider's default — unverified — feed URL. The note pages are *constructed*
from the field labels of the one documented EØS-notat page (Appendix A.3:
Sakstrinn, Opprettet, Spesialutvalg, Dato sist behandlet i spesialutvalg,
Hovedansvarlig(e) departement(er), Vedlegg/protokoll i EØS-avtalen, Kapittel i
EØS-avtalen, Status, Sammendrag av innhold).
Real: the URLs and titles of "Aktsomhetsdirektivet" (id2918419) and "Avskogingsfrie
råvarer og produkter" (id2907670), and their ministries (docs/domain.md §2.1, §3).
Invented: the other notes' URLs/ids, all Status and Sammendrag texts, dates.

Day 2 differs from day 1: a new note on the SFDR revision appears, and the
Aktsomhetsdirektivet note is updated (new Status text, new "sist behandlet" date).

Run: python data/replay/tools/build_no_eos_notater.py
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from crawlers.spiders.no_eos_notater import DEFAULT_FEED_URL  # noqa: E402

SOURCE = "no_eos_notater"
DAYS = ("2026-11-23", "2026-11-24")
BASE = "https://www.regjeringen.no/no/sub/eos-notatbasen/notatene/"

# page id, path, title, english, created, committee, ministry, annex, status, summary, pubDate (feed)
NOTES = [
    (2918419, "2022/mars/aktsomhetsdirektivet-", "Aktsomhetsdirektivet",
     "Proposal for a Directive of the European Parliament and of the Council on Corporate Sustainability Due Diligence and amending Directive (EU) 2019/1937 – COM(2022) 71",
     "15.03.2022", "Forbrukerspørsmål", "Barne- og familiedepartementet", "Vedlegg XXII Selskapsrett",
     "Direktiv (EU) 2024/1760 ble vedtatt 13. juni 2024. Endringsdirektivet etter Omnibus I (COM(2025) 81) ble endelig vedtatt i februar 2026. Direktivet vurderes som EØS-relevant.",
     "Direktivet pålegger store selskaper å gjennomføre aktsomhetsvurderinger for negative virkninger på menneskerettigheter og miljø i egen virksomhet, i datterselskaper og i aktivitetskjeden. Regjeringen tar sikte på å gjennomføre direktivet gjennom endringer i åpenhetsloven.",
     "Fri, 20 Nov 2026 14:03:00 GMT"),
    (2907670, "2021/nov/avskogingsfrie-ravarer-og-produkter", "Avskogingsfrie råvarer og produkter",
     "Regulation (EU) 2023/1115 on the making available on the Union market and the export from the Union of certain commodities and products associated with deforestation and forest degradation",
     "25.11.2021", "Miljø", "Klima- og miljødepartementet", "Vedlegg XX Miljø",
     "Forordning (EU) 2023/1115 gjelder fra 30. desember 2026 for store og mellomstore foretak. Landbruks- og matdepartementet hadde forslag til gjennomføring på høring i 2025.",
     "Forordningen forbyr omsetning av storfe, kakao, kaffe, oljepalme, gummi, soya og tre som er produsert på avskoget areal, og krever aktsomhetserklæringer.",
     "Thu, 19 Nov 2026 10:00:00 GMT"),
    (2951730, "2021/mai/barekraftsrapportering-csrd", "Bærekraftsrapportering (CSRD)",
     "Directive (EU) 2022/2464 as regards corporate sustainability reporting",
     "04.05.2021", "Selskapsrett", "Finansdepartementet", "Vedlegg XXII Selskapsrett",
     "Direktiv (EU) 2022/2464 er gjennomført i norsk rett ved Prop. 57 L (2023–2024), etter NOU 2023: 15. Endringene ved direktiv (EU) 2025/794 og Omnibus I (COM(2025) 81) er under vurdering.",
     "Direktivet utvider kravene til bærekraftsrapportering og innfører felles europeiske rapporteringsstandarder (ESRS).",
     "Wed, 18 Nov 2026 09:30:00 GMT"),
    (3055120, "2022/sep/forbud-mot-produkter-laget-med-tvangsarbeid", "Forbud mot produkter laget med tvangsarbeid",
     "Regulation (EU) 2024/3015 on prohibiting products made with forced labour on the Union market – COM(2022) 453",
     "05.10.2022", "Varehandel", "Nærings- og fiskeridepartementet", "",
     "Forordning (EU) 2024/3015 er merket EØS-relevant. Forordningen får anvendelse fra 14. desember 2027.",
     "Forordningen forbyr å bringe i omsetning eller eksportere produkter laget med tvangsarbeid.",
     "Tue, 17 Nov 2026 12:00:00 GMT"),
    (3091305, "2025/mars/omnibus-i-utsettelse-av-rapporterings-og-aktsomhetskrav", "Omnibus I – utsettelse av krav til bærekraftsrapportering og aktsomhetsvurderinger",
     "Directive (EU) 2025/794 amending Directives (EU) 2022/2464 and (EU) 2024/1760 as regards the dates of application – COM(2025) 80",
     "06.03.2025", "Selskapsrett", "Finansdepartementet", "Vedlegg XXII Selskapsrett",
     "Direktiv (EU) 2025/794 trådte i kraft 17. april 2025. Finansdepartementet har uttalt at norske foretak skal få samme utsettelse.",
     "Direktivet utsetter rapporteringsplikten for bølge 2 og 3 under CSRD med to år og anvendelsen av CSDDD med ett år.",
     "Mon, 16 Nov 2026 08:00:00 GMT"),
    (3088412, "2022/april/okodesignforordningen", "Økodesignforordningen",
     "Regulation (EU) 2024/1781 establishing a framework for the setting of ecodesign requirements for sustainable products",
     "20.04.2022", "Miljø", "Klima- og miljødepartementet", "Vedlegg II Tekniske forskrifter",
     "Forordning (EU) 2024/1781 er under vurdering i EØS/EFTA-statene. EØS-notatet ble sist oppdatert 10. mars 2025.",
     "Rammeverk for krav til miljøvennlig utforming av produkter, med digitalt produktpass.",
     "Fri, 13 Nov 2026 11:00:00 GMT"),
    (3099871, "2023/mars/rammeverk-for-forsyning-av-kritiske-ravarer", "Rammeverk for forsyning av kritiske råvarer (CRMA)",
     "Regulation (EU) 2024/1252 establishing a framework for ensuring a secure and sustainable supply of critical raw materials",
     "28.03.2023", "Industri", "Nærings- og fiskeridepartementet", "",
     "Norge anser forordning (EU) 2024/1252 som EØS-relevant og i Norges interesse.",
     "Forordningen fastsetter referanseverdier for utvinning, foredling og resirkulering av strategiske råvarer.",
     "Thu, 12 Nov 2026 15:00:00 GMT"),
]  # fmt: skip
NEW_DAY2 = (3161004, "2025/des/revisjon-av-offentliggjoringsforordningen-sfdr", "Revisjon av offentliggjøringsforordningen (SFDR 2.0)",
            "Proposal for a Regulation amending Regulation (EU) 2019/2088 as regards sustainability-related disclosures in the financial services sector",
            "02.12.2025", "Finansielle tjenester", "Finansdepartementet", "Vedlegg IX Finansielle tjenester",
            "Forslaget ble lagt fram 20. november 2025 og behandles i Rådet og Europaparlamentet. Forordning (EU) 2019/2088 er gjennomført i norsk rett.",
            "Forslaget erstatter artikkel 8- og 9-produktene med tre kategorier: omstilling, ESG-basis og bærekraftig.",
            "Mon, 23 Nov 2026 13:10:00 GMT")  # fmt: skip
AKTSOMHET_DAY2_STATUS = (
    "Direktiv (EU) 2024/1760 ble vedtatt 13. juni 2024. Endringsdirektivet etter Omnibus I (COM(2025) 81) ble endelig vedtatt "
    "i februar 2026. EØS-komiteens behandling forberedes; spesialutvalget behandlet notatet 23. november 2026.")


def url(note: tuple) -> str:
    return f"{BASE}{note[1]}/id{note[0]}/"


def page(note: tuple, last: str) -> str:
    _id, _path, title, english, created, committee, ministry, annex, status, summary, _pub = note
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="no"><head><meta charset="utf-8"><title>{e(title)} - regjeringen.no</title></head>
<body>
<nav><a href="/no/tema/europapolitikk/eos-notater/id669358/">EØS-notater</a></nav>
<main id="mainContent">
 <h1>{e(title)}</h1>
 <p>{e(english)}</p>
 <div class="eos-meta">
  <h2>Sakstrinn</h2>
  <ol><li>Faktanotat</li><li>Foreløpig posisjonsnotat</li><li>Posisjonsnotat</li><li>Gjennomføringsnotat</li></ol>
  <p>Opprettet {created}</p>
  <p>Spesialutvalg: {e(committee)}</p>
  <p>Dato sist behandlet i spesialutvalg: {last}</p>
  <p>Hovedansvarlig(e) departement(er): {e(ministry)}</p>
  <p>Vedlegg/protokoll i EØS-avtalen: {e(annex)}</p>
  <p>Kapittel i EØS-avtalen:</p>
 </div>
 <h2>Status</h2>
 <p>{e(status)}</p>
 <h2>Sammendrag av innhold</h2>
 <p>{e(summary)}</p>
</main>
</body></html>
"""


def feed(notes: list[tuple]) -> str:
    items = "\n".join(
        f"<item><title>{html.escape(n[2])}</title><link>{url(n)}</link>"
        f"<description>{html.escape(n[3])}</description><pubDate>{n[10]}</pubDate>"
        f'<guid isPermaLink="false">{n[0]}</guid></item>' for n in notes)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
            "<title>Regjeringen.no</title><link>https://www.regjeringen.no/</link><description>EØS-notater</description>\n"
            f"{items}\n</channel></rss>\n")


def write_day(day: str, notes: list[tuple], last: dict[int, str]) -> None:
    folder = ROOT / "data" / "replay" / day / SOURCE
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "notes").mkdir(parents=True)
    (folder / "feed.xml").write_text(feed(notes), "utf-8")
    responses = [{"url": DEFAULT_FEED_URL, "method": "GET", "status": 200,
                  "headers": {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": f'"eos-{day}"'},
                  "file": "feed.xml"}]
    for note in notes:
        name = f"notes/id{note[0]}.html"
        (folder / name).write_text(page(note, last.get(note[0], "12.11.2026")), "utf-8")
        responses.append({"url": url(note), "method": "GET", "status": 200,
                          "headers": {"Content-Type": "text/html; charset=utf-8"}, "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_eos_notater.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day(DAYS[0], list(NOTES), {})
    day2 = [NEW_DAY2] + [
        (*n[:8], AKTSOMHET_DAY2_STATUS, *n[9:]) if n[0] == 2918419 else n for n in NOTES
    ]
    write_day(DAYS[1], day2, {2918419: "23.11.2026"})


if __name__ == "__main__":
    main()
