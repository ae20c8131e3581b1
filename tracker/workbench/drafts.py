"""Hearing-response drafts (.docx for regjeringen.no, .md for reading and diffing).

One document model (a list of blocks) is built from the item, its tags and the store, then
rendered twice — `render_markdown` and `render_docx` — so both files always say the same.

A draft has: the NCP letterhead, addressee (department or committee), their reference when
known, date, subject "Høringssvar – <title>", a short introduction of the NCP's mandate, one
section per matched OECD chapter / åpenhetsloven / GPFG with the evidence quotes from the
consultation and a clearly marked place for the adviser's text, the NCP's earlier answers on
similar items (full-text similarity over earlier drafts and submitted answers), the deadline
and the submission route. Norwegian by default, English for EU consultations.

Every draft written is kept in the ``drafts`` table (with its text, for later similarity); the
schema is in ``tracker/store/migrations.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawlers.dates import OSLO

NCP_NAME_NB = "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
NCP_NAME_EN = "Norwegian National Contact Point for Responsible Business Conduct"

#: the NCP's mandate (facts: docs/domain.md §6)
MANDATE = {
    "nb": (
        "Norges nasjonale kontaktpunkt for ansvarlig næringsliv (Kontaktpunktet) er et faglig "
        "uavhengig ekspertorgan oppnevnt av norske myndigheter. Kontaktpunktet skal fremme OECDs "
        "retningslinjer for flernasjonale selskaper om ansvarlig næringsliv, gi råd til næringslivet "
        "om aktsomhetsvurderinger og behandle klager (enkeltsaker) om at selskaper ikke har fulgt "
        "retningslinjene. Kontaktpunktet har vært uavhengig siden 1. mars 2011 og behandler siden "
        "2018 også saker under ILOs trepartserklæring om flernasjonale selskaper. Kontaktpunktet har "
        "fire medlemmer, oppnevnt av Utenriksdepartementet og Nærings- og fiskeridepartementet, og "
        "et sekretariat."
    ),
    "en": (
        "The Norwegian National Contact Point for Responsible Business Conduct (the NCP) is an "
        "independent expert body appointed by the Norwegian authorities. It promotes the OECD "
        "Guidelines for Multinational Enterprises on Responsible Business Conduct, advises "
        "business on due diligence and handles complaints (specific instances) alleging that "
        "an enterprise has not observed the Guidelines. The NCP has been independent since "
        "1 March 2011 and since 2018 also handles cases under the ILO MNE Declaration. It has "
        "four members, appointed by the Ministry of Foreign Affairs and the Ministry of Trade, "
        "Industry and Fisheries, and a secretariat."
    ),
}

#: label → (Norwegian heading, English heading)
LABEL_HEADINGS: dict[str, tuple[str, str]] = {
    "apenhetsloven": ("Åpenhetsloven og menneskerettslig aktsomhet",
                      "The Transparency Act (åpenhetsloven) and mandatory due diligence"),
    "oecd-ii": ("OECDs retningslinjer kapittel II – Generelle prinsipper",
                "OECD Guidelines Chapter II – General Policies"),
    "oecd-iii": ("OECDs retningslinjer kapittel III – Offentliggjøring av informasjon",
                 "OECD Guidelines Chapter III – Disclosure"),
    "oecd-iv": ("OECDs retningslinjer kapittel IV – Menneskerettigheter",
                "OECD Guidelines Chapter IV – Human Rights"),
    "oecd-v": ("OECDs retningslinjer kapittel V – Sysselsetting og forholdet mellom partene i arbeidslivet",
               "OECD Guidelines Chapter V – Employment and Industrial Relations"),
    "oecd-vi": ("OECDs retningslinjer kapittel VI – Miljø", "OECD Guidelines Chapter VI – Environment"),
    "oecd-vii": ("OECDs retningslinjer kapittel VII – Bekjempelse av bestikkelser og andre former for korrupsjon",
                 "OECD Guidelines Chapter VII – Combating Bribery and Other Forms of Corruption"),
    "oecd-viii": ("OECDs retningslinjer kapittel VIII – Forbrukerinteresser",
                  "OECD Guidelines Chapter VIII – Consumer Interests"),
    "oecd-ix": ("OECDs retningslinjer kapittel IX – Vitenskap, teknologi og innovasjon",
                "OECD Guidelines Chapter IX – Science, Technology and Innovation"),
    "oecd-x": ("OECDs retningslinjer kapittel X – Konkurranse", "OECD Guidelines Chapter X – Competition"),
    "oecd-xi": ("OECDs retningslinjer kapittel XI – Beskatning", "OECD Guidelines Chapter XI – Taxation"),
    "gpfg": ("Statens pensjonsfond utland – ansvarlig forvaltning",
             "Government Pension Fund Global – responsible management"),
}  # fmt: skip

TEXT = {
    "nb": {
        "to": "Til", "their_ref": "Deres ref.", "our_ref": "Vår ref.", "date": "Dato",
        "subject": "Høringssvar", "intro": "Innledning", "main": "Hovedsynspunkter",
        "quotes": "Fra høringsdokumentene", "no_quotes": "Ingen tekstutdrag ble funnet for dette temaet.",
        "general": "Kontaktpunktets merknader", "earlier": "Kontaktpunktets tidligere høringssvar på lignende saker",
        "no_earlier": "Ingen tidligere svar eller utkast på lignende saker ble funnet.",
        "deadline_route": "Frist og innsending", "deadline": "Høringsfrist", "no_deadline": "ikke oppgitt",
        "route": "Innsending", "closing": "Med vennlig hilsen", "fill": "FYLL INN",
        "fill_main": "Kontaktpunktets hovedsynspunkter (2–4 setninger)",
        "fill_section": "Kontaktpunktets vurdering knyttet til dette temaet",
        "fill_ref": "Kontaktpunktets saksnummer", "fill_name": "navn og tittel",
        "source": "Kilde", "state": "status",
    },
    "en": {
        "to": "To", "their_ref": "Your ref.", "our_ref": "Our ref.", "date": "Date",
        "subject": "Consultation response", "intro": "Introduction", "main": "Main points",
        "quotes": "From the consultation documents", "no_quotes": "No text excerpts were found for this topic.",
        "general": "Comments of the NCP", "earlier": "The NCP's earlier responses on similar matters",
        "no_earlier": "No earlier responses or drafts on similar matters were found.",
        "deadline_route": "Deadline and submission", "deadline": "Deadline", "no_deadline": "not given",
        "route": "How to submit", "closing": "Yours sincerely", "fill": "FILL IN",
        "fill_main": "The NCP's main points (2–4 sentences)",
        "fill_section": "The NCP's assessment on this topic",
        "fill_ref": "the NCP's case number", "fill_name": "name and title",
        "source": "Source", "state": "state",
    },
}  # fmt: skip

FIELD_COLUMNS = {"title": "title", "summary": "summary", "text": "body", "body": "body"}
MAX_QUOTES = 5


class DraftError(ValueError):
    """A draft that cannot be written (unknown item, bad output directory)."""


# ---------------------------------------------------------------------------- output directories


def safe_out_dir(out: str | Path, base: str | Path | None = None, *, create: bool = True) -> Path:
    """Resolve an output directory that must lie inside the working tree (`base`, default cwd).

    A directory that does not exist is created only inside the working tree; a path that
    escapes it (``../../etc``, an absolute path elsewhere, a symlink out) is refused, and nothing
    is written.
    """
    root = Path(base or Path.cwd()).resolve()
    raw = Path(out).expanduser()
    target = (raw if raw.is_absolute() else root / raw).resolve()
    if target != root and root not in target.parents:
        raise DraftError(f"output directory {out!s} resolves to {target}, outside the working tree "
                         f"{root}; refusing to write there")  # fmt: skip
    if target.exists() and not target.is_dir():
        raise DraftError(f"output path {out!s} exists and is not a directory")
    if not target.exists():
        if not create:
            raise DraftError(f"output directory {out!s} does not exist")
        target.mkdir(parents=True)
    return target


# ---------------------------------------------------------------------------- the document model


@dataclass
class Block:
    kind: str  # letterhead, meta, heading, para, quote, placeholder, bullets
    text: str = ""
    level: int = 1
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Draft:
    item_id: str
    language: str
    subject: str
    blocks: list[Block]
    sections: list[str]  # headings of the topic sections


def load_item(db: sqlite_utils.Database, item_id: str) -> dict[str, Any]:
    rows = list(db.query("select * from items where id = ?", [item_id]))
    if not rows:
        raise DraftError(f"unknown item id: {item_id!r} (see `ncp-tracker search` or `items`)")
    item = rows[0]
    for key in ("documents", "extra", "labels"):
        value = item.get(key)
        if isinstance(value, str) and value:
            try:
                item[key] = json.loads(value)
            except ValueError:
                item[key] = None
    return item


def item_tags(db: sqlite_utils.Database, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's labels, strongest first, each with its evidence list (from `items.evidence`)."""
    from tracker.store.queries import label_evidence

    return label_evidence(item)


def language_of(item: dict[str, Any]) -> str:
    return "en" if item.get("kind") == "eu_consultation" or item.get("language") == "en" else "nb"


_HEARING_PREFIX = re.compile(r"^\s*(?:h(?:ø|o|oe)y?ring|consultation)\s*[-–:]\s*", re.I)


def subject_title(title: str) -> str:
    """The hearing's title without a leading "Høring – " (the subject already says Høringssvar)."""
    stripped = _HEARING_PREFIX.sub("", title or "").strip()
    return (stripped[:1].upper() + stripped[1:]) if stripped else (title or "").strip()


def quote_for(item: dict[str, Any], ev: dict[str, Any], width: int = 160) -> str | None:
    """The sentence(s) around one piece of evidence, from the item's own text."""
    column = FIELD_COLUMNS.get(str(ev.get("field") or ""))
    text = item.get(column) if column else None
    start, end = ev.get("start"), ev.get("end")
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int) \
            or not (0 <= start < end <= len(text)):
        snippet = (ev.get("text") or "").strip()
        return snippet or None
    left = max(0, start - width)
    right = min(len(text), end + width)
    # widen to sentence boundaries inside the window
    cut = max(text.rfind(". ", left, start), text.rfind("\n", left, start))
    left = cut + 2 if cut >= 0 else left
    stop = min([i for i in (text.find(". ", end, right), text.find("\n", end, right)) if i >= 0] or [right])
    right = stop + 1 if stop < right else right
    piece = " ".join(text[left:right].split())
    prefix = "…" if left > 0 and cut < 0 else ""
    suffix = "…" if right < len(text) and stop >= right else ""
    return f"{prefix}{piece}{suffix}"


def submission_route(item: dict[str, Any], lang: str) -> str:
    kind, url, owner = item.get("kind"), item.get("url") or "", item.get("owner") or ""
    if kind == "hearing":
        return (f"Via skjemaet «Send inn høringssvar» på høringssiden: {url} (som privatperson eller "
                "på vegne av en organisasjon; svaret publiseres på regjeringen.no). Adressen til selve "
                "skjemaet er ikke bekreftet — bruk knappen på høringssiden.")  # fmt: skip
    if kind == "committee_hearing":
        return (f"Skriftlig innspill til {owner or 'komiteen'} via komiteens høringsside: {url}. "
                "Ønsker Kontaktpunktet å delta muntlig, må det sendes en kort anmodning om å delta "
                "innen anmodningsfristen; komiteen velger selv hvem som inviteres.")  # fmt: skip
    if kind == "eu_consultation":
        return (f"Through the European Commission's “Have your say” page for this initiative: {url} "
                "(log in with an EU Login account; feedback is published).")  # fmt: skip
    if lang == "en":
        return f"No formal consultation: consider a letter to {owner or 'the responsible body'} ({url})."
    return f"Ingen formell høring: vurder et brev til {owner or 'ansvarlig myndighet'} ({url})."


def addressee(item: dict[str, Any], lang: str) -> str:
    owner = (item.get("owner") or "").strip()
    if item.get("kind") == "committee_hearing":
        return f"Stortinget – {owner}" if owner else "Stortinget"
    if item.get("kind") == "eu_consultation":
        return owner or "European Commission"
    return owner or ("the responsible ministry" if lang == "en" else "Departementet")


def _fmt_day(value: str | None, lang: str) -> str | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    if dt.tzinfo is not None:
        dt = dt.astimezone(OSLO)
    return dt.strftime("%d.%m.%Y") if lang == "nb" else dt.strftime("%d %B %Y")


# ---------------------------------------------------------------------------- similar answers


#: words of five letters or more that say nothing about a hearing's topic
_STOP = frozenset({
    "eller", "etter", "under", "endringer", "endring", "forslag", "høring", "høyring",
    "høringsnotat", "departementet", "forskrift", "which", "their", "about",
})


def _similarity_query(text: str, max_terms: int = 20) -> str | None:
    from tracker.workbench.search import words

    seen: list[str] = []
    for w in words(text):
        if len(w) < 5 or w in _STOP or w.isdigit() or w in seen:
            continue
        seen.append(w)
        if len(seen) >= max_terms:
            break
    if not seen:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in seen)


def similar_answers(db: sqlite_utils.Database, item: dict[str, Any], limit: int = 5) -> list[dict[str, Any]]:
    """Earlier drafts and submitted/published answers of the NCP on similar items, best first."""
    query = _similarity_query(" ".join(str(item.get(k) or "") for k in ("title", "summary")))
    if not query:
        return []
    found: dict[str, dict[str, Any]] = {}
    drafts = db.query(
        """select d.item_id, d.title, d.created_at, bm25(drafts_fts) as rank, i.url, i.deadline,
                  t.state
           from drafts_fts join drafts d on d.rowid = drafts_fts.rowid
           left join items i on i.id = d.item_id left join triage t on t.item_id = d.item_id
           where drafts_fts match ? and d.item_id != ? order by rank limit 50""",
        [query, item["id"]],
    )  # fmt: skip
    for row in drafts:
        kind = "submitted" if row["state"] in ("submitted", "published") else "draft"
        found.setdefault(row["item_id"], {
            "item_id": row["item_id"], "title": row["title"], "url": row["url"],
            "date": (row["created_at"] or "")[:10], "kind": kind, "rank": row["rank"],
        })  # fmt: skip
    answered = db.query(
        """select i.id, i.title, i.url, i.deadline, t.state, bm25(items_fts) as rank,
                  (select max(a.date) from answers a where a.item_id = i.id and a.is_ncp = 1) as ncp_date
           from items_fts join items i on i.rowid = items_fts.rowid
           left join triage t on t.item_id = i.id
           where items_fts match ? and i.id != ?
             and (t.state in ('submitted', 'published')
                  or exists (select 1 from answers a where a.item_id = i.id and a.is_ncp = 1))
           order by rank limit 50""",
        [query, item["id"]],
    )  # fmt: skip
    for row in answered:
        entry = {"item_id": row["id"], "title": row["title"], "url": row["url"],
                 "date": (row["ncp_date"] or row["deadline"] or "")[:10],
                 "kind": row["state"] if row["state"] in ("submitted", "published") else "published",
                 "rank": row["rank"]}  # fmt: skip
        if row["id"] not in found or found[row["id"]]["kind"] == "draft":
            found[row["id"]] = entry
    return sorted(found.values(), key=lambda r: (r["rank"], r["item_id"]))[:limit]


# ---------------------------------------------------------------------------- building


def build(db: sqlite_utils.Database, item_id: str, *, as_of: date | None = None) -> Draft:
    """The draft of a response to `item_id` as a document model."""
    item = load_item(db, item_id)
    lang = language_of(item)
    t = TEXT[lang]
    today = as_of or datetime.now(OSLO).date()
    title = subject_title(item.get("title") or "")
    subject = f"Høringssvar – {title}" if lang == "nb" else f"{t['subject']} – {title}"
    fill = lambda what: f"[{t['fill']}: {what}]"  # noqa: E731
    blocks = [
        Block("letterhead", NCP_NAME_NB if lang == "nb" else f"{NCP_NAME_EN}\n{NCP_NAME_NB}"),
        Block("meta", rows=[
            (t["to"], addressee(item, lang)),
            (t["their_ref"], item.get("reference") or "–"),
            (t["our_ref"], fill(t["fill_ref"])),
            (t["date"], today.strftime("%d.%m.%Y") if lang == "nb" else today.strftime("%d %B %Y")),
        ]),
        Block("heading", subject, level=1),
        Block("heading", t["intro"], level=2),
        Block("para", MANDATE[lang]),
        Block("heading", t["main"], level=2),
        Block("placeholder", fill(t["fill_main"])),
    ]  # fmt: skip
    sections = []
    tags = item_tags(db, item)
    for tag in tags:
        heading = LABEL_HEADINGS.get(tag["label"], (tag["label"], tag["label"]))[0 if lang == "nb" else 1]
        sections.append(heading)
        blocks.append(Block("heading", heading, level=2))
        quotes = []
        for ev in tag["evidence"]:
            q = quote_for(item, ev)
            if q and q not in quotes:
                quotes.append(q)
            if len(quotes) >= MAX_QUOTES:
                break
        if quotes:
            blocks.append(Block("para", t["quotes"] + ":"))
            blocks += [Block("quote", q) for q in quotes]
        else:
            blocks.append(Block("para", t["no_quotes"]))
        blocks.append(Block("placeholder", fill(t["fill_section"])))
    if not tags:
        sections.append(t["general"])
        blocks += [Block("heading", t["general"], level=2), Block("placeholder", fill(t["fill_section"]))]
    blocks.append(Block("heading", t["earlier"], level=2))
    similar = similar_answers(db, item)
    if similar:
        blocks.append(Block("bullets", items=[
            f"{s['title']} ({s['kind']}{', ' + s['date'] if s['date'] else ''}) — {s['url'] or s['item_id']}"
            for s in similar
        ]))  # fmt: skip
    else:
        blocks.append(Block("para", t["no_earlier"]))
    blocks += [
        Block("heading", t["deadline_route"], level=2),
        Block("meta", rows=[(t["deadline"], _fmt_day(item.get("deadline"), lang) or t["no_deadline"]),
                            (t["route"], submission_route(item, lang)),
                            (t["source"], item.get("url") or "")]),
        Block("para", t["closing"]),
        Block("para", NCP_NAME_NB if lang == "nb" else NCP_NAME_EN),
        Block("placeholder", fill(t["fill_name"])),
    ]  # fmt: skip
    return Draft(item_id=item["id"], language=lang, subject=subject, blocks=blocks, sections=sections)


def render_markdown(draft: Draft) -> str:
    out: list[str] = []
    for b in draft.blocks:
        if b.kind == "letterhead":
            out += [f"**{line}**" for line in b.text.splitlines()] + [""]
        elif b.kind == "meta":
            out += [f"{k}: {v}  " for k, v in b.rows] + [""]
        elif b.kind == "heading":
            out += ["#" * b.level + " " + b.text, ""]
        elif b.kind == "para":
            out += [b.text, ""]
        elif b.kind == "quote":
            out += [f"> «{b.text}»", ""]
        elif b.kind == "placeholder":
            out += [f"**{b.text}**", ""]
        elif b.kind == "bullets":
            out += [f"- {i}" for i in b.items] + [""]
    return "\n".join(out).rstrip() + "\n"


def render_docx(draft: Draft):
    """A python-docx Document of the draft (headings are real Word headings)."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = draft.subject
    doc.core_properties.language = "nb-NO" if draft.language == "nb" else "en-GB"
    for b in draft.blocks:
        if b.kind == "letterhead":
            for line in b.text.splitlines():
                run = doc.add_paragraph().add_run(line)
                run.bold = True
                run.font.size = Pt(13)
        elif b.kind == "meta":
            for k, v in b.rows:
                p = doc.add_paragraph()
                p.add_run(f"{k}: ").bold = True
                p.add_run(v)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=b.level)
        elif b.kind == "para":
            doc.add_paragraph(b.text)
        elif b.kind == "quote":
            doc.add_paragraph(f"«{b.text}»", style="Quote")
        elif b.kind == "placeholder":
            run = doc.add_paragraph().add_run(b.text)
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif b.kind == "bullets":
            for i in b.items:
                doc.add_paragraph(i, style="List Bullet")
    return doc


def docx_bytes(draft: Draft) -> bytes:
    import io

    buf = io.BytesIO()
    render_docx(draft).save(buf)
    return buf.getvalue()


def file_stem(draft: Draft, as_of: date | None = None) -> str:
    day = (as_of or datetime.now(OSLO).date()).isoformat()
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", draft.item_id).strip("._") + f"-horingssvar-{day}"


def record(db: sqlite_utils.Database, draft: Draft, *, by: str | None = None,
           docx_path: str | None = None, md_path: str | None = None) -> int:
    """Keep a draft (its text feeds the similarity search of later drafts)."""
    from tracker.workbench.triage import current_user

    with db.conn:
        table = db["drafts"]
        table.insert({
            "item_id": draft.item_id, "created_at": datetime.now(OSLO).isoformat(timespec="seconds"),
            "created_by": current_user(by), "language": draft.language, "title": draft.subject,
            "text": render_markdown(draft), "docx_path": docx_path, "md_path": md_path,
        })  # fmt: skip
        return table.last_pk


@dataclass
class Written:
    draft: Draft
    docx: Path
    md: Path


def write(db: sqlite_utils.Database, item_id: str, out_dir: str | Path = "data/drafts", *,
          base: str | Path | None = None, by: str | None = None, as_of: date | None = None) -> Written:
    """Build the draft and write `<out>/<item>-horingssvar-<date>.docx` and `.md`."""
    draft = build(db, item_id, as_of=as_of)  # unknown ids fail before anything is created
    target = safe_out_dir(out_dir, base)
    stem = file_stem(draft, as_of)
    docx_path, md_path = target / f"{stem}.docx", target / f"{stem}.md"
    render_docx(draft).save(str(docx_path))
    md_path.write_text(render_markdown(draft), encoding="utf-8")
    record(db, draft, by=by, docx_path=str(docx_path), md_path=str(md_path))
    return Written(draft, docx_path, md_path)
