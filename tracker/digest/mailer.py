"""E-mail: building the digest message and delivering it over SMTP.

Settings come from the ``[smtp]`` table of the configuration (tracker/config.py: host, port —
465 means implicit TLS —, starttls, user, from); the password only from
``$NCP_TRACKER_SMTP_PASSWORD``, never from a file.

`send` raises `MailError` with one line of explanation on every failure (connection
refused, STARTTLS missing, login refused, recipients or message refused), so the caller can
record a digest as sent only when the server accepted it.
"""

from __future__ import annotations

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
from typing import TYPE_CHECKING

from tracker.addresses import recipients as parse_recipients

if TYPE_CHECKING:  # pragma: no cover
    from tracker.config import Config

DEFAULT_FROM = "ncp-tracker <ncp-tracker@localhost>"


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


def settings(config: Config | None = None) -> SmtpSettings:
    """SMTP settings from the configuration's [smtp] table and the password secret."""
    from tracker.config import get_config

    config = config or get_config()
    host = config.get("smtp", "host")
    if not host:
        raise MailError("no SMTP server configured: set [smtp] host in the configuration")
    return SmtpSettings(
        host=host, port=config.get("smtp", "port"), starttls=config.get("smtp", "starttls"),
        user=config.get("smtp", "user") or None, password=config.secret("smtp_password"),
        sender=config.get("smtp", "from") or DEFAULT_FROM,
    )  # fmt: skip


def default_sender(config: Config | None = None) -> str:
    from tracker.config import get_config

    return (config or get_config()).get("smtp", "from") or DEFAULT_FROM


def build_message(*, subject: str, text: str, html: str, sender: str, recipients: list[str],
                  date: datetime, idstring: str | None = None) -> Message:
    """multipart/alternative (text/plain then text/html), UTF-8, with Date and Message-ID.

    Headers are encoded the classic way (`email.header.Header`: the whole subject as RFC 2047
    encoded words): the modern policy's folder can leave a double space where it folds a
    subject before a word with æøå.

    `recipients`: each one address or several separated by commas (`tracker.addresses`); one that
    is not an address is AddressError, never a message to the part of it that parses.
    """
    recipients = parse_recipients(recipients)
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
    """'Name <addr>' with a non-ASCII display name encoded; the address part stays ASCII. `address`
    is one address (`tracker.addresses.one_address`)."""
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
                                    "(set [smtp] starttls = false only for a trusted local relay)")
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
