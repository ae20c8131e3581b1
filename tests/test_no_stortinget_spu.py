"""no_stortinget_spu: the Storting's fund cases from eksport/saker, filtered client-side."""

from __future__ import annotations

import json
import re
from datetime import datetime

from scrapy import Request
from scrapy.http import TextResponse

from crawlers.spiders.no_stortinget_spu import NoStortingetSpuSpider, session_ids
from crawlers.stortinget import API, cases_url
from tests.conftest import ROOT, file_response, make_spider

LIST_URL = f"{API}/saker?sesjonid=2025-2026&format=json"

spider = make_spider(NoStortingetSpuSpider)
out = list(spider.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
items = {r.cb_kwargs["item"]["native_id"]: r.cb_kwargs["item"] for r in out}
case = next(iter(spider.parse_case(file_response("no_stortinget_spu/sak_105870.json", f"{API}/sak?sakid=105870&format=json"),
                                   item=items["105870"].copy())))


def test_sessions_current_and_previous():
    assert spider.sessions == ["2026-2027", "2025-2026"]
    assert session_ids(2026, 5) == ["2025-2026", "2024-2025"]


def test_filter_by_topic_title_and_committee():
    assert {k: v["extra"]["matched_by"] for k, v in items.items()} == {
        "104917": "emne", "105849": "komite", "105870": "title"}


def test_case_without_id_is_a_parse_error():
    assert spider.crawler.stats.get_value("tracker/parse_errors") == 1


def test_url():
    assert items["105849"]["url"] == "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=105849"


def test_owner_is_the_committee():
    assert items["104917"]["owner"] == "Finanskomiteen"


def test_reference_is_henvisning():
    assert items["104917"]["reference"] == "Prop. 1 S (2025-2026), Innst. 5 S (2025-2026)"


def test_summary_is_short_title():
    assert items["104917"]["summary"].startswith("Tilfeldige utgifter")
    assert "summary" not in items["105849"]  # korttittel == tittel


def test_status_raw_and_kind():
    assert items["105849"]["status_raw"] == "behandlet" and items["105849"]["kind"] == "storting_case"


def test_updated_from_ms_date():
    assert items["105849"]["extra"]["updated"] == "2025-12-11T17:20:00+01:00"


def test_topics():
    assert items["104917"]["extra"]["topics"] == ["Statens pensjonsfond"]


def test_case_published_is_first_saksgang_event():
    assert case["published"] == "2025-10-28T00:00:00+01:00"


def test_case_empty_dates_ignored_and_decided():
    assert "hearing_deadline" not in case["extra"]
    assert case["extra"]["decided"] == "2025-11-04T00:00:00+01:00"


def test_case_documents_and_decision():
    assert case["documents"][0]["type"] == "dok8"
    assert case["body"].splitlines() == ["Status: behandlet", "Komité: Finanskomiteen", "Vedtatt: 04.11.2025",
                                         "Vedtak: Forslaget ble ikke vedtatt."]


def test_finished_known_case_skips_detail():
    sp = make_spider(NoStortingetSpuSpider, known={"105849": {"status": "unknown"}})
    got = list(sp.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
    (skipped,) = [g for g in got if not hasattr(g, "callback") and g["native_id"] == "105849"]
    # read before: it must not say «pending» (never read; the item page would say its page was not read)
    assert skipped["extra"]["detail"] == "skipped"


def test_a_finished_case_whose_page_was_never_read_is_fetched_again():
    for known, fetched in (({"detail": "http 500"}, True), ({"detail": "pending"}, True),
                           ({"detail": "http 500", "detail_read": "2026-11-20T05:00:00+00:00"}, False)):
        sp = make_spider(NoStortingetSpuSpider, known={"105849": {"status": "unknown", **known}})
        got = list(sp.parse(file_response("no_stortinget_spu/saker_2025-2026.json", LIST_URL), session="2025-2026"))
        requested = [g.cb_kwargs["item"]["native_id"] for g in got if hasattr(g, "callback")]
        assert ("105849" in requested) is fetched, known


def test_an_unreadable_case_page_says_unreadable_not_pending():
    from scrapy.http import TextResponse

    sp = make_spider(NoStortingetSpuSpider)
    broken = TextResponse(f"{API}/sak?sakid=105870&format=json", body=b'{"sak": ', encoding="utf-8")
    got = next(iter(sp.parse_case(broken, item=items["105870"].copy())))
    assert got["extra"]["detail"] == "unreadable"


def test_empty_session_is_fine_but_failed_session_is_amber_then_red():
    sp = make_spider(NoStortingetSpuSpider)
    assert list(sp.parse(file_response("no_stortinget_spu/saker_2026-2027.json", LIST_URL), session="2026-2027")) == []
    assert sp.notes == []
    list(sp.parse(file_response("no_stortinget_spu/error.html", LIST_URL, status=500), session="2025-2026"))
    assert sp.notes == [("amber", "eksport/saker for session 2025-2026 failed (HTTP 500)")]


def test_all_sessions_failed_is_red():
    sp = make_spider(NoStortingetSpuSpider)
    for s in sp.sessions:
        list(sp.parse(file_response("no_stortinget_spu/error.html", LIST_URL, status=500), session=s))
    # the red reason (the one health shows) names every session, not the last one alone
    assert sp.notes[-1] == ("red", "eksport/saker failed for every session (2026-2027: HTTP 500; "
                                   "2025-2026: HTTP 500)")


def test_a_bot_challenge_page_served_with_http_200_is_named_as_such():
    """A challenge page (Cloudflare's «Just a moment...») served with HTTP 200 where the JSON export
    was expected: health read «… failed (unreadable: XML: Opening and ending tag mismatch: meta
    line 2 …)», and a case's page only a parse error. It names the challenge page now, as the
    hearings spider does (one decision: crawlers.stortinget.refused), in the reader's language."""
    from tracker.vocabulary import health_reason

    sp = make_spider(NoStortingetSpuSpider)
    headers = {"Content-Type": "text/html; charset=UTF-8"}
    for s in sp.sessions:
        assert list(sp.parse(file_response("no_stortinget_spu/challenge.html", cases_url(s), headers=headers),
                             session=s)) == []
    assert sp.notes[0] == ("amber", "eksport/saker for session 2026-2027 failed (answered a bot challenge page "
                                    "instead of the JSON export (HTTP 200))")
    assert health_reason(sp.notes[-1][1], "nb") == (
        "eksport/saker feilet for alle sesjoner (2026-2027: svarte med en robotsjekkside i stedet for JSON-eksporten "
        "(HTTP 200); 2025-2026: svarte med en robotsjekkside i stedet for JSON-eksporten (HTTP 200))")
    # a case's page: the list's item kept, its page named as blocked
    sp = make_spider(NoStortingetSpuSpider)
    got = next(iter(sp.parse_case(file_response("no_stortinget_spu/challenge.html", f"{API}/sak?sakid=105870&format=json"),
                                  item=items["105870"].copy())))
    assert got["title"].startswith("Representantforslag") and got["extra"]["detail"] == "blocked 200"
    assert health_line(sp) == ("amber", "1 detaljside blokkert (403/utfordring): «Representantforslag om at "
                                        "oljefondet skal selge seg ut av…»")
    assert sp.crawler.stats.get_value("tracker/parse_errors") is None
    # another web page (an error page served with 200) is named as a web page
    sp = make_spider(NoStortingetSpuSpider)
    list(sp.parse(file_response("no_stortinget_spu/error.html", LIST_URL), session="2025-2026"))
    assert health_reason(sp.notes[0][1], "nb") == (
        "eksport/saker for sesjon 2025-2026 feilet (svarte med en HTML-side i stedet for JSON-eksporten (HTTP 200))")


def health_line(sp) -> tuple[str, str]:
    """The spider's crawl as `ncp-tracker health`, the digest and the web show it (in Bokmål)."""
    from tracker.store.health import SourceRun, assess
    from tracker.vocabulary import health_reason

    status, reason = assess(SourceRun(sp.name, items_seen=3, notes=sp.notes, stats=sp.crawler.stats.get_stats()))
    return status, health_reason(reason, "nb")


def test_blocked_case_pages_are_counted_and_named_as_every_spiders_blocked_pages():
    """A case page answered with a bot challenge (HTTP 200) or a 403 was not counted among the
    blocked pages: health said «eksport/sak svarte med en robotsjekkside …» once however many were
    blocked, naming none, and a 403 only «noen eksport/sak-svar feilet (HTTP 403)». Counted and
    named now, as every other spider's blocked detail pages."""
    sp = make_spider(NoStortingetSpuSpider)
    for case_id, status in (("105870", 200), ("104917", 403), ("105849", 429)):
        page = file_response("no_stortinget_spu/challenge.html", f"{API}/sak?sakid={case_id}&format=json", status=status)
        got = next(iter(sp.parse_case(page, item=items[case_id].copy())))
        assert got["extra"]["detail"] == f"blocked {status}"
    assert sp.crawler.stats.get_value("tracker/detail_blocked") == 3
    status, line = health_line(sp)
    assert (status, line) == ("amber", "3 detaljsider blokkert (403/utfordring): «Representantforslag om at "
                                       "oljefondet skal selge seg ut av…», «Bevilgninger på statsbudsjettet for "
                                       "2026 vedrørende…», «Valg av medlemmer til Norges Banks representantskap»")


def test_case_page_error_keeps_item():
    sp = make_spider(NoStortingetSpuSpider)
    got = next(iter(sp.parse_case(file_response("no_stortinget_spu/error.html", LIST_URL, status=500),
                                  item=items["105870"].copy())))
    assert got["title"].startswith("Representantforslag") and sp.notes[0][0] == "amber"


# ---------------------------------------------------------------- the case's text, and stores written before

REPLAY = ROOT / "data" / "replay"


def replayed(day: str, known: dict | None = None) -> tuple[datetime, list[dict]]:
    """The spider's items of a bundled replay day (its list and case answers, in process)."""
    from itemadapter import ItemAdapter

    manifest = json.loads((REPLAY / day / "no_stortinget_spu" / "manifest.json").read_text("utf-8"))
    files = {r["url"]: REPLAY / day / "no_stortinget_spu" / r["file"] for r in manifest["responses"]}
    sp = make_spider(NoStortingetSpuSpider, as_of=manifest["recorded_at"], known=known or {})
    out = [x for s in sp.sessions for x in sp.parse(file_response(files[cases_url(s)], cases_url(s)), session=s)]
    items = []
    for x in out:
        if isinstance(x, Request):
            items += list(x.callback(file_response(files[x.url], x.url), **x.cb_kwargs))
        else:
            items.append(x)
    return datetime.fromisoformat(manifest["recorded_at"]), [dict(ItemAdapter(i)) for i in items]


def stored(db, day: str) -> int:
    from tracker.store import merge as store

    as_of, items = replayed(day, store.known_items(db, "no_stortinget_spu"))
    run = store.start_run(db, as_of=as_of, mode="test", sources=["no_stortinget_spu"])
    store.apply_scrape(db, run_id=run, as_of=as_of, source="no_stortinget_spu", items=items)
    return run


def as_read(event: dict) -> str:
    """An `updated` event as the digest says it (its stored text decoded, as tracker.digest.build does)."""
    from tracker.digest.wording import describe_change

    return describe_change({**event, "before": json.loads(event["before"]), "after": json.loads(event["after"])}, "nb")


def test_a_cases_hearing_deadline_is_named_as_the_digest_names_it_and_its_day_as_norwegian_text_writes_it(db):
    """HOERFRIST was «Frist for å be om høring: 2026-12-04» in the case's text, while the committee's
    hearing on the same case (Meld. St. 8) has 01.12 as the deadline to ask to take part and 04.12
    for written input: a wrong name, and an ISO date inside Bokmål. The digest quoted it beside
    «Høringsfrist i saken satt: man. 07.12.2026» for the same date. One name now, and the day as
    dd.mm.yyyy."""
    stored(db, "2026-11-23")
    body = db["items"].get("no_stortinget_spu:107131")["body"]
    assert body.splitlines()[2:] == ["Høringsfrist i saken: 04.12.2026", "Høring i komiteen: 08.12.2026"]
    run = stored(db, "2026-11-24")
    (updated,) = db.query("select * from events where run_id = ? and kind = 'updated'", [run])
    assert updated["item_id"] == "no_stortinget_spu:107095"
    assert as_read(updated) == (
        "Endret: tekst. Ny ordlyd: «… til behandling Komité: Finanskomiteen Høringsfrist i saken: 07.12.2026»")


def old_summarise(item, extra, decision):
    """The case's text as no_stortinget_spu wrote it before m2600 (verbatim)."""
    lines = [f"Status: {(item.get('status_raw') or 'ukjent').replace('_', ' ')}"]
    if item.get("owner"):
        lines.append(f"Komité: {item['owner']}")
    for key, label in (("hearing_deadline", "Frist for å be om høring"), ("hearing", "Høring i komiteen"),
                       ("decided", "Vedtatt")):
        if extra.get(key):
            lines.append(f"{label}: {extra[key][:10]}")
    if decision and str(decision).strip():
        lines.append(f"Vedtak: {' '.join(str(decision).split())}")
    return "\n".join(lines)


def test_a_store_written_with_the_old_wording_sees_no_change_in_every_case_the_next_day(db, monkeypatch):
    """The new wording changes every stored case's text: without m2600 the next crawl gave each an
    `updated` event (a digest full of «Endret: tekst»). A store written by the old wording and then
    migrated gets only the day's real change."""
    from tracker.store.migrations import apply_all

    with db.conn:  # a store made before m2600, by the spider of then
        db.execute("delete from _sqlite_migrations where name = 'm2600_storting_case_text_wording'")
    with monkeypatch.context() as m:
        m.setattr(NoStortingetSpuSpider, "_summarise", staticmethod(old_summarise))
        stored(db, "2026-11-23")
    assert "Frist for å be om høring: 2026-12-04" in db["items"].get("no_stortinget_spu:107131")["body"]
    hashes = {r["id"]: r["content_hash"] for r in db.query("select id, content_hash from items")}
    apply_all(db)
    migrated = {r["id"]: r for r in db.query("select * from items")}
    assert "Høringsfrist i saken: 04.12.2026" in migrated["no_stortinget_spu:107131"]["body"]
    assert "Vedtatt: 04.11.2025" in migrated["no_stortinget_spu:105870"]["body"]
    assert not [i for i, r in migrated.items() if re.search(r"\d{4}-\d\d-\d\d|Frist for å be", r["body"] or "")]
    assert migrated["no_stortinget_spu:107131"]["content_hash"] != hashes["no_stortinget_spu:107131"]
    # day 1 again, as the spider writes it now: nothing changed
    again = stored(db, "2026-11-23")
    assert list(db.query("select item_id, kind from events where run_id = ?", [again])) == []
    assert {i: r["content_hash"] for i, r in migrated.items()} == {
        r["id"]: r["content_hash"] for r in db.query("select id, content_hash from items")}
    # day 2: the one case that changed, in the words the reader sees
    run = stored(db, "2026-11-24")
    updated = list(db.query("select * from events where run_id = ? and kind = 'updated'", [run]))
    assert [e["item_id"] for e in updated] == ["no_stortinget_spu:107095"]
    assert as_read(updated[0]).endswith("Høringsfrist i saken: 07.12.2026»")


def test_a_change_recorded_in_the_old_wording_reads_in_the_new_one_after_the_migration(db, monkeypatch):
    """Both days written by the old wording: after m2600 the day's change (what a digest of that day
    quotes again) says «Høringsfrist i saken: 07.12.2026», and the day read again changes nothing."""
    from tracker.store.migrations import apply_all

    with db.conn:
        db.execute("delete from _sqlite_migrations where name = 'm2600_storting_case_text_wording'")
    with monkeypatch.context() as m:
        m.setattr(NoStortingetSpuSpider, "_summarise", staticmethod(old_summarise))
        stored(db, "2026-11-23")
        day2 = stored(db, "2026-11-24")
    (updated,) = db.query("select * from events where run_id = ? and kind = 'updated'", [day2])
    assert as_read(updated).endswith("Frist for å be om høring: 2026-12-07»")
    apply_all(db)
    (updated,) = db.query("select * from events where run_id = ? and kind = 'updated'", [day2])
    assert as_read(updated) == (
        "Endret: tekst. Ny ordlyd: «… til behandling Komité: Finanskomiteen Høringsfrist i saken: 07.12.2026»")
    assert json.loads(updated["before"]) == {"body": "Status: mottatt\nKomité: Finanskomiteen"}
    again = stored(db, "2026-11-24")
    assert list(db.query("select item_id, kind from events where run_id = ?", [again])) == []


def test_a_session_list_that_cannot_be_read_says_why_in_the_readers_language():
    """An answer that is no list of cases read «eksport/saker for sesjon 2025-2026 feilet
    (unreadable: XML: …)» and «(no saker_liste in the answer)» in Bokmål: the reason of health,
    the digest and the web half English. Both read in the reader's language now, as every other
    note does (tracker.vocabulary's HEALTH_REASONS); a parser's own message stays as it is."""
    from tracker.vocabulary import health_reason

    sp = make_spider(NoStortingetSpuSpider)
    answers = {"2026-2027": b"<saker><sak>", "2025-2026": b'{"sesjon_id": "2025-2026"}'}
    for session, body in answers.items():
        list(sp.parse(TextResponse(cases_url(session), body=body, encoding="utf-8"), session=session))
    amber, red = (health_reason(reason, "nb") for _, reason in sp.notes)
    assert amber.startswith("eksport/saker for sesjon 2026-2027 feilet (svaret kan ikke leses: XML: "), amber
    assert red.startswith("eksport/saker feilet for alle sesjoner (2026-2027: svaret kan ikke leses: XML: "), red
    assert red.endswith("; 2025-2026: svaret har ingen saker_liste)"), red
    assert "unreadable" not in amber + red and "in the answer" not in red
    assert health_reason(sp.notes[-1][1], "en").endswith("; 2025-2026: the answer holds no saker_liste)")
    # an empty answer: the reader's own words, not the parser's
    sp = make_spider(NoStortingetSpuSpider)
    list(sp.parse(TextResponse(LIST_URL, body=b"", encoding="utf-8"), session="2025-2026"))
    assert health_reason(sp.notes[0][1], "nb") == "eksport/saker for sesjon 2025-2026 feilet (svaret kan ikke leses: tomt svar)"
    # …as the hearings' spider says it of its list (the same reader)
    assert health_reason("fallback channel in use: eksport/saker + eksport/sak HOERFRIST (eksport/horinger unreadable "
                         "(empty body))", "nb") == (
        "reservekanalen er i bruk: eksport/saker + eksport/sak HOERFRIST (eksport/horinger kan ikke leses (tomt svar))")
