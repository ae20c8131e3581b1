"""Constructed regjeringen.no pages in the structure of the REAL captures (tests/fixtures/real/).

Used by the replay builders (build_no_regjeringen_horinger.py, build_no_finansdep.py) and by the
fault tests' local site. The markup copies the real pages' structure — `div.article-info > p` with
the `|` separators inside the spans, numeric character entities (`H&#xF8;ring`), Status and
Høringsfrist/Høyringsfrist `<strong>` labels in `div.horing-meta`, the letter inline in the factbox
`#horingsbrev` with `div.horing-ref`, notes as PDF links in `#horingsnotater`, the consultee list
inline in `#horingsinstanser` (one `<p>` per organisation), the svar.regjeringen.no button of an
open hearing — and the hearings listing's `li.listItem` rows. The *content* passed in is the
builder's (constructed); only the structure is real.
"""

from __future__ import annotations

import html
from datetime import date, datetime


def ent(text: str) -> str:
    """HTML-escaped, every non-ASCII letter as a numeric entity (as the real pages write them)."""
    return "".join(c if ord(c) < 128 else f"&#x{ord(c):X};" for c in html.escape(text, quote=True))


def factbox(box_id: str, title: str, inner: str) -> str:
    return f"""
        <div class="factbox">
            <h2 class="factbox-title">
                <button type="button" class="factbox-toggler" data-toggle-factbox="#{box_id}" aria-controls="{box_id}" aria-expanded="false">
                    <span class="factbox-title-text">{html.escape(title)}</span>
                </button>
            </h2>
            <div id="{box_id}" class="factbox-content">
{inner}
            </div>
        </div>
"""


def detail_page(*, hearing_id: str, title: str, nynorsk: bool, published: date | datetime, dep_path: str,
                dep_name: str, ingress: str, status: str, deadline: date | datetime, ref: str | None,
                letter: list[str], notes: list[tuple[str, str]], consultees: list[str] | None,
                consultee_pdf: str | None = None, closed: bool = False, doc_type: str | None = None) -> str:
    """A hearing (or, with `doc_type`, another document) page; `notes` are (title, href) PDF links."""
    esc = html.escape
    word = doc_type or ("Høyring" if nynorsk else "Høring")
    lang = "nn" if nynorsk else "nb"
    frist = "Høyringsfrist" if nynorsk else "Høringsfrist"
    meta = ""
    if doc_type is None:
        meta = f"""
                <div class="horing-meta content-row">
    <p><strong>Status:</strong> {ent(status)}</p>
        <p><strong>{frist}:</strong> {deadline:%d.%m.%Y}</p>
                </div>"""
    boxes = ""
    if letter:
        ref_div = f'                <div class="horing-ref">\n                    Vår ref.: {esc(ref)}\n                </div>\n' if ref else ""
        boxes += factbox("horingsbrev", "Høyringsbrev" if nynorsk else "Høringsbrev",
                         ref_div + "\n".join(f"<p>{esc(p)}</p>" for p in letter))
    if notes:
        links = "\n".join(f'<p><a title="{esc(t)}.pdf" href="{esc(h)}">{esc(t)}</a> (pdf)</p>' for t, h in notes)
        boxes += factbox("horingsnotater", "Høyringsnotat" if nynorsk else "Høringsnotat", links)
    if consultees is not None:
        inner = "\n".join(f"<p>{esc(c)}</p>" for c in consultees)
        boxes += factbox("horingsinstanser", "Høyringsinstansar" if nynorsk else "Høringsinstanser", inner)
    elif consultee_pdf:
        boxes += factbox("horingsinstanser", "Høyringsinstansar" if nynorsk else "Høringsinstanser",
                         f'<p><a href="{esc(consultee_pdf)}">Liste over høringsinstanser</a> (pdf)</p>')
    if doc_type is not None:
        action = ""
    elif closed:
        action = """
                <div class="horing-svar content-row">
                    <a href="?showSvar=true&amp;consterm=&amp;page=1&amp;isFilterOpen=true">Se publiserte høringssvar</a>
                </div>"""
    else:
        svar = "nn" if nynorsk else "nb"
        action = f"""
                    <div class="horing-cta content-row">
                        <a href="https://svar.regjeringen.no/{svar}/registrer_horingsuttalelse/H{hearing_id}/" class="btn-cta">
Send inn {'høyringssvar' if nynorsk else 'høringssvar'}                        </a>
                    </div>"""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
    <meta charset="utf-8" />
    <title>{ent(title)} - regjeringen.no</title>
    <meta name="DC.Title" content="{ent(title)}" />
    <meta name="DC.Creator" content="{ent(dep_name)}" />
</head>
<body>
    <main id="mainContent" tabindex="-1">
        <div class="mainContentArea">
    <div class="content-row article">
        <div class="content-col-2 article-content">
            <header class="article-header">
<h1>{ent(title)}</h1>
            </header>

<div class="article-info">
    <p>
            <span class="type">
                {ent(word)}
|            </span>

            <span class="date">Dato: {published:%d.%m.%Y}</span>

    <span class="owner">
        | <a href="{esc(dep_path)}">{ent(dep_name)}</a>
    </span>

    </p>
</div>

            <div class="article-ingress">
                {ent(ingress)}
            </div>

            <div class="article-body">{meta}

                <div class="content-row">
{boxes}
                </div>{action}
            </div>
        </div>

        <aside class="content-col-1 article-sidebar">
    <div class="content-owner-dep" data-nav="content-owner-link">
                    <div>
                        <a href="{esc(dep_path)}">{ent(dep_name)}</a>
                    </div>
    </div>
        </aside>
    </div>
        </div>
    </main>
<footer class="page-footer"><p>Ansvarlig for <a href="{esc(dep_path)}">{esc(dep_name)}s sider</a></p></footer>
</body>
</html>
"""


def listing_row(*, path: str, title: str, published: date | datetime, nynorsk: bool, dep_name: str,
                excerpt: str, deadline: date | datetime, status: str) -> str:
    esc = html.escape
    word = "Høyring" if nynorsk else "Høring"
    frist = "Høyringsfrist" if nynorsk else "Høringsfrist"
    return f"""    <li class="listItem">
    <h2 class="title">
        <a href="{esc(path)}"  data-nav=searchResultItem >
            {esc(title)}
        </a>
    </h2>
    <div class="info">
            <span class="date">{published:%d.%m.%Y}</span>
            <span class="type">{ent(word)}</span>

                <span class="department">{ent(dep_name)}</span>

    </div>
        <p class="excerpts">{esc(excerpt)}</p>

        <p class="event-details">
                <span class="event-details">{frist}: {deadline:%d.%m.%Y}</span>

            <span class="event-details-open">Status: {ent(status)}</span>
        </p>
    </li>
"""


def listing_page(rows: list[str], *, page: int, pages: int, total: int, base: str = "") -> str:
    """One page of `/no/dokument/hoyringar/id1763/` holding the given `listing_row`s."""
    first = (page - 1) * 20 + 1
    nxt = (f'<li class="next">\n                        <a href="?page={page + 1}" aria-label="G&#xE5; til den neste sida"></a>\n'
           "                    </li>") if page < pages else f'<li class="next disabled"><a href="?page={page}"></a></li>'
    head_next = f'<link rel="next" href="{base}/no/dokument/hoyringar/id1763/?page={page + 1}">' if page < pages else ""
    return f"""<!DOCTYPE html>
<html lang="nn">
<head><meta charset="utf-8" /><title>H&#xF8;yringar - regjeringen.no</title>
{head_next}
</head>
<body>
    <main id="mainContent" tabindex="-1">
        <div class="results">
            <div class="statusLine">
        <p class="count">
            Viser {first}-{first + len(rows) - 1} av {total} treff.
        </p>
            </div>
            <ul class="listing" tabindex="-1" id="searchResultsListing" data-nav="searchResultList">
{''.join(rows)}
            </ul>
                    <ul class="pagination" aria-label="Du er p&#xE5; sida {page} av {pages}">
                <li class="current_0">
                    <span>Side {page} av {pages}</span>
                </li>
                    {nxt}
                    </ul>
        </div>
    </main>
</body>
</html>
"""
