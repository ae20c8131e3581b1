"""Builds the replay days of `eu_haveyoursay` (constructed, deterministic).

The JSON is *constructed* in the structure of the two REAL brpapi answers in
tests/fixtures/real/eu_haveyoursay/ (a full Spring Page listing; details with plain-text
dossierSummary, policyAreas as {id, code, label}, int ids, publications with the real fields
and a planned unpublished stage, publishedDate null). Originally built from the documented shape
(``{"exactMatch", "initiativeResultDtoPage": {"content", "totalElements", "totalPages", "last"}}``,
items with ``id`` as float, ``shortTitle``, ``reference`` (Ares), ``foreseenActType``,
``initiativeStatus``, ``topics[{code,label}]``, ``currentStatuses[…]`` with
``YYYY/MM/DD HH:MM:SS`` dates) and the documented ``groupInitiatives/{id}`` detail
(``dossierSummary``, ``dg``, ``stage``, ``policyAreas``, ``publications[…]``).
Initiative titles, ids and Ares numbers are invented (realistic for late 2026).

Day 2 differs from day 1: one initiative closes (its period ended on 23 Nov, so
it is no longer in the OPEN listing), one new initiative opens, one feedback
period is extended, and one initiative's summary changes (draft act attached).

Run: python data/replay/tools/build_eu_haveyoursay.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from crawlers.spiders.eu_haveyoursay import detail_url, search_url  # noqa: E402

SOURCE = "eu_haveyoursay"
DAYS = ("2026-11-23", "2026-11-24")

TOPICS = {
    "TRADE": "Trade", "EMPL": "Employment and social affairs", "FISMA": "Banking and financial services",
    "JUST": "Justice and fundamental rights", "ENV": "Environment", "GROW": "Single market",
    "CLIMA": "Climate action", "CNECT": "Digital economy and society", "TAXUD": "Taxation",
}  # fmt: skip

# id, title, act type, topics, dg, feedback start, feedback end, status, summary, COM publications
#: invented ids, none of the real captures' (tests/fixtures/real/eu_haveyoursay/: 18805, 18806, 14778):
#: the backfill's recorded history replays those, and a daily replay after it must not turn one
#: real initiative into another (the forced-labour guidelines were 18805, the real NGT plants act)
INITIATIVES = [
    (18804, "Forced labour – guidelines on the application of Regulation (EU) 2024/3015", "COM", ("TRADE", "EMPL"), "TRADE",
     "2026/11/02", "2026/12/14", "OPEN",
     "Guidelines for economic operators and competent authorities on the prohibition of products made with forced labour, including due diligence in line with the OECD Guidelines for Multinational Enterprises (Article 11 of Regulation (EU) 2024/3015).",
     ["COM(2022)453"]),
    (18812, "Sustainability reporting – simplified European Sustainability Reporting Standards (ESRS)", "REG_DEL", ("FISMA",), "FISMA",
     "2026/11/10", "2026/12/08", "OPEN",
     "Draft delegated regulation replacing Delegated Regulation (EU) 2023/2772 with simplified ESRS, following the amendments to Directive (EU) 2022/2464 by the Omnibus I package (COM(2025) 81).",
     ["COM(2025)81"]),
    (18821, "Corporate sustainability due diligence – guidelines on meaningful stakeholder engagement", "COM", ("JUST",), "JUST",
     "2026/10/26", "2026/12/21", "OPEN",
     "Guidelines under Article 19 of Directive (EU) 2024/1760, as amended, on engaging with affected stakeholders, including trade unions and human rights defenders.",
     ["COM(2022)71", "COM(2025)81"]),
    (18830, "Deforestation Regulation – delegated act adjusting the product scope (Annex I)", "REG_DEL", ("ENV",), "ENV",
     "2026/11/16", "2026/12/14", "OPEN",
     "Delegated act amending Annex I to Regulation (EU) 2023/1115 following the simplification review.", []),
    (18834, "Batteries – guidelines on supply chain due diligence for raw materials", "COM", ("GROW", "ENV"), "GROW",
     "2026/11/05", "2026/12/03", "OPEN",
     "Guidelines under Article 48 of Regulation (EU) 2023/1542 on due diligence policies for cobalt, natural graphite, lithium and nickel.", []),
    (18840, "EU Taxonomy – review of the technical screening criteria of the Climate Delegated Act", "REG_DEL", ("FISMA", "CLIMA"), "FISMA",
     "2026/11/12", "2026/12/10", "OPEN",
     "Targeted review of the technical screening criteria under Regulation (EU) 2020/852.", []),
    (18843, "Ecodesign – requirements for textiles and apparel (ESPR delegated act)", "REG_DEL", ("ENV", "GROW"), "ENV",
     "2026/11/18", "2027/01/13", "OPEN",
     "First product-specific ecodesign requirements under Regulation (EU) 2024/1781, including a Digital Product Passport for textiles.", []),
    (18850, "Critical raw materials – criteria for strategic projects outside the Union", "REG_IMPL", ("GROW", "TRADE"), "GROW",
     "2026/11/03", "2026/12/01", "OPEN",
     "Implementing act under Regulation (EU) 2024/1252 specifying how social and environmental sustainability of strategic projects is assessed.", []),
    (18856, "Carbon Border Adjustment Mechanism – extension to downstream products", "PROP_REG", ("TAXUD", "CLIMA"), "TAXUD",
     "2026/10/29", "2026/12/10", "OPEN",
     "Legislative proposal extending Regulation (EU) 2023/956 to selected downstream goods, following Regulation (EU) 2025/2083.", []),
    (18861, "Conflict minerals – review of the Regulation on responsible sourcing of 3TG", "EVL", ("TRADE",), "TRADE",
     "2026/10/19", "2026/11/23", "OPEN",
     "Evaluation of Regulation (EU) 2017/821, including its alignment with horizontal due diligence rules.", []),
    (18866, "Sustainable finance disclosures – technical standards for the revised SFDR", "REG_DEL", ("FISMA",), "FISMA",
     "2026/11/19", "2027/01/28", "OPEN",
     "Call for evidence on Level 2 measures for the product categories proposed in the revision of Regulation (EU) 2019/2088.", []),
    (18871, "Public procurement – revision of the EU procurement directives", "PROP_DIR", ("GROW",), "GROW",
     "2026/11/04", "2027/01/27", "OPEN",
     "Revision of Directives 2014/24/EU and 2014/25/EU, including social and environmental criteria and due diligence in public supply chains.", []),
    (18875, "Consumer protection – Digital Fairness Act", "PROP_REG", ("JUST", "CNECT"), "JUST",
     "2026/10/30", "2026/12/18", "OPEN",
     "Proposal addressing dark patterns, addictive design and unfair personalisation in digital markets.", []),
    (18879, "Circular Economy Act", "PROP_REG", ("ENV", "GROW"), "ENV",
     "2026/11/09", "2027/01/20", "OPEN",
     "Single market for secondary raw materials and extended producer responsibility.", []),
    (18884, "European Business Wallet", "PROP_REG", ("CNECT",), "CNECT",
     "2026/11/13", "2026/12/11", "OPEN", "Digital identity and document exchange for businesses.", []),
    (18888, "Late payments – evaluation of the rules on payment terms in commercial transactions", "EVL", ("GROW",), "GROW",
     "2026/11/02", "2026/12/07", "OPEN", "Evaluation of Directive 2011/7/EU.", []),
    (18892, "Generalised Scheme of Preferences – monitoring of human rights and labour conventions", "REG_DEL", ("TRADE",), "TRADE",
     "2026/11/11", "2026/12/09", "OPEN",
     "Delegated act on the monitoring of effective implementation of the conventions listed in the GSP Regulation.", []),
    (18897, "Chemicals – simplification of REACH registration requirements", "PROP_REG", ("GROW", "ENV"), "GROW",
     "2026/11/06", "2026/12/16", "OPEN", "Targeted revision of Regulation (EC) No 1907/2006.", []),
    (18902, "Water resilience – water efficiency standards for industrial installations", "COM", ("ENV",), "ENV",
     "2026/11/17", "2027/01/05", "OPEN", "Benchmarks for water efficiency in industry.", []),
    (18907, "Company law – a 28th regime for innovative companies", "PROP_REG", ("JUST", "GROW"), "JUST",
     "2026/11/20", "2027/02/12", "OPEN", "An optional EU-wide corporate legal framework for start-ups and scale-ups.", []),
    (18911, "Human rights due diligence – model contract clauses for value chains", "COM", ("JUST",), "JUST",
     "2026/12/01", "2027/01/26", "NOT_STARTED",
     "Voluntary model contract clauses under Article 18 of Directive (EU) 2024/1760 (planned feedback period).", []),
]
#: new on day 2
NEW_DAY2 = (18915, "Greenwashing – guidance on environmental claims under Directive (EU) 2024/825", "COM", ("JUST", "ENV"), "JUST",
            "2026/11/23", "2027/01/04", "OPEN",
            "Guidance for traders and enforcement authorities on the ban on generic environmental claims; the Commission takes stock of the Green Claims proposal COM(2023) 166.",
            ["COM(2023)166"])  # fmt: skip


def search_item(row: tuple) -> dict:
    id_, title, act, topics, _dg, start, end, status, _summary, _coms = row
    return {
        "id": float(id_), "initiativeStatus": "ACTIVE", "reference": f"Ares(2026){7000000 + id_ * 7 % 999983}",
        "foreseenActType": act, "shortTitle": title,
        "currentStatuses": [{"frontEndStage": "OPC_LAUNCHED" if status == "OPEN" else "PLANNING_WORKFLOW",
                             "receivingFeedbackStatus": status, "feedbackStartDate": f"{start} 00:00:00",
                             "feedbackEndDate": f"{end} 23:59:59", "isCurrent": True}],
        "topics": [{"code": t, "label": TOPICS[t]} for t in topics],
        # the real listing carries 24 translations; only the English one is constructed here
        "initiativeTranslations": [{"value": title, "language": "EN", "field": "SHORT_TITLE"}],
    }


def _publication(id_: int, n: int, **fields) -> dict:
    """A publication with the real detail's fields (tests/fixtures/real/eu_haveyoursay/)."""
    base = {"id": id_ * 10 + n, "createdDate": None, "modifiedDate": None, "publishedDate": None,
            "translationEndDate": None, "decideSendDate": None, "adoptionDate": None, "reference": None,
            "referenceNumber": f"PLAN/2026/{id_ % 10000}", "type": None, "stage": None, "title": None,
            "attachments": [], "initiativeStatus": "ACTIVE", "endDate": None, "feedbackPeriod": 0,
            "totalFeedback": 0, "receivingFeedbackStatus": "DISABLED", "groupId": id_, "isCurrent": False,
            "frontEndStage": None, "isComplete": True}  # fmt: skip
    return {**base, **fields}


def detail(row: tuple) -> dict:
    id_, title, act, topics, dg, start, end, _status, summary, coms = row
    ares = search_item(row)["reference"]
    pubs = [_publication(id_, 1, createdDate=f"{start} 09:00:00", modifiedDate=f"{start} 10:00:00",
                         publishedDate=f"{start} 10:00:00", reference=ares, type="CALL_FOR_EVIDENCE",
                         stage="PLANNING_WORKFLOW", title=title, endDate=f"{end} 23:59:59", feedbackPeriod=4,
                         totalFeedback=(id_ * 13) % 180, receivingFeedbackStatus="OPEN", isCurrent=True,
                         frontEndStage="OPC_LAUNCHED")]  # fmt: skip
    for n, com in enumerate(coms, 2):
        # constructed: real publications carry Ares references; the COM numbers let tracker.links
        # connect these initiatives to the Norwegian items that cite the same proposals
        pubs.append(_publication(id_, n, publishedDate="2025/02/26 12:00:00", reference=com, type="PROPOSAL",
                                 stage="ADOPTION_WORKFLOW", frontEndStage="ADOPTION_WORKFLOW"))
    # a planned, unpublished stage (real details list these with publishedDate null)
    pubs.append(_publication(id_, 9, type=f"{act}_DRAFT" if act else "DRAFT_ACT", stage="ISC_WORKFLOW",
                             receivingFeedbackStatus="UPCOMING", frontEndStage="ISC_WORKFLOW"))
    summary_text = summary.replace(". ", ". \n", 1) + "\n"  # plain text with newlines, as the real one
    return {"reference": ares, "unit": f"{dg}.A.1", "dossierSummary": summary_text, "shortTitle": title,
            "publications": pubs, "publishedDate": f"{start} 10:00:00", "orderDate": f"{start} 10:00:00",
            "initiativeStatus": "ACTIVE", "isMajor": True, "isEvaluation": False, "stage": "PLANNING_WORKFLOW",
            "initiativeCategory": [], "foreseenActType": act, "receivingFeedbackStatus": "OPEN",
            "createdDate": f"{start} 09:00:00", "betterRegulationRequirement": [], "initiativeTranslations": [],
            "committee": None, "expertGroup": None, "legalBasis": [],
            "policyAreas": [{"id": 40000 + n, "code": t, "label": TOPICS[t]} for n, t in enumerate(topics)],
            "dg": dg, "modifiedDate": f"{start} 10:00:00", "id": id_, "isGroupedCfe": False,
            "topics": [{"code": t, "label": TOPICS[t]} for t in topics]}  # fmt: skip


def write_day(day: str, rows: list[tuple]) -> None:
    folder = ROOT / "data" / "replay" / day / SOURCE
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "detail").mkdir(parents=True)
    unsorted = {"sorted": False, "unsorted": True, "empty": True}
    # a full Spring Page object, as the real listing (tests/fixtures/real/eu_haveyoursay/)
    page = {"exactMatch": False, "initiativeResultDtoPage": {
        "content": [search_item(r) for r in rows],
        "pageable": {"pageNumber": 0, "pageSize": 100, "sort": unsorted, "offset": 0, "paged": True, "unpaged": False},
        "last": True, "totalPages": 1, "totalElements": len(rows), "sort": unsorted, "numberOfElements": len(rows),
        "size": 100, "number": 0, "first": True, "empty": not rows}}  # fmt: skip
    body = json.dumps(page, ensure_ascii=False, indent=1)
    (folder / "search_page0.json").write_text(body, "utf-8")
    etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
    responses = [{"url": search_url(0), "method": "GET", "status": 200,
                  "headers": {"Content-Type": "application/json", "ETag": etag}, "file": "search_page0.json"}]
    for row in rows:
        name = f"detail/{row[0]}.json"
        (folder / name).write_text(json.dumps(detail(row), ensure_ascii=False, indent=1), "utf-8")
        responses.append({"url": detail_url(str(row[0])), "method": "GET", "status": 200,
                          "headers": {"Content-Type": "application/json"}, "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_eu_haveyoursay.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    day1 = list(INITIATIVES)
    write_day(DAYS[0], day1)
    day2 = []
    for row in INITIATIVES:
        if row[0] == 18861:  # period ended 23 Nov: gone from the OPEN listing
            continue
        if row[0] == 18834:  # feedback period extended by two weeks
            row = (*row[:6], "2026/12/17", *row[7:])
        if row[0] == 18840:  # the draft act is now attached: the summary says so
            row = (*row[:8], row[8] + " The draft delegated act is now published for feedback.", row[9])
        day2.append(row)
    day2.append(NEW_DAY2)
    write_day(DAYS[1], day2)


if __name__ == "__main__":
    main()
