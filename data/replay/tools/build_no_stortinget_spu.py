"""Builds the replay days of `no_stortinget_spu` (constructed, deterministic).

Constructed from docs/sources.md §2: ``eksport/saker?sesjonid=…&format=json``
(list key ``saker_liste``; fields id, tittel, korttittel, henvisning,
dokumentgruppe, type, status, sist_oppdatert_dato as ``/Date(ms+0100)/``,
komite{id,navn}, emne_liste[{navn,…}]) and ``eksport/sak?sakid=…&format=json``
(saksgang with saksgang_steg_liste / saksgang_hendelse_liste {id, dato
"dd.MM.yyyy HH:mm:ss"}, publikasjon_referanse_liste, kortvedtak). The JSON
nesting of ``sak`` is an assumption.

Real cases (ids, titles, henvisning from real-samples/lovsonar-derived/
stortinget_saker_2025-12.csv): 104917, 105849, 105928, 105929. Invented: every
other case id and case (the redegjørelse and Dokument 8 cases describe real
events of Oct–Nov 2025 with invented ids and numbers; the white paper
"Statens pensjonsfond 2026" and its Meld. St./Innst. numbers are invented — the
real 2026 white paper was not found), all dates, topics and saksgang events. Case
107131 (Meld. St. 8 (2026-2027), the ethical framework) is the invented case that
build_no_stortinget_horinger.py holds a finance committee hearing on; it is
reproduced here with the same id and henvisning so the two sources link.

Run: python data/replay/tools/build_no_stortinget_spu.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[3]
REPLAY = ROOT / "data" / "replay"
SOURCE = "no_stortinget_spu"
API = "https://data.stortinget.no/eksport"
OSLO = ZoneInfo("Europe/Oslo")
FINANS = {"versjon": "1.6", "id": "FINANS", "navn": "Finanskomiteen"}
NAERING = {"versjon": "1.6", "id": "NAERING", "navn": "Næringskomiteen"}
SPF = {"versjon": "1.6", "er_hovedemne": False, "hovedemne_id": 160, "id": 171, "navn": "Statens pensjonsfond",
       "underemne_liste": None}
FINANS_TOPIC = {"versjon": "1.6", "er_hovedemne": True, "hovedemne_id": 0, "id": 160, "navn": "Finans",
                "underemne_liste": None}


def ms(day: str) -> str:
    dt = datetime.fromisoformat(day).replace(tzinfo=OSLO)
    off = dt.strftime("%z")
    return f"/Date({int(dt.timestamp() * 1000)}{off})/"


def case(cid, title, short, henv, status, komite, topics, updated, group="alminneligsak", ctype="alminneligsak"):
    return {"versjon": "1.6", "behandlet_sesjon_id": None, "dokumentgruppe": group, "emne_liste": topics,
            "forslagstiller_liste": [], "henvisning": henv, "id": cid, "innstilling_id": 0, "innstilling_kode": "",
            "komite": komite, "korttittel": short, "sak_fremmet_id": 0, "saksordfoerer_liste": [],
            "sist_oppdatert_dato": ms(updated), "status": status, "tittel": title, "type": ctype}


# (case, saksgang events [(id, "dd.mm.yyyy")], publications [(text, url, type)], kortvedtak)
S2526 = [
    (case(104917, "Bevilgninger på statsbudsjettet for 2026 vedrørende rammeområde 23 (Tilfeldige utgifter og inntekter, "
          "finansadministrasjon, utbytte, 90-poster, Statens pensjonsfond utland)",
          "Tilfeldige utgifter og inntekter, finansadministrasjon, utbytte, 90-poster, Statens pensjonsfond utland",
          "Prop. 1 S (2025-2026), Innst. 5 S (2025-2026)", "behandlet", FINANS, [SPF], "2025-12-11T17:20",
          "budsjett", "budsjett"),
     [("SAK", "06.10.2025"), ("INNST", "20.11.2025"), ("VEDTAK", "27.11.2025")],
     [("Innst. 5 S (2025-2026)", "https://www.stortinget.no/no/Saker-og-publikasjoner/Publikasjoner/Innstillinger/Stortinget/2025-2026/inns-202526-005s/", "innstilling")],
     "Vedtatt."),
    (case(105849, "Valg av medlemmer til Norges Banks representantskap", "Valg av medlemmer til Norges Banks representantskap",
          "Innst. 50 S (2025-2026)", "behandlet", FINANS, [FINANS_TOPIC], "2025-12-11T17:20"),
     [("SAK", "27.11.2025"), ("VEDTAK", "09.12.2025")], [], "Valgt."),
    (case(105812, "Finansministerens redegjørelse om Statens pensjonsfond utland og det etiske rammeverket",
          "Redegjørelse om Statens pensjonsfond utland", "", "behandlet", FINANS, [SPF], "2025-10-30T12:00"),
     [("SAK", "23.10.2025"), ("PLBEHS", "30.10.2025")], [], ""),
    (case(105870, "Representantforslag om at oljefondet skal selge seg ut av selskaper på FNs liste over selskaper i okkuperte områder",
          "Oljefondet og FNs liste", "Dokument 8:20 S (2025-2026)", "behandlet", FINANS, [], "2025-11-04T20:00",
          "dok8"),
     [("FREMMET", "28.10.2025"), ("REFS", "30.10.2025"), ("VEDTAK", "04.11.2025")],
     [("Dokument 8:20 S (2025-2026)", "https://www.stortinget.no/no/Saker-og-publikasjoner/Publikasjoner/Representantforslag/2025-2026/dok8-202526-020s/", "dok8")],
     "Forslaget ble ikke vedtatt."),
    (case(106410, "Statens pensjonsfond 2026", "Statens pensjonsfond 2026",
          "Meld. St. 20 (2025-2026), Innst. 420 S (2025-2026)", "behandlet", FINANS, [SPF], "2026-06-12T18:00",
          "meldinger"),
     [("FRADEP", "10.04.2026"), ("SAK", "14.04.2026"), ("HOERFRIST", "06.05.2026"), ("HOER", "12.05.2026"),
      ("INNST", "04.06.2026"), ("VEDTAK", "11.06.2026")],
     [("Innst. 420 S (2025-2026)", "https://www.stortinget.no/no/Saker-og-publikasjoner/Publikasjoner/Innstillinger/Stortinget/2025-2026/inns-202526-420s/", "innstilling")],
     "Meldingen vedlegges protokollen."),
    (case(105928, "Endringer i lov om dyrevelferd (fremstilling og fremvisning m.m. av seksuelle overgrep mot dyr)",
          "Endringer i dyrevelferdsloven", "Prop. 30 L (2025-2026)", "behandlet", NAERING, [], "2026-01-20T12:00",
          "proposisjoner", "lovsak"), [], [], ""),
    (case(105929, "Endringer i foretakspensjonsloven og forsikringsvirksomhetsloven (forvaltning av garanterte pensjonsprodukter)",
          "Endringer i foretakspensjonsloven", "Prop. 31 L (2025-2026)", "behandlet", FINANS, [], "2026-02-10T12:00",
          "proposisjoner", "lovsak"), [], [], ""),
]
S2627 = [
    (case(107090, "Bevilgninger på statsbudsjettet for 2027 vedrørende rammeområde 23 (Tilfeldige utgifter og inntekter, "
          "finansadministrasjon, utbytte, 90-poster, Statens pensjonsfond utland)",
          "Tilfeldige utgifter og inntekter, finansadministrasjon, utbytte, 90-poster, Statens pensjonsfond utland",
          "Prop. 1 S (2026-2027)", "til_behandling", FINANS, [SPF], "2026-10-08T12:00", "budsjett", "budsjett"),
     [("SAK", "07.10.2026"), ("AVGFRIST", "19.11.2026")], [], ""),
    (case(107095, "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra Statens pensjonsfond utland",
          "Gjeninnføring av Etikkrådets tilrådninger", "Dokument 8:12 S (2026-2027)", "mottatt", FINANS, [SPF],
          "2026-11-10T12:00", "dok8"),
     [("FREMMET", "10.11.2026")], [], ""),
    # the finance committee's hearing on this case is in build_no_stortinget_horinger (hearing 10006202, sak 107131)
    (case(107131, "Statens pensjonsfond utland – etisk rammeverk etter gjennomgangen i 2026",
          "Etisk rammeverk for Statens pensjonsfond utland", "Meld. St. 8 (2026-2027)", "til_behandling", FINANS, [SPF],
          "2026-11-13T12:00", "meldinger"),
     [("FRADEP", "06.11.2026"), ("SAK", "10.11.2026"), ("HOERFRIST", "04.12.2026"), ("HOER", "08.12.2026")],
     [("Meld. St. 8 (2026-2027)", "https://www.regjeringen.no/no/dokumenter/meld.-st.-8-20262027/id3171000/", "melding")],
     ""),
    (case(107097, "Endringer i skatteloven (skattesatser 2027)", "Skattesatser 2027", "Prop. 1 LS (2026-2027)",
          "til_behandling", FINANS, [FINANS_TOPIC], "2026-10-08T12:00", "proposisjoner", "lovsak"), [], [], ""),
]


def saker(session: str, cases: list) -> dict:
    return {"respons_dato_tid": ms("2026-11-23T05:00"), "versjon": "1.6", "sesjon_id": session,
            "saker_liste": [c[0] for c in cases]}


def sak(entry) -> dict:
    c, events, pubs, vedtak = entry
    steps = [{"navn": "Behandling", "steg_nummer": 1, "uaktuell": False,
              "saksgang_hendelse_liste": [{"dato": f"{d} 00:00:00", "id": eid} for eid, d in events]}]
    return {**{k: c[k] for k in ("versjon", "dokumentgruppe", "henvisning", "id", "komite", "korttittel",
                                  "status", "tittel", "type", "emne_liste")},
            "ferdigbehandlet": c["status"] == "behandlet", "kortvedtak": vedtak,
            "saksgang": {"id": "ALMSAK", "navn": "Alminnelig sak", "saksgang_steg_liste": steps},
            "publikasjon_referanse_liste": [{"eksport_id": u.rstrip("/").rsplit("/", 1)[-1], "lenke_tekst": t,
                                             "lenke_url": u, "type": ty, "undertype": ""} for t, u, ty in pubs]}


def write_day(day: str, sessions: dict[str, list]) -> None:
    folder = REPLAY / day / SOURCE
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    responses = []
    for session, cases in sessions.items():
        responses.append((f"{API}/saker?sesjonid={session}&format=json", f"saker_{session}.json", saker(session, cases)))
        for entry in cases:
            if entry[1]:  # cases this spider keeps have saksgang events recorded
                responses.append((f"{API}/sak?sakid={entry[0]['id']}&format=json", f"sak_{entry[0]['id']}.json", sak(entry)))
    entries = []
    for url, name, data in responses:
        body = json.dumps(data, ensure_ascii=False)
        (folder / name).write_text(body, "utf-8")
        entries.append({"url": url, "status": 200,
                        "headers": {"Content-Type": "application/json; charset=utf-8",
                                    "ETag": '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'},
                        "file": name})
    manifest = {"source": SOURCE, "recorded_at": f"{day}T06:00:00+01:00", "constructed": True,
                "builder": "data/replay/tools/build_no_stortinget_spu.py", "responses": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main() -> None:
    write_day("2026-11-23", {"2026-2027": S2627, "2025-2026": S2526})
    # day 2: the Dokument 8 proposal is sent to the finance committee, which sets a hearing deadline
    day2 = [e for e in S2627 if e[0]["id"] != 107095]
    c = dict(S2627[1][0], status="til_behandling", sist_oppdatert_dato=ms("2026-11-23T15:00"))
    day2.append((c, [("FREMMET", "10.11.2026"), ("REFS", "23.11.2026"), ("HOERFRIST", "07.12.2026")], [], ""))
    write_day("2026-11-24", {"2026-2027": day2, "2025-2026": S2526})


if __name__ == "__main__":
    main()
