"""E-mail addresses as the reader writes them: one grammar for `digest --to`, a profile's
`recipients` and `[smtp] from`.

An address is ``name@example.org`` or ``Name <name@example.org>`` (the display name may be quoted,
``"Nordmann, Kari" <kari@example.org>``, and may hold æøå; the address itself is ASCII, as SMTP
without SMTPUTF8 carries it); several are separated by commas. Anything else — ``not an address``,
``a@b.c d@e.f``, ``a@b.c; d@e.f`` — is refused whole, never read as far as it parses
(`email.utils.parseaddr` read «not an address» as the address «not» and «a@b.c, d@e.f» as
«a@b.c» alone).

Standard library only: the configuration, the profiles and the mailer all read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parseaddr

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: an address: a dot-atom local part, @, a host name (``localhost`` too: a relay's own users)
ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
#: «Name <address>»: a quoted display name or one without the marks of an address, then the address
_NAMED = re.compile(r'(?P<name>"(?:[^"\\]|\\.)*"|[^"<>@,;]*?)\s*<\s*(?P<address>[^<>]*?)\s*>')


class AddressError(ValueError):
    """Values that are not e-mail addresses (`bad`: each as it was written)."""

    def __init__(self, bad: list[str]) -> None:
        self.bad = bad
        super().__init__(f"not an e-mail address: {', '.join(map(repr, bad))}")


def _pieces(text: str) -> list[str]:
    """`text` cut at its commas outside a quoted display name and angle brackets, each stripped."""
    pieces, start, quoted, angled, escaped = [], 0, False, False, False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif quoted:
            escaped = char == "\\"
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char in "<>":
            angled = char == "<"
        elif char == "," and not angled:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces]


def one_address(text: str) -> str | None:
    """`text` (stripped) if it is one address, bare or with a display name; else None."""
    text = text.strip()
    if ADDRESS.fullmatch(text):
        return text
    named = _NAMED.fullmatch(text)
    if named and ADDRESS.fullmatch(named["address"]):
        name = named["name"].strip()
        return f"{name} <{named['address']}>" if name else named["address"]
    return None


def address_of(recipient: str) -> str:
    """The address part of a recipient `one_address` returned («Kari <kari@x.no>» → kari@x.no)."""
    return parseaddr(recipient)[1] or recipient.strip()


def recipients(values: Iterable[str]) -> list[str]:
    """Every address in `values` (each one address or several separated by commas), in order, each
    once (an address is compared without case); AddressError naming every value or piece that is
    not an address — an empty value too — so that nothing is sent to part of a list."""
    out: list[str] = []
    bad: list[str] = []
    seen: set[str] = set()
    for value in values:
        pieces = _pieces(value)
        if not any(pieces):  # '' or ',': no address at all
            bad.append(value)
            continue
        for piece in filter(None, pieces):  # a trailing comma is no address left out
            address = one_address(piece)
            if address is None:
                bad.append(piece)
            elif address_of(address).lower() not in seen:
                seen.add(address_of(address).lower())
                out.append(address)
    if bad:
        raise AddressError(bad)
    return out


def sender_problem(value: str) -> str:
    """What is wrong with `value` as the mail's sender («Name <address>» or an address; "" when
    nothing), for `[smtp] from` (tracker.config)."""
    if not value or one_address(value) is not None:
        return ""
    return 'must be one e-mail address, e.g. "ncp-tracker <ncp-tracker@example.org>"'
