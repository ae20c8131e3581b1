"""The morning read: one digest, built once from the store (`build`, one builder per section in
`sections`, the typed model in `model`), rendered through Jinja2 templates as Markdown, plain
text, HTML and e-mail (`rendering`), and as Atom and iCalendar (`feeds`); `output` writes and
records it. Every word comes from the message catalogues (`tracker.i18n`).

The names below are imported on first use (PEP 562): a command that needs one wording of the
digest (`ncp-tracker items` writes a deadline as the digest does: `tracker.digest.wording`) does
not import the builders, templates and feeds with it (~0.8 s of `items` at a million items). No
name here is also a submodule's (the renderers' module is `rendering`, not `render`, the function
of `output`), so importing a submodule never hides one of them."""

from __future__ import annotations

import importlib
from typing import Any

#: each public name → the module of this package that defines it
_EXPORTS = {
    "build_digest": "build",
    "render_atom": "feeds", "render_ics": "feeds",
    "Banner": "model", "Digest": "model", "Entry": "model", "Evidence": "model", "Group": "model",
    "HealthRow": "model", "Link": "model", "Section": "model",
    "EXTENSIONS": "output", "FORMATS": "output", "output_name": "output", "record": "output", "render": "output",
    "sent_to": "output", "write_for_run": "output",
    "render_email": "rendering", "render_html": "rendering", "render_mail_html": "rendering",
    "render_markdown": "rendering", "render_text": "rendering", "subject": "rendering",
    "clean": "text", "safe_url": "text",
    "describe_change": "wording",
}  # fmt: skip

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """A public name (`_EXPORTS`), imported from its module on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
