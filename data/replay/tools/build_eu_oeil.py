"""Builds the replay days of `eu_oeil` (constructed, deterministic).

No page of the current OEIL layout (``/oeil/en/procedure-file?reference=…``) has
been published (docs/sources.md §5), so the pages are *constructed*: a title,
a "Basic information" block with a "Status" label, a "Key events" table
(date dd/mm/yyyy, event, reference) and a "Forecasts" table — the elements the
spider's tolerant parser reads. One page per procedure in data/watchlist.toml.
Key-event dates up to 2025 follow docs/domain.md §3 where it gives them; later
events, follow-up documents and every "Follow-up document"/"Corrigendum" row are
invented for the demo.

Day 2 differs from day 1 for six files: the Green Claims proposal is withdrawn
(stage change), and CSDDD, the Forced Labour Regulation, EUDR, CBAM
simplification and the Batteries Regulation each gain a key event.

Run: python data/replay/tools/build_eu_oeil.py
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from crawlers.spiders.eu_oeil import procedure_url  # noqa: E402
from crawlers.watchlist_file import load  # noqa: E402

SOURCE = "eu_oeil"
DAYS = ("2026-11-23", "2026-11-24")
DONE = "Procedure completed"

# reference -> (title, stage on day 1, key events [(dd/mm/yyyy, event, reference)], forecasts)
PROCEDURES: dict[str, tuple[str, str, list[tuple[str, str, str]], list[tuple[str, str]]]] = {
    "2021/0104(COD)": ("Corporate sustainability reporting", DONE, [
        ("21/04/2021", "Legislative proposal published", "COM(2021)0189"),
        ("10/11/2022", "Decision by Parliament, 1st reading", "T9-0380/2022"),
        ("14/12/2022", "Final act signed", ""),
        ("16/12/2022", "Final act published in Official Journal", "Directive (EU) 2022/2464"),
    ], []),
    "2022/0051(COD)": ("Corporate sustainability due diligence", DONE, [
        ("23/02/2022", "Legislative proposal published", "COM(2022)0071"),
        ("01/06/2023", "Decision by Parliament, 1st reading", "T9-0209/2023"),
        ("24/04/2024", "Decision by Parliament, 1st reading", "T9-0329/2024"),
        ("13/06/2024", "Final act signed", ""),
        ("05/07/2024", "Final act published in Official Journal", "Directive (EU) 2024/1760"),
    ], [("26/07/2028", "Deadline for transposition (as amended)")]),
    "2025/0044(COD)": ("Postponement of certain corporate sustainability reporting and due diligence requirements (stop-the-clock)", DONE, [
        ("26/02/2025", "Legislative proposal published", "COM(2025)0080"),
        ("03/04/2025", "Decision by Parliament, 1st reading", "T10-0074/2025"),
        ("14/04/2025", "Final act signed", ""),
        ("16/04/2025", "Final act published in Official Journal", "Directive (EU) 2025/794"),
    ], []),
    "2025/0045(COD)": ("Amendments to corporate sustainability reporting and due diligence requirements (Omnibus I)", DONE, [
        ("26/02/2025", "Legislative proposal published", "COM(2025)0081"),
        ("16/12/2025", "Decision by Parliament, 1st reading", "T10-0512/2025"),
        ("24/02/2026", "Act adopted by Council after Parliament's 1st reading", ""),
        ("26/02/2026", "Final act signed", ""),
        ("05/03/2026", "Final act published in Official Journal", ""),
    ], [("19/03/2027", "Deadline for transposition (CSRD provisions)")]),
    "2021/0366(COD)": ("Deforestation-free products", DONE, [
        ("17/11/2021", "Legislative proposal published", "COM(2021)0706"),
        ("19/04/2023", "Decision by Parliament, 1st reading", "T9-0109/2023"),
        ("09/06/2023", "Final act published in Official Journal", "Regulation (EU) 2023/1115"),
        ("23/12/2025", "Amending act published in Official Journal (second postponement and targeted revision)", ""),
    ], [("30/12/2026", "Application for large operators")]),
    "2022/0269(COD)": ("Prohibiting products made with forced labour on the Union market", DONE, [
        ("14/09/2022", "Legislative proposal published", "COM(2022)0453"),
        ("23/04/2024", "Decision by Parliament, 1st reading", "T9-0309/2024"),
        ("27/11/2024", "Final act signed", ""),
        ("12/12/2024", "Final act published in Official Journal", "Regulation (EU) 2024/3015"),
    ], [("14/12/2027", "Application")]),
    "2020/0353(COD)": ("Batteries and waste batteries", DONE, [
        ("10/12/2020", "Legislative proposal published", "COM(2020)0798"),
        ("14/06/2023", "Decision by Parliament, 1st reading", "T9-0237/2023"),
        ("28/07/2023", "Final act published in Official Journal", "Regulation (EU) 2023/1542"),
    ], [("18/08/2027", "Due diligence obligations apply (postponed)")]),
    "2014/0059(COD)": ("Union system for supply chain due diligence self-certification of responsible importers of tin, tantalum and tungsten, their ores, and gold originating in conflict-affected and high-risk areas", DONE, [
        ("05/03/2014", "Legislative proposal published", "COM(2014)0111"),
        ("16/03/2017", "Decision by Parliament, 1st reading", "T8-0090/2017"),
        ("19/05/2017", "Final act published in Official Journal", "Regulation (EU) 2017/821"),
    ], []),
    "2018/0178(COD)": ("Framework to facilitate sustainable investment (Taxonomy)", DONE, [
        ("24/05/2018", "Legislative proposal published", "COM(2018)0353"),
        ("18/06/2020", "Decision by Parliament, 2nd reading", ""),
        ("22/06/2020", "Final act published in Official Journal", "Regulation (EU) 2020/852"),
    ], []),
    "2018/0179(COD)": ("Disclosures relating to sustainable investments and sustainability risks", DONE, [
        ("24/05/2018", "Legislative proposal published", "COM(2018)0354"),
        ("18/04/2019", "Decision by Parliament, 1st reading", "T8-0443/2019"),
        ("09/12/2019", "Final act published in Official Journal", "Regulation (EU) 2019/2088"),
    ], []),
    "2021/0214(COD)": ("Carbon Border Adjustment Mechanism", DONE, [
        ("14/07/2021", "Legislative proposal published", "COM(2021)0564"),
        ("18/04/2023", "Decision by Parliament, 1st reading", "T9-0100/2023"),
        ("16/05/2023", "Final act published in Official Journal", "Regulation (EU) 2023/956"),
    ], []),
    "2025/0039(COD)": ("Simplifying and strengthening the Carbon Border Adjustment Mechanism", DONE, [
        ("26/02/2025", "Legislative proposal published", "COM(2025)0087"),
        ("10/09/2025", "Decision by Parliament, 1st reading", "T10-0190/2025"),
        ("17/10/2025", "Final act published in Official Journal", "Regulation (EU) 2025/2083"),
    ], []),
    "2023/0085(COD)": ("Substantiation and communication of explicit environmental claims (Green Claims Directive)",
                       "Awaiting Council's 1st reading position", [
        ("22/03/2023", "Legislative proposal published", "COM(2023)0166"),
        ("12/03/2024", "Decision by Parliament, 1st reading", "T9-0131/2024"),
        ("17/06/2024", "Council position for trilogue", ""),
    ], [("15/12/2026", "Indicative plenary sitting date")]),
    "2022/0095(COD)": ("Ecodesign requirements for sustainable products", DONE, [
        ("30/03/2022", "Legislative proposal published", "COM(2022)0142"),
        ("23/04/2024", "Decision by Parliament, 1st reading", "T9-0315/2024"),
        ("28/06/2024", "Final act published in Official Journal", "Regulation (EU) 2024/1781"),
    ], []),
    "2023/0079(COD)": ("Framework for ensuring a secure and sustainable supply of critical raw materials", DONE, [
        ("16/03/2023", "Legislative proposal published", "COM(2023)0160"),
        ("12/12/2023", "Decision by Parliament, 1st reading", "T9-0454/2023"),
        ("03/05/2024", "Final act published in Official Journal", "Regulation (EU) 2024/1252"),
    ], []),
}

#: what changes overnight: reference -> (new stage or None, key events added)
DAY2 = {
    "2023/0085(COD)": ("Procedure lapsed or withdrawn",
                       [("20/11/2026", "Proposal withdrawn by Commission", "OJ C/2026/7011")]),
    "2022/0051(COD)": (None, [("19/11/2026", "Follow-up document: Commission guidelines on general due diligence (Art. 19)", "C(2026)8044")]),
    "2022/0269(COD)": (None, [("20/11/2026", "Follow-up document: implementing act on the forced labour single portal", "C(2026)8102")]),
    "2021/0366(COD)": (None, [("19/11/2026", "Follow-up document: delegated act amending Annex I", "C(2026)7990")]),
    "2025/0039(COD)": (None, [("20/11/2026", "Corrigendum to final act", "Regulation (EU) 2025/2083")]),
    "2020/0353(COD)": (None, [("18/11/2026", "Follow-up document: Commission guidelines on battery due diligence", "C(2026)8019")]),
}


def page(reference: str, title: str, stage: str, events: list, forecasts: list) -> str:
    esc = html.escape
    rows = "\n".join(f"    <tr><td>{d}</td><td>{esc(e)}</td><td>{esc(r)}</td><td></td></tr>" for d, e, r in events)
    frows = "\n".join(f"    <tr><td>{d}</td><td>{esc(e)}</td></tr>" for d, e in forecasts)
    forecast_section = (f'\n <section id="section5">\n  <h2 class="erpl_title-h2">Forecasts</h2>\n  <table>\n{frows}\n  </table>\n </section>'
                        if forecasts else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Procedure File: {esc(reference)} | Legislative Observatory | European Parliament</title></head>
<body>
<header><nav><a href="/oeil/en">Legislative Observatory</a></nav></header>
<main>
 <div class="erpl_title-h1">{esc(reference)}</div>
 <h2 class="erpl_title-h2">{esc(title)}</h2>
 <section id="section1">
  <h2 class="erpl_title-h2">Basic information</h2>
  <div class="erpl_product-content">
   <p>{esc(reference)}</p>
   <p>COD - Ordinary legislative procedure (ex-codecision procedure)</p>
   <div><strong>Status</strong></div>
   <div>{esc(stage)}</div>
  </div>
 </section>
 <section id="section3">
  <h2 class="erpl_title-h2">Key events</h2>
  <table class="table">
   <thead><tr><th>Date</th><th>Event</th><th>Reference</th><th>Summary</th></tr></thead>
   <tbody>
{rows}
   </tbody>
  </table>
 </section>{forecast_section}
</main>
</body></html>
"""


def write_day(day: str, second: bool) -> None:
    folder = ROOT / "data" / "replay" / day / SOURCE
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    watched = [e.procedure for e in load(ROOT / "data" / "watchlist.toml") if e.procedure]
    missing = set(watched) - set(PROCEDURES)
    if missing:
        raise SystemExit(f"no constructed page for {sorted(missing)}")
    responses = []
    for n, ref in enumerate(watched):
        title, stage, events, forecasts = PROCEDURES[ref]
        if second and ref in DAY2:
            new_stage, added = DAY2[ref]
            stage = new_stage or stage
            events = events + added
        name = f"procedure_{n:02d}.html"
        (folder / name).write_text(page(ref, title, stage, events, forecasts), "utf-8")
        responses.append({"url": procedure_url(ref), "method": "GET", "status": 200,
                          "headers": {"Content-Type": "text/html; charset=utf-8"}, "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_eu_oeil.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day(DAYS[0], second=False)
    write_day(DAYS[1], second=True)


if __name__ == "__main__":
    main()
