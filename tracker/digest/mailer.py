"""E-mail: building the digest message and delivering it over SMTP.

Settings come from the environment, which wins over the ``[smtp]`` table of
``data/profiles.toml``; the password is only read from the environment:

==============================  ==========================================================
``NCP_TRACKER_SMTP_HOST``       server name (required to send)
``NCP_TRACKER_SMTP_PORT``       port (default 587; 465 means implicit TLS)
``NCP_TRACKER_SMTP_STARTTLS``   ``1``/``true`` (default): require STARTTLS; ``0``/``false``:
                                plain connection (only for a relay on localhost)
``NCP_TRACKER_SMTP_USER``       login name (no login when empty)
``NCP_TRACKER_SMTP_PASSWORD``   password
``NCP_TRACKER_SMTP_FROM``       From address, e.g. ``NCP-trackeren <tracker@example.org>``
==============================  ==========================================================

`send` raises `MailError` with one line of explanation on every failure (connection
refused, STARTTLS missing, login refused, recipients or message refused), so the caller can
record a digest as sent only when the server accepted it.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, getaddresses, parseaddr
from typing import Any

DEFAULT_FROM = "ncp-tracker <ncp-tracker@localhost>"
ENV = "NCP_TRACKER_SMTP_"


class MailError(Exception):
    """Delivery failed; the message is one line for the user."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    sender: str = DEFAULT_FROM
    timeout: float = 30.0

    @property
    def implicit_tls(self) -> bool:
        return self.port == 465


def _flag(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise MailError(f"{ENV}STARTTLS must be true or false, not {value!r}")


def settings(config: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> SmtpSettings:
    """SMTP settings: environment over `config` (the [smtp] table) over defaults."""
    env = dict(os.environ if env is None else env)
    config = config or {}

    def pick(key: str) -> Any:
        value = env.get(ENV + key.upper())
        return value if value not in (None, "") else config.get(key)

    host = pick("host")
    if not host:
        raise MailError(f"no SMTP server configured: set {ENV}HOST (and PORT, USER, PASSWORD, FROM)")
    try:
        port = int(pick("port") or 587)
    except ValueError as exc:
        raise MailError(f"{ENV}PORT is not a number: {pick('port')!r}") from exc
    return SmtpSettings(
        host=str(host), port=port, starttls=_flag(pick("starttls"), True),
        user=pick("user") or None, password=env.get(ENV + "PASSWORD") or None,
        sender=str(pick("from") or DEFAULT_FROM),
    )  # fmt: skip


def default_sender(config: dict[str, Any] | None = None) -> str:
    return os.environ.get(ENV + "FROM") or (config or {}).get("from") or DEFAULT_FROM


def build_message(*, subject: str, text: str, html: str, sender: str, recipients: list[str],
                  date: datetime, idstring: str | None = None) -> Message:
    """multipart/alternative (text/plain then text/html), UTF-8, with Date and Message-ID.

    Headers are encoded the classic way (`email.header.Header`: the whole subject as RFC 2047
    encoded words): the modern policy's folder can leave a double space where it folds a
    subject before a word with æøå.
    """
    message = MIMEMultipart("alternative")
    message["Subject"] = Header(subject, "utf-8")
    message["From"] = _address_header(sender)
    if recipients:
        message["To"] = ", ".join(_address_header(r) for r in recipients)
    message["Date"] = format_datetime(date)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "ncp-tracker.localhost"
    message["Message-ID"] = f"<{secrets.token_hex(6)}.{idstring or 'ncp-tracker'}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    qp = Charset("utf-8")
    qp.body_encoding = QP
    for body, subtype in ((text, "plain"), (html, "html")):
        message.attach(MIMEText(body, subtype, qp))
    return message


def _address_header(address: str) -> str:
    """'Name <addr>' with a non-ASCII display name encoded; the address part stays ASCII."""
    name, addr = parseaddr(address)
    if not name:
        return addr or address
    return formataddr((name, addr), charset="utf-8")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {' '.join(reply.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = []
        for rcpt, (code, reply) in exc.recipients.items():
            text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
            parts.append(f"{rcpt}: {code} {' '.join(text.split())}")
        return "all recipients refused (" + "; ".join(parts) + ")"
    return " ".join(str(exc).split()) or type(exc).__name__


def send(message: Message, config: SmtpSettings) -> list[str]:
    """Deliver `message` to its To/Cc/Bcc recipients; the accepted recipients are returned.

    Raises MailError if nothing was delivered, or if some recipients were refused (the message
    then names them; the accepted ones are in `MailError.accepted`).
    """
    recipients = [addr for _, addr in getaddresses(message.get_all("To", []) + message.get_all("Cc", [])
                                                   + message.get_all("Bcc", [])) if addr]
    if not recipients:
        raise MailError("no recipients: give --to or set recipients in the profile")
    sender = parseaddr(str(message["From"]))[1] or parseaddr(config.sender)[1]
    where = f"{config.host}:{config.port}"
    try:
        if config.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if config.starttls and not config.implicit_tls:
                if not client.has_extn("starttls"):
                    raise MailError(f"SMTP server {where} does not offer STARTTLS "
                                    f"(set {ENV}STARTTLS=false only for a trusted local relay)")
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if config.user:
                client.login(config.user, config.password or "")
            refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except MailError:
        raise
    except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise MailError(f"sending to {where} failed: {_one_line(exc)}") from exc
    accepted = [r for r in recipients if r not in refused]
    if refused:
        detail = "; ".join(f"{r}: {code}" for r, (code, _) in refused.items())
        error = MailError(f"sent to {', '.join(accepted)} but refused for {detail}")
        error.accepted = accepted  # type: ignore[attr-defined]
        raise error
    return accepted
