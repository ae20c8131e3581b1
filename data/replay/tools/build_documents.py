"""Builds data/replay/<day>/documents/: **generated** høringsnotat/høringsbrev PDFs for four of the
constructed regjeringen.no hearings, at the /contentassets/ URLs their hearing pages already link.

No real document is used (none can be fetched here); the texts are invented, written with
reportlab by tests/docgen.py (two-column pages, running headers/footers, words hyphenated across
lines, one image-only "scanned" letter). Deterministic: re-run and commit its output.

    python data/replay/tools/build_documents.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))

from docgen import Spec, act_spec, csddd_family, write_eurlex_com, write_eurlex_oj, write_pdf  # noqa: E402

BASE = "https://www.regjeringen.no/contentassets"
DAYS = {"2026-11-23": "2026-11-23T06:00:00+01:00", "2026-11-24": "2026-11-24T06:00:00+01:00"}

P_OECD = ("Kontaktpunktet for ansvarlig næringsliv behandler saker etter OECDs retningslinjer for "
          "flernasjonale virksomheter om ansvarlig næringsliv. Retningslinjene forventer at virksomheter "
          "gjennomfører aktsomhetsvurderinger for å identifisere, forebygge og begrense faktiske og "
          "potensielle negative konsekvenser for mennesker, samfunn og miljø.")
P_CHAIN = ("Departementet foreslår at plikten til å gjennomføre aktsomhetsvurderinger skal omfatte hele "
           "leverandørkjeden og forretningsforbindelser, også utenfor Norge, og at vurderingene skal "
           "dokumenteres og offentliggjøres årlig. Forslaget bygger på FNs veiledende prinsipper for "
           "næringsliv og menneskerettigheter.")
P_ROUTINE = ("Forslaget har begrensede økonomiske og administrative konsekvenser for det offentlige. "
             "Departementet legger til grunn at endringene kan håndteres innenfor gjeldende budsjettrammer, "
             "og at tilsynsmyndigheten får tilstrekkelig tid til å utarbeide veiledning.")


def csddd(version: int) -> Spec:
    s52 = [("Etter åpenhetsloven § 4 skal virksomheter utføre aktsomhetsvurderinger i tråd med OECDs "
            "retningslinjer for flernasjonale virksomheter. Direktiv (EU) 2024/1760 artikkel 8 pålegger "
            "selskapene å identifisere og vurdere faktiske og potensielle negative konsekvenser for "
            "menneskerettigheter og miljø i egen virksomhet og hos forretningspartnere."),
           P_CHAIN]
    if version == 2:
        s52[1] = ("Departementet foreslår nå at plikten til å gjennomføre aktsomhetsvurderinger skal avgrenses "
                  "til etablerte forretningsforbindelser i leverandørkjeden, i tråd med endringsdirektivet i "
                  "forenklingspakken Omnibus I, og at vurderingene skal dokumenteres og offentliggjøres årlig.")
    sections = [
        ("1", "Innledning", ["Barne- og familiedepartementet sender med dette på høring forslag til gjennomføring "
                             "av aktsomhetsdirektivet (direktiv (EU) 2024/1760) i norsk rett og endringer i "
                             "åpenhetsloven.", P_ROUTINE]),
        ("2", "Bakgrunn", [P_OECD, "Åpenhetsloven trådte i kraft 1. juli 2022 og gjelder større virksomheter "
                           "som tilbyr varer og tjenester i og utenfor Norge."]),
        ("3", "Gjeldende rett", ["Åpenhetsloven pålegger større virksomheter å gjennomføre aktsomhetsvurderinger "
                                 "og å offentliggjøre en redegjørelse. Forbrukertilsynet fører tilsyn med loven.",
                                 P_ROUTINE]),
        ("4", "Direktivets innhold", ["Direktivet fastsetter regler om selskapers plikter knyttet til "
                                      "faktiske og potensielle negative konsekvenser for menneskerettigheter "
                                      "og miljø.", P_CHAIN]),
        ("5", "Departementets forslag", ["Departementet foreslår en ny lov som erstatter deler av åpenhetsloven."]),
        ("5.1", "Virkeområde", ["Loven skal gjelde selskaper over terskelverdiene i direktivet, og "
                                "morselskaper i konsern over de samme terskelverdiene.", P_ROUTINE]),
        ("5.2", "Aktsomhetsvurderinger i leverandørkjeden", s52),
        ("6", "Økonomiske og administrative konsekvenser", [P_ROUTINE, P_ROUTINE]),
    ]
    if version == 2:
        sections.insert(7, ("5.3", "Klagemekanisme og kontaktpunktet", [
            "Departementet foreslår at berørte personer skal kunne klage til virksomheten, og at saker "
            "også kan bringes inn for Kontaktpunktet for ansvarlig næringsliv.", P_OECD]))
    return Spec("Høringsnotat – gjennomføring av aktsomhetsdirektivet og endringer i åpenhetsloven", sections,
                header="Barne- og familiedepartementet", footer="Høringsnotat", two_column={"4"})


def omnibus() -> Spec:
    return Spec("Høringsnotat – endringer i regnskapsloven om bærekraftsrapportering (Omnibus I)", [
        ("1", "Innledning", ["Finansdepartementet sender på høring forslag til endringer i regnskapsloven som "
                             "følge av endringsdirektivet i forenklingspakken Omnibus I (direktiv (EU) 2026/470).",
                             P_ROUTINE]),
        ("2", "Bakgrunn", ["Bærekraftsdirektivet (direktiv (EU) 2022/2464) ble gjennomført i norsk rett med virkning "
                           "fra 2024. Omnibus I endrer terskelverdiene og utsetter rapporteringsplikten.", P_ROUTINE]),
        ("3", "Forslagets innhold", ["Departementet foreslår å heve terskelverdiene slik at færre foretak omfattes.",
                                     "Foretak som rapporterer om bærekraft skal fortsatt beskrive sine "
                                     "aktsomhetsvurderinger for menneskerettigheter og miljø i leverandørkjeden.",
                                     P_ROUTINE]),
        ("4", "Økonomiske og administrative konsekvenser", [P_ROUTINE]),
    ], header="Finansdepartementet", footer="Høringsnotat")


def ecodesign() -> Spec:
    return Spec("Høringsnotat – gjennomføring av forordning (EU) 2024/1781 om økodesign", [
        ("1", "Innledning", ["Klima- og miljødepartementet sender på høring forslag til gjennomføring av "
                             "forordning (EU) 2024/1781 om økodesignkrav for bærekraftige produkter.", P_ROUTINE]),
        ("2", "Forordningens innhold", ["Forordningen gir Kommisjonen hjemmel til å fastsette krav til produkters "
                                        "holdbarhet, reparerbarhet og innhold av gjenvunnet materiale, og innfører "
                                        "et digitalt produktpass.", "Forordningen forbyr også destruksjon av usolgte "
                                        "klær og sko fra 2026."]),
        ("3", "Departementets vurderinger", [P_ROUTINE, "Departementet vurderer at ordningen bør forvaltes av "
                                             "Miljødirektoratet."]),
    ], header="Klima- og miljødepartementet", footer="Høringsnotat")


def apenhet_new() -> Spec:
    return Spec("Høringsnotat – forslag til endringer i åpenhetsloven (miljø og produksjonssteder)", [
        ("1", "Høringens hovedinnhold", ["Barne- og familiedepartementet foreslår å utvide åpenhetsloven til også å "
                                         "omfatte negative konsekvenser for miljø, og å pålegge virksomheter å "
                                         "offentliggjøre sine produksjonssteder.", P_ROUTINE]),
        ("2", "Gjeldende rett", [P_OECD]),
        ("3", "Forslag om utvidelse til miljø", [
            "Departementet foreslår at åpenhetsloven § 4 om aktsomhetsvurderinger endres slik at plikten også "
            "omfatter alvorlige negative konsekvenser for miljø og klima i virksomhetens leverandørkjede.",
            P_CHAIN]),
        ("4", "Offentliggjøring av produksjonssteder", ["Etter forslaget til ny § 5 a skal virksomheter "
                                                        "offentliggjøre navn og adresse på produksjonssteder.",
                                                        P_ROUTINE]),
    ], header="Barne- og familiedepartementet", footer="Høringsnotat", two_column={"3"})


def supplement() -> Spec:
    return Spec("Tilleggsnotat om forholdet til Omnibus I", [
        ("1", "Bakgrunn", ["Endringsdirektivet i forenklingspakken Omnibus I endrer aktsomhetsdirektivet "
                           "(direktiv (EU) 2024/1760) på flere punkter. Dette notatet supplerer høringsnotatet."]),
        ("2", "Endringer i artikkel 8", [
            "Etter endringsdirektivet skal plikten etter aktsomhetsdirektivet artikkel 8 i utgangspunktet "
            "avgrenses til direkte forretningspartnere, med mindre virksomheten har plausibel informasjon om "
            "negative konsekvenser lenger ned i verdikjeden.", P_CHAIN]),
    ], header="Barne- og familiedepartementet", footer="Tilleggsnotat")


def scanned_letter() -> Spec:
    return Spec("Høringsbrev – aktsomhetsdirektivet", [], header="Barne- og familiedepartementet",
                footer="Høringsbrev", scanned_page=True)


#: (hearing id, contentassets folder, file, spec, days present, etag suffix)
DOCS = [
    ("3150100", "82e2ca873d", "horingsnotat.pdf", {"2026-11-23": csddd(1), "2026-11-24": csddd(2)}),
    ("3150100", "82e2ca873d", "horingsbrev.pdf", {"2026-11-23": scanned_letter(), "2026-11-24": scanned_letter()}),
    ("3150100", "82e2ca873d", "tilleggsnotat.pdf", {"2026-11-24": supplement()}),
    ("3150137", "9a1916b7a2", "horingsnotat.pdf", {"2026-11-23": omnibus(), "2026-11-24": omnibus()}),
    ("3150581", "f51e178104", "horingsnotat.pdf", {"2026-11-23": ecodesign(), "2026-11-24": ecodesign()}),
    ("3172240", "2b6a9bd163", "horingsnotat.pdf", {"2026-11-24": apenhet_new()}),
]


#: the CSDDD file's stage documents (procedure 2022/0051(COD)) at the addresses tracker/documents/family.py
#: derives from the OEIL key events of the constructed eu_oeil replay: (file, URL, content type, writer).
#: The Council general approach is not among the OEIL key events there, so it is not here either
#: (tests/test_documents_family.py covers it).
EU_FAMILY = [
    ("eu-52022PC0071.html", "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:52022PC0071",
     "text/html; charset=UTF-8", lambda f: write_eurlex_com(f["proposal"])),
    ("eu-TA-9-2024-0329.pdf", "https://www.europarl.europa.eu/doceo/document/TA-9-2024-0329_EN.pdf",
     "application/pdf", lambda f: write_pdf(act_spec(f["ep_position"]))),
    ("eu-32024L1760.html", "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024L1760",
     "text/html; charset=UTF-8", lambda f: write_eurlex_oj(f["adopted"])),
]


def main() -> None:
    for day, recorded in DAYS.items():
        folder = ROOT / "data" / "replay" / day / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.pdf"):
            old.unlink()
        responses, index = [], []
        for hearing, asset, name, specs in DOCS:
            spec = specs.get(day)
            if spec is None:
                continue
            body = write_pdf(spec)
            fname = f"{hearing}-{name}"
            (folder / fname).write_bytes(body)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            responses.append({"url": f"{BASE}/{asset}/{name}", "method": "GET", "status": 200,
                              "headers": {"Content-Type": "application/pdf", "ETag": etag,
                                          "Content-Length": str(len(body))},
                              "file": fname})
            index.append({"hearing": hearing, "file": fname, "title": spec.title,
                          "scanned": spec.scanned_page, "generated": True})
        for old in folder.glob("eu-*"):
            old.unlink()
        family = csddd_family()
        for fname, url, ctype, write in EU_FAMILY:
            body = write(family)
            (folder / fname).write_bytes(body)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            responses.append({"url": url, "method": "GET", "status": 200,
                              "headers": {"Content-Type": ctype, "ETag": etag, "Content-Length": str(len(body))},
                              "file": fname})
            index.append({"procedure": "2022/0051(COD)", "file": fname, "url": url, "generated": True,
                          "constructed": "CSDDD stage document: article numbers and titles as in the real texts, "
                                         "wording a short paraphrase (tests/docgen.py csddd_family)"})
        manifest = {"source": "documents", "recorded_at": recorded, "constructed": True,
                    "generated": "data/replay/tools/build_documents.py (reportlab); invented texts, not real documents",
                    "responses": responses}
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
        (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"{folder}: {len(responses)} documents")


if __name__ == "__main__":
    main()
