"""Outcome memory: what became of a hearing the NCP answered.

A hearing counts as *answered* when its triage reached ``submitted`` or ``published``
(the date is when it did), or when a published answer by Kontaktpunktet was found
(``answers.is_ncp``, its date). Its chain is built from what the store holds:

1. items that carry a Prop. or Innst. reference (``refs`` keys ``prop:…``/``innst:…``) and are
   either linked to the hearing through a shared specific reference (``links``, not a
   watched-file key) or whose title says nearly the same thing (at least
   ``TITLE_OVERLAP`` of the hearing's significant title words — marked ``how="title"``,
   to be checked by the adviser);
2. every item carrying one of those Prop./Innst. keys: a Lovdata item (``no_lovdata``)
   among them is the act ("lov vedtatt/kunngjort <date>").

Steps: ``answer`` → ``prop`` → ``innst`` → ``act``, each with its date (the item's
``published``, else ``first_seen``) — "Kontaktpunktets svar 12.03.2026 → Prop. 57 L
(2023–2024) → Innst. 400 L (2023–2024) → lov vedtatt 15.06.2024". ``outcome_chains(db,
chapter=…)`` lists every answered hearing's chain, filtered by label (chapter).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import sqlite_utils

from crawlers.dates import session_for
from tracker.i18n import format_date, format_letter_date, gettext, local_day
from tracker.links.references import label as ref_label
from tracker.store.queries import select_in

TITLE_OVERLAP = 0.6
ANSWERED_STATES = ("submitted", "published")
ORDER = {"answer": 0, "prop": 1, "innst": 2, "act": 3}
_STOP = {
    "høring", "høyring", "komitéhøring", "forslag", "til", "om", "av", "i", "og", "for", "med", "mv", "mfl", "endringer",
    "endring", "lov", "loven", "nye", "ny", "på", "fra", "the", "of", "and", "prop", "innst", "l", "ls", "s",
}  # fmt: skip


def _words(title: str | None) -> set[str]:
    words = re.findall(r"[a-zæøå0-9]+", (title or "").lower())
    return {w for w in words if w not in _STOP and not w.isdigit() and len(w) > 2}


def _day_text(value: str | None, lang: str) -> str:
    """The Oslo day of a date or instant (an answer's triage step is stored in UTC) as the chain
    writes it: 12.03.2026 / Thu 12 Mar 2026 (the English pages' dates)."""
    day = local_day(value)
    if day is None:
        return "?"
    return format_date(day, lang) if lang == "en" else format_letter_date(day, lang)


def answered(db: sqlite_utils.Database, item_id: str) -> dict[str, Any] | None:
    """{"date", "how"} when the NCP answered this hearing, else None."""
    if "triage_history" in db.table_names():
        rows = list(db.query(
            f"""select at from triage_history where item_id = ? and state_after in ({", ".join("?" * len(ANSWERED_STATES))})
                order by at limit 1""", [item_id, *ANSWERED_STATES]))  # fmt: skip
        if rows:
            return {"date": rows[0]["at"], "how": "triage"}
    if "answers" in db.table_names():
        rows = list(db.query("select date, url from answers where item_id = ? and is_ncp = 1 order by date limit 1",
                             [item_id]))
        if rows:
            return {"date": rows[0]["date"], "how": "published", "url": rows[0]["url"]}
    return None


def _candidates(db: sqlite_utils.Database, hearing: dict[str, Any]) -> dict[str, str]:
    """item id → how it is tied to the hearing ("reference" or "title"), for items with a Prop./Innst. key."""
    staged = {r["item_id"] for r in db.query("select distinct item_id from refs where ref like 'prop:%' or ref like 'innst:%'")}
    staged.discard(hearing["id"])
    out: dict[str, str] = {}
    for row in db.query("select distinct b from links where a = ? and ref not like 'watch:%'", [hearing["id"]]):
        if row["b"] in staged:
            out[row["b"]] = "reference"
    mine = _words(hearing.get("title"))
    if mine:
        for row in select_in(db, "select id, title from items where id in ({marks})", sorted(staged - set(out))):
            if len(mine & _words(row["title"])) / len(mine) >= TITLE_OVERLAP:
                out[row["id"]] = "title"
    return out


def _carriers(db: sqlite_utils.Database, key: str) -> list[dict[str, Any]]:
    """The items carrying a Prop./Innst. key, earliest first (``at``: published, else first seen)."""
    return list(select_in(
        db, "select distinct i.id, i.source, i.title, i.url, coalesce(i.published, i.first_seen) as at "
            "from refs r join items i on i.id = r.item_id where r.ref in ({marks}) order by at", [key]))


def outcome_chain(db: sqlite_utils.Database, item_id: str, lang: str = "nb") -> dict[str, Any] | None:
    """The answered hearing's chain ({"hearing", "answer", "steps", "text"}), or None if not answered;
    step labels and the chain's text in `lang`. A Prop., Innst. or act dated before the hearing was
    published (before the answer when the hearing has no date) is older than the hearing and not
    its outcome: it is left out (a 2021 EØS-notat sharing a CELEX number brought Prop. 57 L
    (2023–2024) into the chain of a hearing of October 2026); so is a Prop. or Innst. of a session
    that ended before that day, dated or not."""
    rows = list(db.query("select id, title, url, labels, published from items where id = ?", [item_id]))
    if not rows:
        return None
    hearing = rows[0]
    answer = answered(db, item_id)
    if answer is None:
        return None
    # the triage step's date is when an adviser recorded the answer, perhaps after the Prop. came:
    # the hearing's own day is the bound, the answer's only for a hearing without one
    since = local_day(hearing.get("published")) or local_day(answer["date"])
    carriers: dict[str, list[dict[str, Any]]] = {}

    def in_time(key: str) -> bool:
        if _session_over(key, since):  # whatever its items' dates say (or do not say)
            return False
        if key not in carriers:
            carriers[key] = _carriers(db, key)
        others = [c for c in carriers[key] if c["source"] != "no_lovdata"] or carriers[key]
        return _not_before(others[0]["at"] if others else None, since)

    candidates = _candidates(db, hearing)
    keys: dict[str, str] = {}  # prop/innst key → how
    for row in select_in(db, "select item_id, ref from refs where item_id in ({marks}) and "
                             "(ref like 'prop:%' or ref like 'innst:%')", sorted(candidates)):
        if in_time(row["ref"]):
            keys.setdefault(row["ref"], candidates[row["item_id"]])
    # one hop further: the Innst. (and Prop.) keys of items citing those keys (the committee's
    # recommendation cites the Prop.; Lovdata cites both)
    if keys:
        for row in select_in(db, "select distinct b.ref from refs a join refs b on b.item_id = a.item_id "
                                 "where a.ref in ({marks}) and (b.ref like 'prop:%' or b.ref like 'innst:%')",
                             sorted(keys)):
            if in_time(row["ref"]):
                keys.setdefault(row["ref"], "reference")
    steps: list[dict[str, Any]] = [{"what": "answer", "label": gettext(lang, "The NCP's answer"), "date": answer["date"],
                                    "item_id": item_id, "url": answer.get("url"), "how": answer["how"]}]
    for key, how in sorted(keys.items()):
        acts = [c for c in carriers[key] if c["source"] == "no_lovdata"]
        others = [c for c in carriers[key] if c["source"] != "no_lovdata"]
        first = (others or carriers[key] or [None])[0]
        steps.append({"what": key.split(":")[0], "label": ref_label(key), "date": first["at"] if first else None,
                      "item_id": first["id"] if first else None, "url": first["url"] if first else None, "how": how})
        for act in acts:
            if _not_before(act["at"], since) and not any(s["what"] == "act" and s["item_id"] == act["id"] for s in steps):
                steps.append({"what": "act", "label": gettext(lang, "act adopted"), "date": act["at"], "item_id": act["id"],
                              "url": act["url"], "how": "reference", "title": act["title"]})
    steps.sort(key=lambda s: (ORDER[s["what"]], s["date"] or "", s["label"]))
    text = " → ".join(
        f"{s['label']} {_day_text(s['date'], lang)}" if s["what"] in ("answer", "act") else s["label"] for s in steps)
    return {"hearing": {"id": hearing["id"], "title": hearing["title"], "url": hearing["url"],
                        "labels": json.loads(hearing["labels"] or "[]")},
            "answer": answer, "steps": steps, "text": text, "complete": any(s["what"] == "act" for s in steps)}


def _session_over(key: str, since: date | None) -> bool:
    """Did the session of a Prop./Innst. key ("prop:57L:2023-2024") end before `since` (a session
    runs to 30 September, `crawlers.dates.session_for`)? Then it is older than the hearing, even
    when the item carrying it has no date of its own (its first seen is the crawl's)."""
    session = key.rsplit(":", 1)[-1]
    return since is not None and bool(re.fullmatch(r"\d{4}-\d{4}", session)) and session < session_for(since)


def _not_before(value: str | None, since: date | None) -> bool:
    """Is a step's date on or after `since` (an undated step, or no bound: kept)?"""
    day = local_day(value)
    return day is None or since is None or day >= since


def outcome_chains(db: sqlite_utils.Database, *, chapter: str | None = None,
                   lang: str = "nb") -> list[dict[str, Any]]:
    """Every answered hearing's chain (optionally only hearings labelled `chapter`, e.g. ``oecd-iv``)."""
    ids: set[str] = set()
    if "triage_history" in db.table_names():
        ids |= {r["item_id"] for r in db.query(
            f"select distinct item_id from triage_history where state_after in ({', '.join('?' * len(ANSWERED_STATES))})",
            list(ANSWERED_STATES))}  # fmt: skip
    if "answers" in db.table_names():
        ids |= {r["item_id"] for r in db.query("select distinct item_id from answers where is_ncp = 1")}
    out = []
    for item_id in sorted(ids):
        chain = outcome_chain(db, item_id, lang)
        if chain is None or (chapter and chapter not in chain["hearing"]["labels"]):
            continue
        out.append(chain)
    return out
