"""E-mail: message structure, delivery to a real SMTP server on 127.0.0.1, refusals."""

from __future__ import annotations

import email
import socket
from datetime import datetime
from email import policy

import pytest
from aiosmtpd.controller import Controller

from crawlers.dates import OSLO
from tracker.digest import mailer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Keeps every message the server accepted."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


class Refuser:
    """Refuses one recipient, or every message."""

    def __init__(self, refuse: str | None = None):
        self.refuse = refuse
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse is None or address == self.refuse:
            return "550 5.7.1 Relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    started = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


def message(to=("a@example.org",)):
    return mailer.build_message(
        subject="NCP-oversikt tir. 24.11.2026: 3 høringer trenger innspill – æøå ÆØÅ",
        text="Trenger innspill\n\nHøring – endringer i åpenhetsloven\n",
        html="<p>Høring – endringer i <b>åpenhetsloven</b></p>",
        sender="NCP-trackeren <tracker@example.org>", recipients=list(to),
        date=datetime(2026, 11, 24, 6, 0, tzinfo=OSLO), idstring="digest-ncp-2026-11-24",
    )


def settings_for(controller, **kw) -> mailer.SmtpSettings:
    return mailer.SmtpSettings(host="127.0.0.1", port=controller.port, starttls=False,
                               sender="tracker@example.org", timeout=5, **kw)


def test_message_is_multipart_alternative_with_encoded_utf8_subject():
    raw = message().as_bytes()
    assert all(byte < 128 for byte in raw)  # 7-bit: headers RFC 2047, bodies quoted-printable
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    assert b"=?utf-8?" in head.lower()  # RFC 2047: æøå never raw in the header
    assert all(byte < 128 for byte in head)
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "NCP-oversikt tir. 24.11.2026: 3 høringer trenger innspill – æøå ÆØÅ"
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert "åpenhetsloven" in parsed.get_body(("plain",)).get_content()
    assert "<b>åpenhetsloven</b>" in parsed.get_body(("html",)).get_content()
    assert parsed["Date"].datetime == datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)
    assert parsed["Message-ID"].startswith("<") and parsed["Message-ID"].endswith("@example.org>")
    assert parsed["To"] == "a@example.org"


def test_delivered_to_a_real_smtp_server(smtp_server):
    inbox = Inbox()
    controller = smtp_server(inbox)
    accepted = mailer.send(message(("a@example.org", "b@example.org")), settings_for(controller))
    assert accepted == ["a@example.org", "b@example.org"]
    (mail_from, rcpts, content), = inbox.messages
    assert mail_from == "tracker@example.org"
    assert rcpts == ["a@example.org", "b@example.org"]
    got = email.message_from_bytes(content, policy=policy.default)
    assert "åpenhetsloven" in got["Subject"] or "høringer" in got["Subject"]
    assert "åpenhetsloven" in got.get_body(("plain",)).get_content()


def test_a_refusing_server_is_one_clear_error(smtp_server):
    controller = smtp_server(Refuser())
    with pytest.raises(mailer.MailError) as err:
        mailer.send(message(), settings_for(controller))
    text = str(err.value)
    assert "550" in text and "Relaying denied" in text and "\n" not in text
    assert getattr(err.value, "accepted", None) is None


def test_partly_refused_recipients_are_named_and_the_accepted_kept(smtp_server):
    handler = Refuser(refuse="b@example.org")
    controller = smtp_server(handler)
    with pytest.raises(mailer.MailError) as err:
        mailer.send(message(("a@example.org", "b@example.org")), settings_for(controller))
    assert "b@example.org" in str(err.value)
    assert err.value.accepted == ["a@example.org"]
    assert len(handler.messages) == 1


def test_no_server_listening():
    port = free_port()
    cfg = mailer.SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=3)
    with pytest.raises(mailer.MailError, match="failed"):
        mailer.send(message(), cfg)


def test_starttls_required_but_not_offered(smtp_server):
    controller = smtp_server(Inbox())
    cfg = mailer.SmtpSettings(host="127.0.0.1", port=controller.port, starttls=True, timeout=5)
    with pytest.raises(mailer.MailError, match="STARTTLS"):
        mailer.send(message(), cfg)


def test_settings_come_from_the_config_and_the_password_from_the_environment(tmp_path, monkeypatch):
    from tracker.config import ConfigError, load_config

    path = tmp_path / "c.toml"
    path.write_text('[smtp]\nhost = "file.example"\nport = 25\nstarttls = false\nuser = "u"\n'
                    'from = "file@example.org"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_SMTP_PASSWORD", "p")
    cfg = mailer.settings(load_config(path))
    assert (cfg.host, cfg.port, cfg.starttls, cfg.user, cfg.password, cfg.sender) == (
        "file.example", 25, False, "u", "p", "file@example.org")
    path.write_text("[smtp]\nport = 25\n", "utf-8")
    with pytest.raises(mailer.MailError, match="no SMTP server"):
        mailer.settings(load_config(path))
    path.write_text('[smtp]\nhost = "h"\nport = "x"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"c.toml:3: smtp.port must be an integer"):
        load_config(path)
    path.write_text('[smtp]\nhost = "h"\npassword = "secret"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"c.toml:3: unknown key smtp.password.*NCP_TRACKER_SMTP_PASSWORD"):
        load_config(path)


def test_recipients_are_every_address_of_a_list_and_never_a_guess():
    """parseaddr kept the first address of «a@b.c, d@e.f» and read «not an address» as «not»: a
    list was mailed to its first address, a wrong one to a word of it."""
    from tracker.addresses import AddressError, recipients

    assert recipients(["a@example.org, Kari Nordmann <kari@example.org>", '"Hansen, Per" <per@example.org>,']) == [
        "a@example.org", "Kari Nordmann <kari@example.org>", '"Hansen, Per" <per@example.org>']
    assert recipients(["a@example.org", "A@example.org"]) == ["a@example.org"]
    for wrong in ("not an address", "", ",", "a@example.org b@example.org", "a@example.org; b@example.org", "a@",
                  "@example.org", "a@b@example.org", "a@example.org <b@example.org>"):
        with pytest.raises(AddressError):
            recipients([wrong])
    with pytest.raises(AddressError) as err:
        recipients(["ok@example.org, nope", "also nope"])
    assert err.value.bad == ["nope", "also nope"]
    parsed = email.message_from_bytes(message(("a@example.org, Kåre <kare@example.org>",)).as_bytes(),
                                      policy=policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["a@example.org", "kare@example.org"]
    assert parsed["To"].addresses[1].display_name == "Kåre"
    with pytest.raises(AddressError):
        message(("not an address",))
