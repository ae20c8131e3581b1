"""The one client of data.stortinget.no's export API, shared by both Stortinget spiders.

The spiders ask for the JSON form (``&format=json``). The reader also takes the XML form (the
default form of the API, and the only form any real response of it has been published in: the
2012 ``eksport/saker`` capture under tests/fixtures/real/no_stortinget_horinger/), through the
same accessors — a `Node` reads a JSON object or an XML element alike; nothing converts one form
into the other. What each endpoint holds is read into the typed records below, field by field,
by name; a spider never looks at raw JSON or XML.

The two forms (docs/sources.md §2):

- names: the same in both (``saker_liste``, ``sak``, ``komite``, ``sist_oppdatert_dato`` …); XML
  elements are in the namespace ``http://data.stortinget.no``;
- lists: ``*_liste`` holds a JSON array, or XML elements (``<emne_liste><emne>…``);
- empty: JSON ``null``; XML ``i:nil="true"`` (and an empty ``<x_liste />``);
- dates: JSON ``/Date(1334700000000+0200)/``; XML local ISO ``2012-04-20T00:00:00``; saksgang
  events also ``dd.MM.yyyy HH:mm:ss``; ``0001-01-01``, ``01.01.0001`` and
  ``/Date(-62135596800000)/`` mean "no date";
- ids: JSON numbers or strings, XML text; ``innstilling_id`` ``-1`` means "no recommendation yet".

Tolerant by design: an unknown field is ignored, a missing one is None, a list in a
``{"sak": [...]}`` wrapper is unwrapped, and whitespace (CRLF inside titles) is collapsed. But a
key that is not there at all is not the same as a key given as null: `Hearing.absent` names the
keys of ``eksport/horinger`` a hearing lacks, and `missing_keys` those no hearing of the list has
any more (a renamed key: the export changed, not every value became empty).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from crawlers.dates import parse_ms_date, parse_stortinget_datetime
from crawlers.notes import PAGES_NAMED, tally
from crawlers.text import is_web_page

API = "https://data.stortinget.no/eksport"
NAMESPACE = "http://data.stortinget.no"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
NO_DATE = ("01.01.0001", "0001-01-01", "/Date(-62135")


# ---------------------------------------------------------------------- URLs (the JSON form)


def sessions_url() -> str:
    return f"{API}/sesjoner?format=json"


def hearings_url(session: str) -> str:
    return f"{API}/horinger?sesjonid={session}&format=json"


def program_url(hearing_id: str) -> str:
    return f"{API}/horingsprogram?horingid={hearing_id}&format=json"


def cases_url(session: str) -> str:
    return f"{API}/saker?sesjonid={session}&format=json"


def case_url(case_id: str) -> str:
    return f"{API}/sak?sakid={case_id}&format=json"


# ---------------------------------------------------------------------- reading either form


def _clean(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = " ".join(str(value).split())
    return text or None


def when(text: str | None) -> datetime | None:
    """A date of either form (None for "no date" and for what cannot be read)."""
    if not text or text.startswith(NO_DATE):
        return None
    if "/Date(" in text:
        return parse_ms_date(text)
    return parse_stortinget_datetime(text)


def unreadable_date(text: str | None) -> bool:
    """True when `text` is given, is not "no date", and still cannot be read as a date."""
    return bool(text) and not text.startswith(NO_DATE) and when(text) is None


class Node:
    """One object of an answer: a JSON object or an XML element, read through the same methods."""

    def text(self, name: str) -> str | None:
        """The child `name` as text (whitespace collapsed); None when missing, empty or nil."""
        raise NotImplementedError

    def node(self, name: str) -> Node | None:
        """The child object `name`; None when missing or nil."""
        raise NotImplementedError

    def items(self, name: str) -> list[Node]:
        """The objects of the list `name` (a ``*_liste``); [] when missing or empty."""
        raise NotImplementedError

    def descendants(self, name: str) -> Iterator[Node]:
        """Every object called `name` at any depth (an element `name`, a key `name`, or an entry
        of a list `name_liste`)."""
        raise NotImplementedError

    def has(self, name: str) -> bool:
        """True when the child `name` is there at all, also when it is null, nil or empty."""
        raise NotImplementedError

    def nested(self, name: str) -> bool:
        """True when the child `name` holds an object or a list where a value (text, a number, a
        date) was expected: `text` reads None from it."""
        raise NotImplementedError

    def flag(self, name: str) -> bool:
        return (self.text(name) or "").lower() == "true"

    def id(self, name: str = "id") -> str:
        return self.text(name) or ""


class JsonNode(Node):
    def __init__(self, data: dict[str, Any]):
        self.data = data

    def text(self, name: str) -> str | None:
        return _clean(self.data.get(name))

    def node(self, name: str) -> Node | None:
        value = self.data.get(name)
        return JsonNode(value) if isinstance(value, dict) else None

    def has(self, name: str) -> bool:
        return name in self.data

    def nested(self, name: str) -> bool:
        return isinstance(self.data.get(name), dict | list)

    def items(self, name: str) -> list[Node]:
        value = self.data.get(name)
        if isinstance(value, dict):  # {"sak": [...]} wrappers, or one object alone
            inner = list(value.values())
            value = inner[0] if len(inner) == 1 and isinstance(inner[0], list) else [value]
        if not isinstance(value, list):
            return []
        return [JsonNode(v) for v in value if isinstance(v, dict)]

    def descendants(self, name: str) -> Iterator[Node]:
        def walk(value: Any) -> Iterator[Node]:
            if isinstance(value, dict):
                for key, child in value.items():
                    if key == name and isinstance(child, dict):
                        yield JsonNode(child)
                    elif key == f"{name}_liste" and isinstance(child, list):
                        yield from (JsonNode(c) for c in child if isinstance(c, dict))
                    yield from walk(child)
            elif isinstance(value, list):
                for child in value:
                    yield from walk(child)

        yield from walk(self.data)


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


class XmlNode(Node):
    def __init__(self, element: Any):
        self.element = element

    def _child(self, name: str) -> Any:
        for child in self.element:
            if _local(child.tag) == name:
                return None if child.get(XSI_NIL) == "true" else child
        return None

    def text(self, name: str) -> str | None:
        child = self._child(name)
        if child is None or any(isinstance(c.tag, str) for c in child):
            return None
        return _clean(child.text)

    def node(self, name: str) -> Node | None:
        child = self._child(name)
        return XmlNode(child) if child is not None else None

    def has(self, name: str) -> bool:
        return any(_local(c.tag) == name for c in self.element)

    def nested(self, name: str) -> bool:
        child = self._child(name)
        return child is not None and any(isinstance(c.tag, str) for c in child)

    def items(self, name: str) -> list[Node]:
        child = self._child(name)
        if child is None:
            return []
        return [XmlNode(c) for c in child if isinstance(c.tag, str) and c.get(XSI_NIL) != "true"]

    def descendants(self, name: str) -> Iterator[Node]:
        for element in self.element.iter():
            if _local(element.tag) == name and element.get(XSI_NIL) != "true":
                yield XmlNode(element)


def read(body: bytes | None) -> tuple[Node | None, str | None]:
    """The answer's root object (either form), or (None, why it cannot be read)."""
    body = body or b""
    head = body.lstrip()[:1]
    if not head:
        return None, "empty body"
    if head in (b"{", b"["):
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            return None, f"JSON: {exc}"[:160]
        if not isinstance(data, dict):
            return None, "JSON: not an object"
        return JsonNode(data), None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return None, f"XML: {exc}"[:160]
    if root is None:
        return None, "XML: no root element"
    return XmlNode(root), None


def refused(response: Any, *, blocked: bool, error_from: int = 300) -> str | None:
    """What an answer that is not the export was — an HTTP status from `error_from` on, a
    `blocked` answer (the spider's `is_blocked`), a web page (a challenge, an error or login page
    served with HTTP 200): "answered HTTP 503", "answered a bot challenge page instead of the JSON
    export (HTTP 200)"; None for the export. The one decision of both Stortinget spiders."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    if not (response.status >= error_from or blocked or is_web_page(response.body, content_type)):
        return None
    if response.status >= 300:
        return f"answered HTTP {response.status}"
    page = "a bot challenge page" if blocked else "an HTML page"
    return f"answered {page} instead of the JSON export (HTTP {response.status})"


# ---------------------------------------------------------------------- what the endpoints hold


@dataclass
class Committee:
    id: str | None = None
    name: str | None = None


def _committee(node: Node | None) -> Committee | None:
    if node is None:
        return None
    committee = Committee(node.text("id"), node.text("navn"))
    return committee if committee.id or committee.name else None


@dataclass
class Topic:
    id: str | None
    name: str | None
    main: bool = False
    subtopics: list[Topic] = field(default_factory=list)


def _topic(node: Node) -> Topic:
    return Topic(node.text("id"), node.text("navn"), node.flag("er_hovedemne"),
                 [_topic(n) for n in node.items("underemne_liste")])


@dataclass
class Case:
    """One case of ``eksport/saker``."""

    id: str
    title: str | None = None
    short_title: str | None = None
    status: str | None = None
    type: str | None = None
    document_group: str | None = None
    reference: str | None = None  # henvisning: "Prop. 90 S (2011-2012), Innst. … "
    recommendation_id: str | None = None  # innstilling_id; -1 (none yet) is None
    committee: Committee | None = None
    topics: list[Topic] = field(default_factory=list)
    updated: datetime | None = None  # sist_oppdatert_dato
    session_treated: str | None = None  # behandlet_sesjon_id
    proposed_id: str | None = None  # sak_fremmet_id
    rapporteurs: list[str] = field(default_factory=list)  # saksordfoerer_liste: "Fornavn Etternavn (parti)"


def _case(node: Node) -> Case:
    recommendation = node.text("innstilling_id")
    rapporteurs = []
    for rep in node.items("saksordfoerer_liste"):
        name = " ".join(x for x in (rep.text("fornavn"), rep.text("etternavn")) if x)
        party = rep.node("parti")
        party_id = party.text("id") if party else None
        if name:
            rapporteurs.append(f"{name} ({party_id})" if party_id else name)
    return Case(
        id=node.id(), title=node.text("tittel"), short_title=node.text("korttittel"),
        status=node.text("status"), type=node.text("type"), document_group=node.text("dokumentgruppe"),
        reference=node.text("henvisning"),
        recommendation_id=None if recommendation in (None, "-1", "0") else recommendation,
        committee=_committee(node.node("komite")), topics=[_topic(n) for n in node.items("emne_liste")],
        updated=when(node.text("sist_oppdatert_dato")),
        session_treated=node.text("behandlet_sesjon_id"), proposed_id=node.text("sak_fremmet_id"),
        rapporteurs=rapporteurs,
    )  # fmt: skip


def current_session(root: Node) -> str | None:
    """``eksport/sesjoner``: the id of ``innevaerende_sesjon``."""
    current = root.node("innevaerende_sesjon")
    return current.text("id") if current else None


def cases(root: Node) -> list[Case]:
    """``eksport/saker``: every case of the list (a case without id has id "")."""
    return [_case(n) for n in root.items("saker_liste")]


#: the words the export gives in the fields an item's status and kind are read from, each field
#: with its known words (None: any text, no real answer shows its words). A case's: as the real
#: 2011-2012 `eksport/saker` (tests/fixtures/real/no_stortinget_horinger/) gives them, and the
#: words a case ends with that the spiders act on (`trukket`, `bortfalt`: documented, not seen)
CASE_VALUES: dict[str, frozenset[str] | None] = {
    "status": frozenset({"mottatt", "til_behandling", "behandlet", "trukket", "bortfalt"}),
    "type": frozenset({"alminneligsak", "budsjett", "lovsak"}),
}
#: a hearing's (`eksport/horinger`): no real answer shows them (docs/sources.md §2 names them; the
#: real hearing object it quotes lacks them), so only their shape is known: text or null
HEARING_VALUES: dict[str, frozenset[str] | None] = {"status": None, "status_info_tekst": None, "type": None}


def drift(objects: list[Node], known: dict[str, frozenset[str] | None], what: str) -> list[str]:
    """What of the `known` fields of `objects` (the entries of one answer of endpoint `what`) is no
    longer as the export gave it, one line each: a value that is an object or a list (a changed
    shape: `text` reads nothing from it), a word not among the field's known words (a changed
    vocabulary; any letter case), a field with known words that no entry has any more (a renamed
    key: the real answer has it in every entry). What is read from such a field is not what it
    was: the spiders say so in health (tracker.vocabulary reads these lines)."""
    out = []
    for name, words in known.items():
        if objects and words is not None and not any(o.has(name) for o in objects):
            out.append(f"{what}: the field '{name}' is missing from every entry ({len(objects)}) "
                       "(has the export changed?)")
            continue
        odd: dict[str, int] = {}
        for o in objects:
            value = o.text(name)
            if o.nested(name):
                shown = "{…}"
            elif value is not None and words is not None and value.lower() not in words:
                shown = repr(value)
            else:
                continue
            odd[shown] = odd.get(shown, 0) + 1
        if odd:
            values = sorted(odd.items(), key=lambda v: (-v[1], v[0]))
            more = f" and {len(values) - PAGES_NAMED} more" if len(values) > PAGES_NAMED else ""
            out.append(f"{what}: unknown values of '{name}': {tally(values[:PAGES_NAMED])}{more} "
                       "(has the export changed?)")
    return out


def has_list(root: Node, name: str) -> bool:
    """True when the answer has the list `name` at all (possibly empty)."""
    if isinstance(root, JsonNode):
        return name in root.data
    return any(_local(c.tag) == name for c in root.element)  # type: ignore[attr-defined]


@dataclass
class Event:
    id: str
    at: datetime | None


@dataclass
class Publication:
    title: str
    url: str
    type: str


@dataclass
class CaseDetail:
    """``eksport/sak``: one case with its saksgang."""

    id: str
    title: str | None = None
    short_title: str | None = None
    reference: str | None = None
    status: str | None = None
    committee: Committee | None = None
    finished: bool = False  # ferdigbehandlet
    decision: str | None = None  # kortvedtak
    events: list[Event] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)


def case_detail(root: Node) -> CaseDetail:
    """``eksport/sak``; saksgang events are read wherever the answer nests them."""
    events = [Event(n.id(), when(n.text("dato"))) for n in root.descendants("saksgang_hendelse")]
    publications = []
    for ref in root.items("publikasjon_referanse_liste"):
        if url := ref.text("lenke_url"):
            publications.append(Publication(ref.text("lenke_tekst") or url, url, ref.text("type") or "publikasjon"))
    return CaseDetail(
        id=root.id(), title=root.text("tittel"), short_title=root.text("korttittel"),
        reference=root.text("henvisning"), status=root.text("status"),
        committee=_committee(root.node("komite")), finished=root.flag("ferdigbehandlet"),
        decision=root.text("kortvedtak"), events=[e for e in events if e.id], publications=publications,
    )  # fmt: skip


@dataclass
class CaseRef:
    """A case a hearing is about (``horing_sak_info``)."""

    sak_id: str
    short_title: str | None = None
    title: str | None = None
    reference: str | None = None
    publication: str | None = None


@dataclass
class HearingTime:
    place: str | None
    at: datetime | None


@dataclass
class Hearing:
    """One hearing of ``eksport/horinger``."""

    id: str
    hearing_status: str | None = None  # horing_status: Avholdt, Planlagt, Avlyst …
    publication_status: str | None = None  # status
    type: str | None = None
    status_info: str | None = None
    written: bool = False
    committee: Committee | None = None
    innspillsfrist: datetime | None = None
    anmodningsfrist: datetime | None = None
    soknadfrist: datetime | None = None
    start: datetime | None = None
    cases: list[CaseRef] = field(default_factory=list)
    times: list[HearingTime] = field(default_factory=list)
    #: date fields given but not readable: field → the text
    unreadable: dict[str, str] = field(default_factory=dict)
    #: the keys of HEARING_KEYS this hearing's object lacks altogether (not: gives as null); a key
    #: of its committee or of its cases or sittings is dotted ("komite.navn", "horing_sak_info.sak_id")
    #: and counts as absent when one of them lacks it
    absent: set[str] = field(default_factory=set)
    #: … and those it has (a key of its cases or sittings: one of them has it)
    present: set[str] = field(default_factory=set)


#: the keys of a hearing of ``eksport/horinger`` the spider reads (docs/sources.md §2), each with
#: whether it is required: the real hearing object sources.md quotes has the required ones and lacks
#: the others, which a single hearing may therefore leave out (as a null). Keys of the committee,
#: of each case and of each sitting are dotted.
HEARING_KEYS: dict[str, bool] = {
    "id": True, "horing_status": True, "innspillsfrist": True, "komite": True, "skriftlig": True,
    "start_dato": True, "horing_sak_info_liste": True, "horingstidspunkt_liste": True,
    "anmodningsfrist_dato_tid": False, "soknadfrist_dato": False,
    "komite.id": True, "komite.navn": True,
    "horing_sak_info.sak_id": True, "horing_sak_info.sak_korttittel": True,
    "horing_sak_info.sak_henvisning": True, "horing_sak_info.sak_tittel": False,
    "horing_sak_info.sak_publikasjon": False,
    "horingstidspunkt.sted": True, "horingstidspunkt.tidspunkt": True,
}  # fmt: skip
#: an optional key missing from every one of at least this many hearings is a changed export too
MISSING_OPTIONAL_MIN = 5


def _hearing_keys(node: Node) -> tuple[set[str], set[str]]:
    """(present, absent): the keys of HEARING_KEYS a hearing's object has and lacks."""
    present: set[str] = set()
    absent: set[str] = set()
    nested: dict[str, list[Node]] = {
        "komite": [c] if (c := node.node("komite")) is not None else [],
        "horing_sak_info": node.items("horing_sak_info_liste"),
        "horingstidspunkt": node.items("horingstidspunkt_liste"),
    }
    for key in HEARING_KEYS:
        parent, _, name = key.rpartition(".")
        for obj in nested[parent] if parent else [node]:
            (present if obj.has(name) else absent).add(key)
    return present, absent


def missing_keys(hearings: list[Hearing]) -> list[str]:
    """The keys of HEARING_KEYS no hearing of the list has, in that order: a required key that
    one hearing (or its committee, case, sitting) could have and none has, an optional one that
    none of at least MISSING_OPTIONAL_MIN hearings has. The export changed (a key renamed,
    dropped): the values read from it are not known, not empty."""
    missing = []
    for key, required in HEARING_KEYS.items():
        lacking = sum(key in h.absent for h in hearings)
        if lacking and not any(key in h.present for h in hearings) and (required or lacking >= MISSING_OPTIONAL_MIN):
            missing.append(key)
    return missing


def _case_ref(node: Node) -> CaseRef | None:
    sak_id = node.text("sak_id") or ""
    if not sak_id:
        return None
    return CaseRef(sak_id, node.text("sak_korttittel"), node.text("sak_tittel"), node.text("sak_henvisning"),
                   node.text("sak_publikasjon"))


def hearings(root: Node) -> list[Hearing]:
    """``eksport/horinger``: every hearing of the list (a hearing without id has id "")."""
    out = []
    for node in root.items("horinger_liste"):
        dates = {f: node.text(f) for f in ("innspillsfrist", "anmodningsfrist_dato_tid", "soknadfrist_dato", "start_dato")}
        present, absent = _hearing_keys(node)
        out.append(Hearing(
            id=node.id(), hearing_status=node.text("horing_status"), publication_status=node.text("status"),
            type=node.text("type"), status_info=node.text("status_info_tekst"), written=node.flag("skriftlig"),
            committee=_committee(node.node("komite")),
            innspillsfrist=when(dates["innspillsfrist"]), anmodningsfrist=when(dates["anmodningsfrist_dato_tid"]),
            soknadfrist=when(dates["soknadfrist_dato"]), start=when(dates["start_dato"]),
            cases=[c for c in (_case_ref(n) for n in node.items("horing_sak_info_liste")) if c],
            times=[HearingTime(n.text("sted"), when(n.text("tidspunkt"))) for n in node.items("horingstidspunkt_liste")],
            unreadable={f: v for f, v in dates.items() if v and unreadable_date(v)},
            absent=absent, present=present,
        ))  # fmt: skip
    return out


@dataclass
class ProgramElement:
    nr: str | None
    text: str | None
    time: str | None


@dataclass
class Program:
    date: datetime | None
    footnote: str | None
    elements: list[ProgramElement]


def programs(root: Node) -> list[Program]:
    """``eksport/horingsprogram``: every ``horingsprogram`` wherever it sits."""
    return [
        Program(when(p.text("dato")), p.text("fotnote"),
                [ProgramElement(e.text("rekkefolge_nummer"), e.text("tekst"), e.text("tidsangivelse"))
                 for e in p.items("horingsprogram_element_liste")])
        for p in root.descendants("horingsprogram")
    ]  # fmt: skip
