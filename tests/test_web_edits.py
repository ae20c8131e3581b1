"""Nothing an adviser typed or saved is lost on the workbench: two advisers saving the same item
(the second is refused, told what changed), a save after the login timed out, a refused account
and a refused name on the label form; the language switch on a page a form answered."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from web_support import make_app

from tests.browser.seed import HEARING
from tracker.store.db import open_db


def _field(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _triage_form(page: str) -> dict[str, str]:
    """The triage form's fields as the page fills them in (the status chosen, the note typed)."""
    form = re.search(r'<form[^>]*id="triage-form".*?</form>', page, re.S).group(0)
    fields = {k: html_lib.unescape(v) for k, v in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form)}
    chosen = re.findall(r'<option value="(\w*)" selected>', form)
    fields["state"] = chosen[0] if chosen else ""
    fields["note"] = html_lib.unescape(re.search(r'<textarea name="note"[^>]*>(.*?)</textarea>', form, re.S).group(1))
    return fields


def _triage_row(db_path):
    db = open_db(db_path)
    try:
        return db.execute("select state, owner, internal_deadline, note from triage where item_id = ?",
                          [HEARING]).fetchone()
    finally:
        db.close()


# ---------------------------------------------------------------------------- two advisers


def _per_saves_first(db_path, **per_form: str):
    """Kari and Per open the item; Per saves `per_form` (302). Kari's client and the page she loaded
    before Per saved."""
    app = make_app(db_path)
    kari, per = app.test_client(), app.test_client()
    kari_page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    per_page = per.get(f"/item/{HEARING}").get_data(as_text=True)
    r = per.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(per_page, "csrf"), "base": _field(per_page, "base"), **per_form, "by": "Per"})
    assert r.status_code == 302
    return kari, kari_page


def test_the_second_of_two_advisers_saving_an_item_is_refused_and_told_what_changed(db_path):
    kari, kari_page = _per_saves_first(db_path, state="respond", owner="per", internal_deadline="2026-12-09",
                                       note="Vi svarer")
    # Kari saves with the empty adviser and day her page was loaded with
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(kari_page, "csrf"), "base": _field(kari_page, "base"), "state": "watching", "owner": "",
        "internal_deadline": "", "note": "Bare følg med", "by": "Kari"})
    assert r.status_code == 409
    page = html_lib.unescape(r.get_data(as_text=True))
    said = re.search(r'id="flash-error">(.*?)</p>', page, re.S).group(1)
    assert re.fullmatch(r"Per endret saken \S+ \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d: skal svares, ansvarlig per, "
                        r"utkast innen ons\. 09\.12\.2026, notat: «Vi svarer»; se over og lagre på nytt "
                        r"\(endringene dine står under, ikke lagret ennå\)\.", said), said
    assert "Lagret" not in page
    # what Kari typed is kept; the form is now on the item as it is
    assert ">Bare følg med</textarea>" in page and '<option value="watching" selected>' in page
    assert 'id="by" value="Kari"' in page
    assert _triage_row(db_path) == ("respond", "per", "2026-12-09", "Vi svarer")
    # saving again, knowing what changed, is her choice
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(page, "csrf"), "base": _field(page, "base"), "state": "watching", "owner": "per",
        "internal_deadline": "2026-12-09", "note": "Bare følg med", "by": "Kari"})
    assert r.status_code == 302
    assert _triage_row(db_path) == ("watching", "per", "2026-12-09", "Bare følg med")


def test_a_refused_stale_form_keeps_the_other_advisers_work_where_the_second_changed_nothing(db_path):
    """Per sets status, adviser and draft-by day; Kari, on the page loaded before, writes only a
    note and is refused. The form shown to her carried the empty adviser and day it was loaded
    with on the item as it is now, so saving it again (302) wiped Per's adviser and day without a
    word. It now carries her own change (the note) and the item's values for what she left alone."""
    kari, kari_page = _per_saves_first(db_path, state="respond", owner="per", internal_deadline="2026-12-09")
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(kari_page, "csrf"), "base": _field(kari_page, "base"), "state": "", "owner": "",
        "internal_deadline": "", "note": "Jeg skriver utkastet", "by": "Kari"})
    assert r.status_code == 409
    form = _triage_form(r.get_data(as_text=True))
    assert form["owner"] == "per" and form["internal_deadline"] == "2026-12-09"  # Per's, she left them alone
    assert form["state"] == "" and form["note"] == "Jeg skriver utkastet" and form["by"] == "Kari"
    r = kari.post(f"/item/{HEARING}/triage", data=form)  # saved again as shown
    assert r.status_code == 302
    assert _triage_row(db_path) == ("respond", "per", "2026-12-09", "Jeg skriver utkastet")


def test_a_refused_stale_form_keeps_what_the_second_adviser_changed(db_path):
    """What Kari changed herself (the status, the adviser) comes back as she set it; what she
    left alone (the day, which Per moved in between) is the item's value now."""
    app = make_app(db_path)
    kari, per = app.test_client(), app.test_client()
    per_page = per.get(f"/item/{HEARING}").get_data(as_text=True)
    per.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(per_page, "csrf"), "base": _field(per_page, "base"), "state": "respond", "owner": "per",
        "internal_deadline": "2026-12-09", "by": "Per"})
    kari_page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    assert _triage_form(kari_page)["owner"] == "per"
    per_page = per.get(f"/item/{HEARING}").get_data(as_text=True)
    per.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(per_page, "csrf"), "base": _field(per_page, "base"), "owner": "per",
        "internal_deadline": "2026-12-08", "by": "Per"})
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(kari_page, "csrf"), "base": _field(kari_page, "base"), "state": "assigned", "owner": "kari",
        "internal_deadline": "2026-12-09", "note": "", "by": "Kari"})
    assert r.status_code == 409
    form = _triage_form(r.get_data(as_text=True))
    assert form["owner"] == "kari" and form["state"] == "assigned"  # hers
    assert form["internal_deadline"] == "2026-12-08"  # Per's new day: she left the day alone
    r = kari.post(f"/item/{HEARING}/triage", data=form)
    assert r.status_code == 302
    assert _triage_row(db_path) == ("assigned", "kari", "2026-12-08", None)


def test_a_stale_save_is_said_in_english(db_path):
    app = make_app(db_path)
    kari, per = app.test_client(), app.test_client()
    kari_page = kari.get(f"/item/{HEARING}?lang=en").get_data(as_text=True)
    per_page = per.get(f"/item/{HEARING}").get_data(as_text=True)
    per.post(f"/item/{HEARING}/triage", data={"csrf": _field(per_page, "csrf"), "base": _field(per_page, "base"),
                                              "state": "respond", "owner": "per", "by": "Per"})
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(kari_page, "csrf"), "base": _field(kari_page, "base"), "state": "watching", "by": "Kari"})
    assert r.status_code == 409
    page = html_lib.unescape(r.get_data(as_text=True))
    assert re.search(r"Per changed the item at [^:]+:\d\d: to answer, adviser per; look them over and save "
                     r"again \(your changes are below, not saved yet\)\.", page), page


def test_a_label_mark_in_between_does_not_make_a_triage_form_stale(db_path):
    """Label marks are marks of their own (each names one label, replaces nothing): no conflict."""
    app = make_app(db_path)
    kari, per = app.test_client(), app.test_client()
    kari_page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    per_page = per.get(f"/item/{HEARING}").get_data(as_text=True)
    r = per.post(f"/item/{HEARING}/labels", data={"csrf": _field(per_page, "csrf"), "mark": "+",
                                                  "label": "oecd-iv", "by": "Per"})
    assert r.status_code == 302
    r = kari.post(f"/item/{HEARING}/triage", data={
        "csrf": _field(kari_page, "csrf"), "base": _field(kari_page, "base"), "state": "watching", "by": "Kari"})
    assert r.status_code == 302
    assert _triage_row(db_path)[0] == "watching"


def test_set_state_refuses_a_stale_base_and_writes_nothing(db_path):
    from tracker.workbench import triage

    db = open_db(db_path)
    try:
        base = triage.version(db, HEARING)
        assert base == 0
        triage.set_state(db, HEARING, "respond", owner="per", by="Per", base=base)
        with pytest.raises(triage.StaleTriage) as caught:
            triage.set_state(db, HEARING, "watching", owner="", by="Kari", base=base)
        assert [c["by"] for c in caught.value.changes] == ["Per"]
        assert caught.value.owner_before is None  # never triaged when the form was loaded
        assert caught.value.at_base == {"state": "new", "owner": None, "internal_deadline": None}
        assert "changed by Per" in str(caught.value)
        assert triage.get(db, HEARING)["owner"] == "per"
        assert len(triage.history(db, HEARING)) == 1
        loaded = triage.version(db, HEARING)  # with Per as its adviser
        triage.set_state(db, HEARING, "watching", by="Kari", base=loaded)
        assert triage.get(db, HEARING)["state"] == "watching"
        triage.set_state(db, HEARING, owner="kari", by="Kari", base=triage.version(db, HEARING))
        with pytest.raises(triage.StaleTriage) as caught:
            triage.set_state(db, HEARING, note="ser på den", by="Ola", base=loaded)
        assert caught.value.owner_before == "per"
        assert caught.value.at_base == {"state": "respond", "owner": "per", "internal_deadline": None}
        assert [(c["by"], c["owner"]) for c in caught.value.changes] == [("Kari", "per"), ("Kari", "kari")]
    finally:
        db.close()


# ---------------------------------------------------------------------------- a timed-out login


def _hidden(page: str, form_id: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S).group(0)
    return {html_lib.unescape(k): html_lib.unescape(v)
            for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)}


@pytest.fixture
def team_app(db_path):
    from web_support import make_accounts

    db = open_db(db_path)
    make_accounts(db, [("kari", "adviser")])
    db.close()
    return make_app(db_path, idle_timeout_minutes=30)


def _log_in(client, lang: str = "nb") -> None:
    from web_support import PASSWORD

    page = client.get(f"/login?lang={lang}").get_data(as_text=True)
    r = client.post("/login", data={"csrf": _field(page, "csrf"), "name": "kari", "password": PASSWORD, "next": "/"})
    assert r.status_code == 302


def _time_out(client) -> None:
    with client.session_transaction() as s:
        s["seen"] -= 31 * 60


def test_a_save_after_the_login_timed_out_is_kept_and_saved_after_logging_in(team_app, db_path):
    from web_support import PASSWORD

    kari = team_app.test_client()
    _log_in(kari)
    page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    note = "Viktig for kontaktpunktet.\nAndre linje «sitat» & <b>"
    form = {"csrf": _field(page, "csrf"), "base": _field(page, "base"), "state": "respond", "owner": "kari",
            "internal_deadline": "2026-12-09", "note": note}
    _time_out(kari)
    r = kari.post(f"/item/{HEARING}/triage", data=form)
    assert r.status_code == 401
    login = html_lib.unescape(r.get_data(as_text=True))
    assert "Du ble logget ut etter 30 minutter uten aktivitet." in login
    assert "CSRF" not in login and "Feil 400" not in login
    assert "Det du sendte, er ikke lagret ennå" in login
    assert _triage_row(db_path) is None
    # a wrong password first: what was typed is still kept
    carried = _hidden(r.get_data(as_text=True), "login-form")
    assert carried["keep:note"] == note and carried["replay"] == f"/item/{HEARING}/triage"
    assert carried["next"] == f"/item/{HEARING}"  # «Forkast» leads back to the item
    assert "keep:csrf" not in carried
    r = kari.post("/login", data={**carried, "name": "kari", "password": "feil-passord-123"})
    assert r.status_code == 401
    carried = _hidden(r.get_data(as_text=True), "login-form")
    assert carried["keep:note"] == note
    r = kari.post("/login", data={**carried, "name": "kari", "password": PASSWORD})
    assert r.status_code == 200
    resume = r.get_data(as_text=True)
    assert "Du er logget inn igjen." in resume and html_lib.escape(note, quote=False) in resume
    assert "<dd class=\"note\">skal svares</dd>" in resume and ">ons. 09.12.2026<" in resume
    assert f'id="resume-discard" href="/item/{HEARING}"' in resume or f'href="/item/{HEARING}" id="resume-discard"' in resume
    assert _triage_row(db_path) is None  # saved only when she says so, with the new session's token
    again = _hidden(resume, "resume-form")
    assert again["csrf"] != form["csrf"] and again["note"] == note
    r = kari.post(f"/item/{HEARING}/triage", data=again)
    assert r.status_code == 302
    assert _triage_row(db_path) == ("respond", "kari", "2026-12-09", note)
    # the token of the timed-out session is no good in the new one
    assert kari.post(f"/item/{HEARING}/triage", data=form).status_code == 400


def test_a_timed_out_login_is_said_in_english_and_a_forged_form_is_still_refused(team_app, db_path):
    kari = team_app.test_client()
    _log_in(kari, "en")
    page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    _time_out(kari)
    r = kari.post(f"/item/{HEARING}/labels", data={"csrf": _field(page, "csrf"), "mark": "+", "label": "oecd-iv"})
    assert r.status_code == 401
    assert "You were logged out after 30 minutes without activity." in r.get_data(as_text=True)
    # a form not from the session's own page carries nothing and is refused as before
    other = team_app.test_client()
    _log_in(other)
    _time_out(other)
    r = other.post(f"/item/{HEARING}/triage", data={"csrf": "forged", "state": "respond", "note": "x"})
    assert r.status_code == 400 and 'name="keep:note"' not in r.get_data(as_text=True)
    assert _triage_row(db_path) is None


# ---------------------------------------------------------------------------- refused forms kept


def test_a_refused_account_comes_back_with_its_name_and_role_never_the_password(db_path):
    from web_support import PASSWORD, make_accounts

    db = open_db(db_path)
    make_accounts(db, [("anne", "admin")])
    db.close()
    anne = make_app(db_path).test_client()
    page = anne.get("/login").get_data(as_text=True)
    anne.post("/login", data={"csrf": _field(page, "csrf"), "name": "anne", "password": PASSWORD, "next": "/"})
    page = anne.get("/admin/users").get_data(as_text=True)
    r = anne.post("/admin/users", data={"csrf": _field(page, "csrf"), "name": "per.hansen", "role": "reader",
                                        "password": "kort"})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    said = re.search(r'id="flash-error">([^<]+)</p>', page).group(1)
    assert re.fullmatch(r"Passordet må ha minst \d+ tegn\.", said), said
    assert 'id="user-name" value="per.hansen"' in page
    assert '<option value="reader" selected>' in page and '<option value="adviser" selected>' not in page
    assert "kort" not in re.search(r'<form[^>]*id="user-add".*?</form>', page, re.S).group(0)
    db = open_db(db_path)
    assert db.execute("select count(*) from users where name = 'per.hansen'").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("name", ["", "Ola/Kari"])
def test_a_refused_name_on_the_label_form_keeps_the_name_and_the_topic(db_path, name):
    client = make_app(db_path).test_client()
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    r = client.post(f"/item/{HEARING}/labels", data={"csrf": _field(page, "csrf"), "mark": "+",
                                                     "label": "oecd-iv", "by": name})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    said = "kan ikke inneholde «/»" if name else "Skriv navnet ditt i «Endret av»"
    assert said in re.search(r'id="flash-error">([^<]+)</p>', page).group(1)
    form = re.search(r'<form[^>]*id="label-form".*?</form>', page, re.S).group(0)
    assert '<option value="oecd-iv" selected>' in form
    assert f'id="label-by" value="{name}"' in form
    db = open_db(db_path)
    assert db.execute("select count(*) from label_marks").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("fmt", ["docx", "md"])
@pytest.mark.parametrize("name", ["", "Ola/Kari"])
def test_a_refused_name_on_the_draft_form_keeps_the_name_and_the_format(db_path, name, fmt):
    """The draft form without a name (no accounts) redirected to the item with «Skriv navnet ditt
    …», the typed name and the chosen format lost (a refused name called missing). It now comes
    back (422) as the label form does: why, the name as typed, the chosen format's button first."""
    client = make_app(db_path).test_client()
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    r = client.post(f"/item/{HEARING}/draft", data={"csrf": _field(page, "csrf"), "format": fmt, "by": name})
    assert r.status_code == 422
    page = html_lib.unescape(r.get_data(as_text=True))
    said = "kan ikke inneholde «/»" if name else "Skriv navnet ditt i «Endret av» før du lager et utkast."
    assert said in re.search(r'id="flash-error">([^<]+)</p>', page).group(1)
    form = re.search(r'<form[^>]*id="draft-form".*?</form>', page, re.S).group(0)
    assert f'id="draft-by" value="{name}"' in form
    buttons = re.findall(r'<button type="submit" name="format" value="(\w+)"', form)
    assert buttons[0] == fmt and sorted(buttons) == ["docx", "md"]
    db = open_db(db_path)
    assert db.execute("select count(*) from drafts").fetchone()[0] == 0
    db.close()


# ---------------------------------------------------------------------------- the language switch


def _switch(answer) -> str:
    """The page's link to its other language (base.html's «English»/«Norsk»)."""
    page = answer.get_data(as_text=True)
    return html_lib.unescape(re.search(r'<div class="langs" id="langs"><a href="([^"]+)"', page).group(1))


def test_the_language_switch_on_a_refused_form_leads_to_the_forms_page(db_path):
    """A page a POST answered (a refused triage, label or draft form) linked «English» to the
    address the form was sent to: /item/X/triage?lang=en, «Unknown item: X/triage» (404)."""
    app = make_app(db_path)
    client = app.test_client()
    page = client.get(f"/item/{HEARING}").get_data(as_text=True)
    token = _field(page, "csrf")
    answers = [
        client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "Kari",
                                                     "internal_deadline": "2020-01-01"}),  # a day passed
        client.post(f"/item/{HEARING}/labels", data={"csrf": token, "mark": "+", "label": "oecd-iv", "by": "<b>"}),
        client.post(f"/item/{HEARING}/draft", data={"csrf": token, "format": "md", "by": "<b>"}),
    ]
    for answer in answers:
        assert answer.status_code == 422
        link = _switch(answer)
        assert link == f"/item/{HEARING}?lang=en", link
        english = client.get(link)
        assert english.status_code == 200 and '<html lang="en">' in english.get_data(as_text=True)
        assert _switch(english) == f"/item/{HEARING}?lang=nb"


def test_the_language_switch_on_a_failed_login_keeps_where_it_leads(team_app):
    """The failed login's «English» was /login?lang=en: the login after it led to the inbox, not
    to the page asked for."""
    from web_support import PASSWORD

    kari = team_app.test_client()
    asked = kari.get(f"/item/{HEARING}")
    assert asked.status_code == 302
    page = kari.get(asked.location).get_data(as_text=True)
    assert _field(page, "next") == f"/item/{HEARING}"
    failed = kari.post("/login", data={"csrf": _field(page, "csrf"), "name": "kari", "password": "feil-passord-123",
                                       "next": f"/item/{HEARING}"})
    assert failed.status_code == 401
    link = _switch(failed)
    assert link.startswith("/login?") and parse_qs(urlsplit(link).query) == {"next": [f"/item/{HEARING}"],
                                                                            "lang": ["en"]}
    english = kari.get(link).get_data(as_text=True)
    assert '<html lang="en">' in english and _field(english, "next") == f"/item/{HEARING}"
    r = kari.post("/login", data={"csrf": _field(english, "csrf"), "name": "kari", "password": PASSWORD,
                                  "next": _field(english, "next")})
    assert r.status_code == 302 and r.location.endswith(f"/item/{HEARING}")


def test_the_language_switch_on_a_timed_out_forms_login_leads_to_the_forms_page(team_app):
    kari = team_app.test_client()
    _log_in(kari)
    page = kari.get(f"/item/{HEARING}").get_data(as_text=True)
    _time_out(kari)
    r = kari.post(f"/item/{HEARING}/triage", data={"csrf": _field(page, "csrf"), "base": _field(page, "base"),
                                                   "note": "Viktig"})
    assert r.status_code == 401
    link = _switch(r)
    assert link == f"/item/{HEARING}?lang=en", link
    again = kari.get(link)  # logged out: to the login, in English, on to the item
    assert again.status_code == 302
    login = kari.get(again.location).get_data(as_text=True)
    assert '<html lang="en">' in login and _field(login, "next").startswith(f"/item/{HEARING}")
