"""The workbench for a team, against the real server (waitress on 127.0.0.1): every route needs a
login, roles, session attacks (fixation, forged and replayed cookies, CSRF, open redirects),
the login limiter, idle timeout, feeds with revocable tokens, and no GET ever writes."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from web_support import PASSWORD, Client, make_accounts, running, seeded_db

from crawlers.dates import OSLO
from tests.browser.seed import HEARING
from tracker.web.app import create_app

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)


def fingerprint(db_path) -> str:
    import hashlib
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def team_db(tmp_path_factory):
    """The seeded database with three accounts, made once (argon2 is slow on purpose) and copied."""
    db_path = tmp_path_factory.mktemp("team") / "team.db"
    db = seeded_db(db_path)
    make_accounts(db, [("anne", "admin"), ("kari", "adviser"), ("rolf", "reader")])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db_path


@pytest.fixture
def team(tmp_path, team_db):
    import shutil

    db_path = tmp_path / "team.db"
    shutil.copy(team_db, db_path)
    app = create_app(str(db_path), as_of=AS_OF, data_dir=tmp_path / "data", login_max_attempts=3)
    with running(app) as base:
        yield base, str(db_path), app


def _sample_url(rule) -> str:
    """A concrete URL for a URL-map rule (every argument filled with something plausible)."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        if converter == "IntegerConverter":
            values[arg] = 1
        elif arg == "item_id":
            values[arg] = HEARING
        elif arg == "fmt":
            values[arg] = "ics" if "feed" in rule.endpoint else "docx"
        elif arg == "token":
            values[arg] = "x" * 43
        else:
            values[arg] = "style.css" if arg == "filename" else "x"
    url = rule.rule
    for arg, value in values.items():
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(value), url)
    return url


def test_every_route_refuses_anonymous_users(team):
    base, db_path, app = team
    before = fingerprint(db_path)
    anonymous = Client(base)
    token = anonymous.csrf("/login")  # even with a valid CSRF token of its own session
    checked = 0
    for rule in app.url_map.iter_rules():
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = anonymous.request(method, url, data={"csrf": token} if method == "POST" else None)
            checked += 1
            if rule.endpoint == "static":
                assert answer.status == 200  # the style sheet is public
            elif rule.endpoint == "login":
                assert answer.status == 200 and 'id="login-form"' in answer.text
            elif rule.endpoint == "login_post":
                assert answer.status == 401 and "Feil brukernavn eller passord" in answer.text
            elif rule.endpoint == "feed":
                assert answer.status == 404  # an unknown token opens nothing
            elif method == "GET":
                assert answer.status == 302 and answer.location.startswith("/login?next="), (url, answer.status)
            else:
                assert answer.status == 401, (method, url, answer.status)
    assert checked >= 20
    assert fingerprint(db_path) == before


def test_roles(team):
    base, db_path, _ = team
    rolf = Client(base)
    assert rolf.login("rolf").status == 302
    assert rolf.get(f"/item/{HEARING}").status == 200
    assert 'id="triage-form"' not in rolf.get(f"/item/{HEARING}").text
    token = rolf.csrf("/")
    assert rolf.post(f"/item/{HEARING}/triage", {"csrf": token, "state": "respond"}).status == 403
    assert rolf.post(f"/item/{HEARING}/draft", {"csrf": token, "format": "docx"}).status == 403
    assert rolf.get("/admin/users").status == 403
    assert rolf.post("/admin/users", {"csrf": token, "name": "mallory", "password": PASSWORD,
                                      "role": "admin"}).status == 403

    kari = Client(base)
    assert kari.login("kari").status == 302
    token = kari.csrf("/")
    # the history records the account, whatever name the form claims
    r = kari.post(f"/item/{HEARING}/triage", {"csrf": token, "state": "respond", "by": "anne"})
    assert r.status == 302 and "msg=" not in r.location
    assert 'id="flash"' in kari.get(r.location).text
    r = kari.post(f"/item/{HEARING}/draft", {"csrf": token, "format": "docx"})
    assert r.status == 303
    assert kari.get(r.location).body[:2] == b"PK"  # a .docx (zip)
    assert kari.get("/admin/users").status == 403
    assert kari.post("/admin/users", {"csrf": token, "name": "mallory", "password": PASSWORD,
                                      "role": "admin"}).status == 403

    anne = Client(base)
    assert anne.login("anne").status == 302
    assert "kari" in anne.get("/admin/users").text
    token = anne.csrf("/admin/users")
    r = anne.post("/admin/users", {"csrf": token, "name": "Per", "password": PASSWORD, "role": "reader"})
    assert r.status == 302 and "msg=" not in r.location  # said on the page, once, not in the address
    said = anne.get(r.location).text
    assert 'id="flash"' in said and "Per" in said
    assert 'id="flash"' not in anne.get(r.location).text

    import sqlite3

    conn = sqlite3.connect(db_path)
    assert conn.execute("select by from triage_history").fetchall() == [("kari",)]
    assert conn.execute("select created_by from drafts").fetchall() == [("kari",)]
    assert conn.execute("select role from users where name = 'Per'").fetchone() == ("reader",)
    conn.close()


def test_session_fixation_forged_and_replayed_cookies(team):
    base, db_path, app = team
    attacker = Client(base)
    attacker.csrf("/login")
    planted = dict(attacker.cookies)
    victim = Client(base, cookies=dict(planted))  # the victim logs in with the planted cookie
    assert victim.login("kari").status == 302
    assert victim.cookies["ncp_session"] != planted["ncp_session"]
    assert victim.get("/").status == 200
    assert attacker.get("/").status == 302  # the planted cookie stays anonymous

    # a cookie signed with another key, claiming to be the admin
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    other = Flask("forger")
    other.secret_key = b"not the server's key" * 4
    serializer = SecureCookieSessionInterface().get_signing_serializer(other)
    forged = serializer.dumps({"uid": 1, "epoch": 0, "seen": 2_000_000_000, "csrf": "x"})
    assert Client(base, cookies={"ncp_session": forged}).get("/admin/users").status == 302
    # the real key but a tampered payload
    real = victim.cookies["ncp_session"]
    tampered = real[:-3] + ("AAA" if real[-3:] != "AAA" else "BBB")
    assert Client(base, cookies={"ncp_session": tampered}).get("/").status == 302

    # a copy of the cookie stops working once its owner logs out
    stolen = dict(victim.cookies)
    token = victim.csrf("/")
    assert victim.post("/logout", {"csrf": token}).status == 302
    assert Client(base, cookies=stolen).get("/").status == 302

    # and once the account is disabled
    kari = Client(base)
    kari.login("kari")
    from tracker.store.db import open_db
    from tracker.workbench import accounts

    db = open_db(db_path)
    accounts.disable(db, "kari")
    db.close()
    assert kari.get("/").status == 302
    assert kari.login("kari").status == 401  # a disabled account cannot log in


def test_csrf_is_required_and_bound_to_the_session(team):
    base, db_path, _ = team
    kari, anne = Client(base), Client(base)
    kari.login("kari")
    anne.login("anne")
    before = fingerprint(db_path)
    assert kari.post(f"/item/{HEARING}/triage", {"state": "respond"}).status == 400
    assert kari.post(f"/item/{HEARING}/triage", {"state": "respond", "csrf": anne.csrf("/")}).status == 400
    assert kari.post("/logout", {}).status == 400
    assert fingerprint(db_path) == before


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example"])
def test_no_open_redirect_after_login(team, target):
    base, _, _ = team
    r = Client(base).login("kari", next_=target)
    assert r.status == 302 and r.location == "/"


def test_redirect_back_to_the_page_asked_for(team):
    base, _, _ = team
    client = Client(base)
    first = client.get("/search?q=hoering")
    assert first.status == 302
    next_ = re.search(r"next=([^&]+)", first.location).group(1)
    from urllib.parse import unquote

    r = client.login("kari", next_=unquote(next_))
    assert r.location == "/search?q=hoering"


def test_brute_force_is_stopped_with_a_generic_answer(team):
    base, _, app = team
    attacker = Client(base)
    answers = [attacker.login("kari", password=f"gjett-{n:04d}-passord") for n in range(12)]
    statuses = [a.status for a in answers]
    assert statuses[:3] == [401, 401, 401]
    assert set(statuses[3:]) == {429}
    assert "For mange mislykkede forsøk" in answers[-1].text
    assert attacker.login("kari").status == 429  # the right password is no way round it now
    # an unknown account gets the same answer as a wrong password (from a fresh address key)
    app.extensions["login_limiter"]._failures.clear()
    unknown, wrong = Client(base).login("finnes-ikke"), Client(base).login("anne", password="feil-passord-123")
    assert unknown.status == wrong.status == 401
    strip = lambda t: re.sub(r'value="[^"]*"', "", t)  # noqa: E731 - the typed name and the token differ
    assert strip(unknown.text) == strip(wrong.text)


def test_the_limit_counts_per_address_across_accounts(team):
    base, _, _ = team
    sprayer = Client(base)
    statuses = [sprayer.login(name, password="feil-passord-123").status
                for name in ("anne", "kari", "rolf", "per", "ola")]
    assert statuses == [401, 401, 401, 429, 429]


def test_idle_timeout(tmp_path):
    import time

    db_path = tmp_path / "idle.db"
    db = seeded_db(db_path)
    make_accounts(db, [("kari", "adviser")])
    db.close()
    app = create_app(str(db_path), as_of=AS_OF, data_dir=tmp_path / "data", idle_timeout_minutes=4 / 60)
    with running(app) as base:
        kari = Client(base)
        kari.login("kari")
        assert kari.get("/").status == 200
        time.sleep(4.5)
        r = kari.get("/")
        assert r.status == 302 and "/login" in r.location
        assert "uten aktivitet" in kari.get(r.location).text


def test_feed_tokens_are_per_user_and_revocable(team):
    base, _, _ = team
    rolf = Client(base)
    rolf.login("rolf")
    token = rolf.csrf("/account")
    page = rolf.post("/account/feed-token", {"csrf": token})
    assert page.status == 200
    ics = re.search(r'id="feed-ics">([^<]+)<', page.text).group(1)
    atom = re.search(r'id="feed-atom">([^<]+)<', page.text).group(1)
    ics_path, atom_path = ics.removeprefix(base), atom.removeprefix(base)
    anonymous = Client(base)  # a calendar program: no cookie, only the URL
    cal = anonymous.get(ics_path)
    assert cal.status == 200 and cal.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VCALENDAR" in cal.body
    feed = anonymous.get(atom_path)
    assert feed.status == 200 and b"<feed" in feed.body
    # each event and entry leads to the item's page in this workbench (at the address used)
    import feedparser
    import icalendar

    pages = {str(e["DESCRIPTION"]).rsplit("Arbeidsbenken: ", 1)[1]
             for e in icalendar.Calendar.from_ical(cal.body).walk("VEVENT")}
    assert f"{base}/item/{HEARING}" in pages and all(p.startswith(base + "/item/") for p in pages)
    related = {link.href for entry in feedparser.parse(feed.body).entries for link in entry.get("links", [])
               if link.rel == "related"}
    assert f"{base}/item/{HEARING}" in related
    assert "<h1" in rolf.get(f"/item/{HEARING}").text  # the page opens (a logged-in adviser)
    # a new address revokes the old one; revoking leaves none
    page = rolf.post("/account/feed-token", {"csrf": token})
    assert anonymous.get(ics_path).status == 404
    newer = re.search(r'id="feed-ics">([^<]+)<', page.text).group(1).removeprefix(base)
    assert anonymous.get(newer).status == 200
    assert rolf.post("/account/feed-token/revoke", {"csrf": token}).status == 302
    assert anonymous.get(newer).status == 404


def test_a_subscription_speaks_the_language_it_was_made_in(team):
    """A calendar program sends no cookie: the calendar came in Bokmål whatever language the
    adviser used (and whatever [digest] lang said). The address now carries the language."""
    import icalendar

    base, _, _ = team
    rolf = Client(base)
    rolf.login("rolf")
    token = rolf.csrf("/account")
    english = rolf.post("/account/feed-token?lang=en", {"csrf": token})
    address = html.unescape(re.search(r'id="feed-ics">([^<]+)<', english.text).group(1))
    assert address.endswith(".ics?lang=en")
    cal = icalendar.Calendar.from_ical(Client(base).get(address.removeprefix(base)).body)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert summaries and all(s.split(":")[0] in ("Deadline", "Draft due", "Request to speak", "Committee hearing",
                                                 "Written input") for s in summaries), summaries
    bokmal = rolf.post("/account/feed-token?lang=nb", {"csrf": token})  # back to Bokmål
    address = html.unescape(re.search(r'id="feed-ics">([^<]+)<', bokmal.text).group(1))
    assert address.endswith(".ics?lang=nb")
    cal = icalendar.Calendar.from_ical(Client(base).get(address.removeprefix(base)).body)
    assert any(str(e["SUMMARY"]).startswith("Frist: ") for e in cal.walk("VEVENT"))


def test_no_get_writes(team):
    """Every GET route, logged in as admin, leaves the database exactly as it was."""
    base, db_path, app = team
    anne = Client(base)
    anne.login("anne")
    token = anne.csrf("/")
    assert anne.post(f"/item/{HEARING}/draft", {"csrf": token, "format": "docx"}).status == 303
    before = fingerprint(db_path)
    got = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static",):
            continue
        answer = anne.get(_sample_url(rule))
        assert answer.status < 500, rule.rule
        got += 1
    for extra in ("/?owner=kari", "/search?q=hoering", "/export?format=xlsx", "/gpfg?by=stage",
                  "/companies?name=a", "/drafts/1.docx", "/drafts/1.md"):
        assert anne.get(extra).status == 200, extra
    assert got >= 12
    assert fingerprint(db_path) == before


def test_security_headers_on_every_page(team):
    base, _, _ = team
    kari = Client(base)
    kari.login("kari")
    for path in ("/", f"/item/{HEARING}", "/login", "/account"):
        h = kari.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
    cookie = Client(base).get("/login").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forwarded_headers_are_trusted_only_when_configured(team, tmp_path, team_db):
    import shutil

    base, _, _ = team
    # no proxy configured: a spoofed X-Forwarded-For does not give a fresh address to the limiter
    sprayer = Client(base)
    statuses = []
    for n, name in enumerate(("anne", "kari", "rolf", "per")):
        token = sprayer.csrf("/login")
        statuses.append(sprayer.post("/login", {"csrf": token, "name": name, "password": "feil-passord-123"},
                                     headers={"X-Forwarded-For": f"203.0.113.{n}"}).status)
    assert statuses == [401, 401, 401, 429]

    # one proxy configured: its X-Forwarded-For is the address, X-Forwarded-Proto makes links https
    db_path = tmp_path / "proxied.db"
    shutil.copy(team_db, db_path)
    app = create_app(str(db_path), as_of=AS_OF, data_dir=tmp_path / "data2", trusted_proxies=1,
                     login_max_attempts=3)
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ncp.example.org"}
    with running(app) as proxied:
        client = Client(proxied)
        for n, name in enumerate(("anne", "kari", "rolf", "per")):
            token = client.csrf("/login")
            r = client.post("/login", {"csrf": token, "name": name, "password": "feil-passord-123"},
                            headers={**proxy, "X-Forwarded-For": f"203.0.113.{n}"})
            assert r.status == 401  # four addresses, one failure each: nobody is locked out
        r = Client(proxied).get("/", headers=proxy)
        assert r.status == 302 and "Secure" in r.headers["set-cookie"]
        assert r.headers["strict-transport-security"]


def test_servers_starting_together_share_one_whole_session_key(tmp_path):
    """The key file was created empty and written after: a second server starting at that moment
    read an empty file and refused to start ("too short"), about one time in two with 8 threads."""
    from support import run_together

    from tracker.web.auth import load_secret_key

    for n in range(40):
        path = tmp_path / f"d{n}" / "web-secret.key"
        keys, errors = run_together(lambda _i, path=path: load_secret_key(path), 8)
        assert errors == [] and len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
        assert path.stat().st_mode & 0o777 == 0o600
        assert [p.name for p in path.parent.iterdir()] == ["web-secret.key"]  # no temporary left
