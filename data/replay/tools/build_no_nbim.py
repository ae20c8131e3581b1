"""Builds the replay days of `no_nbim` (constructed, deterministic).

Constructed from docs/sources.md §6: the press release listing
``https://www.nbim.no/en/news-and-insights/the-press/press-releases/`` whose items
are ``a.article-list_item`` (seen in a public scraper). What sits inside each
link (a date span, an h3 title, a teaser) and the release pages are invented
markup. nbim.no has no RSS.

Real event: the divestment from Caterpillar Inc. after the Council's
recommendation (Aug 2025; exact date invented). Invented: every other release, all
URLs' slugs, dates and text, and the fictional companies of the Sept 2026 release
(see build_no_etikkradet.py).

Run: python data/replay/tools/build_no_nbim.py
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_nbim"
LISTING = "https://www.nbim.no/en/news-and-insights/the-press/press-releases/"

# slug (under LISTING), date text, title, teaser, body paragraphs
RELEASES = [
    ("2026/the-fund-returned-in-the-third-quarter-2026/", "21 October 2026",
     "The fund's return in the third quarter of 2026", "The fund returned 3.1 percent in the third quarter.", None),
    ("2026/ownership-follow-up-of-companies-identified-by-the-council-on-ethics/", "18 September 2026",
     "Ownership follow-up of companies identified by the Council on Ethics",
     "Norges Bank will follow up three companies through its ownership work under the interim ethical guidelines.",
     ["Norges Bank's Executive Board has decided to follow up Brødrene Ærø & Søn ASA, Compañía Minera Río Azul S.A. "
      "and Kestrel Offshore Holdings Ltd through its ownership work.",
      "The companies were identified by the Council on Ethics under the interim ethical guidelines of 7 November 2025. "
      "No exclusion decisions are taken during the interim period."]),
    ("2026/responsible-investment-2025/", "4 March 2026", "Responsible investment 2025",
     "Norges Bank Investment Management publishes its report on responsible investment for 2025.",
     ["The report describes our ownership work, our expectations of companies on human rights and climate, "
      "and the divestments made in 2025."]),
    ("2025/norges-bank-follows-up-the-interim-ethical-guidelines/", "12 November 2025",
     "Norges Bank follows up the interim ethical guidelines",
     "The Ministry of Finance has laid down interim ethical guidelines for the fund.",
     ["Under the interim guidelines the Council on Ethics identifies companies for Norges Bank's ownership work "
      "instead of recommending exclusion or observation."]),
    ("2025/decision-on-exclusion-of-caterpillar-inc/", "25 August 2025", "Decision on exclusion of Caterpillar Inc.",
     "Norges Bank has decided to exclude Caterpillar Inc. from the Government Pension Fund Global.",
     ["The decision follows a recommendation from the Council on Ethics on the grounds of an unacceptable risk that "
      "the company contributes to serious violations of the rights of individuals in situations of war or conflict."]),
    ("2025/half-year-results-2025/", "13 August 2025", "Half-year results 2025", "The fund returned 5.7 percent.", None),
]
DAY2 = [
    ("2026/norges-banks-submission-on-nou-2026-14/", "23 November 2026",
     "Norges Bank's submission on the ethical framework for the fund (NOU 2026: 14)",
     "Norges Bank has submitted its consultation response to the Ministry of Finance on the committee's proposal "
     "for a new ethical framework.",
     ["Norges Bank supports clear roles for the Council on Ethics and for the bank's ownership work, and asks that "
      "exclusion and observation decisions remain with the Executive Board."]),
]


def listing(releases: list) -> str:
    links = []
    for slug, date, title, teaser, _body in releases:
        links.append(f"""  <a class="article-list_item" href="/en/news-and-insights/the-press/press-releases/{slug}">
    <span class="article-list_date">{date}</span>
    <h3 class="article-list_title">{html.escape(title)}</h3>
    <p>{html.escape(teaser)}</p>
  </a>""")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Press releases | Norges Bank Investment Management</title></head>
<body><main>
<h1>Press releases</h1>
<div class="article-list">
{chr(10).join(links)}
</div>
</main></body></html>
"""


def page(release) -> str:
    _slug, date, title, teaser, body = release
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><main><article>
  <h1>{html.escape(title)}</h1>
  <span class="date">{date}</span>
  <p class="ingress">{html.escape(teaser)}</p>
  {paras}
</article></main></body></html>
"""


def write_day(day: str, releases: list) -> None:
    folder = REPLAY / day / SOURCE
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    responses = [(LISTING, "listing.html", listing(releases))]
    for i, rel in enumerate(r for r in releases if r[4]):
        responses.append((LISTING + rel[0], f"release-{hashlib.sha1(rel[0].encode()).hexdigest()[:8]}.html", page(rel)))
    entries = []
    for url, name, body in responses:
        (folder / name).write_text(body, "utf-8")
        entries.append({"url": url, "status": 200,
                        "headers": {"Content-Type": "text/html; charset=utf-8",
                                    "ETag": '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'},
                        "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_nbim.py", "responses": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", RELEASES)
    write_day("2026-11-24", DAY2 + RELEASES)


if __name__ == "__main__":
    main()
