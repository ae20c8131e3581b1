"""Hearing-response drafts (.docx from the secretariat's template, .md for reading and diffing).

One document model (a list of blocks) is built from the item, its labels and the store, then
rendered twice — `render_markdown` and `render_docx` — so both files always say the same.

The .docx is filled into the secretariat's template ``horingssvar-mal.docx`` (shipped default:
tracker/defaults, built by tracker/defaults/make_draft_template.py; a copy of the same name in
the data directory wins): its page setup (A4), styles, letterhead, footer and document
properties are kept and only the body is replaced. The mandate paragraph and the signature come
from the text files ``horingssvar-mandat.<nb|en>.txt`` and ``horingssvar-signatur.<nb|en>.txt``
beside it (same rule), not from code.

Three forms, chosen by the item's kind (`FORMS`: the consultation kinds; any other kind — an act,
a procedure, news — has no draft, `NotAConsultation`):

* a hearing (regjeringen.no and other Norwegian consultations): letter to the ministry, opening
  "Vi viser til høringsbrev av <dato> med høringsfrist <dato>." — or, when the item's history shows
  the deadline moved since it was first seen, "Vi viser til høringsbrev av <dato>. Høringsfristen
  er utsatt til <dato>." (the letter did not give the deadline it has now);
* a Stortinget committee hearing: written input to the committee, "Innspill til <komité> –
  <sak>", with the deadline to ask to take part and the time of the hearing (a written-only
  hearing, ``extra.written``, says so and has neither); the case's title keeps its capital inside
  the opening sentence unless its first word is a common word (`title_in_sentence`);
* an EU consultation: the "Have your say" feedback form, in English.

Each matched label gets a section, in the labels' own order (OECD chapters II–XI, then
åpenhetsloven, then the GPFG), quoting the sentences its evidence is in — whole sentences
(spaCy's sentencizer, with Norwegian legal abbreviations such as "Prop." kept whole), each quoted
once in the document, with where it is from. Only the source's own words are quoted: never the
title, nor a summary the spider writes itself; a topic found only there says so. ``no_comments`` gives the short "Kontaktpunktet har
ingen merknader" answer instead. A consultation the source marks withdrawn or cancelled (its
stored status, with the source's own words) and a deadline that has passed are warnings at the top
of the document (`cautions`: kept as facts, so the command line and the item's page say the same
in the reader's language).

Files are versioned, never overwritten: ``<item>-horingssvar.docx``, then ``…-v2.docx``, …
(``force`` overwrites the latest version instead). Every draft written is kept in the ``drafts``
table; `versions` lists an item's versions with their paths.
"""

from __future__ import annotations

import io
import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from crawlers.dates import OSLO
from crawlers.fields import COMPOSED_SUMMARY_SOURCES
from nlp.labels import LABELS
from tracker.docx_language import LANGUAGE_TAGS, add_runs, set_default_language
from tracker.i18n import format_letter_date, format_time, gettext, part_lang
from tracker.store.changes import hearing_place, later_sitting_days
from tracker.store.deadlines import deadline_day, has_time, to_datetime
from tracker.store.files import file_name_as_folder, write_whole
from tracker.store.instants import now_iso
from tracker.store.queries import list_events, loads_json
from tracker.store.status import WITHDRAWN
from tracker.vocabulary import N_

NCP_NAME_NB = "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
NCP_NAME_EN = "Norwegian National Contact Point for Responsible Business Conduct"
TEMPLATE = "horingssvar-mal.docx"
MANDATE_FILE = "horingssvar-mandat.{lang}.txt"
SIGNATURE_FILE = "horingssvar-signatur.{lang}.txt"

#: label → the heading of its section (a catalogue message; Bokmål in tracker/locale/nb)
LABEL_HEADINGS: dict[str, str] = {
    "oecd-ii": N_("OECD Guidelines Chapter II – General Policies"),
    "oecd-iii": N_("OECD Guidelines Chapter III – Disclosure"),
    "oecd-iv": N_("OECD Guidelines Chapter IV – Human Rights"),
    "oecd-v": N_("OECD Guidelines Chapter V – Employment and Industrial Relations"),
    "oecd-vi": N_("OECD Guidelines Chapter VI – Environment"),
    "oecd-vii": N_("OECD Guidelines Chapter VII – Combating Bribery and Other Forms of Corruption"),
    "oecd-viii": N_("OECD Guidelines Chapter VIII – Consumer Interests"),
    "oecd-ix": N_("OECD Guidelines Chapter IX – Science, Technology and Innovation"),
    "oecd-x": N_("OECD Guidelines Chapter X – Competition"),
    "oecd-xi": N_("OECD Guidelines Chapter XI – Taxation"),
    "apenhetsloven": N_("The Transparency Act (åpenhetsloven) and mandatory due diligence"),
    "gpfg": N_("Government Pension Fund Global – responsible management"),
}  # fmt: skip

#: the fixed wording of a draft: key → catalogue message, the same in both languages …
_WORDS: dict[str, str] = {
    "to": N_("To"), "their_ref": N_("Your ref."), "our_ref": N_("Our ref."), "date": N_("Date"),
    "intro": N_("About the NCP"), "main": N_("Main points"),
    "quotes": N_("From the consultation documents"), "excerpts": N_("Excerpts"), "no_quotes": N_("No text excerpts were found for this topic."),
    "quoted_above": N_("The excerpts for this topic are quoted under “%(heading)s”."),
    "general": N_("Comments of the NCP"), "earlier": N_("The NCP's earlier responses on similar matters"),
    "no_earlier": N_("No earlier responses or drafts on similar matters were found."),
    "deadline_route": N_("Deadline and submission"), "no_deadline": N_("not given"), "fill": N_("FILL IN"),
    "fill_main": N_("The NCP's main points (2–4 sentences)"),
    "fill_section": N_("The NCP's assessment on this topic"),
    "fill_ref": N_("the NCP's case number"), "source": N_("Source"),
    "similarity": N_("similarity"), "shared": N_("shared labels"),
    "kind_draft": N_("draft"), "kind_submitted": N_("submitted"), "kind_published": N_("published"),
    "src_summary": N_("the summary"), "src_text": N_("the consultation page"),
    "title_only": N_("The topic is named only in the title of the consultation."),
    "src_document": N_("the consultation document"),
    "organiser": N_("the organiser"), "ministry": N_("the responsible ministry"), "committee": N_("the committee"),
    # committee hearings
    "c_subject": N_("Input to %(committee)s – %(case)s"),
    "c_opening": N_("The NCP refers to %(committee_gen)s hearing of %(when)s on %(case)s and hereby submits "
                    "written input."),
    "c_opening_undated": N_("The NCP refers to %(committee_gen)s hearing on %(case)s and hereby submits "
                            "written input."),
    "c_case": N_("Case"), "c_written": N_("Deadline for written input"),
    "c_request": N_("Deadline to ask to take part in the hearing"), "c_held": N_("The hearing is held"),
    "c_form": N_("Form of hearing"), "c_written_only": N_("Written hearing (no oral hearing)"),
    "c_opening_written": N_("The NCP refers to %(committee_gen)s written hearing on %(case)s and hereby submits "
                            "written input."),
    "c_no_comments": N_("The NCP has no comments on the case."),
    "c_passed": N_("The deadline for input passed on %(deadline)s. Check with the committee's secretariat "
                   "whether input is still accepted."),
    "c_ask_passed": N_("The deadline to ask to take part in the hearing passed on %(deadline)s. Check with the "
                       "committee's secretariat whether input is still accepted."),
    # a consultation the source marks withdrawn (tracker.store.status), in the source's own words
    "withdrawn": N_("The consultation has been withdrawn: the source says %(said)s. Check with %(owner)s "
                    "whether a response is still wanted before anything is sent."),
    "c_withdrawn": N_("The hearing has been cancelled: Stortinget says %(said)s. Check with the committee's "
                      "secretariat whether input is still wanted before anything is sent."),
    # … and without a word of its own (the status is only decided from one: a stored value none gave)
    "withdrawn_bare": N_("The consultation has been withdrawn. Check with %(owner)s whether a response is still "
                         "wanted before anything is sent."),
    "c_withdrawn_bare": N_("The hearing has been cancelled. Check with the committee's secretariat whether input "
                           "is still wanted before anything is sent."),
    "said_info": N_("“%(word)s” (“%(info)s”)"),
    # the quotation marks of the draft's language (Bokmål «…», English “…”)
    "quote_marks": N_("“%(word)s”"),
    # the .docx's keywords (document properties)
    "keywords": N_("consultation response; NCP"),
    # the EU's "Have your say" form (its own field names, in the draft's language)
    "form": N_("Have your say – feedback form"),
    "feedback": N_("Feedback (at most 4,000 characters; a longer position paper can be attached as PDF)"),
    "f_initiative": N_("Initiative"), "f_link": N_("Link"), "f_period": N_("Feedback period ends"),
    "f_as": N_("I am giving my contribution as"), "f_authority": N_("Public authority"),
    "f_organisation": N_("Organisation name"), "f_scope": N_("Scope"), "f_national": N_("National"),
    "f_country": N_("Country of origin"), "f_norway": N_("Norway"),
    "f_register": N_("Transparency register number"), "f_if_registered": N_("if registered, else leave empty"),
    "f_privacy": N_("Publication privacy settings"),
    "f_public": N_("Public (name and organisation are published)"),
}  # fmt: skip

#: … and where a Norwegian letter and an English feedback say it differently, each its own message
_FORM_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "subject": N_("Consultation response"), "deadline": N_("Consultation deadline"), "route": N_("Submission"),
        "opening": N_("We refer to the consultation letter of %(sent)s with consultation deadline %(deadline)s."),
        "opening_no_sent": N_("We refer to the consultation “%(title)s” with consultation deadline %(deadline)s."),
        "opening_no_deadline": N_("We refer to the consultation letter of %(sent)s."),
        # the deadline was moved after the letter: the letter did not give the deadline it has now
        "opening_extended": N_("We refer to the consultation letter of %(sent)s. The consultation deadline has "
                               "been extended to %(deadline)s."),
        "opening_moved": N_("We refer to the consultation letter of %(sent)s. The consultation deadline has "
                            "been changed to %(deadline)s."),
        "opening_bare": N_("We refer to the consultation “%(title)s”."),
        "no_comments": N_("The NCP has no comments on the consultation."),
        "passed": N_("The consultation deadline passed on %(deadline)s. Check with %(owner)s whether a "
                     "response is still accepted before it is sent."),
    },
    "en": {
        "subject": N_("Feedback"), "deadline": N_("Feedback period ends"), "route": N_("How to submit"),
        "opening": N_("The NCP welcomes the opportunity to give feedback on “%(title)s” (feedback period "
                      "ending %(deadline)s)."),
        "opening_no_sent": N_("The NCP welcomes the opportunity to give feedback on “%(title)s” (feedback period "
                              "ending %(deadline)s)."),
        "opening_no_deadline": N_("The NCP welcomes the opportunity to give feedback on “%(title)s”."),
        "opening_extended": N_("The NCP welcomes the opportunity to give feedback on “%(title)s” (feedback period "
                               "ending %(deadline)s)."),
        "opening_moved": N_("The NCP welcomes the opportunity to give feedback on “%(title)s” (feedback period "
                            "ending %(deadline)s)."),
        "opening_bare": N_("The NCP welcomes the opportunity to give feedback on “%(title)s”."),
        "no_comments": N_("The NCP has no comments on this initiative."),
        "passed": N_("The feedback period ended on %(deadline)s. Check with %(owner)s whether feedback is "
                     "still accepted before sending."),
    },
}  # fmt: skip


class _Words:
    """A draft's fixed wording in `lang`: ``t["subject"]``, ``t.fmt("opening", sent=…)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._ids = {**_WORDS, **_FORM_WORDS[lang]}

    def __getitem__(self, key: str) -> str:
        return gettext(self.lang, self._ids[key])

    def fmt(self, key: str, **values: Any) -> str:
        return gettext(self.lang, self._ids[key], **values)


def words(lang: str) -> _Words:
    """The fixed wording of a draft in `lang` (catalogue messages)."""
    return _Words(lang)


def heading_of(label: str, lang: str) -> str:
    """The section heading of a label in `lang` (the label code itself for an unknown one)."""
    msgid = LABEL_HEADINGS.get(label)
    return gettext(lang, msgid) if msgid else label


MAX_QUOTES = 5

#: abbreviations that end with a full stop without ending the sentence (Norwegian legal texts)
ABBREVIATIONS = (
    "Prop.", "prop.", "Meld.", "meld.", "St.", "St.meld.", "St.prp.", "Ot.prp.", "Innst.", "innst.",
    "Dok.", "kap.", "Kap.", "pkt.", "jf.", "Jf.", "bl.a.", "f.eks.", "m.m.", "mv.", "nr.", "Nr.",
    "ca.", "dvs.", "inkl.", "iht.", "ref.", "art.", "Art.", "vedr.", "evt.", "ev.", "mht.", "pr.",
    "tlf.", "Lovdata.", "No.", "no.", "Art.", "para.", "e.g.", "i.e.", "cf.", "etc.", "approx.",
)  # fmt: skip


class DraftError(ValueError):
    """A draft that cannot be written (unknown item, bad output path)."""


class DraftFileError(DraftError):
    """A file of the secretariat's the draft is made from — the template, the mandate, the
    signature (the data directory's copy, else the shipped one) — that cannot be read or used:
    the message names the file."""


# ---------------------------------------------------------------------------- the document model


@dataclass
class Block:
    kind: str  # letterhead, meta, heading, para, quote, placeholder, bullets, warning
    text: str = ""
    level: int = 1
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    source: str = ""  # quote: where the sentence is from
    #: words of the block in another language than the draft's, with that language (a Nynorsk
    #: hearing's title and quotes in a Bokmål draft, an English annex quoted): the .docx marks each
    #: occurrence with its language (`w:lang`), for Word's and LibreOffice's spell-check and reading
    langs: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Caution:
    """A warning of a draft (a passed deadline, a withdrawn consultation) kept as its facts, so that
    it is worded once in any language (`text`): the document says it in the draft's language, the
    terminal and the web page in the reader's. `form`: the draft's form, whose wording it is."""

    key: str  # a key of the draft's words (`_WORDS`, `_FORM_WORDS`)
    form: str = "hearing"
    deadline: str | None = None  # as stored
    owner: str = ""
    said: str = ""  # the source's own status word
    info: str = ""  # the source's own explanation of it

    def text(self, lang: str) -> str:
        """The warning in `lang` (its dates and quotes as `lang` writes them)."""
        draft_lang = "en" if self.form == "eu" else "nb"
        msgid = {**_WORDS, **_FORM_WORDS[draft_lang]}[self.key]
        t = words(lang)
        said = (t.fmt("said_info", word=self.said, info=self.info) if self.info and self.info != self.said
                else t.fmt("quote_marks", word=self.said))
        return gettext(lang, msgid, deadline=_fmt_day(self.deadline, lang), owner=self.owner or t["organiser"],
                       said=said)


@dataclass
class Draft:
    item_id: str
    language: str
    subject: str
    blocks: list[Block]
    sections: list[str]  # headings of the topic sections
    form: str = "hearing"  # hearing, committee, eu
    cautions: list[Caution] = field(default_factory=list)
    no_comments: bool = False

    @property
    def warnings(self) -> list[str]:
        """The warnings as the document says them (in the draft's language)."""
        return [c.text(self.language) for c in self.cautions]


def load_item(db: sqlite_utils.Database, item_id: str) -> dict[str, Any]:
    rows = list(db.query("select * from items where id = ?", [item_id]))
    if not rows:
        raise DraftError(f"unknown item id: {item_id!r} (see `ncp-tracker search` or `items`)")
    item = rows[0]
    for key in ("documents", "extra", "labels"):
        value = item.get(key)
        if isinstance(value, str) and value:
            try:
                item[key] = json.loads(value)
            except ValueError:
                item[key] = None
    return item


def item_tags(db: sqlite_utils.Database, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's labels, strongest first, each with its evidence list (from `items.evidence`)."""
    from tracker.store.queries import label_evidence

    return label_evidence(item)


def language_of(item: dict[str, Any]) -> str:
    return "en" if item.get("kind") == "eu_consultation" or item.get("language") == "en" else "nb"


#: the draft form of each kind an adviser can answer (crawlers.items.CONSULTATION_KINDS; a GPFG
#: hearing of Finansdepartementet is a "hearing"): a letter to the ministry, written input to the
#: committee, the EU's feedback form. An act, a procedure, a note, news or a fund decision has no
#: consultation to answer, so no draft.
FORMS: dict[str, str] = {"hearing": "hearing", "committee_hearing": "committee", "eu_consultation": "eu"}


class NotAConsultation(DraftError):
    """A draft asked for an item that is not a consultation (nothing to answer)."""


def can_draft(item: dict[str, Any]) -> bool:
    """Whether a response draft can be written for `item` (its kind is a consultation)."""
    return item.get("kind") in FORMS


def form_of(item: dict[str, Any]) -> str:
    """The draft form of `item` (hearing, committee, eu); `NotAConsultation` for any other kind."""
    form = FORMS.get(item.get("kind") or "")
    if form is None:
        raise NotAConsultation(
            f"no draft for {item.get('id')}: its kind {item.get('kind') or 'unknown'} is not a consultation; "
            f"drafts are written for the kinds {', '.join(FORMS)}")
    return form


_HEARING_PREFIX = re.compile(r"^\s*(?:komit[ée]h(?:ø|o|oe)ring|h(?:ø|o|oe)y?ring|consultation)\s*(?:[-–:]\s*|om\s+)",
                             re.I)


def subject_title(title: str) -> str:
    """The hearing's title without a leading "Høring – " (the subject already says Høringssvar)."""
    stripped = _HEARING_PREFIX.sub("", title or "").strip()
    return (stripped[:1].upper() + stripped[1:]) if stripped else (title or "").strip()


#: the common words a Norwegian hearing's or case's title starts with (lower-case inside a
#: sentence: "høring om endringer i regnskapsloven", "om lov om inkassovirksomhet"). Any other first
#: word keeps its capital: a name ("Statens pensjonsfond utland", "Norges Bank", "Stortingets
#: delegasjon", "Nasjonal transportplan", "Den europeiske union") must not lose it, and a common
#: word left capitalised is the smaller fault.
COMMON_TITLE_WORDS = frozenset((
    "endring", "endringer", "endringar", "endringsforskrift", "endringslov", "forslag", "lov", "lova",
    "loven", "forskrift", "forskrifter", "forskrifta", "gjennomføring", "gjennomføringa", "innføring",
    "innlemmelse", "representantforslag", "melding", "evaluering", "evalueringen", "oppfølging", "revisjon",
    "revidering", "regulering", "regler", "reglar", "krav", "utkast", "ny", "nye", "nytt", "om",
    "samtykke", "utbygging", "rapport", "årsrapport", "årsmelding", "årsmeldinger", "oppnevning", "valg",
    "suppleringsvalg", "forvaltning", "forvaltningen", "tiltak", "strategi", "handlingsplan", "midlertidig",
    "midlertidige", "gjennomgang", "gjennomgangen", "etisk", "etiske", "ansvarlig", "opphevelse",
    "oppheving", "tilpasning", "tilpasninger", "retningslinjer", "veileder", "rettleiar", "plikt",
    "avtale", "frihandelsavtale", "direktiv", "forordning", "delegert", "utvidelse", "utviding",
    "forenkling", "forenklinger", "bærekraftsrapportering", "rapportering", "statsbudsjettet",
))  # fmt: skip

_FIRST_WORD = re.compile(r"[^\W\d_][\w-]*\.?")


def title_in_sentence(title: str) -> str:
    """`title` as it reads inside a sentence: its first letter lower-cased only when its first
    word is a common word (`COMMON_TITLE_WORDS`); a name, an abbreviation ("Meld. St.", "Prop.")
    or an acronym ("EU", "OECDs", "EØS-avtalen") is kept as written."""
    m = _FIRST_WORD.match(title or "")
    if not m:
        return title
    word = m.group(0)
    if word.endswith(".") or any(c.isupper() or c.isdigit() for c in word[1:]):
        return title
    return title[:1].lower() + title[1:] if word.lower() in COMMON_TITLE_WORDS else title


# ---------------------------------------------------------------------------- resources


def _resource_text(name: str, data_dir: str | Path | None = None) -> str:
    """A text of the secretariat's (the data directory's copy, else the shipped one); DraftFileError
    with its file when it cannot be read."""
    from tracker.resources import locate, unreadable

    source = locate(name, data_dir)
    try:
        return source.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError as exc:
        raise DraftFileError(f"{source}: not UTF-8 text: {exc}") from exc
    except OSError as exc:  # a folder, a link to nothing, a file it may not read
        raise DraftFileError(unreadable(source, exc)) from exc


def mandate(lang: str, data_dir: str | Path | None = None) -> str:
    """The NCP's mandate paragraph (the secretariat's text file, user copy first)."""
    return " ".join(_resource_text(MANDATE_FILE.format(lang=lang), data_dir).split())


def signature(lang: str, data_dir: str | Path | None = None) -> list[str]:
    """The closing lines (greeting, sender, name placeholder) from the secretariat's text file."""
    return [line.strip() for line in _resource_text(SIGNATURE_FILE.format(lang=lang), data_dir).splitlines()
            if line.strip()]  # fmt: skip


# ---------------------------------------------------------------------------- sentences and quotes


@lru_cache(maxsize=2)
def _sentencizer(lang: str):
    import spacy
    from spacy.symbols import ORTH

    nlp = spacy.blank("en" if lang == "en" else "nb")
    for abbr in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("sentencizer")
    return nlp


#: a line of page text at most this long is a block of its own (a heading, "Status:", "På høring",
#: "Vår ref.: 26/3318"), never the start or end of a quoted sentence
_SHORT_LINE = 50
_LINE_END = re.compile(r"\n")


def _block_ends(text: str) -> list[int]:
    """Where a line break ends a sentence in page text: after a line that ends a sentence (. ! ? :
    or a closing quote) or is short. A hard-wrapped line of prose ends in neither: it runs on."""
    out, start = [], 0
    for m in _LINE_END.finditer(text):
        line = text[start:m.start()].strip()
        if line and (line[-1] in ".!?:»”\"" or len(line) <= _SHORT_LINE):
            out.append(m.start())
        start = m.end()
    return out


@lru_cache(maxsize=64)
def sentence_spans(text: str, lang: str = "nb") -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences of `text` (spaCy's sentencizer), also cut where a line
    ends a block (`_block_ends`): page text such as "Status:\nPå høring\nHøringsfrist:\n23.02.2027"
    has no full stops, and a year's full stop ("… 2024/1760.") may not end a sentence for spaCy."""
    doc = _sentencizer(lang)(text)
    cuts = _block_ends(text)  # in order: each sentence looks up its own (not every cut per sentence)
    out = []
    for sent in doc.sents:
        start = sent.start_char
        for cut in cuts[bisect_right(cuts, sent.start_char):bisect_left(cuts, sent.end_char)]:
            if text[start:cut].strip():
                out.append((start, cut))
            start = cut
        if text[start:sent.end_char].strip():
            out.append((start, sent.end_char))
    return tuple(out)


FIELD_COLUMNS = {"title": "title", "summary": "summary", "text": "body", "body": "body"}


def _normalise(text: str) -> str:
    return " ".join(text.split())


def quote_for(item: dict[str, Any], ev: dict[str, Any], lang: str = "nb") -> tuple[str, str] | None:
    """The whole sentence one piece of evidence is in, and which field it is from.

    None when the evidence cannot be placed in the item's text (never a fragment).
    """
    field_name = str(ev.get("field") or "")
    column = FIELD_COLUMNS.get(field_name)
    text = item.get(column) if column else None
    if not isinstance(text, str) or not text.strip():
        return None
    start, end = ev.get("start"), ev.get("end")
    needle = (ev.get("text") or "").strip()
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            and (not needle or text[start:end].lower() == needle.lower())):
        pos = text.lower().find(needle.lower()) if needle else -1
        if pos < 0:
            return None
        start, end = pos, pos + len(needle)
    if column == "title":
        return _normalise(text), "title"
    spans = sentence_spans(text, lang)
    first = next((n for n, (a, b) in enumerate(spans) if a <= start < b), None)
    if first is None:
        return None
    last = next((n for n in range(first, len(spans)) if spans[n][0] < end <= spans[n][1]), first)
    sentence = _normalise(text[spans[first][0]:spans[last][1]])
    return sentence, ("summary" if column == "summary" else "text")


def own_words(item: dict[str, Any], source: str) -> bool:
    """Whether a quote from `source` (as `quote_for` names it) is the source's own words: its page
    text, and its summary unless the spider writes that itself (crawlers.items.
    COMPOSED_SUMMARY_SOURCES: "Høring i Finanskomiteen om …"). Never the title: it is the draft's
    subject already, and not a text from the consultation documents."""
    if source == "title":
        return False
    return source != "summary" or item.get("source") not in COMPOSED_SUMMARY_SOURCES


def source_label(source: str, lang: str) -> str:
    return words(lang)[f"src_{source}"] if f"src_{source}" in _WORDS else source


# ---------------------------------------------------------------------------- routes and dates


def _extra(item: dict[str, Any]) -> dict[str, Any]:
    """The item's `extra` (stored JSON) as a dict, {} when it holds none."""
    value = loads_json(item.get("extra"), {})
    return value if isinstance(value, dict) else {}


def written_hearing(item: dict[str, Any]) -> bool:
    """Whether a committee hearing is written only (Stortinget's ``skriftlig`` flag, kept by the
    spider as ``extra["written"]``): input in writing, no oral hearing to ask to take part in."""
    return item.get("kind") == "committee_hearing" and _extra(item).get("written") is True


def submission_route(item: dict[str, Any], lang: str) -> str:
    """How a response is sent, in `lang`. regjeringen.no's form by the address the hearing's page
    links («Send inn høringssvar»: ``extra.submit_url``), said not confirmed only when the page gave
    none; a committee's hearing page said not confirmed when the store built its address from a
    pattern (``extra.hearing_page_pattern`` "unverified")."""
    kind, url = item.get("kind"), item.get("url") or ""
    extra = _extra(item)
    if kind == "hearing" and extra.get("submit_url"):
        return gettext(lang, "Through the form “Send inn høringssvar”: %(form)s (linked from the consultation page "
                       "%(url)s; as a private person or on behalf of an organisation; the response is published "
                       "on regjeringen.no).", form=extra["submit_url"], url=url)  # fmt: skip
    if kind == "committee_hearing" and extra.get("hearing_page_pattern") == "unverified":
        return _committee_route(item, lang) + " " + gettext(
            lang, "The address of the hearing page is built by the tracker and not confirmed: check it on "
            "stortinget.no before the input is sent.")
    return _committee_route(item, lang) if kind == "committee_hearing" else _route(item, lang)


def _committee_route(item: dict[str, Any], lang: str) -> str:
    url, owner = item.get("url") or "", item.get("owner") or ""
    if written_hearing(item):
        return gettext(lang, "Written input to %(committee)s through the committee's hearing page: %(url)s. This "
                       "is a written hearing: the committee holds no oral hearing.",
                       committee=owner or words(lang)["committee"], url=url)  # fmt: skip
    return gettext(lang, "Written input to %(committee)s through the committee's hearing page: %(url)s. If "
                   "the NCP wants to take part orally, a short request to take part must be sent before "
                   "the deadline for requests; the committee decides whom it invites.",
                   committee=owner or words(lang)["committee"], url=url)  # fmt: skip


def _route(item: dict[str, Any], lang: str) -> str:
    kind, url, owner = item.get("kind"), item.get("url") or "", item.get("owner") or ""
    if kind == "hearing":
        return gettext(lang, "Through the form “Send inn høringssvar” on the consultation page: %(url)s (as a "
                       "private person or on behalf of an organisation; the response is published on "
                       "regjeringen.no). The address of the form itself is not confirmed — use the button on "
                       "the consultation page.", url=url)  # fmt: skip
    if kind == "eu_consultation":
        return gettext(lang, "Through the European Commission's “Have your say” page for this initiative: "
                       "%(url)s (log in with an EU Login account; feedback is published).", url=url)  # fmt: skip
    return gettext(lang, "No formal consultation: consider a letter to %(owner)s (%(url)s).",
                   owner=owner or gettext(lang, "the responsible body"), url=url)


def addressee(item: dict[str, Any], lang: str) -> str:
    owner = (item.get("owner") or "").strip()
    if item.get("kind") == "committee_hearing":
        return f"Stortinget – {owner}" if owner else "Stortinget"
    if item.get("kind") == "eu_consultation":
        return owner or gettext(lang, "European Commission")
    return owner or words(lang)["ministry"]


def _fmt_day(value: str | None, lang: str) -> str | None:
    dt = to_datetime(value)
    if dt is None:
        return value or None
    return format_letter_date(dt, lang)


def _fmt_time(value: str | None, lang: str) -> str | None:
    """A date and time as a letter writes them: '01.12.2026 kl. 12.00' / '1 December 2026, 12:00'
    (the digest's and the web's clock style; the month never from the process's locale)."""
    dt = to_datetime(value)
    if dt is None:
        return value or None
    if not has_time(dt):  # a day without a time of its own (00:00, or the 23:59 of a day's deadline)
        return _fmt_day(value, lang)
    return f"{format_letter_date(dt, lang)} {format_time(dt, lang)}" if lang == "nb" else (
        f"{format_letter_date(dt, lang)}, {format_time(dt, lang)}")


def committee_deadlines(item: dict[str, Any]) -> tuple[str | None, str | None]:
    """A committee hearing's deadline for written input and its deadline to ask to take part, as
    stored (``extra.innspillsfrist``, ``extra.anmodningsfrist``). The item's deadline is the one
    ``extra.deadline_basis`` names: when that is the deadline to ask to take part, it is never taken
    for a written-input deadline the committee did not give (the web's item page shows the same)."""
    extra = _extra(item)
    asked_by = extra.get("deadline_basis") == "anmodningsfrist"
    written = extra.get("innspillsfrist") or (None if asked_by else item.get("deadline"))
    ask = extra.get("anmodningsfrist") or (item.get("deadline") if asked_by else None)
    return written or None, ask or None


def deadline_passed(item: dict[str, Any], today: date) -> bool:
    """Whether ``today`` is after the deadline's last day (tracker.store.deadlines decides it:
    a deadline at 00:00 sharp ends the day before)."""
    day = deadline_day(item.get("deadline"))
    return day is not None and day < today


def cautions(item: dict[str, Any], today: date) -> list[Caution]:
    """What a response draft to `item` must warn of on `today` (the document, the terminal and the
    item's page say the same): a consultation the source marks withdrawn or cancelled (its stored
    status, `tracker.store.status`, with the source's words), a deadline that has passed."""
    form = form_of(item)
    owner = (item.get("owner") or "").strip()
    found = []
    if item.get("status") == WITHDRAWN:
        info = (_extra(item).get("status_info") or "").strip()
        said = (item.get("status_raw") or "").strip()
        key = ("c_withdrawn" if form == "committee" else "withdrawn") + ("" if said else "_bare")
        found.append(Caution(key, form, owner=owner, said=said, info=info))
    if deadline_passed(item, today):
        asked_by = form == "committee" and committee_deadlines(item)[0] is None  # the deadline to ask to take part
        key = ("c_ask_passed" if asked_by else "c_passed") if form == "committee" else "passed"
        found.append(Caution(key, form, deadline=item.get("deadline"), owner=owner))
    return found


def _genitive(name: str, lang: str = "nb") -> str:
    """A name's genitive: Bokmål «Finanskomiteens» (an apostrophe after s, x, z), English
    "Finanskomiteen's" (an apostrophe alone after s)."""
    if lang == "en":
        return name + ("'" if name.endswith("s") else "'s")
    return name + ("'" if name.endswith(("s", "x", "z")) else "s")


# ---------------------------------------------------------------------------- similar answers


#: words that say nothing about a hearing's topic (compared as index keys)
_STOP_WORDS = (
    "høring", "høyring", "høringsnotat", "forslag", "endring", "endringer", "departementet", "forskrift",
    "forskrifter", "lov", "loven", "ny", "nye", "om", "og", "i", "til", "av", "for", "med", "på", "the",
    "of", "and", "on", "for", "to", "in", "a", "an", "regulation", "directive", "proposal", "consultation",
)  # fmt: skip


@lru_cache(maxsize=1)
def _stop_keys() -> frozenset[str]:
    from tracker.store.textindex import word_keys

    return frozenset(k for w in _STOP_WORDS for k in word_keys(w))


def _vector(text: str, language: str | None) -> Counter:
    from tracker.store.textindex import norm_text

    stop = _stop_keys()
    return Counter(k for k in norm_text(text, language).split() if len(k) >= 3 and k not in stop
                   and not k.isdigit())  # fmt: skip


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def _labels(value: Any) -> set[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return set()
    return {x for x in value or [] if isinstance(x, str)}


#: a candidate scores 0.5 × shared labels (Jaccard) + 0.5 × text similarity (cosine of stems)
MIN_SIMILARITY = 0.15


def similar_answers(db: sqlite_utils.Database, item: dict[str, Any], limit: int = 5,
                    min_score: float = MIN_SIMILARITY) -> list[dict[str, Any]]:
    """Earlier answers of the NCP (drafts, submitted, published) on similar items, best first.

    Ranked by shared labels and by text similarity of title and summary (Snowball stems), each
    with its `score` (0–1) and `shared` labels; items scoring below `min_score` are left out.
    """
    candidates: dict[str, dict[str, Any]] = {}
    rows = db.query(
        """select i.id, i.title, i.summary, i.url, i.labels, i.language, i.deadline, t.state,
                  (select max(a.date) from answers a where a.item_id = i.id and a.is_ncp = 1) as ncp_date,
                  (select max(d.created_at) from drafts d where d.item_id = i.id) as drafted
           from items i left join triage t on t.item_id = i.id
           where i.id != ? and (t.state in ('submitted', 'published')
                 or exists (select 1 from answers a where a.item_id = i.id and a.is_ncp = 1)
                 or exists (select 1 from drafts d where d.item_id = i.id))""",
        [item["id"]],
    )  # fmt: skip
    mine = _vector(f"{item.get('title') or ''} {item.get('summary') or ''}", item.get("language"))
    my_labels = _labels(item.get("labels"))
    for r in rows:
        if r["state"] in ("submitted", "published"):
            kind, day = r["state"], r["ncp_date"] or r["deadline"] or ""
        elif r["ncp_date"]:
            kind, day = "published", r["ncp_date"]
        else:
            kind, day = "draft", r["drafted"] or ""
        theirs = _labels(r["labels"])
        shared = sorted(my_labels & theirs)
        label_part = len(shared) / len(my_labels | theirs) if (my_labels | theirs) else 0.0
        text_part = _cosine(mine, _vector(f"{r['title'] or ''} {r['summary'] or ''}", r["language"]))
        score = round(0.5 * label_part + 0.5 * text_part, 3)
        if score < min_score:
            continue
        candidates[r["id"]] = {"item_id": r["id"], "title": r["title"], "url": r["url"], "language": r["language"],
                               "date": day or "", "kind": kind, "score": score,
                               "shared": shared}  # fmt: skip
    return sorted(candidates.values(), key=lambda c: (-c["score"], c["item_id"]))[:limit]


def _similar_line(s: dict[str, Any], lang: str) -> str:
    from tracker.i18n import format_score
    from tracker.vocabulary import label_name

    t = words(lang)
    score = format_score(s["score"], lang)
    when = f", {_fmt_day(s['date'], lang)}" if s["date"] else ""
    shared = f"; {t['shared']}: {', '.join(label_name(x, lang) for x in s['shared'])}" if s["shared"] else ""
    kind = t[f"kind_{s['kind']}"] if f"kind_{s['kind']}" in _WORDS else s["kind"]
    return (f"{s['title']} ({kind}{when}) — {t['similarity']} {score}"
            f"{shared} — {s['url'] or s['item_id']}")


# ---------------------------------------------------------------------------- building


def _fill(lang: str, what: str) -> str:
    return f"[{words(lang)['fill']}: {what}]"


def first_known_deadline(db: sqlite_utils.Database, item: dict[str, Any]) -> str | None:
    """The deadline the item had when first seen with one, before any move in its history (the
    `deadline_changed` events, `tracker.store.queries.list_events`); its deadline now if it never
    moved. A deadline first given later is no move: the letter's deadline was not known."""
    moves = list_events(db, kind="deadline_changed", item_id=item["id"])
    return next((e["before"] for e in moves if e.get("before") and e.get("after")), item.get("deadline"))


def _opening(item: dict[str, Any], lang: str, title: str, first_deadline: str | None = None) -> str:
    """The opening sentence. The letter is cited with its deadline only when that is still the
    deadline: one moved since (`first_deadline`, `first_known_deadline`) is said to have moved."""
    t = words(lang)
    sent = _fmt_day(item.get("published"), lang)
    deadline = _fmt_day(item.get("deadline"), lang)
    was, now = deadline_day(first_deadline), deadline_day(item.get("deadline"))
    if sent and deadline and was and now and was != now:
        return t.fmt("opening_extended" if now > was else "opening_moved", sent=sent, deadline=deadline,
                     title=title)
    if sent and deadline:
        return t.fmt("opening", sent=sent, deadline=deadline, title=title)
    if deadline:
        return t.fmt("opening_no_sent", deadline=deadline, title=title)
    if sent:
        return t.fmt("opening_no_deadline", sent=sent, title=title)
    return t.fmt("opening_bare", title=title)


def _topic_sections(item: dict[str, Any], tags: list[dict[str, Any]], lang: str,
                    paragraphs: dict[str, list[Any]] | None = None) -> tuple[list[Block], list[str]]:
    """One section per label, in the labels' own order (OECD chapters II–XI, åpenhetsloven, the
    GPFG: `nlp.labels.LABELS`): whole sentences of the source's own text (`own_words`) quoted once,
    then the strongest paragraphs of the item's documents (tracker/documents), each cited
    "(høringsnotatet punkt 5.2, s. 14)". A topic found only in the title says so."""
    t = words(lang)
    paragraphs = paragraphs or {}
    cited: set[str] = set()
    blocks: list[Block] = []
    sections: list[str] = []
    quoted: dict[str, str] = {}  # sentence → heading it is quoted under
    own = part_lang(item.get("language"), lang)  # the item's text in its language, if not the draft's
    order = {label: n for n, label in enumerate(LABELS)}  # II … XI, åpenhetsloven, GPFG (nlp.labels)
    for tag in sorted(tags, key=lambda tag: order.get(tag["label"], len(order))):
        heading = heading_of(tag["label"], lang)
        sections.append(heading)
        blocks.append(Block("heading", heading, level=2))
        quotes: list[tuple[str, str]] = []
        elsewhere: list[str] = []
        in_title = False  # evidence in the title or a summary the spider wrote: not quoted
        for ev in tag["evidence"]:
            found = quote_for(item, ev, lang)
            if not found:
                continue
            sentence, source = found
            if not own_words(item, source):
                in_title = True
                continue
            if sentence in quoted:
                if quoted[sentence] != heading and quoted[sentence] not in elsewhere:
                    elsewhere.append(quoted[sentence])
                continue
            quoted[sentence] = heading
            quotes.append((sentence, source))
            if len(quotes) >= MAX_QUOTES:
                break
        from_documents = [p for p in paragraphs.get(tag["label"], []) if p.text not in cited]
        cited.update(p.text for p in from_documents)
        if quotes or from_documents:
            # «Fra høringsdokumentene» only over the documents' paragraphs: a quote of the page or
            # its summary is no document's (each quote says where it is from)
            blocks.append(Block("para", (t["excerpts"] if quotes else t["quotes"]) + ":"))
            blocks += [Block("quote", q, source=source_label(src, lang), langs=[(q, own)] if own else [])
                       for q, src in quotes]
            blocks += [Block("quote", p.text, source=p.citation(lang).strip("()"),
                             langs=[(p.text, code)] if (code := part_lang(p.language, lang)) else [])
                       for p in from_documents]
        elif elsewhere:
            blocks.append(Block("para", t.fmt("quoted_above", heading=elsewhere[0])))
        elif in_title:
            blocks.append(Block("para", t["title_only"]))
        else:
            blocks.append(Block("para", t["no_quotes"]))
        blocks.append(Block("placeholder", _fill(lang, t["fill_section"])))
    if not tags:
        sections.append(t["general"])
        blocks += [Block("heading", t["general"], level=2), Block("placeholder", _fill(lang, t["fill_section"]))]
    return blocks, sections


def _signature_blocks(lang: str, data_dir: str | Path | None) -> list[Block]:
    out = []
    for line in signature(lang, data_dir):
        out.append(Block("placeholder" if line.startswith("[") else "para", line))
    return out


def build(db: sqlite_utils.Database, item_id: str, *, as_of: date | None = None,
          no_comments: bool = False, data_dir: str | Path | None = None) -> Draft:
    """The draft of a response to `item_id` as a document model."""
    item = load_item(db, item_id)
    form = form_of(item)  # an item that is not a consultation has nothing to answer
    lang = language_of(item)
    t = words(lang)
    today = as_of or datetime.now(OSLO).date()
    title = subject_title(item.get("title") or "")
    # the item's own words (its title, quotes of its text) in its language where that is not the draft's
    own = part_lang(item.get("language"), lang)
    title_langs = [(said, own) for said in dict.fromkeys((title, title_in_sentence(title))) if own and said]
    owner = (item.get("owner") or "").strip()
    extra = item.get("extra") if isinstance(item.get("extra"), dict) else {}
    today_text = format_letter_date(today, lang)
    found = cautions(item, today)
    warnings = [c.text(lang) for c in found]

    if form == "committee":
        committee = owner or t["committee"]
        subject = t.fmt("c_subject", committee=committee, case=title)
        start = _fmt_time(extra.get("hearing_start"), lang)
        held = [h.get("tidspunkt") for h in extra.get("hearing_times") or [] if isinstance(h, dict)]
        start = start or _fmt_time(next((h for h in held if h), None), lang)
        place = hearing_place(extra)
        # the start and each further day the hearing sits
        sittings = [(start, place), *((_fmt_time(when.isoformat(), lang), where)
                                      for when, where in later_sitting_days(extra))]
        meta = [(t["to"], addressee(item, lang)), (t["c_case"], item.get("reference") or title),
                (t["our_ref"], _fill(lang, t["fill_ref"])), (t["date"], today_text)]
        in_sentence = title_in_sentence(title)
        written_deadline, ask_deadline = committee_deadlines(item)
        written_by = (t["c_written"], _fmt_time(written_deadline, lang) or t["no_deadline"])
        if written_hearing(item):  # input in writing only: nothing to ask to take part in, no sitting
            opening = t.fmt("c_opening_written", committee_gen=_genitive(committee, lang), case=in_sentence)
            facts = [(t["c_form"], t["c_written_only"]), written_by]
        else:
            opening = (t.fmt("c_opening", committee_gen=_genitive(committee, lang), case=in_sentence, when=start)
                       if start else t.fmt("c_opening_undated", committee_gen=_genitive(committee, lang),
                                           case=in_sentence))
            facts = [written_by,
                     (t["c_request"], _fmt_time(ask_deadline, lang) or t["no_deadline"]),
                     (t["c_held"], "; ".join(", ".join(x for x in sitting if x) for sitting in sittings)
                      or t["no_deadline"])]
    elif form == "eu":
        subject = f"{t['subject']} – {title}"
        meta = [(t["to"], addressee(item, lang)), (t["date"], today_text)]
        opening = _opening(item, lang, title, first_known_deadline(db, item))
        facts = []
    else:
        subject = f"{t['subject']} – {title}"
        meta = [(t["to"], addressee(item, lang)), (t["their_ref"], item.get("reference") or "–"),
                (t["our_ref"], _fill(lang, t["fill_ref"])), (t["date"], today_text)]
        opening = _opening(item, lang, title, first_known_deadline(db, item))
        facts = []

    blocks = [Block("letterhead", NCP_NAME_NB if lang == "nb" else f"{NCP_NAME_EN}\n{NCP_NAME_NB}"),
              Block("meta", rows=meta, langs=title_langs), Block("heading", subject, level=1, langs=title_langs)]
    blocks += [Block("warning", w) for w in warnings]
    if form == "committee":
        blocks.append(Block("meta", rows=facts))
    if form == "eu":
        form_values = {"title": item.get("title") or title, "url": item.get("url") or "",
                       "deadline": _fmt_day(item.get("deadline"), lang) or t["no_deadline"]}
        form_rows = [(t["f_initiative"], form_values["title"]), (t["f_link"], form_values["url"]),
                     (t["f_period"], form_values["deadline"]), (t["f_as"], t["f_authority"]),
                     (t["f_organisation"], NCP_NAME_EN), (t["f_scope"], t["f_national"]),
                     (t["f_country"], t["f_norway"]), (t["f_register"], _fill(lang, t["f_if_registered"])),
                     (t["f_privacy"], t["f_public"])]
        blocks += [Block("heading", t["form"], level=2), Block("meta", rows=form_rows),
                   Block("heading", t["feedback"], level=2)]

    if no_comments:
        closing = t["c_no_comments"] if form == "committee" else t["no_comments"]
        blocks.append(Block("para", f"{opening} {closing}", langs=title_langs))
        blocks += _signature_blocks(lang, data_dir)
        return Draft(item_id=item["id"], language=lang, subject=subject, blocks=blocks, sections=[],
                     form=form, cautions=found, no_comments=True)

    blocks += [Block("para", opening, langs=title_langs),
               Block("heading", t["intro"], level=2), Block("para", mandate(lang, data_dir)),
               Block("heading", t["main"], level=2), Block("placeholder", _fill(lang, t["fill_main"]))]
    from tracker.documents.api import strongest_paragraphs

    tags = item_tags(db, item)
    paragraphs = {tag["label"]: strongest_paragraphs(db, item["id"], tag["label"], limit=2) for tag in tags}
    topic_blocks, sections = _topic_sections(item, tags, lang, paragraphs)
    blocks += topic_blocks
    blocks.append(Block("heading", t["earlier"], level=2))
    similar = similar_answers(db, item)
    if similar:
        blocks.append(Block("bullets", items=[_similar_line(s, lang) for s in similar],
                            langs=[(s["title"], code) for s in similar
                                   if s["title"] and (code := part_lang(s["language"], lang))]))
    else:
        blocks.append(Block("para", t["no_earlier"]))
    if form == "committee":  # the written-input deadline, not whichever the item's deadline is
        route_rows = [written_by] + ([] if written_hearing(item) else [
            (t["c_request"], _fmt_time(ask_deadline, lang) or t["no_deadline"])])
    else:
        route_rows = [(t["deadline"], _fmt_day(item.get("deadline"), lang) or t["no_deadline"])]
    route_rows += [(t["route"], submission_route(item, lang)), (t["source"], item.get("url") or "")]
    blocks += [Block("heading", t["deadline_route"], level=2), Block("meta", rows=route_rows)]
    blocks += _signature_blocks(lang, data_dir)
    return Draft(item_id=item["id"], language=lang, subject=subject, blocks=blocks, sections=sections,
                 form=form, cautions=found)


# ---------------------------------------------------------------------------- rendering


def quoted(text: str, lang: str) -> str:
    """`text` in the quotation marks of `lang`: «…» in Bokmål, “…” in English."""
    return words(lang).fmt("quote_marks", word=text)


def _set_document_language(doc, lang: str) -> None:
    """The document's default language to the draft's (`set_default_language`): Word and
    LibreOffice spell-check an English draft as English, not as the template's Norwegian. The
    letterhead in the page header in the draft's language (an English draft: the NCP's English
    name, the template's Norwegian one replaced where it is written)."""
    set_default_language(doc, lang)
    if lang == "en":
        for section in doc.sections:
            for part in (section.header, section.footer):
                for p in part.paragraphs:
                    for run in p.runs:
                        if NCP_NAME_NB in run.text:
                            run.text = run.text.replace(NCP_NAME_NB, NCP_NAME_EN)


def render_markdown(draft: Draft) -> str:
    out: list[str] = []
    for b in draft.blocks:
        if b.kind == "letterhead":
            out += [f"**{line}**" for line in b.text.splitlines()] + [""]
        elif b.kind == "meta":
            out += [f"{k}: {v}  " for k, v in b.rows] + [""]
        elif b.kind == "heading":
            out += ["#" * b.level + " " + b.text, ""]
        elif b.kind == "para":
            out += [b.text, ""]
        elif b.kind == "warning":
            out += [f"> **⚠ {b.text}**", ""]
        elif b.kind == "quote":
            out += ["> " + quoted(b.text, draft.language) + (f" ({b.source})" if b.source else ""), ""]
        elif b.kind == "placeholder":
            out += [f"**{b.text}**", ""]
        elif b.kind == "bullets":
            out += [f"- {i}" for i in b.items] + [""]
    return "\n".join(out).rstrip() + "\n"


def template_document(data_dir: str | Path | None = None):
    """The secretariat's template (user copy first) with its body emptied."""
    from docx import Document
    from docx.oxml.ns import qn

    from tracker.resources import locate, unreadable

    source = locate(TEMPLATE, data_dir)
    try:
        data = source.read_bytes()
    except OSError as exc:  # a folder, a link to nothing, a template the system will not let it read
        if isinstance(exc, FileNotFoundError):
            raise DraftFileError(unreadable(source, exc)) from exc
        raise DraftFileError(f"cannot read the draft template {source}: {exc.strerror or exc}") from exc
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a broken user template must be named, not a traceback
        raise DraftFileError(f"the draft template {source} cannot be read as .docx: {exc}") from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def render_docx(draft: Draft, data_dir: str | Path | None = None, *, by: str | None = None):
    """A python-docx Document of the draft in the template (headings are real Word headings)."""
    from docx.enum.text import WD_COLOR_INDEX

    doc = template_document(data_dir)
    names = {s.name for s in doc.styles}

    def para(text: str = "", style: str | None = None):
        return doc.add_paragraph(text, style=style if style in names else None)

    for b in draft.blocks:
        if b.kind == "letterhead":
            continue  # the template's page header is the letterhead
        if b.kind == "meta":
            for k, v in b.rows:
                p = para(style="Brevhode")
                p.add_run(f"{k}: ").bold = True
                _add_text(p, v, names, b.langs)
            para()
        elif b.kind == "heading":
            add_runs(doc.add_heading("", level=b.level), b.text, b.langs)
        elif b.kind == "para":
            add_runs(para(), b.text, b.langs)
        elif b.kind == "warning":
            p = para(style="Advarsel")
            run = p.add_run(f"⚠ {b.text}")
            if "Advarsel" not in names:
                run.bold = True
        elif b.kind == "quote":
            p = para(style="Quote")
            add_runs(p, quoted(b.text, draft.language), b.langs)
            if b.source:
                run = p.add_run(f" ({b.source})")
                if "Kilde" in names:
                    run.style = doc.styles["Kilde"]
        elif b.kind == "placeholder":
            p = para()
            _add_text(p, b.text, names)
        elif b.kind == "bullets":
            for i in b.items:
                add_runs(para(style="List Bullet"), i, b.langs)
    props = doc.core_properties
    props.title = draft.subject
    props.subject = draft.subject
    props.language = LANGUAGE_TAGS[draft.language]
    props.keywords = words(draft.language)["keywords"]
    _set_document_language(doc, draft.language)
    # python-docx writes these naive datetimes with a "Z": they must be UTC (Oslo time was an hour
    # or two off in Word's document properties)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    props.revision = 1
    props.comments = ""
    if by:
        props.last_modified_by = by
    if "Fyll inn" not in names:  # a user's template without the character style: mark by hand
        for p in doc.paragraphs:
            for run in p.runs:
                if run.text.startswith("[") and "]" in run.text:
                    run.bold = True
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return doc


_FILL_SPLIT = re.compile(r"(\[(?:FYLL INN|FILL IN):[^\]]*\])")


def _add_text(p, text: str, names: set[str], langs: Sequence[tuple[str, str]] = ()) -> None:
    """Text with its [FYLL INN: …] parts in the template's "Fyll inn" character style (and the
    words of `langs` marked with their language, `add_runs`)."""
    for part in _FILL_SPLIT.split(text):
        if not part:
            continue
        if _FILL_SPLIT.fullmatch(part):
            run = p.add_run(part)
            if "Fyll inn" in names:
                run.style = p.part.document.styles["Fyll inn"]
        else:
            add_runs(p, part, langs)


def docx_bytes(draft: Draft, data_dir: str | Path | None = None) -> bytes:
    buf = io.BytesIO()
    render_docx(draft, data_dir).save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- files and versions


_FORM_WORD = {"hearing": "horingssvar", "committee": "innspill", "eu": "feedback"}


def file_stem(draft: Draft, as_of: date | None = None) -> str:
    """``<item>-horingssvar`` (``-innspill`` for Stortinget, ``-feedback`` for the EU), sanitised;
    with `as_of` the day is added (a one-off download); files on disk are told apart by version."""
    return _stem(draft.item_id, draft.form, as_of.isoformat() if as_of else None)


def download_stem(item_id: str, kind: str | None, day: str | None, draft_id: int) -> str:
    """The name a kept draft is downloaded under: as `file_stem` (the form from the item's `kind`),
    with its day and its number in the `drafts` table."""
    return f"{_stem(item_id, FORMS.get(kind or '', 'hearing'), day or 'utkast')}-{draft_id}"


def _stem(item_id: str, form: str, day: str | None) -> str:
    from tracker.workbench.outputs import safe_name

    stem = f"{safe_name(item_id)}-{_FORM_WORD.get(form, 'horingssvar')}"
    return f"{stem}-{day}" if day else stem


#: the end of a name `draft` writes: ``<item>-horingssvar`` (``-innspill``, ``-feedback``), ``-vN``
_VERSIONED = re.compile("-(?:" + "|".join(map(re.escape, _FORM_WORD.values())) + r")(?:-v(\d+))?$")


def version_of(path: str | Path) -> int | None:
    """The version in the name of a draft `draft` wrote (``…-horingssvar-v3`` → 3, no ``-vN`` → 1);
    None for a draft made in the web workbench (its name is dated and unique, not versioned)."""
    m = _VERSIONED.search(Path(path).stem)
    return (int(m.group(1)) if m.group(1) else 1) if m else None


def _existing_versions(folder: Path, stem: str) -> list[int]:
    found = []
    for p in folder.glob(f"{stem}*"):
        if p.suffix in (".docx", ".md") and (p.stem == stem or re.fullmatch(re.escape(stem) + r"-v\d+", p.stem)):
            found.append(version_of(p) or 1)
    return sorted(set(found))


def versioned_name(stem: str, version: int) -> str:
    return stem if version <= 1 else f"{stem}-v{version}"


def record(db: sqlite_utils.Database, draft: Draft, *, by: str | None = None,
           docx_path: str | None = None, md_path: str | None = None) -> int:
    """Keep a draft (its text feeds the similarity search of later drafts)."""
    from tracker.workbench.triage import current_user

    with db.conn:
        table = db["drafts"]
        table.insert({
            "item_id": draft.item_id, "created_at": now_iso(),
            "created_by": current_user(by), "language": draft.language, "title": draft.subject,
            "text": render_markdown(draft), "docx_path": docx_path, "md_path": md_path,
        })  # fmt: skip
        return table.last_pk


@dataclass
class DraftVersion:
    """One written draft of an item (for listing and downloading every version)."""

    id: int
    version: int | None  # None: made in the web workbench (see version_of)
    created_at: str
    created_by: str | None
    docx_path: Path | None
    md_path: Path | None

    @property
    def exists(self) -> bool:
        return self.docx_path is not None and self.docx_path.is_file()


def versions(db: sqlite_utils.Database, item_id: str) -> list[DraftVersion]:
    """Every draft of `item_id` written to disk, oldest first, with its paths.

    A version overwritten with ``--force`` is listed once (its latest write); a file removed by
    hand is still listed, with ``exists`` False.
    """
    latest: dict[str, DraftVersion] = {}
    for r in db.query("select id, created_at, created_by, docx_path, md_path from drafts "
                      "where item_id = ? and docx_path is not null order by id", [item_id]):
        v = DraftVersion(id=r["id"], version=version_of(r["docx_path"]), created_at=r["created_at"],
                         created_by=r["created_by"], docx_path=Path(r["docx_path"]),
                         md_path=Path(r["md_path"]) if r["md_path"] else None)  # fmt: skip
        latest[str(v.docx_path)] = v
    return sorted(latest.values(), key=lambda v: (v.created_at, v.id))


@dataclass
class Written:
    draft: Draft
    docx: Path
    md: Path
    version: int = 1
    overwritten: bool = False


def write(db: sqlite_utils.Database, item_id: str, out_dir: str | Path = "data/drafts", *,
          base: str | Path | None = None, by: str | None = None, as_of: date | None = None,
          no_comments: bool = False, force: bool = False, data_dir: str | Path | None = None) -> Written:
    """Build the draft and write ``<out>/<item>-horingssvar[-vN].docx`` and ``.md``.

    `out_dir` is where the user said (absolute, ``~`` or relative to `base`/cwd). An existing
    draft is never overwritten: the next version is written (``-v2``, ``-v3``, …), unless `force`,
    which overwrites the latest version.
    """
    from tracker.workbench.outputs import OutputError, inside, output_dir, user_path

    draft = build(db, item_id, as_of=as_of, no_comments=no_comments, data_dir=data_dir)  # unknown ids fail first
    document = render_docx(draft, data_dir, by=by)  # a broken template fails before any folder is made
    try:
        if file_name_as_folder(user_path(out_dir, base)):
            # `--out svar.docx` made a folder named svar.docx with the draft inside it: `--out` is
            # the folder (the drafts are named and versioned by the tracker)
            raise OutputError(f"{out_dir!s} is a file name; --out is the folder the draft is written "
                              f"to (as {file_stem(draft)}.docx)")
        target = output_dir(out_dir, base)
        stem = file_stem(draft)
        existing = _existing_versions(target, stem)
        version = (existing[-1] if force else existing[-1] + 1) if existing else 1
        name = versioned_name(stem, version)
        docx_path, md_path = inside(target, name + ".docx"), inside(target, name + ".md")
    except OutputError as exc:
        raise DraftError(str(exc)) from exc
    overwritten = docx_path.exists() or md_path.exists()
    buf = io.BytesIO()
    document.save(buf)
    # whole or not at all: an interrupted --force leaves the previous version, not half a file
    try:
        write_whole(docx_path, buf.getvalue())
        write_whole(md_path, render_markdown(draft).encode("utf-8"))
    except OSError as exc:
        raise DraftError(f"cannot write the draft in {docx_path.parent}: {exc.strerror or exc}") from exc
    record(db, draft, by=by, docx_path=str(docx_path), md_path=str(md_path))
    return Written(draft, docx_path, md_path, version=version, overwritten=overwritten)
