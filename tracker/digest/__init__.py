"""The morning read: one digest, built once from the store (`build`, one builder per section in
`sections`, the typed model in `model`), rendered through Jinja2 templates as Markdown, plain
text, HTML and e-mail (`render`), and as Atom and iCalendar (`feeds`); `output` writes and
records it. Every word comes from the message catalogues (`tracker.i18n`)."""

from tracker.digest.build import build_digest
from tracker.digest.feeds import render_atom, render_ics
from tracker.digest.model import Banner, Digest, Entry, Evidence, Group, HealthRow, Link, Section
from tracker.digest.output import (
    EXTENSIONS,
    FORMATS,
    output_name,
    record,
    render,
    sent_to,
    write_for_run,
)
from tracker.digest.render import (
    render_email,
    render_html,
    render_mail_html,
    render_markdown,
    render_text,
    subject,
)
from tracker.digest.text import clean, safe_url
from tracker.digest.wording import describe_change

__all__ = [
    "EXTENSIONS", "FORMATS", "Banner", "Digest", "Entry", "Evidence", "Group", "HealthRow", "Link", "Section",
    "build_digest", "clean", "describe_change", "output_name", "record", "render", "sent_to",
    "render_atom", "render_email", "render_html", "render_ics", "render_mail_html", "render_markdown",
    "render_text", "safe_url", "subject", "write_for_run",
]
