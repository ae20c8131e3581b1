"""Builds the replay days of `no_finansdep` (constructed, deterministic).

Constructed from the structures in docs/sources.md §0, §1 and §6: regjeringen.no's
RSS generator (RSS 2.0; numeric guid = page id; RFC-822 pubDate; description),
filtered by `owner=216` (the unverified Finansdepartementet id), and detail pages
in the structure of the real regjeringen.no pages (tests/fixtures/real/, via
regjeringen_markup.py): "Type |", "Dato: dd.mm.yyyy", "| Department" spans, numeric
entities, /contentassets/ links; robots.txt is the real one.

Real: the titles/URLs of the interim ethical guidelines (id3138527), Meld. St. 22
(2024–2025) (id3095855) and the 23 Oct 2025 redegjørelse (id3126748). The two
hearings reuse the page ids and titles of the constructed hearings in
build_no_regjeringen_horinger.py (NOU 2026: 14 is invented), and their detail
pages are *not* recorded here: the replay day answers them from that source's
recording (a URL has one answer per day). Everything else
(ids 3149790, 3136330, 3172310, the non-fund items, all body text) is invented.

Run: python data/replay/tools/build_no_finansdep.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from datetime import datetime
from pathlib import Path

from regjeringen_markup import detail_page

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_finansdep"
BASE = "https://www.regjeringen.no"
HEARINGS_FEED = f"{BASE}/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer&owner=216"
DOCS_FEED = f"{BASE}/no/rss/Rss/2581966/?owner=216"

# id, slug, title, pubDate, type, description, page (dict) or None for filtered items
HEARINGS = [
    ("3150248", "horing-nou-2026-14-etisk-rammeverk-for-statens-pensjonsfond-utland",
     "Høring – NOU 2026: 14 Etisk rammeverk for Statens pensjonsfond utland", "Mon, 05 Oct 2026 11:00:00 +0200",
     "Høring", "Finansdepartementet sender utredningen fra utvalget som har gjennomgått det etiske rammeverket for "
     "Statens pensjonsfond utland (Gjedrem-utvalget) på offentlig høring.",
     {"status": "På høring", "frist": "15. januar 2027", "ref": "26/3120", "dato": "05.10.2026",
      "body": ["Utvalget ledet av Svein Gjedrem ble oppnevnt etter Stortingets vedtak 4. november 2025 om å sette "
               "Etikkrådets arbeid på pause. Utvalget har vurdert retningslinjene for observasjon og utelukkelse, "
               "Etikkrådets rolle og Norges Banks eierskapsutøvelse.",
               "Bakgrunnen er blant annet fondets salg av aksjene i Caterpillar Inc. i august 2025 og de midlertidige "
               "etiske retningslinjene fastsatt 7. november 2025.",
               "Departementet ber særlig om innspill på forholdet til OECDs retningslinjer for flernasjonale "
               "selskaper og FNs veiledende prinsipper."],
      "docs": [("NOU 2026: 14 Etisk rammeverk for Statens pensjonsfond utland (PDF)", "nou202614.pdf"),
               ("Høringsbrev", "horingsbrev.pdf"), ("Høringsinstanser", "horingsinstanser.pdf")]}),
    ("3150285", "horing-endringer-i-mandatet-for-forvaltningen-av-statens-pensjonsfond-utland-ansvarlig-for",
     "Høring – endringer i mandatet for forvaltningen av Statens pensjonsfond utland (ansvarlig forvaltning)",
     "Thu, 16 Jul 2026 13:00:00 +0200", "Høring",
     "Forslaget gjelder endringer i forvaltningsmandatet § 4-2 om ansvarlig forvaltningsvirksomhet.",
     {"status": "Under behandling", "frist": "01.10.2026", "ref": "26/1877", "dato": "16.07.2026",
      "body": ["Norges Banks prinsipper for ansvarlig forvaltning skal bygge på FNs veiledende prinsipper og OECDs "
               "retningslinjer for flernasjonale selskaper (mandatet § 4-2 tredje ledd)."],
      "docs": [("Høringsnotat", "horingsnotat-mandat.pdf"), ("Høringsbrev", "horingsbrev-mandat.pdf")]}),
    ("3151002", "horing-endringer-i-skattebetalingsforskriften", "Høring – endringer i skattebetalingsforskriften",
     "Mon, 12 Oct 2026 10:00:00 +0200", "Høring", "Tekniske endringer i skattebetalingsforskriften.", None),
]
DOCUMENTS = [
    ("3149790", "nou-2026-14", "NOU 2026: 14 Etisk rammeverk for Statens pensjonsfond utland",
     "Thu, 01 Oct 2026 12:00:00 +0200", "NOU",
     "Utvalget om det etiske rammeverket for Statens pensjonsfond utland har levert sin utredning til finansministeren.",
     {"dato": "01.10.2026", "body": ["Utvalget foreslår et nytt etisk rammeverk med en tydeligere rolle for "
                                     "Etikkrådet og Norges Banks eierskapsutøvelse."],
      "docs": [("NOU 2026: 14 (PDF)", "nou202614.pdf")]}),
    ("3138527", "midlertidige-etiske-retningslinjer-for-statens-pensjonsfond-utland",
     "Midlertidige etiske retningslinjer for Statens pensjonsfond utland", "Fri, 07 Nov 2025 15:00:00 +0100",
     "Retningslinjer", "Finansdepartementet har fastsatt midlertidige retningslinjer for observasjon og utelukkelse "
     "av selskaper fra Statens pensjonsfond utland.",
     {"dato": "07.11.2025", "body": ["Fastsatt av Finansdepartementet 7. november 2025.",
                                     "Etikkrådet og Norges Bank skal identifisere selskaper som kan være aktuelle for "
                                     "Norges Banks eierskapsutøvelse, i stedet for å tilrå utelukkelse."], "docs": []}),
    ("3136330", "offentlig-utvalg-skal-gjennomga-det-etiske-rammeverket-for-spu",
     "Offentlig utvalg skal gjennomgå det etiske rammeverket for SPU", "Fri, 14 Nov 2025 13:00:00 +0100",
     "Pressemelding", "Regjeringen følger opp Stortingets vedtak: et offentlig utvalg ledet av Svein Gjedrem skal "
     "vurdere det etiske rammeverket og den ansvarlige forvaltningen av fondet.",
     {"dato": "14.11.2025", "body": ["Utvalget skal levere sin rapport innen oktober 2026."], "docs": []}),
    ("3126748", "redegjorelse-i-stortinget-23.-oktober", "Redegjørelse i Stortinget 23. oktober",
     "Thu, 23 Oct 2025 12:00:00 +0200", "Tale/innlegg",
     "Finansminister Jens Stoltenberg redegjorde for Stortinget om Statens pensjonsfond utland og det etiske rammeverket.",
     {"dato": "23.10.2025", "body": ["Finansministeren varslet en ny gjennomgang av det etiske rammeverket for fondet."],
      "docs": []}),
    ("3095855", "meld.-st.-22-20242025", "Meld. St. 22 (2024–2025) - Statens pensjonsfond 2025",
     "Fri, 04 Apr 2025 10:00:00 +0200", "Melding til Stortinget",
     "Meldingen omtaler forvaltningen av Statens pensjonsfond utland og Norge, herunder ansvarlig forvaltning.",
     {"dato": "04.04.2025", "body": ["Meldingen drøfter investeringsstrategien og den ansvarlige forvaltningen av SPU."],
      "docs": [("Meld. St. 22 (2024–2025) (PDF)", "stm202420250022000dddpdfs.pdf")]}),
    ("3151500", "nasjonalbudsjettet-2027", "Nasjonalbudsjettet 2027", "Tue, 06 Oct 2026 08:00:00 +0200",
     "Melding til Stortinget", "Regjeringens økonomiske politikk for 2027.", None),
    ("3151620", "renter-pa-statskasseveksler", "Auksjon av statskasseveksler i november",
     "Wed, 04 Nov 2026 09:00:00 +0100", "Pressemelding", "Norges Bank gjennomfører auksjonen på vegne av staten.", None),
]
DAY2_NEW = [
    ("3172310", "endringer-i-mandatet-for-forvaltningen-av-statens-pensjonsfond-utland-fastsatt",
     "Endringer i mandatet for forvaltningen av Statens pensjonsfond utland er fastsatt", "Mon, 23 Nov 2026 14:00:00 +0100",
     "Pressemelding", "Finansdepartementet har fastsatt endringer i forvaltningsmandatet om ansvarlig forvaltning etter høringen i sommer.",
     {"dato": "23.11.2026", "body": ["Endringene trer i kraft 1. januar 2027. Norges Bank skal rapportere om "
                                     "eierskapsutøvelsen overfor selskaper identifisert under de midlertidige retningslinjene."],
      "docs": [("Mandat for forvaltningen av Statens pensjonsfond utland (PDF)", "mandat-spu.pdf")]}),
]
#: hearing pages that build_no_regjeringen_horinger.py records for the same URL: a replay day
#: answers a URL once, so this builder does not record a second, different copy
SHARED = {"3150248", "3150285"}
#: the REAL robots.txt (tests/fixtures/real/no_regjeringen_horinger/quaat_robots_2026-07-04.txt)
ROBOTS = (ROOT / "tests" / "fixtures" / "real" / "no_regjeringen_horinger" / "quaat_robots_2026-07-04.txt").read_text("utf-8")
CHALLENGE = ('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>'
             '<div id="cf-browser-verification">Enable JavaScript and cookies to continue</div>'
             '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>')


def url_of(doc) -> str:
    return f"{BASE}/no/dokumenter/{doc[1]}/id{doc[0]}/"


def rss(title: str, docs: list, built: str) -> str:
    items = []
    for doc_id, _slug, doc_title, pub, _type, desc, _page in docs:
        items.append(f"""    <item>
      <title>{html.escape(doc_title)}</title>
      <link>{html.escape(url_of((doc_id, _slug)))}?utm_source=rss&amp;utm_medium=rss</link>
      <description>{html.escape(desc)}</description>
      <guid isPermaLink="false">{doc_id}</guid>
      <pubDate>{pub}</pubDate>
    </item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Regjeringen.no - {html.escape(title)}</title>
    <link>{BASE}/no/dep/fin/id216/</link>
    <description>{html.escape(title)}</description>
    <language>nb-NO</language>
    <lastBuildDate>{built}</lastBuildDate>
{chr(10).join(items)}
  </channel>
</rss>
"""


def page(doc) -> str:
    """A document page in the structure of the real regjeringen.no pages (regjeringen_markup.py):
    the metadata spans with the separators inside, numeric entities, the ingress, the body; the
    attachments as /contentassets/ links. Only hearing pages have been captured for real; that
    document pages share their template is an assumption."""
    doc_id, _slug, title, _pub, doc_type, desc, p = doc
    digest = hashlib.sha1(doc_id.encode()).hexdigest()[:12]
    dato = datetime.strptime(p["dato"], "%d.%m.%Y").date()
    out = detail_page(hearing_id=doc_id, title=title, nynorsk=False, published=dato, dep_path="/no/dep/fin/id216/",
                      dep_name="Finansdepartementet", ingress=desc, status="", deadline=dato, ref=None,
                      letter=[], notes=[], consultees=None, doc_type=doc_type)
    body = "\n".join(f"<p>{html.escape(b)}</p>" for b in p["body"])
    body += "\n" + "\n".join(f'<p><a href="/contentassets/{digest}/{f}">{html.escape(t)}</a></p>' for t, f in p["docs"])
    return out.replace('<div class="content-row">\n\n                </div>', f'<div class="content-row">\n{body}\n                </div>')


def write_day(day: str, responses: list[tuple[str, int, str, str, str]]) -> None:
    folder = REPLAY / day / SOURCE
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    entries = []
    for url, status, ctype, name, body in responses:
        (folder / name).write_text(body, "utf-8")
        headers = {"Content-Type": ctype}
        if status == 200:
            headers["ETag"] = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
        entries.append({"url": url, "status": status, "headers": headers, "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_finansdep.py", "responses": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def shared_from_hearings_source(day: str, hearings: list) -> list:
    """Title, description and pubDate of the shared hearings exactly as no_regjeringen_horinger's feed has them.

    Both spiders read the same regjeringen.no page and the store keeps one item per page, so
    the two recordings must agree or every replay would show spurious "updated" events.
    """
    import xml.etree.ElementTree as ET

    feed = REPLAY / day / "no_regjeringen_horinger" / "feed.xml"
    if not feed.exists():
        return hearings
    theirs = {i.findtext("guid"): i for i in ET.parse(feed).getroot().iter("item")}
    out = []
    for h in hearings:
        if h[0] in SHARED and h[0] in theirs:
            item = theirs[h[0]]
            h = (h[0], h[1], item.findtext("title"), item.findtext("pubDate"), h[4], item.findtext("description"), h[6])
        out.append(h)
    return out


def build(day: str, documents: list, blocked: set[str]) -> None:
    built = {"2026-11-23": "Mon, 23 Nov 2026 05:00:00 +0100", "2026-11-24": "Tue, 24 Nov 2026 05:00:00 +0100"}[day]
    hearings = shared_from_hearings_source(day, HEARINGS)
    fund_hearings = [h for h in hearings if h[6]]
    responses = [
        (f"{BASE}/robots.txt", 200, "text/plain; charset=utf-8", "robots.txt", ROBOTS),
        (HEARINGS_FEED, 200, "application/rss+xml; charset=utf-8", "hearings.xml",
         rss("Høringer - Finansdepartementet", hearings, built)),
        # the documents feed carries every document type, hearings included
        (DOCS_FEED, 200, "application/rss+xml; charset=utf-8", "documents.xml",
         rss("Dokumenter - Finansdepartementet", documents + fund_hearings, built)),
    ]
    for doc in fund_hearings + [d for d in documents if d[6]]:
        if doc[0] in SHARED:
            continue  # recorded by no_regjeringen_horinger (same URL, same page)
        if doc[0] in blocked:
            responses.append((url_of(doc), 403, "text/html; charset=utf-8", f"id{doc[0]}.html", CHALLENGE))
        else:
            responses.append((url_of(doc), 200, "text/html; charset=utf-8", f"id{doc[0]}.html", page(doc)))
    write_day(day, responses)


def main() -> None:
    build("2026-11-23", DOCUMENTS, blocked=set())
    # day 2: the mandate changes are laid down; Cloudflare blocks one detail page
    build("2026-11-24", DAY2_NEW + DOCUMENTS, blocked={"3126748"})


if __name__ == "__main__":
    main()
