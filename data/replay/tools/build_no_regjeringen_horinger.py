"""Builds the replay days of `no_regjeringen_horinger` (constructed, deterministic).

The RSS feed, the detail pages and the hearings listing are *constructed*: no real feed body
exists; the detail pages and the listing page follow the structure of the REAL captures in
tests/fixtures/real/no_regjeringen_horinger/ (markup in regjeringen_markup.py: metadata spans
with the separators inside, numeric entities, horing-meta labels, factboxes #horingsbrev /
#horingsnotater / #horingsinstanser with the consultee list inline, the svar.regjeringen.no
button of open hearings; the ?showSvar=true link only on closed ones — constructed). Titles and page URLs of
hearings and NOUs are real (data/real-samples/, harvested from regjeringen.no
in Dec 2025); the rest of the titles are invented but realistic and marked
`invented` in the generated index.json. Dates are shifted into autumn 2026.

Run: python data/replay/tools/build_no_regjeringen_horinger.py
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import random
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

from regjeringen_markup import detail_page, listing_page, listing_row

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_regjeringen_horinger"
FEED_URL = "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer"
BASE = "https://www.regjeringen.no"
DAYS = ("2026-11-23", "2026-11-24")

DEPARTMENTS = {
    "AID": "Arbeids- og inkluderingsdepartementet", "BFD": "Barne- og familiedepartementet",
    "DFD": "Digitaliserings- og forvaltningsdepartementet", "ED": "Energidepartementet",
    "FIN": "Finansdepartementet", "FD": "Forsvarsdepartementet", "HOD": "Helse- og omsorgsdepartementet",
    "JD": "Justis- og beredskapsdepartementet", "KDD": "Kommunal- og distriktsdepartementet",
    "KUD": "Kultur- og likestillingsdepartementet", "KD": "Kunnskapsdepartementet",
    "KLD": "Klima- og miljødepartementet", "LMD": "Landbruks- og matdepartementet",
    "NFD": "Nærings- og fiskeridepartementet", "SD": "Samferdselsdepartementet",
    "UD": "Utenriksdepartementet",
}  # fmt: skip

# department guessed from words in real titles
OWNER_HINTS = [
    ("politiloven", "JD"), ("straffeloven", "JD"), ("folketrygdloven", "AID"), ("opptak til høgare", "KD"),
    ("finansforetaksloven", "FIN"), ("leie av ting", "BFD"), ("mineral", "NFD"), ("petroleumsskatt", "FIN"),
    ("rekrutteringskvote", "NFD"), ("markedsavgiften", "NFD"), ("Arktis", "UD"), ("REMIT", "ED"),
    ("tobakk", "HOD"), ("Ukr", "JD"), ("medisinsk", "HOD"), ("forsvars", "FD"), ("energiinfrastruktur", "ED"),
    ("kulturmiljø", "KLD"), ("konkurranselov", "NFD"), ("kommunal", "KDD"), ("Afghanistan", "UD"),
    ("Folkehelse", "HOD"), ("Musikk", "KUD"), ("Samboer", "JD"), ("arbeidshelse", "AID"),
    ("inntektsoppgjør", "AID"), ("Samfunnsvern", "JD"), ("Felles ansvar", "FIN"), ("Prøvd", "JD"),
    ("sparebank", "FIN"), ("betaling", "FIN"), ("digitale", "DFD"), ("boligleie", "KDD"),
    ("tannhelse", "HOD"), ("velferdstjeneste", "HOD"), ("verdipapirhandel", "FIN"),
]  # fmt: skip

# (title, department, ingress, relevant) — invented, realistic. Several cite EU acts by number
# so that the EU sources can be linked to them.
INVENTED = [
    ("Høring – gjennomføring av aktsomhetsdirektivet (direktiv (EU) 2024/1760) i norsk rett og endringer i åpenhetsloven", "BFD",
     "Departementet foreslår å gjennomføre direktiv (EU) 2024/1760 om aktsomhetsvurderinger for bærekraft (CSDDD), slik det er endret ved Omnibus I (COM(2025) 81), gjennom endringer i åpenhetsloven. Forslaget gjelder plikt til risikobaserte aktsomhetsvurderinger i virksomhetens verdikjede i tråd med OECDs retningslinjer for flernasjonale selskaper, klagemekanismer og tilsyn ved Forbrukertilsynet.", True),
    ("Høring – endringer i regnskapsloven om bærekraftsrapportering som følge av Omnibus I", "FIN",
     "Finansdepartementet sender på høring forslag til endringer i regnskapsloven for å gjennomføre endringene i direktiv (EU) 2022/2464 (CSRD) vedtatt ved direktiv (EU) 2025/794 («stop-the-clock») og COM(2025) 80 og COM(2025) 81. Forslaget snevrer inn virkeområdet for bærekraftsrapportering og utsetter rapporteringsplikten for enkelte foretak.", True),
    ("Høring – forskrift om avskogingsfrie råvarer og produkter (forordning (EU) 2023/1115)", "LMD",
     "Landbruks- og matdepartementet foreslår forskrift som gjennomfører forordning (EU) 2023/1115 om avskogingsfrie produkter (EUDR) i norsk rett, med aktsomhetserklæringer for storfe, kakao, kaffe, oljepalme, gummi, soya og tre.", True),
    ("Høring – gjennomføring av forordning (EU) 2024/3015 om forbud mot produkter laget med tvangsarbeid", "NFD",
     "Forordning (EU) 2024/3015 forbyr omsetning av produkter laget med tvangsarbeid på EØS-markedet. Departementet ber om innspill til utpeking av tilsynsmyndighet, saksbehandling og forholdet til åpenhetsloven og menneskerettslige aktsomhetsvurderinger.", True),
    ("Høring – NOU 2026: 14 Etisk rammeverk for Statens pensjonsfond utland", "FIN",
     "Utvalget ledet av Svein Gjedrem har vurdert det etiske rammeverket for Statens pensjonsfond utland, herunder retningslinjene for observasjon og utelukkelse, Etikkrådets rolle og Norges Banks eierskapsutøvelse. Finansdepartementet sender utredningen på offentlig høring.", True),
    ("Høring – endringer i mandatet for forvaltningen av Statens pensjonsfond utland (ansvarlig forvaltning)", "FIN",
     "Forslaget gjelder endringer i forvaltningsmandatet § 4-2 om ansvarlig forvaltningsvirksomhet, der Norges Banks prinsipper skal bygge på FNs veiledende prinsipper og OECDs retningslinjer for flernasjonale selskaper.", True),
    ("Høring – forslag til lov om batterier og aktsomhetsvurderinger i batteriverdikjeden (forordning (EU) 2023/1542)", "KLD",
     "Klima- og miljødepartementet foreslår regler som gjennomfører batteriforordningen (EU) 2023/1542, herunder krav til aktsomhetsvurderinger for kobolt, litium, nikkel og naturlig grafitt i leverandørkjeden.", True),
    ("Høring – strategi for næringsliv og menneskerettigheter (ny nasjonal handlingsplan)", "UD",
     "Utenriksdepartementet inviterer til innspill til ny nasjonal handlingsplan for oppfølging av FNs veiledende prinsipper for næringsliv og menneskerettigheter, herunder Kontaktpunktets rolle og ansvarlig næringsliv i konfliktområder.", True),
    ("Høring – endringer i markedsføringsloven om miljøpåstander og grønnvasking", "BFD",
     "Forslaget gjennomfører direktiv (EU) 2024/825 om styrking av forbrukernes stilling i den grønne omstillingen og skjerper reglene mot villedende miljøpåstander og bærekraftspåstander i markedsføring.", True),
    ("Høring – endringer i hvitvaskingsloven og register over reelle rettighetshavere", "FIN",
     "Departementet foreslår endringer som styrker tiltak mot hvitvasking og korrupsjon, herunder tilgang til registeret over reelle rettighetshavere og tilsyn med rapporteringspliktige.", True),
    ("Høring – forslag til lov om arbeidsvilkår i plattformarbeid (plattformdirektivet)", "AID",
     "Arbeids- og inkluderingsdepartementet foreslår å gjennomføre plattformdirektivet om bedre arbeidsvilkår for plattformarbeidere, med presumsjon for arbeidsforhold og regler om algoritmisk arbeidsledelse.", True),
    ("Høring – tiltak mot sosial dumping og arbeidslivskriminalitet i leverandørkjeder i offentlige anskaffelser", "AID",
     "Forslaget innebærer krav om lønns- og arbeidsvilkår, begrensninger i antall ledd underleverandører og påseplikt for oppdragsgivere i offentlige anskaffelser.", True),
    ("Høring – ny eksportkontrollforskrift og kontroll med flerbruksvarer", "UD",
     "Utenriksdepartementet foreslår ny forskrift om eksportkontroll av forsvarsmateriell og flerbruksvarer, med skjerpet vurdering av risiko for brudd på menneskerettighetene og internasjonal humanitærrett.", True),
    ("Høring – gjennomføring av forordning (EU) 2024/1781 om økodesign for bærekraftige produkter", "KLD",
     "Økodesignforordningen (EU) 2024/1781 stiller krav til produkters miljøprestasjon og innfører digitalt produktpass. Departementet ber om synspunkter på gjennomføring i norsk rett.", True),
    ("Høring – skattemessig behandling av internprising og land-for-land-rapportering", "FIN",
     "Forslaget gjelder endringer i reglene om internprising og offentlig land-for-land-rapportering for multinasjonale konsern for å motvirke aggressiv skatteplanlegging og overskuddsflytting.", True),
    ("Høring – endringer i konkurranseloven om fusjonskontroll og kartellsamarbeid", "NFD",
     "Departementet følger opp NOU 2025: 11 Revidert konkurranselov med forslag om skjerpede sanksjoner mot kartellsamarbeid og endringer i reglene om fusjonskontroll.", True),
    ("Høring – forskrift om kunstig intelligens (gjennomføring av KI-forordningen)", "DFD",
     "Digitaliserings- og forvaltningsdepartementet foreslår regler som gjennomfører KI-forordningen (EU) 2024/1689, herunder tilsyn, forbudte KI-praksiser og krav til høyrisikosystemer.", True),
    ("Høring – endringer i verdipapirhandelloven om offentliggjøring av bærekraftsinformasjon i finanssektoren (SFDR)", "FIN",
     "Forslaget gjennomfører endringer i forordning (EU) 2019/2088 om bærekraftsrelaterte opplysninger i finanssektoren og taksonomiforordningen (EU) 2020/852.", True),
    ("Høyring – endringar i forureiningslova om utslepp frå havbruk", "KLD",
     "Departementet foreslår endringar i forureiningslova for å redusere utslepp av næringssalt og partiklar frå havbruk og skjerpe krava til miljøovervaking.", True),
    ("Høyring – forslag til ny lov om tilsyn med arbeidsmiljø i oppdrettsnæringa", "AID",
     "Forslaget gjeld helse, miljø og tryggleik for tilsette i havbruksnæringa, med skjerpa krav til arbeidstid og innleige av arbeidskraft.", True),
    # clearly outside the NCP's remit
    ("Høring – endringer i hundeloven (bånd- og båndtvangsregler)", "LMD", "Forslaget gjelder kommunenes adgang til å fastsette lokale regler om båndtvang for hund.", False),
    ("Høring – forskrift om skoleskyss for elever i videregående opplæring", "KD", "Departementet foreslår endringer i retten til skoleskyss for elever med lang reisevei.", False),
    ("Høring – endringer i vegtrafikkloven om elsparkesykler", "SD", "Forslaget gjelder aldersgrense, hjelmpåbud og promillegrense for førere av elsparkesykler.", False),
    ("Høring – forskrift om fiskekvoter for kysttorsk 2027", "NFD", "Fiskeridirektoratet foreslår kvoter og reguleringer for kysttorskfisket i 2027.", False),
    ("Høring – endringer i barnehageloven om bemanningsnorm", "KD", "Forslaget gjelder bemanningsnormen og pedagognormen i barnehager.", False),
    ("Høring – forslag til endringer i vergemålsloven", "JD", "Forslaget skal styrke selvbestemmelsen for personer under vergemål.", False),
    ("Høring – ny forskrift om jakttider for hjortevilt", "KLD", "Miljødirektoratet foreslår jakttider for elg, hjort og rådyr for perioden 2027–2032.", False),
    ("Høring – endringer i pasient- og brukerrettighetsloven om fritt behandlingsvalg", "HOD", "Forslaget gjelder pasienters rett til å velge behandlingssted i spesialisthelsetjenesten.", False),
    ("Høring – forslag til endringer i valgloven (forhåndsstemmegivning)", "KDD", "Departementet foreslår endringer i reglene om forhåndsstemmegivning og opptelling.", False),
    ("Høring – endringer i tolloven om deklarering av varer i netthandel", "FIN", "Forslaget gjelder forenklet fortolling av lavverdivarer.", False),
    ("Høring – forskrift om rammeplan for lærerutdanning", "KD", "Forslag til ny rammeplan for grunnskolelærerutdanningene.", False),
    ("Høring – endringer i sivilbeskyttelsesloven om tilfluktsrom", "JD", "Forslaget gjelder krav til offentlige tilfluktsrom i nye bygg.", False),
    ("Høring – forslag om endringer i studiestøtteforskriften", "KD", "Forslaget gjelder omgjøring av lån til stipend og bostøtte for studenter.", False),
    ("Høring – endringer i jernbaneloven om konkurranseutsetting av persontrafikk", "SD", "Forslaget gjelder tildeling av trafikkpakker for persontog.", False),
    ("Høring – forskrift om tilskudd til kulturhus i kommunene", "KUD", "Forslag til nye kriterier for tilskudd til lokale kulturbygg.", False),
    ("Høring – endringer i politiregisterloven om sletting av opplysninger", "JD", "Forslaget gjelder sletteregler for opplysninger i politiets registre.", False),
    ("Høring – forslag til ny lov om Sysselmesteren på Svalbard", "JD", "Forslaget samler reglene om Sysselmesterens oppgaver i én lov.", False),
    ("Høring – endringer i plan- og bygningsloven om dispensasjoner", "KDD", "Forslaget gjelder kommunenes adgang til å gi dispensasjon fra arealplaner.", False),
    ("Høring – forskrift om nasjonale prøver i grunnskolen", "KD", "Forslaget gjelder tidspunkt og gjennomføring av nasjonale prøver.", False),
    ("Høring – endringer i alkoholloven om salgstider", "HOD", "Forslaget gjelder kommunenes adgang til å utvide salgstiden for alkohol.", False),
    ("Høring – forslag til endringer i lov om film og videogram", "KUD", "Forslaget gjelder aldersgrenser for film og strømmetjenester.", False),
    ("Høring – endringer i luftfartsloven om droner", "SD", "Forslaget gjelder registrering og sertifisering av droneoperatører.", False),
    ("Høring – forskrift om tilskudd til veterinærdekning", "LMD", "Forslaget gjelder tilskudd til kommunale veterinærvakter.", False),
    ("Høring – endringer i domstolloven om digitale rettsmøter", "JD", "Forslaget gjelder adgangen til fjernmøter i sivile saker og straffesaker.", False),
    ("Høring – forslag til ny forskrift om sertifisering av sjøfolk", "NFD", "Forslaget gjennomfører endringer i STCW-konvensjonen.", False),
    ("Høring – endringer i folkeregisterloven om adresseregistrering", "FIN", "Forslaget gjelder registrering av adresser for personer uten fast bolig.", False),
    ("Høyring – endringar i opplæringslova om skulefritidsordninga", "KD", "Forslaget gjeld gratis deltidsplass i skulefritidsordninga for elevar på 1.–4. trinn.", False),
    ("Høyring – forslag til endringar i kyrkjelova", "KUD", "Forslaget gjeld organiseringa av Den norske kyrkja og kyrkjeleg fellesråd.", False),
    ("Høyring – ny forskrift om ferjetakstar", "SD", "Departementet foreslår nye takstar for riksvegferjer frå 2027.", False),
    ("Høring – endringer i forskrift om kommunale avløpsgebyrer", "KLD", "Forslaget gjelder beregning av selvkost for vann- og avløpstjenester.", False),
]  # fmt: skip

NYNORSK_HINT = re.compile(r"^Høyring")


def slugify(title: str) -> str:
    table = str.maketrans({"æ": "a", "ø": "o", "å": "a", "Æ": "a", "Ø": "o", "Å": "a", "é": "e"})
    s = title.lower().translate(table)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:90].rstrip("-")


def real_hearings() -> list[dict]:
    rows = list(csv.DictReader(open(ROOT / "data" / "real-samples" / "regjeringen_listing_links_2025-12-25.csv", encoding="utf-8")))
    out = []
    for r in rows:
        m = re.search(r"/id(\d{7})/", r["url"])
        if not m or "/no/dokument/hoyringar/" in r["url"]:  # navigation pages, not hearings
            continue
        title = r["title"]
        if r["listing"].endswith("(NOU)"):
            num, _, name = title.partition(" - ")
            title = f"Høring – {num} {name}"
        elif not r["listing"].endswith("(Høringer)"):
            continue
        owner = next((d for hint, d in OWNER_HINTS if hint.lower() in title.lower()), "FIN")
        out.append({"id": m.group(1), "title": title, "owner": owner, "url": r["url"], "invented": False,
                    "ingress": None, "relevant": None})
    return out


def build_hearings() -> list[dict]:
    rng = random.Random(20261124)
    hearings = real_hearings()
    for n, (title, owner, ingress, relevant) in enumerate(INVENTED):
        hid = str(3150100 + n * 37)
        hearings.append({"id": hid, "title": title, "owner": owner, "ingress": ingress, "relevant": relevant,
                         "url": f"{BASE}/no/dokumenter/{slugify(title)}/id{hid}/", "invented": True})
    # fill to 101 with further variations of real departments' routine hearings (invented)
    routine = ["forskrift om tilskudd til {x}", "endringer i forskrift om {x}", "forslag til ny forskrift om {x}"]
    topics = ["regionale forskningsfond", "statlige veiledningstjenester", "drift av fyrstasjoner",
              "kompensasjon for merverdiavgift", "lokale matmerker", "fritidsbåtregisteret", "tolketjenester",
              "kulturminnefondet", "havnesikkerhet", "turistfiske", "reindriftsavtalen", "lærlingtilskudd",
              "idrettsanlegg", "nasjonale turistveger", "statsbygg og eiendomsforvaltning", "vilttrafikk",
              "legemiddelberedskap", "bibliotekstøtte", "smittevern i skip", "elektroniske resepter"]  # fmt: skip
    i = 0
    while len(hearings) < 101:
        topic = topics[i % len(topics)]
        title = "Høring – " + routine[i % 3].format(x=topic)
        hid = str(3152000 + i * 53)
        owner = rng.choice(sorted(DEPARTMENTS))
        hearings.append({"id": hid, "title": title, "owner": owner, "relevant": False,
                         "ingress": f"Departementet sender på høring forslag om {topic}.",
                         "url": f"{BASE}/no/dokumenter/{slugify(title)}/id{hid}/", "invented": True})
        i += 1
    # publication dates from mid-June to 20 Nov 2026; deadlines 6–13 weeks later
    start = date(2026, 6, 15)
    span = (date(2026, 11, 20) - start).days
    rng.shuffle(hearings)
    for n, h in enumerate(hearings):
        pub = start + timedelta(days=int(span * n / len(hearings)))
        if pub.weekday() >= 5:
            pub -= timedelta(days=pub.weekday() - 4)
        h["published"] = datetime(pub.year, pub.month, pub.day, rng.choice([9, 10, 11, 13, 14]), 0)
        weeks = rng.choice([6, 8, 10, 12, 12, 13])
        h["deadline"] = pub + timedelta(weeks=weeks)
        h["ref"] = f"{pub.year % 100}/{rng.randint(1000, 4999)}"
        h["nynorsk"] = bool(NYNORSK_HINT.match(h["title"]))
        h["status"] = "På høyring" if h["nynorsk"] else "På høring"
    return hearings


def rfc822(dt: datetime) -> str:
    offset = "+0200" if 3 < dt.month < 11 or (dt.month == 10 and dt.day < 25) else "+0100"
    return dt.strftime("%a, %d %b %Y %H:%M:%S ") + offset


def status_for(h: dict, as_of: date) -> str:
    if h.get("status_override"):
        return h["status_override"]
    if h["deadline"] < as_of:
        return "Under behandling" if (as_of - h["deadline"]).days < 40 else "Ferdigbehandlet"
    return h["status"]


#: a consultee list (constructed; names of real organisations that are typical consultees)
CONSULTEES = [
    "Arbeids- og inkluderingsdepartementet", "Barne- og familiedepartementet", "Finansdepartementet",
    "Justis- og beredskapsdepartementet", "Nærings- og fiskeridepartementet", "Utenriksdepartementet",
    "Datatilsynet", "Finanstilsynet", "Forbrukertilsynet", "Konkurransetilsynet", "Regelrådet",
    "Akademikerne", "Den Norske Advokatforening", "Finans Norge", "Hovedorganisasjonen Virke",
    "Landsorganisasjonen i Norge", "Næringslivets Hovedorganisasjon (NHO)", "Regnskap Norge",
    "Unio", "Yrkesorganisasjonenes Sentralforbund YS", "Forbrukerrådet", "Økokrim",
]  # fmt: skip
#: added for the hearings on responsible business conduct (INVENTED indices), so that the demo has
#: hearings where Kontaktpunktet is itself a consultee — and companies that are consultees only
NCP_CONSULTEES = [
    "Kontaktpunktet for ansvarlig næringsliv", "Norges institusjon for menneskerettigheter",
    "Amnesty International Norge", "Framtiden i våre hender", "Forum for utvikling og miljø",
    "Equinor ASA", "Aker BP ASA", "Norsk Hydro ASA", "Etisk handel Norge",
]  # fmt: skip
NCP_CONSULTEE_INDICES = (0, 3, 7)


def detail_html(h: dict, as_of: date) -> str:
    dep = DEPARTMENTS[h["owner"]]
    verb = "sender på høyring" if h["nynorsk"] else "sender på høring"
    ingress = h.get("ingress") or (
        f"{dep} {verb} forslag om {h['title'].split('–', 1)[-1].split('-', 1)[-1].strip().lower()}."
    )
    digest = hashlib.md5(h["id"].encode()).hexdigest()[:10]
    notes = [("Høringsnotat", f"/contentassets/{digest}/horingsnotat.pdf")]
    notes += [(t, f"/contentassets/{digest}/{f}") for t, f in h.get("extra_docs", [])]
    letter = [
        ingress,
        "Høringsinstansene bes om å sende sine merknader innen fristen. Alle kan avgi høringsuttalelse. "
        "Høringssvar publiseres på regjeringen.no.",
    ]
    consultees = CONSULTEES + (NCP_CONSULTEES if h.get("ncp_consultee") else [])
    status = status_for(h, as_of)
    return detail_page(
        hearing_id=h["id"], title=h["title"], nynorsk=h["nynorsk"], published=h["published"],
        dep_path=f"/no/dep/{h['owner'].lower()}/", dep_name=dep, ingress=ingress,
        status=status, deadline=h["deadline"], ref=h["ref"], letter=letter, notes=notes,
        consultees=consultees, closed=h["deadline"] < as_of,
    )  # fmt: skip


def listing_html(items: list[dict], as_of: date, page: int, pages: int) -> str:
    rows = [
        listing_row(path=h["url"].replace(BASE, ""), title=h["title"], published=h["published"],
                    nynorsk=h["nynorsk"], dep_name=DEPARTMENTS[h["owner"]],
                    excerpt=h.get("ingress") or "", deadline=h["deadline"], status=status_for(h, as_of))
        for h in items
    ]  # fmt: skip
    return listing_page(rows, page=page, pages=pages, total=len(items) + (pages - 1) * 20)


def rss(items: list[dict], built: datetime) -> str:
    esc = html.escape
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        "<title>RSS Regjeringen.no</title>",
        "<link>https://www.regjeringen.no/no/rss/Rss/2581966/</link>",
        "<description>Høringer</description>",
        "<language>nb-NO</language>",
        f"<lastBuildDate>{rfc822(built)}</lastBuildDate>",
        f'<atom:link href="{esc(FEED_URL)}" rel="self" type="application/rss+xml" />',
    ]
    for h in items:
        link = h["url"].replace(BASE, BASE) + "?utm_source=rss&utm_medium=rss"
        desc = h.get("ingress") or ""
        parts += [
            "<item>",
            f"<title>{esc(h['title'])}</title>",
            f"<link>{esc(link)}</link>",
            f"<description>{esc(desc)}</description>",
            f"<guid isPermaLink=\"false\">{h['id']}</guid>",
            f"<pubDate>{rfc822(h['published'])}</pubDate>",
            "</item>",
        ]
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<div class="main-content"><h1 class="zone-name-title h1">www.regjeringen.no</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "www.regjeringen.no",cType: 'managed'};
var a = document.createElement('script');a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>
"""

#: the REAL robots.txt (tests/fixtures/real/no_regjeringen_horinger/quaat_robots_2026-07-04.txt)
ROBOTS = (ROOT / "tests" / "fixtures" / "real" / "no_regjeringen_horinger" / "quaat_robots_2026-07-04.txt").read_text("utf-8")
LISTING_URL = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"


def etag(body: str) -> str:
    return '"' + hashlib.sha1(body.encode("utf-8")).hexdigest()[:16] + '"'


def write_day(day: str, hearings: list[dict], blocked: set[str]) -> None:
    as_of = date.fromisoformat(day)
    folder = REPLAY / day / SOURCE
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "detail").mkdir(parents=True)
    feed_items = sorted(hearings, key=lambda h: h["published"], reverse=True)[:100]
    built = datetime.fromisoformat(day).replace(hour=5, minute=30)
    feed = rss(feed_items, built)
    (folder / "feed.xml").write_text(feed, "utf-8")
    (folder / "robots.txt").write_text(ROBOTS, "utf-8")
    last_mod = built.strftime("%a, %d %b %Y %H:%M:%S GMT")
    responses = [
        {"url": "https://www.regjeringen.no/robots.txt", "status": 200,
         "headers": {"Content-Type": "text/plain; charset=utf-8"}, "file": "robots.txt"},
        {"url": FEED_URL, "status": 200,
         "headers": {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag(feed),
                     "Cache-Control": "public, max-age=300", "Last-Modified": last_mod},
         "file": "feed.xml"},
    ]
    (folder / "challenge.html").write_text(CHALLENGE, "utf-8")
    # the hearings listing, page 1 (the spider reads further pages only when page 1 shows hearings
    # the feed lacks; here it shows the feed's 20 newest, so page 1 is the only one read)
    listing = listing_html(feed_items[:20], as_of, 1, (len(feed_items) + 19) // 20)
    (folder / "listing.html").write_text(listing, "utf-8")
    responses.append({"url": LISTING_URL, "status": 200,
                      "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": etag(listing),
                                  "Cache-Control": "public,max-age=5"},
                      "file": "listing.html"})
    for h in feed_items:
        url = h["url"]
        if h["id"] in blocked:
            responses.append({"url": url, "status": 403,
                              "headers": {"Content-Type": "text/html; charset=UTF-8", "Server": "cloudflare",
                                          "cf-mitigated": "challenge"},
                              "file": "challenge.html"})
            continue
        page = detail_html(h, as_of)
        name = f"detail/{h['id']}.html"
        (folder / name).write_text(page, "utf-8")
        responses.append({"url": url, "status": 200,
                          "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": etag(page),
                                      "Cache-Control": "private, max-age=0"},
                          "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_regjeringen_horinger.py", "responses": responses}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    index = [{"id": h["id"], "title": h["title"], "invented": h["invented"], "deadline": h["deadline"].isoformat(),
              "status": status_for(h, as_of)} for h in feed_items]
    (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    hearings = build_hearings()
    by_title = {h["title"]: h for h in hearings}
    csddd = by_title[INVENTED[0][0]]
    for index in NCP_CONSULTEE_INDICES:
        by_title[INVENTED[index][0]]["ncp_consultee"] = True
    # day 1: the CSDDD hearing has its original deadline; the one hearing that is about to close
    # has its deadline on day 1 (still open at 06:00 on day 1, closed by day 2).
    open_on_day1 = [h for h in hearings if h["deadline"] >= date(2026, 11, 23)]
    closing = min(open_on_day1, key=lambda h: h["deadline"])
    closing["deadline"] = date(2026, 11, 23)
    withdrawn = next(h for h in sorted(hearings, key=lambda h: h["id"]) if h["invented"] and not h["relevant"]
                     and h["deadline"] > date(2026, 12, 10))
    vanishing = next(h for h in sorted(hearings, key=lambda h: h["id"], reverse=True)
                     if h["invented"] and h["deadline"] > date(2026, 12, 10) and h is not withdrawn
                     and h["published"] > datetime(2026, 9, 15))
    blocked_day2 = next(h for h in sorted(hearings, key=lambda h: h["title"])
                        if h["deadline"] > date(2026, 12, 20) and h not in (csddd, withdrawn, vanishing))
    # the signed letter as a scanned PDF beside the inline letter (read as "scanned", never as empty)
    csddd["extra_docs"] = [("Signert høringsbrev (skannet)", "horingsbrev.pdf")]
    write_day(DAYS[0], hearings, blocked=set())
    # day 2
    csddd["deadline"] = csddd["deadline"] + timedelta(days=32)
    csddd["extra_docs"] += [("Tilleggsnotat om forholdet til Omnibus I", "tilleggsnotat.pdf")]
    withdrawn["status_override"] = "Trukket"
    new = {"id": "3172240",
           "title": "Høring – forslag til endringer i åpenhetsloven (utvidelse til miljø og offentliggjøring av produksjonssteder)",
           "owner": "BFD", "invented": True, "relevant": True,
           "ingress": "Barne- og familiedepartementet foreslår å utvide åpenhetsloven til også å omfatte aktsomhetsvurderinger av negativ påvirkning på miljø, og å pålegge større virksomheter å offentliggjøre produksjonssteder i leverandørkjeden, i tråd med evalueringen av loven og direktiv (EU) 2024/1760.",
           "published": datetime(2026, 11, 23, 13, 0), "deadline": date(2027, 2, 23), "ref": "26/3318",
           "nynorsk": False, "status": "På høring", "ncp_consultee": True}
    new["url"] = f"{BASE}/no/dokumenter/{slugify(new['title'])}/id{new['id']}/"
    day2 = [h for h in hearings if h is not vanishing] + [new]
    write_day(DAYS[1], day2, blocked={blocked_day2["id"]})
    print(f"day 2: new {new['id']}, deadline moved {csddd['id']}, closing {closing['id']}, "
          f"withdrawn {withdrawn['id']}, vanished {vanishing['id']}, blocked {blocked_day2['id']}")


if __name__ == "__main__":
    main()
