# ruff: noqa: E501  (verbatim case titles)
"""Build the constructed replay days and test fixtures of `no_stortinget_horinger`.

Deterministic (no clock, no network): run it from the repository root and commit its output.

    /tmp/venv0/bin/python data/replay/tools/build_no_stortinget_horinger.py

Writes
- data/replay/2026-11-23/no_stortinget_horinger/ and data/replay/2026-11-24/no_stortinget_horinger/
  (manifest.json, sesjoner, horinger, horingsprogram-<id>: written as XML, then turned into the
  JSON form the spider asks for by stortinget_xml_to_json.py)
- tests/fixtures/no_stortinget_horinger/ (XML and JSON forms, the fallback set, error bodies)

No raw data.stortinget.no response has been published (docs/sources.md §2 and §9), so every body is
*constructed* from the field lists in sources.md §2: root elements `sesjoner_oversikt`,
`horinger_oversikt/horinger_liste/horing`, `horingsprogram_oversikt`, `saker_oversikt/saker_liste/sak`,
`detaljert_sak`; XML in the default namespace http://data.stortinget.no with `i:nil` for empty values
and children in alphabetical order (.NET DataContract style; **unverified**); JSON with the same keys,
flat arrays for `*_liste` and `/Date(ms+offset)/` dates. Case titles and `henvisning` are real
(Stortinget cases of 2025-2026 from real-samples/lovsonar-derived/stortinget_saker_2025-12.csv) except
the rows marked INVENTED; hearing ids, dates, places, statuses and programmes are invented.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[3]
SPIDER = "no_stortinget_horinger"
OSLO = ZoneInfo("Europe/Oslo")
API = "https://data.stortinget.no/eksport"
SESSION = "2026-2027"
VERSION = "1.6"
NS = 'xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://data.stortinget.no"'
EMPTY = "EMPTY"  # the API's 01.01.0001 "no date"

COMMITTEES = {
    "FIN": "Finanskomiteen",
    "NAERING": "Næringskomiteen",
    "FAMKULT": "Familie- og kulturkomiteen",
    "ARBSOS": "Arbeids- og sosialkomiteen",
    "UFK": "Utenriks- og forsvarskomiteen",
    "ENERGI": "Energi- og miljøkomiteen",
    "JUSTIS": "Justiskomiteen",
    "HELSEOMS": "Helse- og omsorgskomiteen",
    "KOMMFORV": "Kommunal- og forvaltningskomiteen",
    "KUF": "Utdannings- og forskningskomiteen",
    "TRANSKOM": "Transport- og kommunikasjonskomiteen",
    "KONTROLL": "Kontroll- og konstitusjonskomiteen",
}
SAL = "Stortingets komitéhus, Høringssal {}"


@dataclass(frozen=True)
class Case:
    sak_id: int
    tittel: str
    henvisning: str | None  # None where the CSV only had Lovsonar's placeholder "Ny sak"
    korttittel: str | None = None
    status: str = "til_behandling"  # eksport/saker status (fallback fixtures)
    invented: bool = False

    @property
    def short(self) -> str:
        if self.korttittel:
            return self.korttittel
        # Stortinget's short titles of representantforslag read "Representantforslag om …"
        if self.tittel.startswith("Representantforslag fr") and " om " in self.tittel:
            return "Representantforslag om " + self.tittel.split(" om ", 1)[1]
        return self.tittel


@dataclass(frozen=True)
class Hearing:
    id: int
    komite: str
    cases: tuple[Case, ...]
    status: str  # horing_status: "Avholdt" is documented; "Planlagt" and "Avlyst" are assumptions
    anmodningsfrist: str = EMPTY  # "YYYY-MM-DD HH:MM" Oslo time, or EMPTY
    innspillsfrist: str = EMPTY
    start: str = EMPTY
    sal: int | None = 1
    skriftlig: bool = False
    status_info: str | None = None
    program: tuple[tuple[str, str], ...] = field(default=())  # (tekst, tidsangivelse)


# --------------------------------------------------------------------------- cases
def _c(sak_id, tittel, henvisning, **kw) -> Case:
    return Case(sak_id, tittel, henvisning, **kw)


BUDGET = [("FIN", "finanskomiteen"), ("NAERING", "næringskomiteen"), ("FAMKULT", "familie- og kulturkomiteen"),
          ("ARBSOS", "arbeids- og sosialkomiteen"), ("UFK", "utenriks- og forsvarskomiteen"),
          ("ENERGI", "energi- og miljøkomiteen"), ("JUSTIS", "justiskomiteen"),
          ("HELSEOMS", "helse- og omsorgskomiteen"), ("KOMMFORV", "kommunal- og forvaltningskomiteen"),
          ("KUF", "utdannings- og forskningskomiteen"), ("TRANSKOM", "transport- og kommunikasjonskomiteen")]

# real cases (title and henvisning verbatim from stortinget_saker_2025-12.csv; sak_id from its URL)
DYREVELFERD = _c(105928, "Endringer i lov om dyrevelferd (fremstilling og fremvisning m.m. av seksuelle overgrep mot dyr)", "Prop. 30 L (2025-2026)")
FORETAKSPENSJON = _c(105929, "Endringer i foretakspensjonsloven og forsikringsvirksomhetsloven (forvaltning av garanterte pensjonsprodukter)", "Prop. 31 L (2025-2026)")
INNDRAGNING = _c(105846, "Endringer i straffeloven (selvstendig inndragning m.m.)", "Prop. 27 L (2025-2026)")
SIKKERHETSLOVEN = _c(105468, "Endringer i sikkerhetsloven (opplysningsplikt ved autorisasjon)", "Prop. 10 L (2025-2026)")
SENTRALBANK = _c(105340, "Endringer i sentralbankloven (adgang for staten til å innhente kreditt for likviditetsformål mv.)", "Prop. 9 L (2025-2026)")
OLJEPIONER = _c(105210, "Lov om kompensasjonsordning for kjemikalieskadde oljepionerar (oppfølging av tiltak i forslaget til statsbudsjett for 2026)", "Prop. 7 L (2025-2026), Innst. 53 L (2025-2026)")
FOLKETRYGD = _c(105211, "Endringar i folketrygdlova og enkelte andre lover (oppfølging av tiltak i forslaget til statsbudsjett for 2026 m.m.)", "Prop. 8 L (2025-2026), Innst. 52 L (2025-2026)")
MYR = _c(104764, "Endringer i naturmangfoldloven (forbud mot næringsmessig uttak av myr)", "Prop. 2 L (2025-2026), Innst. 56 L (2025-2026)")
DIGITAL_OPPVEKST = _c(103870, "Trygg oppvekst i et digitalt samfunn", "Meld. St. 32 (2024-2025)")
DOMSTOL = _c(104478, "Endringer i domstolloven mv. (saksfordeling m.m.)", "Prop. 163 L (2024-2025)")
DAGLIGVARE = _c(105002, "Endringer i lov om god handelsskikk i dagligvarekjeden (tilsynsmyndighet)", "Prop. 4 L (2025-2026), Innst. 65 L (2025-2026)")
GARANTIORDNING = _c(104476, "Endringer i finansforetaksloven (utvidelse av garantiordningen for skadeforsikring)", "Prop. 164 L (2024-2025), Innst. 43 L (2025-2026)")
SFO = _c(104001, "Endringer i opplæringslova (rett til 12 timer gratis skolefritidsordning i uken for elever på 1. til 3. trinn)", "Prop. 160 L (2024-2025)")
HELSEPERSONELL = _c(104002, "Endringer i helsepersonelloven og pasientjournalloven mv. (taushetsplikt og tilgjengeliggjøring av pasientopplysninger)", "Prop. 154 L (2024-2025)")
BAEREKRAFTSMAL = _c(103995, "Norges arbeid med bærekraftsmålene. Status, utfordringer og veien videre", "Meld. St. 35 (2024-2025)")
ISOLASJON = _c(104479, "Endringer i straffegjennomføringsloven mv. (isolasjon i fengsel)", "Prop. 165 L (2024-2025)")
ANSKAFFELSE = _c(103533, "Lov om endringer i anskaffelsesloven (samfunnshensyn mv.)", "Prop. 147 L (2024-2025)")
INKASSO = _c(104763, "Lov om inkassovirksomhet og inndriving av forfalte pengekrav (inkassoloven)", "Prop. 3 L (2025-2026)")
PRIVATSKOLE = _c(105405, "Representantforslag fra stortingsrepresentantene Guri Melby og Grunde Almeland om å endre privatskolelova for å sikre friere etableringsrett", "Dokument 8:37 S (2025-2026)")
BORETTSLAG = _c(104480, "Endringer i plan- og bygningsloven (planbestemmelser om borettslag)", "Prop. 161 L (2024-2025)")
VERGEMAAL = _c(104555, "Endringer i vergemålsloven (dekningsansvaret for vergeutgifter og kompetansen til å ta imot søksmål)", "Prop. 166 L (2024-2025)")
NIM = _c(106030, "Lov om endringer i NIM-loven (nye overvåkings- og rapporteringsfunksjoner)", None)
FORSVARSMATERIELL = _c(103840, "Eksport av forsvarsmateriell fra Norge i 2024, eksportkontroll og internasjonalt ikke-spredningssamarbeid", None)
DATASENTRE = _c(105697, "Representantforslag fra stortingsrepresentantene Kirsti Bergstø, Mirell Høyer-Berntsen, Anne Lise Gjerstad Fredlund, Ingrid Fiskaa, Marthe Hammer og Lars Haltbrekken om konsesjonsordning for etablering av datasentre", None)
INNLEIE = _c(105527, "Representantforslag fra stortingsrepresentantene Anna Molberg, Amalie Gunnufsen, Erlend Svardal Bøe, Margret Hagerup, Henrik Asheim, Henrik Gottfries Kierulf og Mahmoud Farahmand om regler for innleie av arbeidskraft", None)
NAV = _c(105884, "Representantforslag fra stortingsrepresentantene Anna Molberg, Amalie Gunnufsen, Mahmoud Farahmand og Henrik Asheim om en forenklingsreform i Nav", None)
AVLOP = _c(105076, "Representantforslag fra stortingsrepresentantene Tage Pettersen, Erna Solberg, Haagen Poppe, Kari Sofie Bjørnsen, Mahmoud Farahmand og Anne Kristine Linnestad om Norges handlingsrom innenfor EUs reviderte avløpsdirektiv", None)
SATELLITT = _c(106055, "Representantforslag fra stortingsrepresentantene Bård Ludvig Thorheim og Erlend Larsen om å sikre Norge mot forstyrrelser av satellittnavigasjon", None)
PSYKISK = _c(106053, "Representantforslag fra stortingsrepresentantene Kathy Lie, Marian Hussein og Anne Lise Gjerstad Fredlund om et bedre tilbud innen psykisk helsevern", None)
STRAFF = _c(104004, "Straff som virker - straffegjennomføring for et tryggere Norge", None)
PETROLEUM = _c(105078, "Representantforslag fra stortingsrepresentantene Aleksander Stokkebø, Amalie Gunnufsen, Erlend Svardal Bøe, Ove Trellevik, Margret Hagerup og Kari Sofie Bjørnsen om en ny petroleumsmelding om utvikling og forutsigbarhet for Norges største næring", None)
FINANSNAERING = _c(105422, "Representantforslag fra stortingsrepresentantene Tom Staahle, Martin Virkesdal Jonsterhaug, Hans Andreas Limi og Hilde Grande om finansnæringen som næringspolitikk", "Dokument 8:38 S (2025-2026)")
NB_REPRESENTANTSKAP = _c(105849, "Valg av medlemmer til Norges Banks representantskap", "Innst. 50 S (2025-2026)")

# INVENTED (NCP-relevant; no such Stortinget case exists, see data/replay/README.md)
APENHETSLOVEN = _c(107130, "Endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)", "Prop. 25 L (2026-2027)", invented=True)
SPU_ETIKK = _c(107131, "Statens pensjonsfond utland – etisk rammeverk etter gjennomgangen i 2026", "Meld. St. 8 (2026-2027)", invented=True)
OMNIBUS = _c(107132, "Endringer i regnskapsloven mv. (bærekraftsrapportering – tilpasning til endringsdirektivet i forenklingspakken Omnibus I)", "Prop. 31 LS (2026-2027)", invented=True)

PROGRAM_ISOLASJON = (
    ("Sivilombudet", "09:00 - 09:10"), ("Kriminalomsorgsdirektoratet", "09:10 - 09:20"),
    ("Norsk Fengsels- og friomsorgsforbund", "09:20 - 09:30"), ("Advokatforeningen", "09:30 - 09:40"),
    ("Amnesty International Norge", "09:40 - 09:50"), ("Juss-Buss", "09:50 - 10:00"),
)


def budget_hearings() -> list[Hearing]:
    out = []
    for n, (kom, lower) in enumerate(BUDGET):
        day = 19 + n if n < 5 else 21 + n  # 19.–23. and 26.–31. October 2026 (weekdays)
        case = _c(107001 + n, f"Statsbudsjettet 2027 ({lower})", "Prop. 1 S (2026-2027)",
                  korttittel=f"Statsbudsjettet 2027 ({lower})", status="behandlet" if kom == "FIN" else "til_behandling")
        out.append(Hearing(10006001 + n, kom, (case,), "Avholdt",
                           anmodningsfrist=f"2026-10-{day - 6:02d} 12:00", innspillsfrist=f"2026-10-{day - 2:02d} 23:59",
                           start=f"2026-10-{day:02d} 09:00", sal=1 + n % 3))
    return out


def catalogue(day: int) -> list[Hearing]:
    """The session's hearing list as served on 2026-11-<day> (23 or 24)."""
    held = [
        Hearing(10006101, "NAERING", (DYREVELFERD,), "Avholdt", "2026-10-28 12:00", "2026-10-30 23:59", "2026-11-03 10:00"),
        Hearing(10006102, "JUSTIS", (INNDRAGNING,), "Avholdt", "2026-10-29 12:00", EMPTY, "2026-11-04 09:00", sal=2),
        Hearing(10006103, "UFK", (SIKKERHETSLOVEN,), "Avholdt", "2026-10-30 12:00", EMPTY, "2026-11-05 13:00", sal=3),
        Hearing(10006104, "FIN", (SENTRALBANK,), "Avholdt", "2026-10-30 12:00", "2026-11-02 23:59", "2026-11-06 09:00"),
        Hearing(10006105, "ARBSOS", (OLJEPIONER, FOLKETRYGD), "Avholdt", "2026-11-02 12:00", "2026-11-05 23:59", "2026-11-09 10:00", sal=2),
        Hearing(10006106, "ENERGI", (MYR,), "Avholdt", "2026-11-03 12:00", "2026-11-06 23:59", "2026-11-10 09:00"),
        Hearing(10006107, "FAMKULT", (DIGITAL_OPPVEKST,), "Avholdt", "2026-11-04 12:00", "2026-11-06 23:59", "2026-11-11 09:00", sal=3),
        Hearing(10006108, "JUSTIS", (DOMSTOL,), "Avholdt", "2026-11-05 12:00", EMPTY, "2026-11-12 13:00", sal=2),
        Hearing(10006109, "NAERING", (DAGLIGVARE,), "Avholdt", "2026-11-06 12:00", "2026-11-10 23:59", "2026-11-13 09:00"),
        Hearing(10006110, "FIN", (GARANTIORDNING,), "Avholdt", innspillsfrist="2026-11-16 23:59", sal=None, skriftlig=True),
        Hearing(10006111, "KUF", (SFO,), "Avholdt", "2026-11-10 12:00", "2026-11-13 23:59", "2026-11-17 10:00", sal=3),
        Hearing(10006112, "HELSEOMS", (HELSEPERSONELL,), "Avholdt", "2026-11-11 12:00", "2026-11-13 23:59", "2026-11-18 09:00"),
        Hearing(10006113, "KOMMFORV", (BAEREKRAFTSMAL,), "Avholdt", "2026-11-12 12:00", "2026-11-16 23:59", "2026-11-19 09:00", sal=2),
        # held on the morning of day 1 (after the 06:00 crawl): "Planlagt" on day 1, "Avholdt" on day 2
        Hearing(10006114, "JUSTIS", (ISOLASJON,), "Planlagt" if day == 23 else "Avholdt",
                "2026-11-18 12:00", EMPTY, "2026-11-23 09:00", program=PROGRAM_ISOLASJON),
    ]
    open_ = [
        Hearing(10006201, "FAMKULT", (APENHETSLOVEN,), "Planlagt", "2026-11-26 12:00", "2026-12-01 23:59", "2026-12-03 09:00"),
        Hearing(10006202, "FIN", (SPU_ETIKK,), "Planlagt", "2026-12-01 12:00", "2026-12-04 23:59", "2026-12-08 10:00"),
        Hearing(10006203, "FIN", (OMNIBUS,), "Planlagt", innspillsfrist="2026-12-10 23:59", sal=None, skriftlig=True),
        Hearing(10006204, "NAERING", (ANSKAFFELSE,), "Planlagt", "2026-11-24 12:00", EMPTY, "2026-11-26 10:00", sal=2),
        # day 2: the written-input deadline is extended from 2 to 7 December
        Hearing(10006205, "JUSTIS", (INKASSO,), "Planlagt",
                innspillsfrist="2026-12-02 23:59" if day == 23 else "2026-12-07 23:59", sal=None, skriftlig=True,
                status_info=None if day == 23 else "Innspillsfristen er forlenget til 7. desember 2026."),
        Hearing(10006206, "KUF", (PRIVATSKOLE,), "Planlagt", "2026-11-25 12:00", "2026-11-27 23:59", "2026-12-01 09:00", sal=3),
        Hearing(10006207, "KOMMFORV", (BORETTSLAG,), "Planlagt", innspillsfrist="2026-11-30 23:59", sal=None, skriftlig=True),
        # day 2: cancelled
        Hearing(10006208, "JUSTIS", (VERGEMAAL,), "Planlagt" if day == 23 else "Avlyst",
                innspillsfrist="2026-12-04 23:59", sal=None, skriftlig=True,
                status_info=None if day == 23 else "Høringen er avlyst."),
        Hearing(10006209, "KONTROLL", (NIM,), "Planlagt", "2026-11-26 12:00", "2026-11-30 23:59", "2026-12-02 10:00"),
        Hearing(10006210, "UFK", (FORSVARSMATERIELL,), "Planlagt", "2026-12-02 12:00", "2026-12-04 23:59", "2026-12-09 09:00", sal=2),
        Hearing(10006211, "ENERGI", (DATASENTRE,), "Planlagt", innspillsfrist="2026-12-03 23:59", sal=None, skriftlig=True),
        Hearing(10006212, "ARBSOS", (INNLEIE,), "Planlagt", "2026-11-25 12:00", EMPTY, "2026-12-01 10:00", sal=2),
        Hearing(10006213, "ARBSOS", (NAV,), "Planlagt", innspillsfrist="2026-12-08 23:59", sal=None, skriftlig=True),
        Hearing(10006214, "ENERGI", (AVLOP,), "Planlagt", innspillsfrist="2026-12-11 23:59", sal=None, skriftlig=True),
        Hearing(10006215, "TRANSKOM", (SATELLITT,), "Planlagt", innspillsfrist="2026-12-07 23:59", sal=None, skriftlig=True),
        Hearing(10006216, "HELSEOMS", (PSYKISK,), "Planlagt", "2026-12-03 12:00", "2026-12-07 23:59", "2026-12-10 09:00"),
        Hearing(10006218, "ENERGI", (PETROLEUM,), "Planlagt", "2027-01-05 12:00", EMPTY, "2027-01-12 09:00", sal=3),
    ]
    if day == 23:  # day 2: removed from the list without a word (vanished)
        open_.insert(16, Hearing(10006217, "JUSTIS", (STRAFF,), "Planlagt", "2027-01-07 12:00", "2027-01-11 23:59",
                                 "2027-01-14 09:00"))
    if day == 24:  # day 2: newly announced
        open_.append(Hearing(10006230, "NAERING", (FINANSNAERING,), "Planlagt", innspillsfrist="2026-12-14 23:59",
                             sal=None, skriftlig=True))
    return budget_hearings() + held + open_


# --------------------------------------------------------------------------- dates


def _local(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)


def xml_date(value: str) -> str:
    return "0001-01-01T00:00:00" if value == EMPTY else _local(value).strftime("%Y-%m-%dT%H:%M:%S")


def json_date(value: str) -> str:
    if value == EMPTY:
        return "/Date(-62135596800000)/"
    dt = _local(value)
    ms = int(dt.astimezone(UTC).timestamp() * 1000)
    return f"/Date({ms}{dt.strftime('%z')})/"


def saksgang_date(value: str) -> str:
    """eksport/sak JSON saksgang dates: dd.MM.yyyy HH:mm:ss."""
    return "01.01.0001 00:00:00" if value == EMPTY else _local(value).strftime("%d.%m.%Y %H:%M:%S")


# --------------------------------------------------------------------------- a tiny serialiser
# objects are dicts (children sorted by name, like DataContract XML); lists are ("_liste", item_name, [..])


class L(list):
    """A `*_liste` element whose items are <item_name> elements."""

    def __init__(self, item_name: str, items):
        super().__init__(items)
        self.item_name = item_name


class D(str):
    """A date value: ISO in XML, /Date(..)/ in JSON (or the saksgang form when `saksgang`)."""

    saksgang = False


class SD(D):
    saksgang = True


def _xml(name: str, value, indent: int) -> str:
    pad = "  " * indent
    if value is None:
        return f'{pad}<{name} i:nil="true" />\n'
    if isinstance(value, L):
        if not value:
            return f"{pad}<{name} />\n"
        inner = "".join(_xml(value.item_name, v, indent + 1) for v in value)
        return f"{pad}<{name}>\n{inner}{pad}</{name}>\n"
    if isinstance(value, dict):
        inner = "".join(_xml(k, value[k], indent + 1) for k in sorted(value))
        return f"{pad}<{name}>\n{inner}{pad}</{name}>\n"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, D):
        text = xml_date(str(value))
    else:
        text = escape(str(value))
    return f"{pad}<{name}>{text}</{name}>\n"


def to_xml(root: str, obj: dict) -> bytes:
    inner = "".join(_xml(k, obj[k], 1) for k in sorted(obj))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{root} {NS}>\n{inner}</{root}>\n'.encode()


def _json_value(value):
    if isinstance(value, L):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(value[k]) for k in sorted(value)}
    if isinstance(value, D):
        return saksgang_date(str(value)) if value.saksgang else json_date(str(value))
    return value


def to_json(obj: dict) -> bytes:
    return (json.dumps(_json_value(obj), ensure_ascii=False, indent=1) + "\n").encode()


# --------------------------------------------------------------------------- documents


def komite(kom: str | None):
    return None if kom is None else {"versjon": VERSION, "id": kom, "navn": COMMITTEES[kom]}


def horing_obj(h: Hearing, *, json_ids: bool = False) -> dict:
    def num(v):
        return v if json_ids else str(v)

    place = SAL.format(h.sal) if h.sal else None
    times = [] if h.start == EMPTY else [{"versjon": VERSION, "sted": place, "tidspunkt": D(h.start)}]
    return {
        "versjon": VERSION,
        "anmodningsfrist_dato_tid": D(h.anmodningsfrist),
        "horing_sak_info_liste": L("horing_sak_info", [
            {"versjon": VERSION, "sak_henvisning": c.henvisning, "sak_id": num(c.sak_id),
             "sak_korttittel": c.short, "sak_publikasjon": None, "sak_tittel": c.tittel}
            for c in h.cases
        ]),
        "horing_status": h.status,
        "horingstidspunkt_liste": L("horingstidspunkt", times),
        "id": num(h.id),
        "innspillsfrist": D(h.innspillsfrist),
        "komite": komite(h.komite),
        "skriftlig": h.skriftlig,
        "soknadfrist_dato": D(EMPTY),
        "start_dato": D(h.start),
        "status": None,
        "status_info_tekst": h.status_info,
        "type": None,
    }


def horinger_doc(hearings: list[Hearing], stamp: str, *, json_ids: bool = False) -> dict:
    return {
        "respons_dato_tid": D(stamp),
        "versjon": VERSION,
        "horinger_liste": L("horing", [horing_obj(h, json_ids=json_ids) for h in hearings]),
        "sesjon_id": SESSION,
    }


def sesjoner_doc(stamp: str) -> dict:
    def ses(sid: str) -> dict:
        a, b = sid.split("-")
        return {"versjon": VERSION, "fra": D(f"{a}-10-01 00:00"), "id": sid, "til": D(f"{b}-09-30 23:59")}

    return {
        "respons_dato_tid": D(stamp),
        "versjon": VERSION,
        "innevaerende_sesjon": ses(SESSION),
        "sesjoner_liste": L("sesjon", [ses(s) for s in ("2026-2027", "2025-2026", "2024-2025", "2023-2024")]),
    }


def program_doc(h: Hearing, stamp: str) -> dict:
    day = h.start if h.start != EMPTY else EMPTY
    return {
        "respons_dato_tid": D(stamp),
        "versjon": VERSION,
        "horing_id": str(h.id),
        "horing_type": None,
        "komite": komite(h.komite),
        "horingsprogram": {
            "versjon": VERSION,
            "dato": D(day[:10] + " 00:00") if day != EMPTY else D(EMPTY),
            "fotnote": "Hver organisasjon har inntil 10 minutter til disposisjon." if h.program else None,
            "horingsprogram_element_liste": L("horingsprogram_element", [
                {"versjon": VERSION, "rekkefolge_nummer": str(i), "tekst": text, "tidsangivelse": when}
                for i, (text, when) in enumerate(h.program, start=1)
            ]),
        },
    }


def sak_summary(c: Case, kom: str | None, doc_group: str = "proposisjon") -> dict:
    return {
        "versjon": VERSION, "behandlet_sesjon_id": SESSION if c.status == "behandlet" else None,
        "dokumentgruppe": doc_group, "henvisning": c.henvisning, "id": str(c.sak_id),
        "innstilling_id": None, "innstilling_kode": None, "komite": komite(kom),
        "korttittel": c.short, "sak_fremmet_id": None, "sist_oppdatert_dato": D("2026-11-20 14:02"),
        "status": c.status, "tittel": c.tittel, "type": "alminneligsak",
    }


def sak_detail(c: Case, kom: str, hoerfrist: list[str], hoer: list[str], *, sg_date=D) -> dict:
    events = [{"versjon": VERSION, "dato": sg_date(d), "id": "HOERFRIST"} for d in hoerfrist]
    events += [{"versjon": VERSION, "dato": sg_date(d), "id": "HOER"} for d in hoer]
    return {
        "respons_dato_tid": D("2026-11-24 05:58"), "versjon": VERSION,
        "dokumentgruppe": "proposisjon", "ferdigbehandlet": c.status == "behandlet",
        "henvisning": c.henvisning, "id": str(c.sak_id), "innstillingstekst": None,
        "komite": komite(kom), "korttittel": c.short, "kortvedtak": None, "parentestekst": None,
        "sak_nummer": None, "sak_sesjon": SESSION, "status": c.status, "tittel": c.tittel,
        "type": "alminneligsak", "vedtakstekst": None,
        "saksgang": {
            "versjon": VERSION, "id": "ALMINNELIG", "navn": "Alminnelig saksgang",
            "saksgang_steg_liste": L("saksgang_steg", [
                {"versjon": VERSION, "navn": "Mottatt", "steg_nummer": "1", "uaktuell": False,
                 "saksgang_hendelse_liste": L("saksgang_hendelse", [
                     {"versjon": VERSION, "dato": sg_date("2026-10-09 00:00"), "id": "FRADEP"}])},
                {"versjon": VERSION, "navn": "Komitébehandling", "steg_nummer": "2", "uaktuell": False,
                 "saksgang_hendelse_liste": L("saksgang_hendelse", [
                     {"versjon": VERSION, "dato": sg_date("2026-10-20 00:00"), "id": "SENDT"},
                     *events,
                     {"versjon": VERSION, "dato": sg_date(EMPTY), "id": "AVGFRIST"}])},
            ]),
        },
    }


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


HTML_500 = b"""<!DOCTYPE html>
<html><head><title>Runtime Error</title></head>
<body><h1>Server Error in '/' Application.</h1>
<h2><i>Runtime Error</i></h2>
<p>An application error occurred on the server.</p>
</body></html>
"""


# --------------------------------------------------------------------------- writers


def _needs_program(h: Hearing, today: str) -> bool:
    if h.status in ("Avholdt", "Avlyst"):
        return False
    return h.start == EMPTY or h.start[:10] >= today


def build_day(day: int) -> None:
    folder = ROOT / "data" / "replay" / f"2026-11-{day}" / SPIDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("horingsprogram-*.xml"):
        old.unlink()
    hearings = catalogue(day)
    responses = []

    # sesjoner: identical on both days (same body, same ETag → 304 on day 2 via the HTTP cache)
    body = to_xml("sesjoner_oversikt", sesjoner_doc("2026-10-01 00:00"))
    (folder / "sesjoner.xml").write_bytes(body)
    responses.append({"url": f"{API}/sesjoner", "method": "GET", "status": 200,
                      "headers": {"Content-Type": "text/xml; charset=utf-8", "ETag": etag(body),
                                  "Last-Modified": "Thu, 01 Oct 2026 00:00:00 GMT"},
                      "file": "sesjoner.xml"})
    # horinger: changes between the days; ETag only (see README: Last-Modified + the replay middleware)
    stamp = {23: "2026-11-22 18:12", 24: "2026-11-23 16:41"}[day]
    body = to_xml("horinger_oversikt", horinger_doc(hearings, stamp))
    (folder / "horinger.xml").write_bytes(body)
    responses.append({"url": f"{API}/horinger?sesjonid={SESSION}", "method": "GET", "status": 200,
                      "headers": {"Content-Type": "text/xml; charset=utf-8", "ETag": etag(body)},
                      "file": "horinger.xml"})
    # horingsprogram for every hearing not yet held (what the spider asks for)
    for h in hearings:
        if not _needs_program(h, f"2026-11-{day}"):
            continue
        body = to_xml("horingsprogram_oversikt", program_doc(h, "2026-11-20 08:00"))
        name = f"horingsprogram-{h.id}.xml"
        (folder / name).write_bytes(body)
        responses.append({"url": f"{API}/horingsprogram?horingid={h.id}", "method": "GET", "status": 200,
                          "headers": {"Content-Type": "text/xml; charset=utf-8", "ETag": etag(body),
                                      "Last-Modified": "Fri, 20 Nov 2026 07:00:00 GMT"},
                          "file": name})
    manifest = {"source": SPIDER, "recorded_at": f"2026-11-{day}T06:00:00+01:00", "constructed": True,
                "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def build_fixtures() -> None:
    folder = ROOT / "tests" / "fixtures" / SPIDER
    folder.mkdir(parents=True, exist_ok=True)
    day2 = {h.id: h for h in catalogue(24)}
    budget_fin = day2[10006001]
    # the small list the tests read (as on day 2): first item = the åpenhetsloven hearing
    fixture = [
        day2[10006201],  # open, oral, both deadlines → innspillsfrist
        day2[10006105],  # held, two cases (sak-105210 + sak-105211)
        day2[10006204],  # open, only anmodningsfrist (innspillsfrist = 01.01.0001)
        day2[10006203],  # open, written, only innspillsfrist (anmodningsfrist = 01.01.0001)
        day2[10006208],  # cancelled (Avlyst)
        budget_fin,  # held budget hearing
    ]
    stamp = "2026-11-23 16:41"
    (folder / "horinger.xml").write_bytes(to_xml("horinger_oversikt", horinger_doc(fixture, stamp)))
    (folder / "horinger.json").write_bytes(to_json(horinger_doc(fixture, stamp, json_ids=True)))
    (folder / "horinger_empty.xml").write_bytes(to_xml("horinger_oversikt", horinger_doc([], stamp)))
    good = to_xml("horinger_oversikt", horinger_doc(fixture[:2], stamp))
    (folder / "malformed.xml").write_bytes(good[: len(good) * 2 // 3])  # cut off mid-document
    (folder / "horinger_500.html").write_bytes(HTML_500)
    (folder / "sesjoner.xml").write_bytes(to_xml("sesjoner_oversikt", sesjoner_doc("2026-10-01 00:00")))
    (folder / "sesjoner.json").write_bytes(to_json(sesjoner_doc("2026-10-01 00:00")))
    with_program = replace(day2[10006201], program=(
        ("Næringslivets Hovedorganisasjon (NHO)", "09:00 - 09:10"), ("LO", "09:10 - 09:20"),
        ("Forbrukertilsynet", "09:20 - 09:30"), ("Amnesty International Norge", "09:30 - 09:40"),
        ("Framtiden i våre hender", "09:40 - 09:50"), ("Virke", "09:50 - 10:00")))
    (folder / "horingsprogram.xml").write_bytes(to_xml("horingsprogram_oversikt", program_doc(with_program, stamp)))
    # a hearing whose programme is not published yet
    (folder / "horingsprogram_empty.xml").write_bytes(
        to_xml("horingsprogram_oversikt", program_doc(day2[10006204], stamp)))

    # fallback set: eksport/saker + eksport/sak for the pending cases
    pensjon_pending = FORETAKSPENSJON  # pending, no hearing → fetched, no item
    budget_case = replace(budget_fin.cases[0], status="behandlet")  # finished → not fetched
    listed = [
        sak_summary(APENHETSLOVEN, "FAMKULT"), sak_summary(OLJEPIONER, "ARBSOS"),
        sak_summary(FOLKETRYGD, "ARBSOS"), sak_summary(ANSKAFFELSE, "NAERING"),
        sak_summary(OMNIBUS, "FIN"), sak_summary(VERGEMAAL, "JUSTIS"), sak_summary(pensjon_pending, "FIN"),
        sak_summary(budget_case, "FIN", "budsjett"), sak_summary(NB_REPRESENTANTSKAP, None, "innstilling"),
    ]
    saker = {"respons_dato_tid": D(stamp), "versjon": VERSION, "saker_liste": L("sak", listed), "sesjon_id": SESSION}
    (folder / "saker.xml").write_bytes(to_xml("saker_oversikt", saker))

    def hearing_events(h: Hearing) -> tuple[list[str], list[str]]:
        frister = [d for d in (h.anmodningsfrist, h.innspillsfrist) if d != EMPTY]
        # the API gives HOERFRIST as a day (midnight) unless the deadline has a time of day
        frister = [d[:10] + " 00:00" if d.endswith("23:59") else d for d in frister]
        return frister, ([] if h.start == EMPTY else [h.start])

    details = {
        APENHETSLOVEN: ("FAMKULT", *hearing_events(day2[10006201])),
        OLJEPIONER: ("ARBSOS", *hearing_events(day2[10006105])),
        FOLKETRYGD: ("ARBSOS", *hearing_events(day2[10006105])),
        ANSKAFFELSE: ("NAERING", *hearing_events(day2[10006204])),
        OMNIBUS: ("FIN", *hearing_events(day2[10006203])),
        VERGEMAAL: ("JUSTIS", [], []),  # cancelled hearing: no HOERFRIST in the saksgang (assumption)
        pensjon_pending: ("FIN", [], []),
    }
    for case, (kom, frister, hoer) in details.items():
        doc = sak_detail(case, kom, frister, hoer)
        (folder / f"sak-{case.sak_id}.xml").write_bytes(to_xml("detaljert_sak", doc))
    kom, frister, hoer = details[APENHETSLOVEN]
    (folder / f"sak-{APENHETSLOVEN.sak_id}.json").write_bytes(
        to_json(sak_detail(APENHETSLOVEN, kom, frister, hoer, sg_date=SD)))


def main() -> None:
    build_day(23)
    build_day(24)
    build_fixtures()
    # the spider asks for the JSON form: the days are written as XML above, then turned into JSON
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stortinget_xml_to_json import main as to_json_days

    to_json_days()
    print("built", SPIDER, "replay days 2026-11-23, 2026-11-24 (JSON form) and fixtures")


if __name__ == "__main__":
    main()
