"""Builds the replay days of `eu_cellar` (constructed, deterministic).

SPARQL answers are *constructed* in the documented SPARQL 1.1 JSON results format
(``head.vars``, ``results.bindings`` with typed literals; docs/sources.md §4), one
per watched CELEX number in data/watchlist.toml, answering the spider's own query
URL (GET). The OJ L RSS (``rssId=222``) is constructed as RSS 2.0 with
``title/link/description/pubDate/guid`` items. Titles of the watched acts follow
their Official Journal titles; amending acts, consolidated versions, corrigenda
and the 2026 delegated/implementing acts are invented for the demo (numbers in
the 2026/2xxx range).

Day 2 differs from day 1: a new consolidated version of CSRD, a new Taxonomy
delegated act, a new OJ entry applying the Critical Raw Materials Act — and the
SPARQL query for ESPR answers HTTP 500 (the spider notes it, amber, and keeps going).

Run: python data/replay/tools/build_eu_cellar.py
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from crawlers.spiders.eu_cellar import OJ_RSS, sparql_url  # noqa: E402
from crawlers.watchlist_file import load  # noqa: E402

SOURCE = "eu_cellar"
DAYS = ("2026-11-23", "2026-11-24")
STOP = ("32025L0794", "2025-04-14", "Directive (EU) 2025/794 of the European Parliament and of the Council of 14 April 2025 amending Directives (EU) 2022/2464 and (EU) 2024/1760 as regards the dates from which Member States are to apply certain corporate sustainability reporting and due diligence requirements")
OMNIBUS = ("32026L0470", "2026-02-26", "Directive (EU) 2026/470 of the European Parliament and of the Council of 26 February 2026 amending Directives 2006/43/EC, 2013/34/EU, (EU) 2022/2464 and (EU) 2024/1760 as regards certain corporate sustainability reporting and due diligence requirements")

# watched CELEX -> (title, date, [(relation, celex, date, title)])
ACTS: dict[str, tuple[str, str, list[tuple[str, str, str, str | None]]]] = {
    "32022L2464": ("Directive (EU) 2022/2464 of the European Parliament and of the Council of 14 December 2022 amending Regulation (EU) No 537/2014, Directive 2004/109/EC, Directive 2006/43/EC and Directive 2013/34/EU, as regards corporate sustainability reporting", "2022-12-14", [
        ("amends", *STOP), ("amends", *OMNIBUS),
        ("consolidated", "02022L2464-20250417", "2025-04-17", None),
        ("consolidated", "02022L2464-20260305", "2026-03-05", None)]),
    "32023R2772": ("Commission Delegated Regulation (EU) 2023/2772 of 31 July 2023 supplementing Directive 2013/34/EU of the European Parliament and of the Council as regards sustainability reporting standards", "2023-07-31", [
        ("corrigendum", "32023R2772R(01)", "2024-01-26", "Corrigendum to Commission Delegated Regulation (EU) 2023/2772")]),
    "32024L1760": ("Directive (EU) 2024/1760 of the European Parliament and of the Council of 13 June 2024 on corporate sustainability due diligence and amending Directive (EU) 2019/1937 and Regulation (EU) 2023/2859", "2024-06-13", [
        ("amends", *STOP), ("amends", *OMNIBUS),
        ("consolidated", "02024L1760-20250417", "2025-04-17", None),
        ("consolidated", "02024L1760-20260305", "2026-03-05", None)]),
    "32025L0794": (STOP[2], STOP[1], []),
    "52025PC0081": ("Proposal for a Directive of the European Parliament and of the Council amending Directives 2006/43/EC, 2013/34/EU, (EU) 2022/2464 and (EU) 2024/1760 as regards certain corporate sustainability reporting and due diligence requirements (COM(2025) 81 final)", "2025-02-26", [
        ("based_on", *OMNIBUS)]),
    "32023R1115": ("Regulation (EU) 2023/1115 of the European Parliament and of the Council of 31 May 2023 on the making available on the Union market and the export from the Union of certain commodities and products associated with deforestation and forest degradation and repealing Regulation (EU) No 995/2010", "2023-05-31", [
        ("amends", "32024R3234", "2024-12-19", "Regulation (EU) 2024/3234 of the European Parliament and of the Council of 19 December 2024 amending Regulation (EU) 2023/1115 as regards provisions relating to the date of application"),
        ("amends", "32025R2650", "2025-12-19", "Regulation (EU) 2025/2650 of the European Parliament and of the Council amending Regulation (EU) 2023/1115 as regards the date of application and simplification"),
        ("consolidated", "02023R1115-20251223", "2025-12-23", None)]),
    "32024R3015": ("Regulation (EU) 2024/3015 of the European Parliament and of the Council of 27 November 2024 on prohibiting products made with forced labour on the Union market and amending Directive (EU) 2019/1937", "2024-11-27", []),
    "32023R1542": ("Regulation (EU) 2023/1542 of the European Parliament and of the Council of 12 July 2023 concerning batteries and waste batteries, amending Directive 2008/98/EC and Regulation (EU) 2019/1020 and repealing Directive 2006/66/EC", "2023-07-12", [
        ("amends", "32025R1561", "2025-07-18", "Regulation (EU) 2025/1561 of the European Parliament and of the Council amending Regulation (EU) 2023/1542 as regards obligations of economic operators concerning battery due diligence policies")]),
    "32017R0821": ("Regulation (EU) 2017/821 of the European Parliament and of the Council of 17 May 2017 laying down supply chain due diligence obligations for Union importers of tin, tantalum and tungsten, their ores, and gold originating from conflict-affected and high-risk areas", "2017-05-17", [
        ("based_on", "32019R0429", "2019-01-11", "Commission Delegated Regulation (EU) 2019/429 of 11 January 2019 supplementing Regulation (EU) 2017/821 as regards the methodology and criteria for the assessment and recognition of supply chain due diligence schemes")]),
    "32020R0852": ("Regulation (EU) 2020/852 of the European Parliament and of the Council of 18 June 2020 on the establishment of a framework to facilitate sustainable investment, and amending Regulation (EU) 2019/2088", "2020-06-18", [
        ("based_on", "32021R2139", "2021-06-04", "Commission Delegated Regulation (EU) 2021/2139 of 4 June 2021 supplementing Regulation (EU) 2020/852 (Climate Delegated Act)"),
        ("based_on", "32026R0187", "2026-01-08", "Commission Delegated Regulation (EU) 2026/187 amending Delegated Regulations (EU) 2021/2139, (EU) 2021/2178 and (EU) 2023/2486 as regards simplification of reporting")]),
    "32019R2088": ("Regulation (EU) 2019/2088 of the European Parliament and of the Council of 27 November 2019 on sustainability-related disclosures in the financial services sector", "2019-11-27", [
        ("consolidated", "02019R2088-20200712", "2020-07-12", None)]),
    "32023R0956": ("Regulation (EU) 2023/956 of the European Parliament and of the Council of 10 May 2023 establishing a carbon border adjustment mechanism", "2023-05-10", [
        ("amends", "32025R2083", "2025-10-08", "Regulation (EU) 2025/2083 of the European Parliament and of the Council amending Regulation (EU) 2023/956 as regards simplifying and strengthening the carbon border adjustment mechanism")]),
    "32025R2083": ("Regulation (EU) 2025/2083 of the European Parliament and of the Council amending Regulation (EU) 2023/956 as regards simplifying and strengthening the carbon border adjustment mechanism", "2025-10-08", []),
    "52023PC0166": ("Proposal for a Directive of the European Parliament and of the Council on substantiation and communication of explicit environmental claims (Green Claims Directive) (COM(2023) 166 final)", "2023-03-22", []),
    "32024R1781": ("Regulation (EU) 2024/1781 of the European Parliament and of the Council of 13 June 2024 establishing a framework for the setting of ecodesign requirements for sustainable products", "2024-06-13", []),
    "32024R1252": ("Regulation (EU) 2024/1252 of the European Parliament and of the Council of 11 April 2024 establishing a framework for ensuring a secure and sustainable supply of critical raw materials", "2024-04-11", []),
}
DAY2_ADDED = {
    "32022L2464": [("consolidated", "02022L2464-20261120", "2026-11-20", None)],
    "32020R0852": [("based_on", "32026R2201", "2026-11-19", "Commission Delegated Regulation (EU) 2026/2201 of 19 November 2026 amending Delegated Regulation (EU) 2021/2139 as regards the technical screening criteria for certain manufacturing activities")],
}
DAY2_SPARQL_500 = "32024R1781"

RSS_ITEMS = {
    DAYS[0]: [
        ("Commission Delegated Regulation (EU) 2026/2187 of 18 November 2026 supplementing Regulation (EU) 2024/3015 of the European Parliament and of the Council as regards the database of forced labour risk areas", "L_202602187", "Mon, 23 Nov 2026 00:00:00 +0100"),
        ("Commission Implementing Regulation (EU) 2026/2190 of 19 November 2026 entering a name in the register of protected designations of origin and protected geographical indications", "L_202602190", "Mon, 23 Nov 2026 00:00:00 +0100"),
        ("Council Decision (EU) 2026/2192 of 17 November 2026 on the position to be taken on behalf of the European Union within the EEA Joint Committee", "L_202602192", "Mon, 23 Nov 2026 00:00:00 +0100"),
    ],
    DAYS[1]: [
        ("Commission Implementing Regulation (EU) 2026/2215 of 20 November 2026 laying down rules for the application of Regulation (EU) 2024/1252 as regards the assessment of social and environmental sustainability of strategic projects", "L_202602215", "Tue, 24 Nov 2026 00:00:00 +0100"),
        ("Commission Implementing Regulation (EU) 2026/2217 of 20 November 2026 imposing a definitive anti-dumping duty on imports of certain steel fasteners", "L_202602217", "Tue, 24 Nov 2026 00:00:00 +0100"),
    ],
}  # fmt: skip


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> dict:
    out = {"type": "literal", "value": value}
    if datatype:
        out["datatype"] = f"http://www.w3.org/2001/XMLSchema#{datatype}"
    if lang:
        out["xml:lang"] = lang
    return out


def bindings(celex: str, title: str, date: str, related: list) -> dict:
    rows = [("self", celex, date, title), *related]
    out = []
    for relation, work, day, work_title in rows:
        row = {"relation": literal(relation), "celex": literal(work, "string"), "date": literal(day, "date")}
        if work_title:
            row["title"] = literal(work_title, lang="en")
        out.append(row)
    return {"head": {"link": [], "vars": ["relation", "celex", "date", "title"]},
            "results": {"distinct": False, "ordered": True, "bindings": out}}


def rss(day: str) -> str:
    items = "\n".join(
        f"<item><title>{t}</title><link>https://eur-lex.europa.eu/legal-content/EN/AUTO/?uri=OJ:{oj}</link>"
        f"<description>OJ L, {oj[2:6]}/{int(oj[6:])}, {day[8:10]}.{day[5:7]}.{day[:4]}</description>"
        f"<pubDate>{pub}</pubDate><guid>https://eur-lex.europa.eu/legal-content/EN/AUTO/?uri=OJ:{oj}</guid></item>"
        for t, oj, pub in RSS_ITEMS[day])
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            "<title>EUR-Lex - Official Journal L series</title><link>https://eur-lex.europa.eu</link>"
            "<description>Latest acts published in the Official Journal L series</description>\n"
            f"{items}\n</channel></rss>\n")


def write_day(day: str, second: bool) -> None:
    folder = ROOT / "data" / "replay" / day / SOURCE
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sparql").mkdir(parents=True)
    watched = [e.celex for e in load(ROOT / "crawlers" / "watchlist.toml") if e.celex]
    responses = []
    for n, celex in enumerate(watched):
        if celex not in ACTS:
            raise SystemExit(f"no constructed SPARQL answer for {celex}")
        if second and celex == DAY2_SPARQL_500:
            name = f"sparql/{n:02d}_error.txt"
            (folder / name).write_text("Virtuoso S1T00 Error SR171: Transaction timed out\n", "utf-8")
            responses.append({"url": sparql_url(celex), "method": "GET", "status": 500,
                              "headers": {"Content-Type": "text/plain"}, "file": name})
            continue
        title, date, related = ACTS[celex]
        related = related + (DAY2_ADDED.get(celex, []) if second else [])
        name = f"sparql/{n:02d}_{celex.replace('(', '_').replace(')', '')}.json"
        (folder / name).write_text(json.dumps(bindings(celex, title, date, related), ensure_ascii=False, indent=1), "utf-8")
        responses.append({"url": sparql_url(celex), "method": "GET", "status": 200,
                          "headers": {"Content-Type": "application/sparql-results+json"}, "file": name})
    (folder / "oj_rss.xml").write_text(rss(day), "utf-8")
    responses.append({"url": OJ_RSS, "method": "GET", "status": 200,
                      "headers": {"Content-Type": "application/rss+xml; charset=UTF-8",
                                  "ETag": f'"oj-l-{day}"'}, "file": "oj_rss.xml"})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_eu_cellar.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day(DAYS[0], second=False)
    write_day(DAYS[1], second=True)


if __name__ == "__main__":
    main()
