"""What people read, in every format and language: no Python objects, no None/nan, no raw label or
source codes; Stortinget hearings with all three times; the consultee rule; the cap."""

from __future__ import annotations

import email
import json
import re
from email import policy
from html.parser import HTMLParser

import icalendar
import pytest
from test_digest_world import DAY1, DAY2, EU, RG, ST, build_world, crawl_day, day2_items, iid, tag

import tracker.digest as digest
from nlp.labels import LABEL_NAMES
from tracker.attention.profiles import known_sources

JUNK = re.compile(r"object at 0x|<built-in|<bound method|\bNone\b|\bnan\b|\bNaN\b|\{\{|\}\}|%\(\w+\)")
#: label codes and source codes; `documents` (the fetcher of linked documents, never a digest's source)
#: is also an ordinary English word, so only source names with an underscore count as codes
CODES = re.compile(r"\b(?:" + "|".join(
    re.escape(c) for c in [*LABEL_NAMES, *(s for s in known_sources() if "_" in s)]) + r")\b")
URL = re.compile(r"https?://\S+|urn:uuid:\S+")

#: a Storting hearing as the spider stores it: three times in `extra`
STORTING = {
    "source": ST, "kind": "committee_hearing", "native_id": "sak-99001",
    "title": "Komitéhøring: Endringer i åpenhetsloven – Prop. 12 L (2026–2027)",
    "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99001",
    "owner": "Familie- og kulturkomiteen", "deadline": "2026-12-08T12:00:00+01:00",
    "status_raw": "Planlagt", "channel": "api",
    "extra": {"hearing_id": 99001, "anmodningsfrist": "2026-11-24T12:00:00+01:00",
              "hearing_start": "2026-12-01T09:30:00+01:00", "innspillsfrist": "2026-12-08T12:00:00+01:00"},
}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        self.skip = tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(fmt: str, data: bytes) -> str:
    """The words a person reads in this format (links and ids left out)."""
    if fmt == "html":
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        return " ".join(parser.parts)
    if fmt == "eml":
        msg = email.message_from_bytes(data, policy=policy.default)
        html = msg.get_body(("html",)).get_content()
        return " ".join([msg["Subject"], msg.get_body(("plain",)).get_content(), visible("html", html.encode())])
    if fmt == "ics":
        cal = icalendar.Calendar.from_ical(data)
        return "\n".join(f"{e['SUMMARY']}\n{e.get('DESCRIPTION', '')}" for e in cal.walk("VEVENT"))
    text = data.decode("utf-8")
    if fmt == "atom":
        text = "\n".join(re.findall(r"<(?:title|summary)[^>]*>(.*?)</(?:title|summary)>", text, re.S))
    return text


def _world_with_storting(db):
    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=db_dir(db))
    crawl_day(db, DAY2, [*day2_items(), STORTING], health_status={RG: ("green", 10), ST: ("red", 0), EU: ("amber", 1)})
    tag(db)
    storting_id = next(r["id"] for r in db.query("select id from items where native_id = 'sak-99001'"))
    with db.conn:
        db["items"].update(storting_id, {"relevance": 0.1, "relevant": 0, "labels": "[]", "ncp_consultee": 1})
    return storting_id


def db_dir(db):
    from pathlib import Path

    return Path(db.execute("pragma database_list").fetchone()[2]).parent / "out"


#: the morning digest and the two horizon mails (tracker/defaults/profiles.toml)
PROFILES = ("ncp", "uka_som_kommer", "neste_tre_maneder")


def formats_of(profile: str) -> list[str]:
    """The formats a profile renders in: a horizon mail has no Atom feed or calendar of its own
    (tracker.attention.profiles.Profile.has_feed; its refusal is tested in test_cli_digest)."""
    from tracker.attention.profiles import load_profile

    return [f for f in digest.FORMATS if load_profile(profile).has_feed or f not in ("atom", "ics")]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_junk_and_no_codes_in_any_format(db, lang, profile):
    _world_with_storting(db)
    d = digest.build_digest(db, as_of=DAY2, profile=profile, lang=lang)
    assert [s.id for s in d.sections] == [s for s in d.profile.sections if d.section(s)]
    if profile != "ncp":  # the horizon mails show dates, so the guard below reads them
        assert [s.id for s in d.sections] == ["horizon"] and d.section("horizon").entry_count > 0
    for fmt in formats_of(profile):
        data = digest.render(db, fmt, as_of=DAY2, profile=profile, lang=lang, recipients=["a@example.org"],
                             digest=d)
        text = URL.sub("", visible(fmt, data))
        assert text.strip(), fmt
        assert not JUNK.search(text), (fmt, JUNK.search(text).group(0), text[max(0, JUNK.search(text).start() - 80):][:200])
        assert not CODES.search(text), (fmt, CODES.search(text).group(0))


@pytest.mark.parametrize("profile", PROFILES)
def test_an_empty_store_renders_without_junk(db, profile):
    for lang in ("nb", "en"):
        for fmt in formats_of(profile):
            text = URL.sub("", visible(fmt, digest.render(db, fmt, as_of=DAY2, profile=profile, lang=lang,
                                                         recipients=["a@example.org"])))
            assert not JUNK.search(text) and not CODES.search(text), (fmt, lang)


def test_storting_hearing_shows_all_three_times_and_the_consultee_reason(db):
    _world_with_storting(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp")
    md = digest.render_markdown(d)
    # its deadline to ask to speak is today: the summary's first deadline of the week
    assert "den første: be om å delta: frist i dag kl. 12.00 (Komitéhøring: Endringer i åpenhetsloven" in md
    needs = md.index("## Trenger innspill")
    entry = md.index("Komitéhøring: Endringer i åpenhetsloven", needs)
    block = md[entry:][:900]
    assert "Be om å delta: frist i dag kl. 12.00" in block
    assert "Høringen holdes: tir. 01.12.2026 kl. 09.30" in block
    assert "Skriftlige innspill innen: tir. 08.12.2026 kl. 12.00" in block
    assert "Hvorfor: Kontaktpunktet er høringsinstans" in block
    assert "**NY**" in md[needs:entry][-40:]
    # the title says its kind already ("Komitéhøring: …"): no "— Komitéhøring" after it; in
    # English the kind's name is still said
    assert "– Prop. 12 L (2026–2027)](<https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99001>)**\n" in block
    en = digest.render_text(digest.build_digest(db, as_of=DAY2, profile="ncp", lang="en"))
    assert "Request to speak: due today 12:00" in en and "Hearing: Tue 1 Dec 2026 09:30" in en
    assert "Komitéhøring: Endringer i åpenhetsloven – Prop. 12 L (2026–2027) [Committee hearing]" in en
    # so does regjeringen.no's "Høring – …" (no "— Høring" after it); "Høring om …" is no heading
    assert "anstendig arbeid i leverandørkjeden](<https://www.regjeringen.no/no/dokumenter/hoering/id3100010/>)**\n" in md
    assert "store foretak](<https://www.regjeringen.no/no/dokumenter/hoering/id3100002/>)** — Høring\n" in md
    assert "Why: The NCP is a consultee" in en


def test_storting_hearing_is_three_timed_events_in_the_calendar(db):
    storting_id = _world_with_storting(db)
    cal = icalendar.Calendar.from_ical(digest.render_ics(db, as_of=DAY2, profile="ncp"))
    events = {str(e["UID"]).split("-", 1)[0]: e for e in cal.walk("VEVENT") if storting_id.split(":")[-1] in str(e["UID"])
              or "99001" in str(e["UID"])}
    assert set(events) >= {"ask", "hearing", "written"}
    assert events["ask"]["DTSTART"].dt.isoformat() == "2026-11-24T12:00:00+01:00"
    assert events["hearing"]["DTSTART"].dt.isoformat() == "2026-12-01T09:30:00+01:00"
    # the title's own "Komitéhøring:" is not said twice
    assert str(events["hearing"]["SUMMARY"]) == "Komitéhøring: Endringer i åpenhetsloven – Prop. 12 L (2026–2027)"
    assert str(events["ask"]["SUMMARY"]) == "Be om å delta: Komitéhøring: Endringer i åpenhetsloven – Prop. 12 L (2026–2027)"
    assert str(events["written"]["SUMMARY"]).startswith("Skriftlige innspill: ")


def test_due_today_is_worded_with_its_time(db):
    from tracker.digest.wording import deadline_text

    row = {"deadline": "2026-11-24T12:00:00+01:00", "working_days_left": 0}
    assert deadline_text(row, DAY2, "nb") == "frist i dag kl. 12.00"
    assert deadline_text(row, DAY2, "en") == "due today 12:00"


def test_a_passed_request_to_speak_is_said_to_have_passed():
    """The web (on its own clock) listed "Be om å delta innen: tir. 01.12.2026 kl. 12.00" on 3
    December as if it were still ahead: a committee hearing stays open for written input after
    the deadline to ask to speak."""
    from datetime import datetime

    from tracker.digest.wording import stortinget_times

    row = {**STORTING, "extra": {**STORTING["extra"]}}
    noon = datetime.fromisoformat("2026-11-24T12:00:00+01:00")
    assert stortinget_times(row, noon.replace(hour=9), "nb")[0] == "Be om å delta: frist i dag kl. 12.00"
    assert stortinget_times(row, noon.replace(hour=13), "nb")[0] == "Be om å delta innen: i dag kl. 12.00 (passert)"
    later = stortinget_times(row, datetime.fromisoformat("2026-11-26T09:00:00+01:00"), "en")
    assert later[0] == "Request to speak by: Tue 24 Nov 2026 12:00 (passed)"
    assert later[2] == "Written input by: Tue 8 Dec 2026 12:00"



def test_a_committee_deadline_without_a_time_is_not_given_one_on_its_day():
    """The Storting gave written input a day ("innspillsfrist" 4 December, stored as the day's
    end); on that day the inbox said "Skriftlige innspill: frist i dag kl. 23.59", a time nobody
    set — the day before it said "innen: fre. 04.12.2026", and a hearing's own deadline "frist i dag"."""
    from datetime import datetime

    from tracker.digest.wording import stortinget_times

    row = {**STORTING, "extra": {**STORTING["extra"], "anmodningsfrist": "2026-12-04T23:59:59+01:00",
                                 "innspillsfrist": "2026-12-04T23:59:59+01:00"}}
    today = stortinget_times(row, datetime.fromisoformat("2026-12-04T09:00:00+01:00"), "nb")
    assert today[0] == "Be om å delta: frist i dag" and today[2] == "Skriftlige innspill: frist i dag"
    english = stortinget_times(row, datetime.fromisoformat("2026-12-04T09:00:00+01:00"), "en")
    assert english[0] == "Request to speak: due today" and english[2] == "Written input: due today"
    before = stortinget_times(row, datetime.fromisoformat("2026-12-03T09:00:00+01:00"), "nb")
    assert before[2] == "Skriftlige innspill innen: fre. 04.12.2026"
    # the summary's "next due" and the draft's facts follow the same rule
    from tracker.digest.wording import next_due_text
    from tracker.workbench.drafts import _fmt_time

    due = {"next_due_what": "request_to_speak", "next_due": "2026-12-04T23:59:59+01:00"}
    assert next_due_text(due, datetime.fromisoformat("2026-12-04T09:00:00+01:00"), "nb") == "be om å delta: frist i dag"
    assert _fmt_time("2026-12-04T23:59:59+01:00", "nb") == _fmt_time("2026-12-04", "nb")
    assert _fmt_time("2026-12-04T12:00:00+01:00", "nb").endswith("kl. 12.00")


def test_needs_input_is_capped_per_window_with_a_pointer_to_the_workbench(db, data_dir):
    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nneeds_input_cap = 2\n", "utf-8")
    build_world(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp")
    later = next(g for g in d.section("needs-input").groups if g.heading.startswith("Senere"))
    assert later.heading == "Senere (5)" and len(later.entries) == 2 and later.more == "+3 til i arbeidsbenken"
    assert "_+3 til i arbeidsbenken_" in digest.render_markdown(d)


def test_the_first_digest_lists_only_relevant_new_items(db):
    build_world(db, days=1)
    d = digest.build_digest(db, as_of=DAY1, profile="ncp")
    new = d.section("new")
    shown = {e.id for g in new.groups for e in g.entries}
    assert iid("3100003") not in shown  # relevance 0.04
    assert all(r["passes"] for r in d.new if r["id"] in shown)
    assert any("ikke relevante for denne profilen" in n.text or "ikke relevant for denne profilen" in n.text
               for n in new.notes)


def test_summary_comes_first(db):
    build_world(db)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp")
    assert 3 <= len(d.summary) <= 5
    assert d.summary[0] == "8 høringer trenger innspill, 2 av dem nye."
    md = digest.render_markdown(d)
    assert md.index(d.summary[0]) < md.index("## Trenger innspill")
    assert json.dumps(d.summary, ensure_ascii=False).count("Kilder: 1 feiler (Stortingets komitéhøringer)") == 1
