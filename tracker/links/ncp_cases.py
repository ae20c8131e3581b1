"""Other NCPs' cases (items of kind ``ncp_case``, spider oecd_ncp_cases) set against what the NCP follows.

A case is *flagged* when the company it names

- is named in a fund item (Etikkrådet, Norges Bank, Finansdepartementet, the Storting's
  fund cases: tracker.links.gpfg.GPFG_SOURCES) — excluded, under observation, identified
  for Norges Bank's ownership work, or otherwise discussed as a fund holding;
- is Norwegian: an ``ASA``/``AS`` name or a Norwegian organisation number in the
  company register (tracker/links/companies.py);

or when the Norwegian NCP is the lead or a supporting NCP (said as its role, never as taking a
side: «Kontaktpunktet i Norge er støttende kontaktpunkt (ledende: Chile)»). The company is resolved
through the register by its normalised name (``companies.normalised_name``), so
"Río Azul S.A." in a case and "Rio Azul SA" in an Etikkrådet post are one company.

``flagged_cases(db, since, upto, lang)`` is what the digest shows; every flag carries a
one-line reason in the digest's language (catalogue messages, tracker/locale).
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from tracker.i18n import gettext
from tracker.links.companies import normalise
from tracker.links.gpfg import GPFG_SOURCES
from tracker.store.queries import loads_json
from tracker.vocabulary import N_, country_name, eu_stage_name

#: Etikkrådet's `extra.action` → what it means for the fund (catalogue messages, for the reason line)
ACTION_TEXT = {
    "exclusion": N_("excluded from the fund"), "observation": N_("placed under observation by the fund"),
    "ownership_flag": N_("identified for Norges Bank's ownership work"),
    "revocation": N_("exclusion from the fund revoked"),
}  # fmt: skip
#: a fund item about the company that records no decision
DISCUSSED = N_("named in a fund item")
STAGE_TEXT = {
    "filed": N_("complaint filed"), "accepted": N_("accepted for further examination"),
    "not_accepted": N_("not accepted for further examination"), "final_statement": N_("final statement"),
    "closed": N_("case concluded"),
}  # fmt: skip


def stage_name(stage: Any, lang: str = "nb") -> str:
    """A stage as a reader says it: an NCP case's stage code (`STAGE_TEXT`) by its name in `lang`;
    any other stage is an EU file's, named by `tracker.vocabulary.eu_stage_name` (OEIL's "Procedure
    completed" → «Behandlingen er avsluttet»; one it does not know as its source words it)."""
    text = "" if stage is None else str(stage)
    return gettext(lang, STAGE_TEXT[text]) if text in STAGE_TEXT else eu_stage_name(text, lang)


_NORWEGIAN_FORM = re.compile(r"\b(?:asa|as)$")
_NORWAY = re.compile(r"^(?:norway|norge|noreg)$", re.I)


def _company_row(db: sqlite_utils.Database, case_id: str, name: str | None) -> dict[str, Any] | None:
    """The register's row for the case's company: by its normalised name, else the case item's own mention."""
    if name:
        rows = list(db.query("select id, name, identifiers from companies where normalised_name = ?", [normalise(name)]))
        if rows:
            return rows[0]
    rows = list(db.query(
        """select c.id, c.name, c.identifiers from company_mentions m join companies c on c.id = m.company_id
           where m.item_id = ? order by m.field = 'title' desc, c.id limit 1""", [case_id]))  # fmt: skip
    return rows[0] if rows else None


def _fund_mentions(db: sqlite_utils.Database, company_id: int, case_id: str) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in GPFG_SOURCES)
    return list(db.query(
        f"""select i.id, i.source, i.title, i.url, i.extra, coalesce(i.published, i.first_seen) as at
            from company_mentions m join items i on i.id = m.item_id
            where m.company_id = ? and i.id != ?
              and (i.source in ({marks}) or json_extract(i.extra, '$.topic') = 'gpfg')
            order by at desc, i.id""", [company_id, case_id, *GPFG_SOURCES]))  # fmt: skip


def case_flags(db: sqlite_utils.Database, item: dict[str, Any], lang: str = "nb") -> list[dict[str, str]]:
    """Why one case matters to the NCP: [{"code", "text", "item_id"?}] (empty: not flagged), each
    text in `lang`."""
    extra = loads_json(item.get("extra"), {})
    flags: list[dict[str, str]] = []
    company = _company_row(db, item["id"], extra.get("company"))
    if company is not None:
        mentions = _fund_mentions(db, company["id"], item["id"])
        # the fund's decisions about the company (newest first); else one line saying the fund discussed it
        decided = [r for r in mentions if loads_json(r["extra"], {}).get("action") in ACTION_TEXT]
        for row in decided or mentions[:1]:
            what = ACTION_TEXT.get(loads_json(row["extra"], {}).get("action") or "", DISCUSSED)
            flags.append({"code": "gpfg", "item_id": row["id"],
                          "text": gettext(lang, "%(company)s: %(what)s («%(title)s»)", company=company["name"],
                                          what=gettext(lang, what), title=row["title"])})
        identifiers = loads_json(company["identifiers"], {})
        if identifiers.get("orgnr") or _NORWEGIAN_FORM.search(normalise(company["name"])):
            orgnr = ", ".join(identifiers.get("orgnr") or [])
            text = (gettext(lang, "%(company)s is a Norwegian company (org. no. %(orgnr)s)", company=company["name"],
                            orgnr=orgnr) if orgnr
                    else gettext(lang, "%(company)s is a Norwegian company", company=company["name"]))
            flags.append({"code": "norwegian", "text": text})
    elif extra.get("company") and _NORWEGIAN_FORM.search(normalise(extra["company"])):
        flags.append({"code": "norwegian",
                      "text": gettext(lang, "%(company)s is a Norwegian company", company=extra["company"])})
    # the NCP's role in the case, never a side in it: an NCP is impartial, and a "supporting" NCP
    # assists the lead NCP (the OECD's term), it does not back the complaint
    lead = str(extra.get("lead_ncp") or "").strip()
    if lead and _NORWAY.match(lead):
        flags.append({"code": "norway_ncp", "text": gettext(lang, "Norway's NCP is the lead NCP")})
    elif any(_NORWAY.match(str(s).strip()) for s in extra.get("supporting_ncps") or []):
        text = (gettext(lang, "Norway's NCP is a supporting NCP (lead: %(lead)s)", lead=country_name(lead, lang))
                if lead
                else gettext(lang, "Norway's NCP is a supporting NCP"))
        flags.append({"code": "norway_ncp", "text": text})
    return flags


def flagged_cases(db: sqlite_utils.Database, since: str | None = None,
                  upto: str | None = None, lang: str = "nb") -> list[dict[str, Any]]:
    """Cases with an event in the window (`since`, `upto`] (stored instants, tracker.store.instants;
    None: open-ended) that name a followed company or involve Norway; with neither bound, every case.

    Each: id, title, url, company, lead_ncp, stage, stage_text, chapters, status, last_changed,
    flags ([{"code", "text"}]) and `reason` (the flags' texts joined by "; "); texts in `lang`."""
    where, params, order = "kind = 'ncp_case' and vanished_at is null", [], "last_changed desc"
    if since or upto:
        window = "from events e where e.item_id = items.id and e.at > ? and e.at <= ?"
        where += f" and exists (select 1 {window})"
        # the latest change in the window first (not the latest change since: a digest of an
        # earlier day keeps that day's order)
        order = f"(select max(e.at) {window}) desc"
        params += [since or "", upto or "9999"] * 2
    out = []
    for item in db.query(f"select * from items where {where} order by {order}, id", params):
        flags = case_flags(db, item, lang)
        if not flags:
            continue
        extra = loads_json(item.get("extra"), {})
        stage = extra.get("stage") or "filed"
        out.append({
            "id": item["id"], "title": item["title"], "url": item["url"], "company": extra.get("company"),
            "lead_ncp": extra.get("lead_ncp"), "stage": stage,
            "stage_text": gettext(lang, STAGE_TEXT[stage]) if stage in STAGE_TEXT else stage,
            "chapters": extra.get("chapters") or [], "status": item["status"], "last_changed": item["last_changed"],
            "flags": flags, "reason": "; ".join(f["text"] for f in flags),
        })
    return out
