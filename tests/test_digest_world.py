"""A small two-day, replay-like store for the digest tests, written through the real write path.

Day 1 (Mon 23 Nov 2026, 06:00 Oslo) and day 2 (Tue 24 Nov) are applied with
`tracker.store.merge.apply_scrape`, health with `tracker.store.health.record`; tags, relevance and triage
are written as the tagger and the workbench would. Titles are real regjeringen.no titles where
they fit (lovsonar-derived samples), plus hostile ones.
"""

from __future__ import annotations

import json
from datetime import datetime

from support import others_checked, put_evidence

from crawlers.dates import OSLO
from tracker.store import health, ids
from tracker.store import merge as store

DAY1 = datetime(2026, 11, 23, 6, 0, tzinfo=OSLO)
DAY2 = datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)
RG = "no_regjeringen_horinger"
ST = "no_stortinget_horinger"
EU = "eu_haveyoursay"

HOSTILE_TITLE = ('<script>alert("x")</script> Høring & «test» \u202eevil\u202c HÃ¸ring om '
                 + "lang tittel " * 170)  # > 2,000 characters, mojibake, bidi override


def hearing(native_id: str, title: str, deadline: str | None, status_raw: str | None = "På høring",
            owner: str = "Barne- og familiedepartementet", **extra) -> dict:
    return {
        "source": RG, "kind": "hearing", "native_id": native_id, "title": title,
        "url": f"https://www.regjeringen.no/no/dokumenter/hoering/id{native_id}/",
        "owner": owner, "published": "2026-10-01T10:00:00+02:00", "deadline": deadline,
        "status_raw": status_raw, "channel": "rss", **extra,
    }  # fmt: skip


def day1_items() -> list[dict]:
    return [
        hearing("3100001", "Høring – endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)",
                "2026-12-04T23:59:59+01:00", summary="Forslag om å gjennomføre CSDDD i åpenhetsloven."),
        hearing("3100002", "Høring om forskrift om bærekraftsrapportering for store foretak",
                "2027-01-15T23:59:59+01:00", owner="Finansdepartementet"),
        hearing("3100003", "Høring – endringer i forskrift om utøvelse av jakt, felling og fangst",
                "2026-12-10T23:59:59+01:00", owner="Klima- og miljødepartementet"),
        hearing("3100004", "Høring – forslag til lov om ansvarlige leverandørkjeder i offentlige anskaffelser",
                "2026-12-18T23:59:59+01:00", owner="Digitaliserings- og forvaltningsdepartementet"),
        {**hearing("3100005", HOSTILE_TITLE, None), "url": "javascript:alert(1)"},
        hearing("3100006", "Høring – forslag til endringer i regnskapsloven (bærekraftsrapportering)",
                "2027-02-01T23:59:59+01:00", owner="Finansdepartementet"),
        hearing("3100007", "Høring om ny lov om forbrukerkjøp og digitale tjenester",
                "2026-12-11T23:59:59+01:00", owner="Barne- og familiedepartementet"),
        hearing("3100008", "Høring – endringer i eksportkontrollforskriften",
                "2026-11-20T23:59:59+01:00", status_raw="Under behandling",
                owner="Utenriksdepartementet"),  # deadline in the past
        {"source": ST, "kind": "committee_hearing", "native_id": "h-1042",
         "title": "Åpen høring i familie- og kulturkomiteen om endringer i åpenhetsloven",
         "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=1042",
         "owner": "Familie- og kulturkomiteen", "deadline": "2026-12-01T12:00:00+01:00",
         "status_raw": "Planlagt", "channel": "api"},
        {"source": ST, "kind": "committee_hearing", "native_id": "h-1043",
         "title": "Høring i næringskomiteen om statsbudsjettet for 2027 (OECD-kontaktpunktet)",
         "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=1043",
         "owner": "Næringskomiteen", "deadline": "2026-12-03T12:00:00+01:00",
         "status_raw": "Planlagt", "channel": "api"},
        {"source": EU, "kind": "eu_consultation", "native_id": "14567",
         "title": "Corporate sustainability due diligence – simplification (Omnibus) – call for evidence",
         "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/14567",
         "owner": "European Commission", "deadline": "2026-12-10T23:59:59+01:00",
         "status_raw": "OPEN", "channel": "api", "language": "en"},
    ]


def day2_items() -> list[dict]:
    items = {i["native_id"]: i for i in day1_items()}
    # 3100001: deadline moved a week later; 3100003: closed; 3100004: withdrawn and re-sent
    items["3100001"] = {**items["3100001"], "deadline": "2026-12-11T23:59:59+01:00",
                        "documents": [{"title": "Høringsnotat", "url": "https://www.regjeringen.no/contentassets/abc/horingsnotat.pdf"}]}
    items["3100003"] = {**items["3100003"], "status_raw": "Under behandling"}
    items["3100004"] = {**items["3100004"], "status_raw": "Trukket"}
    del items["3100007"]  # vanishes from the complete listing
    items["3100009"] = hearing(
        "3100009", "Høring – forslag til lov om ansvarlige leverandørkjeder i offentlige anskaffelser (ny høring)",
        "2027-01-29T23:59:59+01:00", owner="Digitaliserings- og forvaltningsdepartementet")
    items["3100010"] = hearing(
        "3100010", "Høring – NOU 2026: 9 Menneskerettigheter og anstendig arbeid i leverandørkjeden",
        "2026-11-27T23:59:59+01:00", owner="Barne- og familiedepartementet")
    return list(items.values())


def iid(native_id: str) -> str:
    """The store's id of a world item, decided by tracker.store.ids (never hard-coded here)."""
    for item in day1_items() + day2_items():
        if item["native_id"] == native_id:
            return ids.item_id(item["source"], item["native_id"], item["url"])
    raise KeyError(native_id)


#: relevance, labels and one evidence span (label, field, text) per native id
TAGS = {
    "3100001": (0.92, ["apenhetsloven", "oecd-ii"], ("apenhetsloven", "title", "åpenhetsloven")),
    "3100002": (0.61, ["oecd-iii"], ("oecd-iii", "title", "bærekraftsrapportering")),
    "3100003": (0.04, [], None),
    "3100004": (0.74, ["oecd-ii"], ("oecd-ii", "title", "leverandørkjeder")),
    "3100005": (0.66, ["oecd-iv"], ("oecd-iv", "title", "Høring")),
    "3100006": (0.55, ["oecd-iii"], ("oecd-iii", "title", "bærekraftsrapportering")),
    "3100007": (0.35, ["oecd-viii"], ("oecd-viii", "title", "forbrukerkjøp")),
    "3100008": (0.30, [], None),
    "3100009": (0.74, ["oecd-ii"], ("oecd-ii", "title", "leverandørkjeder")),
    "3100010": (0.88, ["oecd-iv", "oecd-ii"], ("oecd-iv", "title", "Menneskerettigheter")),
    "h-1042": (0.80, ["apenhetsloven"], ("apenhetsloven", "title", "åpenhetsloven")),
    "h-1043": (0.45, ["oecd-ii"], ("oecd-ii", "title", "OECD-kontaktpunktet")),
    "14567": (0.83, ["oecd-ii", "apenhetsloven"], ("oecd-ii", "title", "due diligence")),
}
RELEVANT_AT = 0.4


def tag(db) -> None:
    """What the tagger writes: items.labels/relevance/relevant and tags with evidence."""
    with db.conn:
        for native_id, (relevance, labels, evidence) in TAGS.items():
            item_id = iid(native_id)
            if not db["items"].count_where("id = ?", [item_id]):
                continue
            db["items"].update(item_id, {"labels": json.dumps(labels), "relevance": relevance,
                                         "relevant": int(relevance >= RELEVANT_AT)})
            title = db["items"].get(item_id)["title"]
            for k, label in enumerate(labels):
                spans = []
                if evidence and evidence[0] == label:
                    start = title.find(evidence[2])
                    spans = [{"label": label, "field": "title", "start": start, "end": start + len(evidence[2]),
                              "text": evidence[2]}]
                put_evidence(db, item_id, label, 1.0 - 0.1 * k, spans)


def _health(db, run_id: int, as_of: datetime, statuses: dict[str, tuple[str, int]]) -> None:
    for source, (kind, seen) in statuses.items():
        notes = [("red", "feed answered 404")] if kind == "red" else [("amber", "3 detail pages blocked")] if kind == "amber" else []
        run = health.SourceRun(source=source, notes=notes, items_seen=seen, items_new=0, channel="rss")
        with db.conn:
            health.record(db, run_id, run, as_of.isoformat())


def crawl_day(db, as_of: datetime, items: list[dict], *, complete: bool = True,
              health_status: dict[str, tuple[str, int]] | None = None, others: bool = True) -> int:
    """A daily run of the world's three sources; `others`: the other scheduled sources checked too
    (green, nothing found), as a daily run checks them all."""
    run_id = store.start_run(db, as_of=as_of, mode="replay", sources=[RG, ST, EU])
    for source in (RG, ST, EU):
        batch = [i for i in items if i["source"] == source]
        store.apply_scrape(db, run_id=run_id, as_of=as_of, source=source, items=batch,
                           listing={"complete": complete} if source == RG else None)
    _health(db, run_id, as_of, health_status or {RG: ("green", 9), ST: ("green", 2), EU: ("green", 1)})
    if others:
        others_checked(db, run_id, as_of.isoformat())
    store.finish_run(db, run_id, 0)
    return run_id


def build_world(db, *, days: int = 2, red_on_day2: bool = True, triage: bool = True, others: bool = True):
    """Fill `db` with day 1 (and day 2); returns the as_of of the last day applied. `others=False`:
    the runs check the world's three sources only (a test that gives another its first crawl)."""
    crawl_day(db, DAY1, day1_items(), others=others)
    tag(db)
    if triage:
        with db.conn:
            db["triage"].upsert({"item_id": iid("h-1042"), "state": "assigned",
                                 "owner": "Kari Nordmann", "updated_at": "2026-11-23T09:00:00+01:00"}, pk="item_id")
            db["triage"].upsert({"item_id": iid("3100006"), "state": "not_relevant",
                                 "owner": None, "updated_at": "2026-11-23T09:05:00+01:00"}, pk="item_id")
    if days == 1:
        return DAY1
    status = {RG: ("green", 10), ST: ("red", 0) if red_on_day2 else ("green", 2), EU: ("amber", 1)}
    crawl_day(db, DAY2, day2_items(), health_status=status, others=others)
    tag(db)
    return DAY2


def test_world_is_built_through_the_store(db):
    build_world(db)
    kinds = {r["kind"] for r in db.query("select kind from events")}
    assert {"new", "deadline_changed", "status_changed", "vanished", "documents_added"} <= kinds
    withdrawn = db["items"].get(iid("3100004"))
    assert withdrawn["status"] == "withdrawn"
    assert db["items"].get(iid("14567"))["status"] == "open"
    assert db["items"].get(iid("3100008"))["status"] == "closed"
