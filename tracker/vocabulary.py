"""One vocabulary: the names people read for codes (sources, kinds, statuses, triage states,
labels, health), the same in the digest, mail, feeds, web and drafts.

Every name is a catalogue message (English msgid, Bokmål in tracker/locale/nb); label names come
from `nlp.labels.LABEL_NAMES`. An unknown code is shown as it is — the i18n test renders every
known code in both languages so that never happens for a code the tracker produces.

Words fixed here (one meaning each, the same in the digest and on the web): *Avsender* /
*Sender* is the ministry, committee or body that sent a consultation (items.owner); *Ansvarlig* /
*Adviser* is the NCP adviser who owns the answer (triage owner), never a ministry; *Utkast innen*
/ *Draft due* is the internal draft deadline.
"""

from __future__ import annotations

import re

from tracker.i18n import gettext


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (gettext_noop)."""
    return message


SOURCE_NAMES: dict[str, str] = {
    "eu_cellar": N_("EU Official Journal (Cellar)"),
    "eu_haveyoursay": N_("EU Have your say"),
    "eu_oeil": N_("European Parliament Legislative Observatory"),
    "no_eos_notater": N_("EEA notes (regjeringen.no)"),
    "no_etikkradet": N_("Council on Ethics"),
    "no_finansdep": N_("Ministry of Finance (GPFG)"),
    "no_forbrukertilsynet": N_("Consumer Authority"),
    "no_lovdata": N_("Lovdata"),
    "no_nbim": N_("Norges Bank Investment Management"),
    "no_regjeringen_horinger": N_("Government hearings (regjeringen.no)"),
    "no_regjeringen_horingssvar": N_("Hearing responses (regjeringen.no)"),
    "no_stortinget_horinger": N_("Storting committee hearings"),
    "no_stortinget_spu": N_("Storting: GPFG cases"),
    "oecd_ncp_cases": N_("OECD: other NCPs' cases"),
}

KIND_NAMES: dict[str, str] = {
    "hearing": N_("Hearing"),
    "committee_hearing": N_("Committee hearing"),
    "eu_consultation": N_("EU consultation"),
    "eu_act_update": N_("EU act"),
    "eu_procedure": N_("EU procedure"),
    "eea_note": N_("EEA note"),
    "gpfg_document": N_("GPFG document"),
    "gpfg_recommendation": N_("Council on Ethics"),
    "gpfg_decision": N_("Norges Bank"),
    "storting_case": N_("Storting case"),
    "regulator_news": N_("Regulator"),
    "law_change": N_("Law change"),
    "ncp_case": N_("NCP case"),
}

STATUS_NAMES: dict[str, str] = {
    "open": N_("open"),
    "closed": N_("closed"),
    "withdrawn": N_("withdrawn"),
    "upcoming": N_("upcoming"),
    "unknown": N_("unknown"),
}

TRIAGE_NAMES: dict[str, str] = {
    "new": N_("new"),
    "watching": N_("watching"),
    "respond": N_("to answer"),
    "assigned": N_("assigned"),
    "drafting": N_("drafting"),
    "submitted": N_("submitted"),
    "published": N_("published"),
    "not_relevant": N_("not relevant"),
    "closed_unanswered": N_("closed unanswered"),
}

HEALTH_NAMES: dict[str, str] = {"green": N_("OK"), "amber": N_("warning"), "red": N_("FAILING")}

FIELD_NAMES: dict[str, str] = {
    "title": N_("title"),
    "summary": N_("summary"),
    "body": N_("text"),
    "owner": N_("sender"),
    "reference": N_("reference"),
    "url": N_("link"),
    "published": N_("published"),
    "kind": N_("kind"),
}


#: the fixed health reasons of tracker.store.health (one "; "-separated part each); a spider's own
#: free-text note (e.g. "feed answered 404") is shown as it is
HEALTH_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<seen>\d+) items, (?P<new>\d+) new, (?P<changed>\d+) changed"),
     N_("%(seen)s items, %(new)s new, %(changed)s changed")),
    (re.compile(r"(?P<num>\d+) detail pages blocked \(403/challenge\)"),
     N_("%(num)s detail pages blocked (403/challenge)")),
    (re.compile(r"(?P<num>\d+) spider errors"), N_("%(num)s errors while crawling")),
    (re.compile(r"(?P<num>\d+) parse errors"), N_("%(num)s parse errors")),
    (re.compile(r"(?P<num>\d+) requests not in the recording"), N_("%(num)s requests not in the recording")),
    (re.compile(r"zero items \((?P<detail>.*)\)"), N_("zero items (%(detail)s)")),
    (re.compile(r"crawl ended early: (?P<why>.*)"), N_("crawl ended early: %(why)s")),
)


def health_reason(text: str | None, lang: str = "nb") -> str:
    """A health reason in `lang`: the tracker's own fixed phrases translated, a spider's note kept."""
    parts = []
    for part in str(text or "").split("; "):
        for pattern, msgid in HEALTH_REASONS:
            if match := pattern.fullmatch(part):
                part = gettext(lang, msgid, **match.groupdict())
                break
        parts.append(part)
    return "; ".join(p for p in parts if p)


def _name(table: dict[str, str], code: str | None, lang: str) -> str:
    if code is None or code == "":
        return ""
    msgid = table.get(str(code))
    return gettext(lang, msgid) if msgid else str(code)


def source_name(code: str | None, lang: str = "nb") -> str:
    return _name(SOURCE_NAMES, code, lang)


def kind_name(code: str | None, lang: str = "nb") -> str:
    return _name(KIND_NAMES, code, lang)


def status_name(code: str | None, lang: str = "nb") -> str:
    return _name(STATUS_NAMES, code, lang)


def triage_name(code: str | None, lang: str = "nb") -> str:
    return _name(TRIAGE_NAMES, code, lang)


def health_name(code: str | None, lang: str = "nb") -> str:
    return _name(HEALTH_NAMES, code, lang)


def field_name(code: str | None, lang: str = "nb") -> str:
    return _name(FIELD_NAMES, code, lang)


def label_name(code: str | None, lang: str = "nb") -> str:
    """A label's name (docs/labelling.md) from `nlp.labels`: Bokmål, or English with "en"."""
    from nlp.labels import LABEL_NAMES, LABEL_NAMES_EN

    if not code:
        return ""
    names = LABEL_NAMES_EN if lang == "en" else LABEL_NAMES
    return names.get(str(code)) or str(code)


def install_jinja_filters(env, lang: str) -> None:
    """Filters `source_name`, `kind_name`, `status_name`, `triage_name`, `label_name`,
    `health_name`, `health_reason` for `lang`."""
    for func in (source_name, kind_name, status_name, triage_name, label_name, health_name, health_reason):
        env.filters[func.__name__] = lambda code, _f=func: _f(code, lang)
