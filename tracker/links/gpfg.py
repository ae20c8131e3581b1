"""The GPFG governance view: fund items by actor and by stage, and the digest's GPFG and åpenhetsloven sections.

Actors: Finansdepartementet, Etikkrådet, Norges Bank, Stortinget (anything else
about the fund: "Andre"). Stages, in the order a governance change moves:
proposal (committee reports, NOUs, the Council's recommendations) → hearing
(hearings and hearing responses) → decision (guidelines laid down, Norges
Bank's decisions) → white paper (Meld. St.) → Storting (cases and committee
hearings); "other" for the rest (speeches, reports).

An item is a governance item when it comes from one of the GPFG spiders, when a
spider marked it ``extra.topic = "gpfg"`` (regjeringen.no pages are one item
whichever spider found them), when the tagger labelled it ``gpfg``, when it is
a Finansdepartementet item whose title or summary names the fund, or when it is
a Storting committee hearing about the fund or on one of the fund's cases
(linked by Stortinget case id, else by henvisning and committee).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from tracker.links import might_match
from tracker.store.instants import stored
from tracker.store.queries import HISTORY_EVENT_SQL, as_they_stood, select_in

if TYPE_CHECKING:
    from tracker.attention.horizon import Dated
    from tracker.attention.profiles import Profile

ACTORS = ("Finansdepartementet", "Etikkrådet", "Norges Bank", "Stortinget", "Andre")
STAGES = ("proposal", "hearing", "decision", "white_paper", "storting", "other")
GPFG_SOURCES = ("no_finansdep", "no_etikkradet", "no_nbim", "no_stortinget_spu")
APENHETSLOVEN_SOURCES = ("no_forbrukertilsynet", "no_lovdata")

FUND = re.compile(
    r"statens\s+pensjonsfond|pensjonsfondet|oljefond|\bSPU\b|\bGPFG\b|government\s+pension\s+fund"
    r"|etikkråd|council\s+on\s+ethics|etiske\s+retningslinjer|ethical\s+guidelines|forvaltningsmandat",
    re.I,
)
#: a word every match of FUND holds, case-folded: most texts hold none, and `in` finds that far
#: faster than the case-insensitive regex (most of the GPFG page's time on a large store)
_FUND_WORDS = ("pensjonsfond", "oljefond", "spu", "gpfg", "pension", "etikkråd", "ethics", "etiske", "ethical",
               "forvaltningsmandat")


def names_fund(text: str) -> bool:
    """Does `text` name the fund (FUND)? Tested against FUND alone (tests/test_gpfg.py)."""
    return might_match(text, text.casefold(), _FUND_WORDS) and FUND.search(text) is not None


_WHITE_PAPER = re.compile(r"\bMeld\.\s*St\.|stortingsmelding|white\s+paper", re.I)
_HEARING = re.compile(r"^\s*(?:høring|høyring|hearing)\b|høringsuttalelse|høringssvar|høyringssvar|submission|"
                      r"consultation\s+response|consults", re.I)
_DECISION = re.compile(r"\bfastsatt|\bfastsetter|\bbesluttet|\bvedtatt|\bdecision\b|\bdecided\b|laid\s+down", re.I)
_PROPOSAL = re.compile(r"\bNOU\b|utvalg|committee|tilrådning|recommend|anbefal|forslag|identifisert|identified", re.I)
_HENVISNING = re.compile(r"(?:Meld\.\s*St\.|Prop\.|Innst\.|Dokument)\s*[\d:]+\s*[A-Z]{0,2}\s*\(\d{4}\s*[-–]\s*\d{4}\)")


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value or "{}")
    except (TypeError, ValueError):
        return {}


def actor_of(item: dict[str, Any]) -> str:
    source, kind, owner = item.get("source") or "", item.get("kind") or "", item.get("owner") or ""
    if source == "no_etikkradet" or "etikkråd" in owner.lower():
        return "Etikkrådet"
    if source == "no_nbim" or owner.startswith("Norges Bank"):
        return "Norges Bank"
    if source.startswith("no_stortinget") or kind in ("storting_case", "committee_hearing") or "komite" in owner.lower():
        return "Stortinget"
    if source == "no_finansdep" or "finansdepartementet" in owner.lower() or "ministry of finance" in owner.lower():
        return "Finansdepartementet"
    return "Andre"


def stage_of(item: dict[str, Any]) -> str:
    """Where in the governance cycle an item sits (see the module docstring)."""
    title = item.get("title") or ""
    extra = _json(item.get("extra"))
    if actor_of(item) == "Stortinget":
        return "storting"
    if _WHITE_PAPER.search(title) or extra.get("doc_type") == "Melding til Stortinget":
        return "white_paper"
    if item.get("kind") in ("hearing", "eu_consultation") or _HEARING.search(title):
        return "hearing"
    if extra.get("decision") in ("exclusion", "observation", "revocation", "ownership"):
        return "decision"
    if extra.get("doc_type") == "Retningslinjer" or _DECISION.search(title):
        return "decision"
    if extra.get("action") in ("exclusion", "observation", "revocation", "ownership_flag") or _PROPOSAL.search(title):
        return "proposal"
    return "other"


def _henvisninger(text: str | None) -> set[str]:
    return {re.sub(r"\s+", " ", m.replace("–", "-")).strip() for m in _HENVISNING.findall(text or "")}


#: what the GPFG view reads of an item (not its body: the whole text of every item about the fund
#: was most of the page's time)
_COLUMNS = ("id, source, kind, native_id, title, summary, url, owner, published, deadline, status, reference, "
            "first_seen, last_changed, extra, language")


def _labelled(label: str) -> str:
    """An item labelled `label`, a code of ours (instr() first: json_each runs only on the labels
    that mention it at all)."""
    return (f"(instr(labels, '\"{label}\"') > 0 and exists (select 1 from json_each(case when "
            f"json_valid(labels) then labels else '[]' end) where value = '{label}'))")


_LABELLED = _labelled("gpfg")
#: the items that may be governance items (`_candidates` reads them and keeps the fund's), with
#: GPFG_SOURCES as its parameters
_MAYBE_FUND = (f"""(source in ({",".join("?" for _ in GPFG_SOURCES)}) or kind = 'committee_hearing'
                 or extra like '%"topic": "gpfg"%' or {_LABELLED}
                 or owner like '%Finansdepartementet%')""")


def _candidates(db: sqlite_utils.Database, ids: set[str] | None = None) -> list[dict[str, Any]]:
    """Governance items; only those among `ids` when given (the fund's cases are then read only
    when a committee hearing is among them, to link it to its case)."""
    labelled, where = _LABELLED, _MAYBE_FUND
    placeholders = ",".join("?" for _ in GPFG_SOURCES)
    if ids is None:
        tagged = {r["id"] for r in db.query(f"select id from items where {labelled}")}
        rows = list(db.query(f"select {_COLUMNS} from items where {where}", list(GPFG_SOURCES)))
        cases = [r for r in rows if r["kind"] == "storting_case"]
    else:
        # only the given items: their label, not every item's (a scan of the whole store)
        tagged = {r["id"] for r in select_in(db, f"select id from items where id in ({{marks}}) and {labelled}",
                                             sorted(ids))}
        rows = list(select_in(db, f"select {_COLUMNS} from items where {where} and id in ({{marks}})", sorted(ids),
                              before=GPFG_SOURCES))
        # the fund's cases only link committee hearings: read them when one is among the rows
        cases = list(db.query(
            f"select id, native_id, reference, owner from items where kind = 'storting_case' "
            f"and source in ({placeholders})", list(GPFG_SOURCES),
        )) if any(r["kind"] == "committee_hearing" for r in rows) else []  # fmt: skip
    case_by_native = {str(c.get("native_id")): c for c in cases}
    case_by_ref: dict[str, list[dict[str, Any]]] = {}  # henvisning -> cases (parsed once)
    for case in cases:
        for ref in _henvisninger(case.get("reference")):
            case_by_ref.setdefault(ref, []).append(case)
    out = []
    for row in rows:
        own_text = " ".join(str(row.get(k) or "") for k in ("title", "summary"))
        if (row["source"] not in GPFG_SOURCES and row["kind"] != "committee_hearing" and row["id"] not in tagged
                and '"topic": "gpfg"' not in (row.get("extra") or "") and not names_fund(own_text)):
            continue  # a Finansdepartementet item that is not about the fund
        if row["kind"] == "committee_hearing":
            linked = sorted({c["id"] for c in _linked_cases(row, case_by_ref, case_by_native)})
            text = " ".join(str(row.get(k) or "") for k in ("title", "summary", "reference"))
            if not linked and not names_fund(text) and row["id"] not in tagged:
                continue
            row["related"] = linked
        out.append(row)
    # a case lists the committee hearings linked to it
    by_case: dict[str, list[str]] = {}
    for row in out:
        for case_id in row.get("related") or []:
            by_case.setdefault(case_id, []).append(row["id"])
    for row in out:
        if row["kind"] == "storting_case":
            row["related"] = by_case.get(row["id"], [])
    return out


def _linked_cases(hearing: dict[str, Any], case_by_ref: dict[str, list[dict[str, Any]]],
                  case_by_native: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Fund cases a committee hearing is on: by Stortinget case id, else by henvisning and committee."""
    extra = _json(hearing.get("extra"))
    by_id = [case_by_native[str(c)] for c in extra.get("case_ids") or [] if str(c) in case_by_native]
    if by_id:
        return by_id
    refs = _henvisninger(" ".join([hearing.get("reference") or "", hearing.get("title") or "",
                                   " ".join(str(r) for r in extra.get("case_references") or [] if r)]))
    cases = {c["id"]: c for ref in refs for c in case_by_ref.get(ref, [])}
    return [c for c in cases.values() if (c.get("owner") or "").lower() == (hearing.get("owner") or "").lower()]


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "title": row["title"], "url": row["url"], "source": row["source"],
        "kind": row["kind"], "actor": actor_of(row), "stage": stage_of(row),
        "published": row.get("published"), "deadline": row.get("deadline"), "status": row.get("status"),
        # a Storting case's hearing deadline (its saksgang's HOERFRIST: no_stortinget_spu)
        "hearing_deadline": _json(row.get("extra")).get("hearing_deadline") if row["kind"] == "storting_case" else None,
        "reference": row.get("reference"), "owner": row.get("owner"), "first_seen": row.get("first_seen"),
        "last_changed": row.get("last_changed"), "related": row.get("related") or [],
        "language": row.get("language"),  # of its title: the pages mark another language than theirs
    }  # fmt: skip


def _newest_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i.get("published") or i.get("deadline") or i.get("first_seen") or ""),
                  reverse=True)


def _ordered(items: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    rank_a = {a: n for n, a in enumerate(ACTORS)}
    rank_s = {s: n for n, s in enumerate(STAGES)}
    items = _newest_first(items)
    if by == "stage":
        return sorted(items, key=lambda i: (rank_s[i["stage"]], rank_a[i["actor"]]))
    return sorted(items, key=lambda i: (rank_a[i["actor"]], rank_s[i["stage"]]))


def gpfg_items(db: sqlite_utils.Database, *, actor: str | None = None, stage: str | None = None,
               by: str = "actor") -> list[dict[str, Any]]:
    """Governance items ordered by actor then stage (or stage then actor), newest first within each."""
    rows = _candidates(db)
    if actor:  # before the stage: an item's actor is a look at its source, its stage a few regexes
        rows = [r for r in rows if actor_of(r).lower() == actor.lower()]
    items = [_view(r) for r in rows]
    if stage:
        items = [i for i in items if i["stage"] == stage]
    return _ordered(items, by)


def grouped(items: list[dict[str, Any]], by: str = "actor") -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """[(actor, [(stage, items)])] (or stage first), keeping the order of `items`."""
    outer_key, inner_key = ("actor", "stage") if by == "actor" else ("stage", "actor")
    groups: dict[str, dict[str, list[dict]]] = {}
    for item in items:
        groups.setdefault(item[outer_key], {}).setdefault(item[inner_key], []).append(item)
    return [(k, list(v.items())) for k, v in groups.items()]


def _changed_between(db: sqlite_utils.Database, since: Any, as_of: Any) -> dict[str, str]:
    """item id → 'new' or 'changed' for items with events in (since, as_of]; a backfill run's
    events are history found later, not news (tracker.store.queries.HISTORY_EVENT_SQL)."""
    since_s = stored(since) if isinstance(since, datetime) else str(since or "")
    as_of_s = stored(as_of) if isinstance(as_of, datetime) else str(as_of or "9999")
    # one row per item, decided in SQL ("new" when any of its events is), not one per event
    return {item_id: "new" if new else "changed" for item_id, new in db.execute(
        f"select item_id, max(kind = 'new') from events e where at > ? and at <= ? and not {HISTORY_EVENT_SQL}"
        " group by item_id",
        [since_s, as_of_s])}  # fmt: skip


def digest_section(db: sqlite_utils.Database, since: Any, as_of: Any, *,
                   upto: int | None = None) -> list[dict[str, Any]]:
    """GPFG items new or changed since `since` (up to `as_of`), by actor then stage, newest first;
    as they stood once event `upto` was recorded (a digest of an earlier day; None: as they stand).

    Each entry: id, title, url, actor, stage, published, status, deadline, hearing_deadline (a
    Storting case's), source, change (the stage's name: `tracker.vocabulary.gpfg_stage_name`).
    """
    changed = _changed_between(db, since, as_of)
    if not changed:
        return []
    out = []
    for item in _ordered([_view(r) for r in as_they_stood(db, _candidates(db, set(changed)), upto)], "actor"):
        if item["id"] in changed:
            out.append({k: item[k] for k in ("id", "title", "url", "actor", "stage", "published", "status",
                                              "deadline", "hearing_deadline", "source")}
                       | {"change": changed[item["id"]]})
    return out


def _due_ahead(db: sqlite_utils.Database, as_of: datetime, *, end: date, profile: Profile, upto: int | None,
               among: tuple[str, list[Any]], keep: Callable[[set[str]], set[str]]) -> list[Dated]:
    """The horizon's due dates (`horizon.DUE`) from `as_of`'s day up to, not including, `end`,
    earliest first, of the items `among` selects and `keep` (their ids → the ids kept) keeps."""
    from tracker.attention.horizon import DUE, horizon

    dates = [d for d in horizon(db, as_of, profile=profile, end=end, upto=upto, watch_entries=(),
                                among=among, whats=DUE)
             if d.item_id]
    if not dates:
        return []
    kept = keep({d.item_id for d in dates})
    return [d for d in dates if d.item_id in kept]


def deadlines_ahead(db: sqlite_utils.Database, as_of: datetime, *, end: date, profile: Profile,
                    upto: int | None = None) -> list[Dated]:
    """The due dates (`horizon.DUE`) of the governance items from `as_of`'s day up to, not
    including, `end`, earliest first: the dates the horizon and the calendar give them (a Storting
    case's hearing deadline, a hearing's deadline), among what `profile` follows; as the items
    stood once event `upto` was recorded (None: as they stand). The digest's GPFG section lists
    them, so that it never says «Ingenting.» while a deadline on the fund is ahead."""
    return _due_ahead(db, as_of, end=end, profile=profile, upto=upto, among=(_MAYBE_FUND, list(GPFG_SOURCES)),
                      keep=lambda ids: {r["id"] for r in _candidates(db, ids)})


#: the items that may be about åpenhetsloven (`about_apenhetsloven` decides): the spider's mark or
#: the tagger's label
_MAYBE_APL = f"""(extra like '%"topic": "åpenhetsloven"%' or {_labelled("apenhetsloven")})"""


def apenhetsloven_deadlines_ahead(db: sqlite_utils.Database, as_of: datetime, *, end: date, profile: Profile,
                                  upto: int | None = None) -> list[Dated]:
    """The due dates (`horizon.DUE`) of the items about åpenhetsloven (`about_apenhetsloven`, any
    source: a ministry's hearing on the act as much as the regulator's) from `as_of`'s day up to,
    not including, `end`, earliest first, among what `profile` follows; as the items stood once
    event `upto` was recorded. The digest's åpenhetsloven section lists them, so that it never
    says «Ingenting.» while a hearing on the act is open."""
    def about(ids: set[str]) -> set[str]:
        rows = select_in(db, "select id, extra, labels from items where id in ({marks})", sorted(ids))
        return {r["id"] for r in as_they_stood(db, list(rows), upto) if about_apenhetsloven(r)}

    return _due_ahead(db, as_of, end=end, profile=profile, upto=upto, among=(_MAYBE_APL, []), keep=about)


def about_apenhetsloven(item: dict[str, Any]) -> bool:
    """Is the item about the Transparency Act: its spider marked it from its own words
    (``extra.topic = "åpenhetsloven"``: every Lovdata item, a Forbrukertilsynet post that names the
    act or its duties) or the tagger labelled it ``apenhetsloven``? The regulator's other news
    (consumer credit, advertising) is not."""
    if _json(item.get("extra")).get("topic") == "åpenhetsloven":
        return True
    labels = item.get("labels")
    if isinstance(labels, str):
        try:
            labels = json.loads(labels or "[]")
        except ValueError:
            labels = []
    return isinstance(labels, list) and "apenhetsloven" in labels


def apenhetsloven_section(db: sqlite_utils.Database, since: Any, as_of: Any, *,
                          upto: int | None = None) -> list[dict[str, Any]]:
    """Forbrukertilsynet and Lovdata items about åpenhetsloven (`about_apenhetsloven`) new or changed
    since `since`, newest first; as they stood once event `upto` was recorded (None: as they stand).

    Each entry: id, title, url, source, actor, published, status, change.
    """
    changed = _changed_between(db, since, as_of)
    if not changed:
        return []
    placeholders = ",".join("?" for _ in APENHETSLOVEN_SOURCES)
    rows = as_they_stood(db, list(select_in(
        db, f"select * from items where source in ({placeholders}) and id in ({{marks}})",
        sorted(changed), before=APENHETSLOVEN_SOURCES)), upto)
    return [{"id": row["id"], "title": row["title"], "url": row["url"], "source": row["source"],
             "actor": "Lovdata" if row["source"] == "no_lovdata" else "Forbrukertilsynet",
             "published": row.get("published"), "status": row.get("status"), "change": changed[row["id"]]}
            for row in _newest_first(rows) if row["id"] in changed and about_apenhetsloven(row)]
