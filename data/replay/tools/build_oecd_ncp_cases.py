"""Builds the replay days and test fixtures of `oecd_ncp_cases` (constructed, deterministic).

**Nothing here is a capture.** No response of the OECD database of specific instances
(https://mneguidelines.oecd.org/database/) exists in this project; the page structure
(listing links ``/database/instances/<cc><nnnn>.htm``, a ``<dl>`` of Lead NCP, Supporting
NCPs, Themes, Date, Host countries, Submitter type, Company sector, Status; a "Summary"
heading; PDF links) follows the fields the issue lists and is **invented**. All cases, case
ids, submitters, dates and texts are invented; the companies are the fictional ones of the
Etikkrådet replay ("Brødrene Ærø & Søn ASA", "Compañía Minera Río Azul S.A.", "Kestrel
Offshore Holdings Ltd") plus fictional "Tulpenveld Logistics B.V." and "Rheinwerk Chemie AG".

Run: python data/replay/tools/build_oecd_ncp_cases.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
FIXTURES = ROOT / "tests" / "fixtures" / "oecd_ncp_cases"
SOURCE = "oecd_ncp_cases"
BASE = "https://mneguidelines.oecd.org/database/"


def case(cid, title, lead, supporting, themes, date, hosts, submitter, sector, status, summary, keywords,
         docs=()):
    return dict(cid=cid, title=title, lead=lead, supporting=supporting, themes=themes, date=date, hosts=hosts,
                submitter=submitter, sector=sector, status=status, summary=summary, keywords=keywords,
                docs=list(docs))


DAY1 = [
    case("cl0045", "Sindicato de Trabajadores Mineros del Loa vs. Compañía Minera Río Azul S.A.", "Chile",
         "Norway", "Human rights; Employment and industrial relations; Environment", "14/09/2026", "Chile",
         "Trade union", "Mining and quarrying", "In progress",
         "The union alleges that the company failed to carry out risk-based due diligence on water use and "
         "dismissed workers who organised. The Chilean NCP accepted the case for further consideration and "
         "offered its good offices; the Norwegian NCP supports because a Norwegian investor is named.",
         "due diligence, water, freedom of association",
         [("Initial assessment", "cl0045-initial-assessment.pdf")]),
    case("uk0112", "Coastal Communities Alliance vs. Kestrel Offshore Holdings Ltd", "United Kingdom", "",
         "Environment; Disclosure", "02/02/2026", "Ghana", "NGO", "Oil and gas extraction", "In progress",
         "Communities allege that flaring and spills from offshore installations were not disclosed and that "
         "affected fishers were not consulted.", "stakeholder engagement, disclosure, climate",
         [("Initial assessment", "uk0112-initial-assessment.pdf")]),
    case("br0019", "Associação dos Pescadores de Itaquara vs. Brødrene Ærø & Søn ASA", "Brazil", "Norway",
         "Human rights; Environment", "03/11/2026", "Brazil", "Community / individuals",
         "Aquaculture", "Submitted",
         "Fishers allege that a fish farm operated by a subsidiary of the Norwegian company blocked their "
         "access to fishing grounds without meaningful consultation.",
         "indigenous peoples, consultation, access to remedy"),
    case("nl0050", "FNV vs. Tulpenveld Logistics B.V.", "Netherlands", "", "Employment and industrial relations",
         "20/10/2026", "Netherlands; Poland", "Trade union", "Transport and storage", "Submitted",
         "The union alleges that the company's subcontractors paid drivers below the statutory minimum.",
         "subcontracting, wages"),
    case("de0033", "Umweltforum Rhein vs. Rheinwerk Chemie AG", "Germany", "", "Environment; Consumer interests",
         "11/05/2026", "Germany", "NGO", "Chemicals", "Not accepted",
         "The NGO alleged that the company marketed a solvent as biodegradable. The NCP found the issues not "
         "substantiated and did not accept the case.", "green claims, labelling",
         [("Initial assessment", "de0033-initial-assessment.pdf")]),
]

DAY2_NEW = [
    case("fr0021", "Collectif Justice Climat vs. Rheinwerk Chemie AG", "France", "Germany",
         "Environment; Taxation", "23/11/2026", "France", "NGO", "Chemicals", "Submitted",
         "The NGO alleges that the company did not report its emissions and shifted profits to avoid "
         "taxation in France.", "climate, tax"),
]


def day2_cases() -> list[dict]:
    """Day 2: uk0112 concludes with a final statement; nl0050 is accepted; fr0021 is new."""
    out = []
    for c in DAY1:
        c = dict(c, docs=list(c["docs"]))
        if c["cid"] == "uk0112":
            c["status"] = "Concluded"
            c["docs"].append(("Final statement", "uk0112-final-statement.pdf"))
        if c["cid"] == "nl0050":
            c["status"] = "In progress"
            c["docs"].append(("Initial assessment", "nl0050-initial-assessment.pdf"))
        out.append(c)
    return DAY2_NEW + out


def listing(cases: list[dict]) -> str:
    rows = "\n".join(
        f'  <tr><td><a href="/database/instances/{c["cid"]}.htm">{html.escape(c["title"])}</a></td>'
        f'<td>{html.escape(c["lead"])}</td><td>{c["date"]}</td><td>{html.escape(c["status"])}</td></tr>'
        for c in cases)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Database of specific instances - OECD Guidelines</title></head>
<body><nav><a href="/">MNE Guidelines</a> <a href="/database/instances/">Cases</a></nav>
<main><h1>Database of specific instances</h1>
<table class="instances"><thead><tr><th>Case</th><th>Lead NCP</th><th>Date</th><th>Status</th></tr></thead>
<tbody>
{rows}
</tbody></table></main></body></html>
"""


def page(c: dict) -> str:
    def dd(label: str, value: str) -> str:
        return f"  <dt>{label}</dt><dd>{html.escape(value)}</dd>"

    docs = "\n".join(f'  <li><a href="/database/instances/{f}">{t}</a></li>' for t, f in c["docs"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(c["title"])}</title></head>
<body><nav><a href="/database/">Database</a></nav>
<main><h1>{html.escape(c["title"])}</h1>
<dl class="instance">
{dd("Lead NCP", c["lead"])}
{dd("Supporting NCPs", c["supporting"])}
{dd("Themes", c["themes"])}
{dd("Date", c["date"])}
{dd("Host countries", c["hosts"])}
{dd("Submitter type", c["submitter"])}
{dd("Company sector", c["sector"])}
{dd("Status", c["status"])}
</dl>
<h2>Summary</h2>
<p>{html.escape(c["summary"])}</p>
<p><strong>Keywords:</strong> {html.escape(c["keywords"])}</p>
<h2>Documents</h2>
<ul>
{docs}
</ul></main></body></html>
"""


def etag(body: str) -> str:
    return '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'


def write_day(day: str, cases: list[dict]) -> None:
    folder = REPLAY / day / SOURCE
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "cases").mkdir(parents=True)
    responses = []
    body = listing(cases)
    (folder / "listing.html").write_text(body, "utf-8")
    responses.append({"url": BASE, "status": 200,
                      "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": etag(body)},
                      "file": "listing.html"})
    for c in cases:
        body = page(c)
        (folder / "cases" / f"{c['cid']}.html").write_text(body, "utf-8")
        responses.append({"url": f"{BASE}instances/{c['cid']}.htm", "status": 200,
                          "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": etag(body)},
                          "file": f"cases/{c['cid']}.html"})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_oecd_ncp_cases.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (folder / "README.md").write_text(
        "# oecd_ncp_cases — constructed\n\nThese pages are **constructed**, not recorded: no capture of the OECD "
        "database of specific instances exists in this project. Layout, case ids and every case are invented "
        "(see data/replay/tools/build_oecd_ncp_cases.py and data/replay/README.md).\n", "utf-8")


def write_fixtures() -> None:
    shutil.rmtree(FIXTURES, ignore_errors=True)
    FIXTURES.mkdir(parents=True)
    (FIXTURES / "listing.html").write_text(listing(DAY1), "utf-8")
    for c in day2_cases():
        (FIXTURES / f"{c['cid']}.html").write_text(page(c), "utf-8")
    (FIXTURES / "cl0045_day1.html").write_text(page(DAY1[0]), "utf-8")
    # a layout variant: th/td table, "<strong>Label:</strong>" lines, no dl, one unknown label
    c = DAY1[3]
    (FIXTURES / "variant_table.html").write_text(f"""<!DOCTYPE html><html><body><main>
<h1>{html.escape(c["title"])}</h1>
<table><tr><th>Lead NCP:</th><td>{c["lead"]}</td></tr><tr><th>Theme</th><td>{c["themes"]}</td></tr>
<tr><th>Case reference</th><td>NL-2026-17</td></tr></table>
<p><strong>Status:</strong> {c["status"]}</p><p><strong>Date:</strong> 20 October 2026</p>
<p><strong>Company:</strong> Tulpenveld Logistics B.V.</p>
<h3>Summary of the case</h3><p>{html.escape(c["summary"])}</p>
</main></body></html>
""", "utf-8")
    (FIXTURES / "no_labels.html").write_text(
        "<html><body><main><h1>Some case</h1><p>Page moved.</p></main></body></html>\n", "utf-8")
    (FIXTURES / "empty_listing.html").write_text(
        "<html><body><main><h1>Database</h1><p>No results.</p></main></body></html>\n", "utf-8")
    (FIXTURES / "README.md").write_text(
        "Constructed by data/replay/tools/build_oecd_ncp_cases.py (no real capture of the OECD database "
        "exists here; the layout is invented).\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", DAY1)
    write_day("2026-11-24", day2_cases())
    write_fixtures()


if __name__ == "__main__":
    main()
