"""Renderers: the model (`tracker.digest.model.Digest`) through Jinja2 templates — Markdown,
plain text, HTML (one self-contained page) and the e-mail (text + HTML with the CSS inlined by
css-inline, so Outlook and webmail clients that drop ``<style>`` show it right).

Templates get only the model and the catalogue (``_()``, ``ngettext``): every string they show
is worded by a builder or a catalogue message, and escaped by the template for its format.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from tracker.digest.model import Digest
from tracker.digest.text import clean, md
from tracker.i18n import Translator, format_date, install_jinja


def _load(name: str) -> str:
    return (resources.files("tracker.digest") / "templates" / name).read_text("utf-8")


@cache
def environment(lang: str) -> Environment:
    """The digest's Jinja2 environment for `lang` (HTML autoescaped, Markdown/text not)."""
    env = Environment(
        loader=FunctionLoader(_load),
        autoescape=select_autoescape(["html", "html.j2", "xml"], default_for_string=False, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )  # fmt: skip
    install_jinja(env, lang)
    env.filters["md"] = md
    return env


@cache
def css() -> str:
    return _load("digest.css")


_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    return _BLANKS.sub("\n\n", _TRAILING.sub("\n", text)).strip() + "\n"


def render_markdown(d: Digest) -> str:
    return _tidy(environment(d.lang).get_template("digest.md.j2").render(d=d))


def render_text(d: Digest) -> str:
    return _tidy(environment(d.lang).get_template("digest.txt.j2").render(d=d))


def render_html(d: Digest) -> str:
    """One self-contained HTML page (a <style> element, no scripts, no external resources)."""
    return environment(d.lang).get_template("digest.html.j2").render(d=d, css=css())


def render_mail_html(d: Digest) -> str:
    """The HTML page with every CSS rule inlined into style attributes (css-inline)."""
    import css_inline

    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
    return inliner.inline(render_html(d))


def subject(d: Digest) -> str:
    _ = Translator(d.lang)
    n = len(d.needs_input)
    text = _.n("%(title)s %(day)s: %(num)d consultation needs input", "%(title)s %(day)s: %(num)d consultations need input",
               n, title=d.profile.display_title(d.lang), day=format_date(d.day, d.lang))
    if (horizon := d.section("horizon")) is not None and not d.profile.shows("needs-input"):  # a horizon mail
        text = _.n("%(title)s %(day)s: %(num)d date ahead", "%(title)s %(day)s: %(num)d dates ahead",
                   horizon.entry_count, title=d.profile.display_title(d.lang), day=format_date(d.day, d.lang))
    prefix = []
    if d.problems:
        prefix.append(_("[DATA OUT OF DATE]"))
    if d.red:
        prefix.append(_.n("[%(num)d source failing]", "[%(num)d sources failing]", len(d.red)))
    return clean(" ".join([*prefix, text]), 200)


def render_email(d: Digest, *, sender: str, recipients: list[str] | tuple[str, ...],
                 date_header: datetime | None = None) -> Any:
    """A multipart/alternative message (text + inlined HTML) with the digest's subject."""
    from tracker.digest.mailer import build_message

    return build_message(subject=subject(d), text=render_text(d), html=render_mail_html(d), sender=sender,
                         recipients=list(recipients), date=date_header or d.as_of,
                         idstring=f"digest-{d.profile.name}-{d.day.isoformat()}")
