"""A small, realistic store (item ids as tracker.store.ids decides them: regjeringen:<page id>) for the workbench tests (real hearing titles, tags with evidence).

Used by the CLI, web and browser tests; inserts rows the way the store and tagger write them.
"""

from __future__ import annotations

import json

from support import others_checked, put_evidence

HEARING = "regjeringen:3150001"
HEARING_OLD = "regjeringen:2477095"
HEARING_FISH = "regjeringen:3143999"
COMMITTEE = "no_stortinget_horinger:10423"
EU = "eu_haveyoursay:14567"
ANNOUNCED = "eu_haveyoursay:18911"
ANNOUNCED_TITLE = "Human rights due diligence – model contract clauses for value chains"

BODY = (
    "Barne- og familiedepartementet sender på høring forslag til endringer i åpenhetsloven. "
    "Forslaget skal gjennomføre aktsomhetsdirektivet (CSDDD) i norsk rett. "
    "Virksomheter skal gjøre aktsomhetsvurderinger i tråd med OECDs retningslinjer for "
    "flernasjonale selskaper, også i leverandørkjeden. "
    "Departementet ber særlig om innspill om tvangsarbeid og barnearbeid i verdikjeden."
)


def _ev(label: str, field: str, text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"label": label, "field": field, "start": start, "end": start + len(needle), "text": needle}


def seed(db, as_of: str = "2026-11-24T06:00:00+01:00") -> dict[str, str]:
    from tracker.store.deadlines import to_datetime
    from tracker.store.instants import stored

    as_of = stored(to_datetime(as_of))  # an instant as the store writes it: UTC (tracker.store.instants)
    items = [
        {"id": HEARING, "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3150001",
         "title": "Høring - endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)",
         "summary": "Forslag om å gjennomføre aktsomhetsdirektivet gjennom endringer i åpenhetsloven.",
         "body": BODY, "url": "https://www.regjeringen.no/no/dokumenter/horing-endringer-i-apenhetsloven/id3150001/",
         "owner": "Barne- og familiedepartementet", "reference": "25/4711",
         "published": "2026-10-01T10:00:00+02:00", "deadline": "2026-12-10T23:59:59+01:00",
         "status": "open", "first_seen": as_of, "last_seen": as_of, "last_changed": as_of,
         "labels": json.dumps(["apenhetsloven", "oecd-ii", "oecd-v"]), "relevance": 0.92, "relevant": 1,
         "relevance_reason": "Åpenhetsloven nevnt; CSDDD (aktsomhetsdirektivet) nevnt; verdikjede"},
        {"id": HEARING_OLD, "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "2477095",
         "title": "Høyring - evalueringen av offentleglova",
         "summary": "Evalueringen av offentleglova og åpenhet i forvaltningen.",
         "url": "https://www.regjeringen.no/no/dokumenter/hoyring---evalueringen-av-offentleglova/id2477095/",
         "owner": "Justis- og beredskapsdepartementet", "published": "2016-02-10T10:00:00+01:00",
         "deadline": "2016-05-25T23:59:59+02:00", "status": "closed", "first_seen": as_of,
         "last_seen": as_of, "last_changed": as_of, "labels": json.dumps([]), "relevance": 0.1, "relevant": 0},
        {"id": HEARING_FISH, "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3143999",
         "title": "Høring om endring i markedsavgiften for konvensjonelle produkter og pelagiske arter",
         "summary": "Nærings- og fiskeridepartementet foreslår ny sats for markedsavgiften for sjømat.",
         "url": "https://www.regjeringen.no/no/dokumenter/horing-markedsavgiften/id3143999/",
         "owner": "Nærings- og fiskeridepartementet", "published": "2026-11-02T10:00:00+01:00",
         "deadline": "2026-12-20T23:59:59+01:00", "status": "open", "first_seen": as_of,
         "last_seen": as_of, "last_changed": as_of, "labels": json.dumps(["oecd-vi"]), "relevance": 0.45,
         "relevant": 1},
        {"id": COMMITTEE, "source": "no_stortinget_horinger", "kind": "committee_hearing", "native_id": "10423",
         "title": "Endringer i regnskapsloven (bærekraftsrapportering)",
         "summary": "Finanskomiteen holder høring om Prop. 57 L (2025–2026).",
         "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horingsside/?h=10423",
         "owner": "Finanskomiteen", "published": "2026-11-10T10:00:00+01:00",
         "deadline": "2026-12-03T12:00:00+01:00", "status": "open", "first_seen": as_of,
         "last_seen": as_of, "last_changed": as_of, "labels": json.dumps(["oecd-iii"]), "relevance": 0.7,
         "relevant": 1},
        {"id": EU, "source": "eu_haveyoursay", "kind": "eu_consultation", "native_id": "14567",
         "title": "Corporate sustainability due diligence – guidelines on stakeholder engagement",
         "summary": "The Commission seeks feedback on draft guidelines on meaningful stakeholder engagement "
                    "under the Corporate Sustainability Due Diligence Directive.",
         "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/14567",
         "owner": "DG JUST", "language": "en", "published": "2026-11-01T10:00:00+01:00",
         "deadline": "2026-12-18T23:59:59+01:00", "status": "open", "first_seen": as_of,
         "last_seen": as_of, "last_changed": as_of, "labels": json.dumps(["oecd-ii", "apenhetsloven"]),
         "relevance": 0.8, "relevant": 1},
    ]  # fmt: skip
    with db.conn:
        db["items"].insert_all(items, pk="id", alter=True)
        summary = items[0]["summary"]
        tags = [
            {"item_id": HEARING, "label": "apenhetsloven", "strength": 2.4, "evidence": json.dumps([
                _ev("apenhetsloven", "text", BODY, "åpenhetsloven"),
                _ev("apenhetsloven", "summary", summary, "aktsomhetsdirektivet")])},
            {"item_id": HEARING, "label": "oecd-ii", "strength": 1.6, "evidence": json.dumps([
                _ev("oecd-ii", "text", BODY, "aktsomhetsvurderinger"),
                _ev("oecd-ii", "text", BODY, "leverandørkjeden")])},
            {"item_id": HEARING, "label": "oecd-v", "strength": 0.9, "evidence": json.dumps([
                _ev("oecd-v", "text", BODY, "tvangsarbeid")])},
            {"item_id": EU, "label": "oecd-ii", "strength": 1.2, "evidence": json.dumps([
                _ev("oecd-ii", "summary", items[4]["summary"], "stakeholder engagement")])},
        ]
        for tag in tags:
            put_evidence(db, tag["item_id"], tag["label"], tag["strength"], tag["evidence"])
        db["runs"].insert({"id": 1, "started": as_of, "finished": as_of, "as_of": as_of, "mode": "test",
                           "sources": "[]", "exit_code": 0})
        db["events"].insert_all([
            {"item_id": HEARING, "run_id": 1, "at": "2026-11-23T05:00:00+00:00", "kind": "new",
             "field": None, "before": None, "after": items[0]["title"]},
            {"item_id": HEARING, "run_id": 1, "at": as_of, "kind": "updated", "field": "summary",
             "before": json.dumps({"summary": "Forslag om endringer i åpenhetsloven."}),
             "after": json.dumps({"summary": summary})},
            {"item_id": HEARING, "run_id": 1, "at": as_of, "kind": "deadline_changed", "field": "deadline",
             "before": "2026-12-01T23:59:59+01:00", "after": items[0]["deadline"]},
        ])  # fmt: skip
        db["health"].insert_all([
            {"run_id": 1, "source": "no_regjeringen_horinger", "status": "amber", "channel": "rss",
             "reason": "3 detail pages blocked (403/challenge)", "items_seen": 3, "items_new": 1,
             "items_changed": 1, "parse_errors": 0, "requests": 4, "finished": as_of, "notes": "[]"},
            {"run_id": 1, "source": "eu_haveyoursay", "status": "green", "channel": "api",
             "reason": "1 item, 1 new, 0 changed", "items_seen": 1, "items_new": 1, "items_changed": 0,
             "parse_errors": 0, "requests": 2, "finished": as_of, "notes": "[]"},
        ])  # fmt: skip
        db["answers"].insert_all([
            {"item_id": HEARING_OLD, "url": items[1]["url"] + "?uid=0c3e8a21", "hearing_native_id": "2477095",
             "responder": "Norges nasjonale kontaktpunkt for ansvarlig næringsliv", "responder_type": "public_body",
             "date": "2016-05-25T00:00:00+02:00", "format": "html", "is_ncp": 1, "first_seen": as_of,
             "last_seen": as_of},
            {"item_id": HEARING_OLD, "url": items[1]["url"] + "?uid=4f1c2a9e", "hearing_native_id": "2477095",
             "responder": "Norsk Hydro ASA", "responder_type": "business",
             "date": "2016-05-20T00:00:00+02:00", "format": "html", "is_ncp": 0, "first_seen": as_of,
             "last_seen": as_of},
        ], pk=("item_id", "url"))  # fmt: skip
    others_checked(db, 1, as_of)
    return {"hearing": HEARING, "old": HEARING_OLD, "fish": HEARING_FISH, "committee": COMMITTEE, "eu": EU}


def announce(db, labels: str = '["oecd-iv"]', relevance: float = 0.93) -> None:
    """Add a Have your say consultation announced on 24 November (status upcoming), opening
    1 December, deadline 26 January: relevant unless `relevance` is below the threshold."""
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.store import merge as store

    at = datetime(2026, 11, 24, 5, tzinfo=OSLO)
    run = store.start_run(db, as_of=at, mode="test", sources=["eu_haveyoursay"])
    store.apply_scrape(db, run_id=run, as_of=at, source="eu_haveyoursay", items=[{
        "source": "eu_haveyoursay", "kind": "eu_consultation", "native_id": "18911", "title": ANNOUNCED_TITLE,
        "url": "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/18911",
        "owner": "European Commission, JUST", "published": "2026-12-01T00:00:00+01:00",
        "deadline": "2027-01-26T23:59:59+01:00", "status_raw": "NOT STARTED", "channel": "api", "language": "en",
        "extra": {"opens": "2026-12-01T00:00:00+01:00"}}])
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("update items set labels = ?, relevance = ?, relevant = ? where id = ?",
                   [labels, relevance, int(relevance >= 0.4), ANNOUNCED])
    assert db["items"].get(ANNOUNCED)["status"] == "upcoming"
