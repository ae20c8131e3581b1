"""Web workbench through Flask's test client: pages, CSRF, escaping, token, host, downloads."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from docx import Document

from crawlers.dates import OSLO
from tests.browser.seed import HEARING, HEARING_OLD, seed
from tracker.store.db import open_db
from tracker.web.app import WebConfigError, create_app, highlight, word_diff

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "w.db"
    db = open_db(path)
    seed(db)
    db.close()
    return str(path)


@pytest.fixture
def client(db_path):
    return create_app(db_path, as_of=AS_OF).test_client()


def _csrf(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_inbox_lists_needs_input_by_urgency(client):
    html = client.get("/").get_data(as_text=True)
    assert "Endringer i regnskapsloven" in html
    assert html.index("Endringer i regnskapsloven") < html.index("Høring - endringer i åpenhetsloven")
    assert HEARING_OLD not in html  # closed


def test_item_page_shows_evidence_history_answers(client):
    html = client.get(f"/item/{HEARING}").get_data(as_text=True)
    assert '<mark class="ev" title="oecd-v">tvangsarbeid</mark>' in html
    assert "<ins>" in html and "deadline_changed" in html  # readable diff of changes
    assert "Last ned .docx" in html
    old = client.get(f"/item/{HEARING_OLD}").get_data(as_text=True)
    assert "Norsk Hydro ASA" in old and "business" in old


def test_triage_post_with_csrf_and_escaped_note(client):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "respond", "by": "kari",
                                                     "note": "<script>alert(1)</script>"})
    assert r.status_code == 302
    html = client.get(r.location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="triage-state">respond<' in html


def test_post_without_csrf_is_refused_and_changes_nothing(client, db_path):
    client.get(f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"state": "respond"})
    assert r.status_code == 400
    r = client.post(f"/item/{HEARING}/triage", data={"state": "respond", "csrf": "forged"})
    assert r.status_code == 400
    db = open_db(db_path)
    assert db.execute("select count(*) from triage").fetchone()[0] == 0


def test_illegal_transition_shows_error(client):
    token = _csrf(client, f"/item/{HEARING}")
    r = client.post(f"/item/{HEARING}/triage", data={"csrf": token, "state": "published"})
    html = client.get(r.location).get_data(as_text=True)
    assert "illegal transition new → published" in html


def test_unknown_item_is_404(client):
    assert client.get("/item/no_such:1").status_code == 404
    assert client.get("/item/no_such:1/draft.docx").status_code == 404
    token = _csrf(client, f"/item/{HEARING}")
    assert client.post("/item/no_such:1/triage", data={"csrf": token, "state": "respond"}).status_code == 404


def test_draft_download_is_a_docx(client):
    r = client.get(f"/item/{HEARING}/draft.docx")
    assert r.status_code == 200
    assert 'filename="regjeringen_3150001-horingssvar-2026-11-24.docx"' in r.headers["Content-Disposition"]
    doc = Document(io.BytesIO(r.data))
    assert doc.paragraphs[0].text == "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
    assert client.get(f"/item/{HEARING}/draft.exe").status_code == 404


@pytest.mark.parametrize("q", ['"', "NEAR(", "*", "hoering\" OR *"])
def test_search_with_fts_syntax(client, q):
    r = client.get("/search", query_string={"q": q})
    assert r.status_code == 200


def test_search_ascii_spelling(client):
    html = client.get("/search", query_string={"q": "aapenhetsloven"}).get_data(as_text=True)
    assert f"/item/{HEARING}" in html and "<mark>" in html


def test_health_page(client):
    html = client.get("/health").get_data(as_text=True)
    assert "Høringer (regjeringen.no)" in html and "detaljsider blokkert" in html
    assert "no_regjeringen_horinger" not in html and "detail pages blocked" not in html


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"


def test_foreign_host_header_is_refused_on_loopback(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


def test_public_bind_requires_token(db_path):
    with pytest.raises(WebConfigError, match="token"):
        create_app(db_path, host="0.0.0.0")
    with pytest.raises(WebConfigError, match="12 characters"):
        create_app(db_path, host="0.0.0.0", token="short")


def test_token_required_when_set(db_path):
    app = create_app(db_path, host="0.0.0.0", token="s3cret-token-123", as_of=AS_OF)
    c = app.test_client()
    assert c.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 401
    assert c.get("/?token=wrong-token-0000", headers={"Host": "10.0.0.5:8000"}).status_code == 401
    r = c.get("/?token=s3cret-token-123", headers={"Host": "10.0.0.5:8000"})
    assert r.status_code == 302 and "token" not in r.location  # token leaves the URL
    assert c.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 200  # session remembers


def test_highlight_escapes_and_marks():
    out = str(highlight("a <b> tvangsarbeid & c", [{"start": 6, "end": 18, "label": "oecd-v"}]))
    assert out == 'a &lt;b&gt; <mark class="ev" title="oecd-v">tvangsarbeid</mark> &amp; c'


def test_word_diff():
    assert str(word_diff("frist 1. desember", "frist 10. desember")) == "frist <del>1.</del> <ins>10.</ins> desember"


def test_related_items_shown_when_links_exist(db_path):
    db = open_db(db_path)
    if "links" not in db.table_names():
        pytest.skip("tracker.links.related migrations not installed")
    from tests.browser.seed import EU

    db["links"].insert({"a": HEARING, "b": EU, "ref": "celex:32024L1760", "how": "text"})
    db.conn.commit()
    db.close()
    html = create_app(db_path, as_of=AS_OF).test_client().get(f"/item/{HEARING}").get_data(as_text=True)
    section = html[html.index('id="related"'):html.index('id="history"')]
    assert f"/item/{EU}" in section and "celex:32024L1760" in section
