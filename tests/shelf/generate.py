#!/usr/bin/env python3
"""Fictional test shelf of AQB Zielvereinbarungen and related documents.

Usage: python generate.py OUTDIR

Deterministic (fixed seed, no set iteration, stdlib only). Writes the documents
(.txt / .md), OUTDIR/expected.json (all facts as generated, plus the split) and
OUTDIR/questions.jsonl. Every name and figure is invented.
"""
from __future__ import annotations

import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20260512
DISCLAIMER = "Fiktives Testdokument – alle Namen und Zahlen sind erfunden."
YEARS = (2024, 2025)
MINISTRY = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
MINISTRY_DAT = "Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"
FEMALE = ("Anke", "Carola", "Elif", "Gisela", "Ines", "Katrin", "Monika", "Olga", "Renate", "Tanja", "Verena",
          "Yasemin", "Birgit")
MINISTER = {2024: ("Konrad Wellhöfer", "Staatsminister"), 2025: ("Dr. Jana Brettschneider", "Staatsministerin")}

CATEGORIES = {
    1: "Ausbildungsvorbereitung",
    2: "Ausbildung und Ausbildungscoaching",
    3: "Qualifizierung zur Arbeitsmarktintegration und Fachkräftesicherung",
    4: "Weiterbildung des Personals",
}

STYLES = {
    "S1": "§-Paragraphen; Projekte als Aufzählung (- Name (Träger: …)) unter Zeilen '1. Ausbildungsvorbereitung'; Beträge '1.234.567 Euro'",
    "S2": "Nummerierte Abschnitte '1. Gegenstand'; Projekte als schlichte Zeilen unter 'Maßnahmenart N …'; Beträge 'EUR 1.234.567,00'",
    "S3": "Markdown mit 'Artikel N'; je Maßnahmenart eine Tabelle Maßnahme|Träger|Betrag; Budget '1,23 Mio. €', Projektbeträge '45.000 €'",
    "S4": "§-Paragraphen; Projekte in Fließtext-Sätzen; Beträge in 'T€' (z. B. '845 T€')",
    "S5": "Markdown mit 'Abschnitt A/B/C'; fett gesetzte Projekte als Sternchen-Liste mit Gedankenstrich-Feldern; Beträge '1.234.567,00 €'",
    "S6": "'Teil A/B/C'; Festbreiten-Texttabelle Nr.|Maßnahme|Träger|Betrag mit Kategoriezeilen 'MA N'; Beträge '€ 1.234.567'",
    "S7": "Formular 'Ziffer N'; Schlüssel-Wert-Blöcke (Projekt:/Träger:/Fördersumme:); Beträge '1.234.567,-- EUR'",
}
HELD_OUT_STYLES = ["S4", "S6"]

# name, kind, Regierungsbezirk, style, head title, head name
DISTRICTS = [
    ("Auenberg", "Landkreis", "Darmstadt", "S1"),
    ("Brunnental", "Landkreis", "Darmstadt", "S4"),
    ("Dornwald", "Landkreis", "Darmstadt", "S2"),
    ("Eichenhöhe", "Landkreis", "Darmstadt", "S6"),
    ("Falkenried", "Landkreis", "Darmstadt", "S3"),
    ("Falkenried", "Stadt", "Darmstadt", "S5"),
    ("Mühlhafen", "Stadt", "Darmstadt", "S1"),
    ("Grünwiesen", "Landkreis", "Darmstadt", "S4"),
    ("Hasselgrund", "Landkreis", "Darmstadt", "S7"),
    ("Löwenbrück", "Sonderstatusstadt", "Darmstadt", "S2"),
    ("Immenfeld", "Landkreis", "Gießen", "S1"),
    ("Kranzbach-Lohe", "Landkreis", "Gießen", "S2"),
    ("Lindgrund", "Landkreis", "Gießen", "S3"),
    ("Moosbühl", "Landkreis", "Gießen", "S5"),
    ("Kronwasser", "Stadt", "Gießen", "S7"),
    ("Nesselau", "Landkreis", "Gießen", "S3"),
    ("Ottersheide", "Landkreis", "Gießen", "S5"),
    ("Quellental", "Landkreis", "Kassel", "S4"),
    ("Rotwasser", "Landkreis", "Kassel", "S6"),
    ("Silberau", "Landkreis", "Kassel", "S1"),
    ("Silberau", "Stadt", "Kassel", "S2"),
    ("Talbrück", "Landkreis", "Kassel", "S4"),
    ("Wiesenfurt", "Landkreis", "Kassel", "S6"),
    ("Steinbrügge", "Stadt", "Kassel", "S3"),
    ("Ulmbach-Rehtal", "Landkreis", "Kassel", "S5"),
    ("Vogtsried", "Landkreis", "Kassel", "S7"),
]
SONDERSTATUS_HOST = "Hasselgrund"

FIRST = ["Anke", "Bernd", "Carola", "Dieter", "Elif", "Frank", "Gisela", "Holger", "Ines", "Jörg", "Katrin",
         "Lars", "Monika", "Niklas", "Olga", "Peter", "Renate", "Stefan", "Tanja", "Uwe", "Verena", "Wolfgang",
         "Yasemin", "Achim", "Birgit", "Cem"]
LAST = ["Albrecht", "Brenner", "Czerny", "Dietz", "Eberhardt", "Fleischhauer", "Gerlach", "Hufnagel", "Imhof",
        "Jansen", "Kessler", "Lorenz", "Mahler", "Nowak", "Oberländer", "Pfeiffer", "Quast", "Riedel", "Sauer",
        "Thielen", "Ungerer", "Vollmer", "Wendt", "Zöller", "Abendroth", "Bachmann"]

SHARED_TRAEGER = [
    "Bildungswerk Mittelland gGmbH",
    "Jugendberufshilfe Lichtenau e.V.",
    "Zukunft Arbeit gGmbH",
    "Netzwerk Berufsbrücke e.V.",
    "Qualifizierungsverbund Hessen-Süd gGmbH",
    "Werkhof Sonnenhang gGmbH",
]
LOCAL_TRAEGER_PATTERNS = [
    "Jugendwerkstatt {p} e.V.", "Beschäftigungsgesellschaft {p} mbH", "Volkshochschule {p}",
    "Kreishandwerkerschaft {p}", "Diakonisches Werk {p}", "Caritasverband {p} e.V.",
    "Arbeit und Bildung {p} e.V.", "Frauenbildungswerk {p} e.V.", "Berufliche Schulen {p}",
]

NAMES = {
    1: ["Startklar", "Berufe entdecken", "Kompass Beruf", "Werkstatttage", "Praxisklasse Plus", "Berufswegeplanung",
        "Orientierungswerkstatt", "Talentscouts", "Schnupperlehre Handwerk", "BO-Camp", "Zukunftswerkstatt",
        "Einstiegsbegleitung", "Fit für die Lehre", "Berufsparcours", "Lernwerkstatt Holz und Metall", "JUMP",
        "Weichenstellung", "Brückenjahr", "Sprungbrett", "Berufsfelderkundung", "Ferienakademie Beruf",
        "Praxistage in Betrieben", "Neue Wege"],
    2: ["Azubi-Lotse", "Begleitung im Handwerk", "Verbundlehre Region", "Abbruch vermeiden", "Azubi-Fit",
        "Ausbildungspaten", "Lehrstellenbörse plus", "Azubi-Werk", "Mentoring im Betrieb", "Lehre im Tandem",
        "Prüfungsfit", "Betriebsbrücke", "Dranbleiben", "Azubi-Treff", "Lehrzeit-Coach", "Meisterwerk Lehre"],
    3: ["Jobbrücke", "Wiedereinstieg Plus", "Pflegeeinstieg", "Fachkraft in Sicht", "Lager und Logistik kompakt",
        "Neustart Beruf", "Digital Fit", "Werkstatt 50plus", "Berufsperspektive Pflege", "Gastro-Qualifizierung",
        "Teilqualifizierung Metall", "Jobcoaching Plus", "Kita-Quereinstieg", "Sprache im Beruf", "MINT für Frauen",
        "Berufsanerkennung begleiten", "Joblotsen", "Arbeitsmarktwerkstatt", "Führerschein als Brücke",
        "Aufbruch", "Plan C", "Wegweiser Arbeit", "Grüne Berufe", "Servicekraft Einzelhandel"],
    4: ["Fachtag Übergangsmanagement", "Fortbildungsreihe Fallmanagement", "Fachforum Interkulturelle Beratung",
        "Schulung Digitale Fallakte", "Supervision für Fachkräfte", "Coaching-Kompetenz für Fallmanager",
        "Fachtag Teilhabe", "Workshopreihe Motivierende Gesprächsführung", "Fachforum Pflegeberufe"],
}
REFUGEE_NAMES = ["Perspektive Ankunft", "PiA – Plan in Arbeit", "BRIDGE", "Ankerplatz", "Wurzeln und Flügel",
                 "KOMPAS-J", "Hafen", "Perspektive Handwerk", "Modell {p}", "Weitblick"]
REFUGEE_PHRASES = ["junge Geflüchtete", "junge Menschen mit Fluchterfahrung",
                   "unbegleitete minderjährige Ausländerinnen und Ausländer (UMA)",
                   "neu zugewanderte Jugendliche aus Asylherkunftsländern", "junge Erwachsene mit Fluchthintergrund"]
SINGLE_PARENT_NAMES = ["Teilzeit BaE", "TZA-Lotse", "Familie und Lehre", "Eltern in Ausbildung (EiA)", "Doppelt stark",
                       "Balance", "Chance Teilzeit", "Zwei Welten"]
SINGLE_PARENT_PHRASES = ["Alleinerziehende in Teilzeitausbildung",
                         "alleinerziehende junge Mütter und Väter – Berufsausbildung in Teilzeit",
                         "Alleinerziehende (Teilzeitberufsausbildung)",
                         "Einelternfamilien: Ausbildung in Teilzeit für alleinerziehende Elternteile"]

REFUGEE_DISTRICTS = {  # display key -> years with a refugee project
    "Landkreis Auenberg": (2024, 2025), "Landkreis Brunnental": (2024, 2025), "Stadt Mühlhafen": (2024, 2025),
    "Landkreis Lindgrund": (2024, 2025), "Stadt Kronwasser": (2025,), "Landkreis Ottersheide": (2024,),
    "Landkreis Rotwasser": (2024, 2025), "Stadt Steinbrügge": (2024, 2025), "Landkreis Kranzbach-Lohe": (2025,),
}
SINGLE_PARENT_DISTRICTS = {
    "Landkreis Dornwald": (2024, 2025), "Stadt Falkenried": (2024, 2025), "Landkreis Immenfeld": (2024, 2025),
    "Landkreis Moosbühl": (2025,), "Landkreis Talbrück": (2024, 2025), "Stadt Silberau": (2024, 2025),
    "Landkreis Vogtsried": (2024,),
}
CAT4_DISTRICTS = ["Landkreis Auenberg", "Landkreis Eichenhöhe", "Sonderstatusstadt Löwenbrück", "Landkreis Nesselau",
                  "Landkreis Moosbühl", "Landkreis Quellental", "Landkreis Silberau", "Stadt Steinbrügge",
                  "Landkreis Vogtsried"]


# ----------------------------------------------------------------- helpers
def de_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def money(n: int, style: str, budget: bool = False) -> str:
    if style == "S1":
        return f"{de_int(n)} Euro"
    if style == "S2":
        return f"EUR {de_int(n)},00"
    if style == "S3":
        if budget:
            assert n % 10000 == 0
            s = f"{n / 1_000_000:.2f}".replace(".", ",")
            return f"{s} Mio. €"
        return f"{de_int(n)} €"
    if style == "S4":
        assert n % 1000 == 0
        return f"{de_int(n // 1000)} T€"
    if style == "S5":
        return f"{de_int(n)},00 €"
    if style == "S6":
        return f"€ {de_int(n)}"
    if style == "S7":
        return f"{de_int(n)},-- EUR"
    raise ValueError(style)


def round1(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pct_change(a: int, b: int) -> float:
    return float(round1(Decimal(b - a) * 100 / Decimal(a)))


def slug(s: str) -> str:
    t = s.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), (" ", "-"), ("–", "-")):
        t = t.replace(a, b)
    return "".join(c for c in t if c.isalnum() or c == "-").strip("-")


class District:
    def __init__(self, idx, place, kind, rb, style, rng):
        self.idx, self.place, self.kind, self.rb, self.style = idx, place, kind, rb, style
        self.display = f"{kind} {place}"
        if kind == "Landkreis":
            self.formal, self.gen = f"Landkreis {place}", f"des Landkreises {place}"
            self.dat = f"dem Landkreis {place}"
            self.head_title = None
            self.kind_label = "Landkreis"
        elif kind == "Stadt":
            self.formal, self.gen = f"Stadt {place}", f"der kreisfreien Stadt {place}"
            self.dat = f"der kreisfreien Stadt {place}"
            self.head_title = None
            self.kind_label = "kreisfreie Stadt"
        else:
            self.formal, self.gen = f"Stadt {place}", f"der Sonderstatusstadt {place}"
            self.dat = f"der Sonderstatusstadt {place}"
            self.head_title = None
            self.kind_label = "Sonderstatusstadt"
        self.head = f"{FIRST[idx]} {LAST[(idx * 7) % len(LAST)]}"
        fem = FIRST[idx] in FEMALE
        if kind == "Landkreis":
            self.head_title = "Landrätin" if fem else "Landrat"
            self.nom, self.acc = f"der Landkreis {place}", f"den Landkreis {place}"
        else:
            self.head_title = "Oberbürgermeisterin" if fem else "Oberbürgermeister"
            self.nom, self.acc = f"die Stadt {place}", f"die Stadt {place}"
        self.key = self.display
        # the name a user would use / an answer would contain
        self.paired = place in ("Falkenried", "Silberau")
        self.answer_name = self.display if self.paired else place


# ----------------------------------------------------------------- world building
def build_world(rng: random.Random):
    districts = [District(i, *d, rng) for i, d in enumerate(DISTRICTS)]
    name_pools = {c: list(v) for c, v in NAMES.items()}
    for c in name_pools:
        rng.shuffle(name_pools[c])
    used_names: list[str] = []

    def take_name(cat, place):
        pool = name_pools[cat]
        if pool:
            n = pool.pop()
        else:
            n = f"{rng.choice(NAMES[cat])} {place}"
        while n in used_names:
            n = f"{rng.choice(NAMES[cat])} {place}"
        used_names.append(n)
        return n

    ref_names = list(REFUGEE_NAMES)
    rng.shuffle(ref_names)
    sp_names = list(SINGLE_PARENT_NAMES)
    rng.shuffle(sp_names)

    # shared Träger: each to 2-4 districts
    shared_map = {}  # district key -> list of shared traeger
    order = [d.key for d in districts]
    shared_assign = [
        (SHARED_TRAEGER[0], ["Landkreis Auenberg", "Landkreis Dornwald", "Stadt Mühlhafen"]),
        (SHARED_TRAEGER[1], ["Landkreis Immenfeld", "Landkreis Lindgrund", "Landkreis Moosbühl", "Stadt Kronwasser"]),
        (SHARED_TRAEGER[2], ["Landkreis Silberau", "Stadt Silberau"]),
        (SHARED_TRAEGER[3], ["Landkreis Brunnental", "Landkreis Falkenried", "Landkreis Eichenhöhe"]),
        (SHARED_TRAEGER[4], ["Sonderstatusstadt Löwenbrück", "Stadt Falkenried", "Landkreis Hasselgrund",
                             "Landkreis Grünwiesen"]),
        (SHARED_TRAEGER[5], ["Landkreis Rotwasser", "Landkreis Vogtsried", "Landkreis Ulmbach-Rehtal"]),
    ]
    for t, ds in shared_assign:
        for d in ds:
            assert d in order, d
            shared_map.setdefault(d, []).append(t)

    agreements = {}
    used_budgets: list[int] = []
    for d in districts:
        pats = list(LOCAL_TRAEGER_PATTERNS)
        rng.shuffle(pats)
        local = [p.format(p=d.place) for p in pats[:4]]
        shared = shared_map.get(d.key, [])
        ref_years = REFUGEE_DISTRICTS.get(d.key, ())
        sp_years = SINGLE_PARENT_DISTRICTS.get(d.key, ())
        has4 = d.key in CAT4_DISTRICTS
        # ---- 2024 project list
        n_plain = rng.randint(4, 6)
        projects = []
        cats = [1, 2, 3] + [rng.choice([1, 2, 3, 3]) for _ in range(n_plain - 3)]
        for c in cats:
            projects.append({"name": take_name(c, d.place), "category": c, "traeger": None, "target_group": None,
                             "target_phrase": None})
        if has4:
            projects.append({"name": take_name(4, d.place), "category": 4, "traeger": None, "target_group": None,
                             "target_phrase": None})
        ref_proj = sp_proj = None
        if ref_years:
            nm = ref_names.pop().format(p=d.place)
            ref_proj = {"name": nm, "category": rng.choice([1, 3]), "traeger": None, "target_group": "junge Geflüchtete",
                        "target_phrase": REFUGEE_PHRASES[d.idx % len(REFUGEE_PHRASES)]}
        if sp_years:
            sp_proj = {"name": sp_names.pop(), "category": 2, "traeger": None,
                       "target_group": "Alleinerziehende in Teilzeitausbildung",
                       "target_phrase": SINGLE_PARENT_PHRASES[d.idx % len(SINGLE_PARENT_PHRASES)]}
        if ref_proj and 2024 in ref_years:
            projects.append(ref_proj)
        if sp_proj and 2024 in sp_years:
            projects.append(sp_proj)
        # Träger: shared ones first on distinct untagged projects, rest local
        untagged = [p for p in projects if p["target_group"] is None and p["category"] != 4]
        for i, t in enumerate(shared):
            untagged[i]["traeger"] = t
            untagged[i]["shared"] = True
        for p in projects:
            if p["traeger"] is None:
                p["traeger"] = rng.choice(local)
                p["shared"] = False
        p24 = [dict(p) for p in projects]
        # ---- 2025 derived
        p25 = []
        changes = {"new": [], "dropped": [], "renamed": []}
        droppable = [p["name"] for p in p24 if not p["shared"] and p["target_group"] is None]
        n_drop = rng.choice([0, 1, 1, 2]) if len(p24) > 4 else 0
        drop = rng.sample(droppable, min(n_drop, len(droppable)))
        if ref_proj and 2025 not in ref_years and ref_proj["name"] not in drop:
            drop.append(ref_proj["name"])
        if sp_proj and 2025 not in sp_years and sp_proj["name"] not in drop:
            drop.append(sp_proj["name"])
        renamable = [p["name"] for p in p24 if p["name"] not in drop and p["target_group"] is None]
        rename = rng.choice(renamable) if rng.random() < 0.55 else None
        for p in p24:
            if p["name"] in drop:
                changes["dropped"].append(p["name"])
                continue
            q = dict(p)
            q["renamed_from"] = None
            if p["name"] == rename:
                q["name"] = take_name(p["category"], d.place)
                q["renamed_from"] = p["name"]
                changes["renamed"].append({"old": p["name"], "new": q["name"]})
            p25.append(q)
        n_new = rng.choice([0, 1, 1, 2])
        extra_tagged = sum(1 for t in (ref_proj, sp_proj) if t and 2025 in (REFUGEE_DISTRICTS.get(d.key, ())
                           if t is ref_proj else SINGLE_PARENT_DISTRICTS.get(d.key, ())) and 2024 not in
                           (REFUGEE_DISTRICTS.get(d.key, ()) if t is ref_proj else SINGLE_PARENT_DISTRICTS.get(d.key, ())))
        n_new = max(n_new, 4 - len(p25) - extra_tagged)
        n_new = min(n_new, 10 - len(p25) - extra_tagged)
        for _ in range(n_new):
            c = rng.choice([1, 2, 3])
            p25.append({"name": take_name(c, d.place), "category": c, "traeger": rng.choice(local), "shared": False,
                        "target_group": None, "target_phrase": None, "renamed_from": None})
            changes["new"].append(p25[-1]["name"])
        if ref_proj and 2025 in ref_years and 2024 not in ref_years:
            q = dict(ref_proj, traeger=rng.choice(local), shared=False, renamed_from=None)
            p25.append(q)
            changes["new"].append(q["name"])
        if sp_proj and 2025 in sp_years and 2024 not in sp_years:
            q = dict(sp_proj, traeger=rng.choice(local), shared=False, renamed_from=None)
            p25.append(q)
            changes["new"].append(q["name"])
        for p in p24:
            p["renamed_from"] = None
        for lst in (p24, p25):
            lst.sort(key=lambda p: p["category"])  # stable
            assert 4 <= len(lst) <= 10, (d.key, len(lst))
        # ---- budgets
        step = {"S3": 10000, "S4": 1000}.get(d.style, 10)
        while True:
            b24 = rng.randint(380_000, 2_700_000) // step * step
            r = rng.uniform(-0.12, 0.15)
            b25 = int(round(b24 * (1 + r) / step)) * step
            if b25 == b24 or b24 in used_budgets or b25 in used_budgets:
                continue
            exact = Decimal(b25 - b24) * 100 / Decimal(b24)
            frac = (abs(exact) * 10) % 1
            if abs(frac - Decimal("0.5")) < Decimal("0.05"):
                continue
            if round1(exact) % 1 == 0:
                continue
            break
        used_budgets += [b24, b25]
        agreements[(d.key, 2024)] = {"projects": p24, "budget": b24}
        agreements[(d.key, 2025)] = {"projects": p25, "budget": b25, "changes": changes}
        for y in YEARS:
            assign_amounts(agreements[(d.key, y)], d.style, rng)
    # make budgets unique
    seen = []
    for k, a in agreements.items():
        assert a["budget"] not in seen
        seen.append(a["budget"])
    return districts, agreements


def assign_amounts(ag, style, rng):
    projects, budget = ag["projects"], ag["budget"]
    if style in ("S3", "S6", "S7"):
        n = len(projects)
        weights = [rng.uniform(0.6, 1.6) for _ in projects]
        tot = sum(weights)
        unit = 1000 if style == "S3" else 500
        amts = [int(budget * w / tot) // unit * unit for w in weights[:-1]]
        last = budget - sum(amts)
        assert last > 20000
        amts.append(last)
        for p, a in zip(projects, amts):
            p["amount"] = a
    else:
        unit = 1000 if style == "S4" else 500
        cap = max(30000, int(budget * 0.12))
        for p in projects:
            p["amount"] = (rng.randint(20000, cap) // unit * unit) if rng.random() < 0.5 else None


# ----------------------------------------------------------------- rendering
def target_suffix(p, mode="dash"):
    if not p["target_phrase"]:
        return ""
    if mode == "dash":
        return f" – Zielgruppe: {p['target_phrase']}"
    if mode == "paren":
        return f" (für {p['target_phrase']})"
    return p["target_phrase"]


def rename_suffix(p, quote=False):
    if not p.get("renamed_from"):
        return ""
    return f" (bisher: „{p['renamed_from']}“)" if quote else f" (bisher: {p['renamed_from']})"


def preamble(d, y):
    return (f"Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure in eine gemeinsame Strategie ein. "
            f"Das HMSI vereinbart dazu Ziele mit den Kreisen und kreisfreien Städten. Grundlage ist die regionale "
            f"Arbeitsmarkt- und Ausbildungsstrategie {d.gen}. Die Maßnahmen sind genderadäquat, ohne "
            f"Altersbegrenzungen und inklusiv angelegt.")


def rp_sentence(d, y):
    return (f"Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach Antragstellung "
            f"durch {d.acc} vom Regierungspräsidium {d.rb} erlassenen – Bescheides.")


def kind_sentence(d):
    if d.kind == "Stadt":
        return f"Die Stadt {d.place} ist eine kreisfreie Stadt im Regierungsbezirk {d.rb}."
    if d.kind == "Sonderstatusstadt":
        return (f"Die Stadt {d.place} ist Sonderstatusstadt im Landkreis {SONDERSTATUS_HOST} "
                f"(Regierungsbezirk {d.rb}) und schließt die Vereinbarung in eigener Zuständigkeit.")
    return f"Der Landkreis {d.place} liegt im Regierungsbezirk {d.rb}."


def signature(d, y):
    mn, mt = MINISTER[y]
    return (f"Wiesbaden, den {4 + d.idx % 20}.7.{y}\n\n{mn}\n{mt}\n{MINISTRY}\n\n"
            f"{d.place}, den {1 + d.idx % 27:02d}.08.{y}\n\n{d.head}\n{d.head_title}")


def cats_present(projects):
    out = []
    for p in projects:
        if p["category"] not in out:
            out.append(p["category"])
    return out


def render_agreement(d, y, ag):
    st = d.style
    P = ag["projects"]
    b = money(ag["budget"], st, budget=True)
    L = [DISCLAIMER, ""]
    if st == "S1":
        L += ["Zielvereinbarung", "", str(y), "", "zwischen", "", f"dem {MINISTRY_DAT}", "", f"und {d.dat}", "",
              "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets", "", "Präambel", "",
              preamble(d, y), "", "§ 1", "", "Vertragspartner", "", kind_sentence(d), "", "§ 2", "",
              "Haushaltsmittel", "", f"Das HMSI stellt {d.dat} im Jahr {y} Haushaltsmittel in Höhe von insgesamt",
              "", b, "", f"aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung.", "", "§ 3", "",
              f"Ziele für die Umsetzung {d.gen}", "",
              f"{d.nom[0].upper() + d.nom[1:]} finanziert mit den Mitteln des Budgets {y} in den jeweiligen Maßnahmenarten folgende Projekte:", ""]
        for c in cats_present(P):
            L += [f"{c}. {CATEGORIES[c]}", ""]
            for p in P:
                if p["category"] == c:
                    amt = f", {money(p['amount'], st)}" if p["amount"] else ""
                    L.append(f"- {p['name']}{rename_suffix(p)} (Träger: {p['traeger']}{amt}){target_suffix(p)}")
            L.append("")
        L += [rp_sentence(d, y), "", "§ 4", "", "Zielsteuerung", "",
              f"{d.nom[0].upper() + d.nom[1:]} und das HMSI bleiben über die Entwicklung des Budgets {y} im Austausch.", "",
              signature(d, y)]
        ext = "txt"
    elif st == "S2":
        L += [f"ZIELVEREINBARUNG {y}", f"Ausbildungs- und Qualifizierungsbudget (AQB) – {d.formal}", "",
              f"Vereinbarungspartner: {MINISTRY} (HMSI) und {d.formal}", "", "1. Gegenstand", preamble(d, y),
              kind_sentence(d), "", "2. Budget",
              f"Für das Haushaltsjahr {y} erhält {d.nom} aus dem AQB einen Betrag von {b}.", "",
              "3. Maßnahmen", ""]
        for c in cats_present(P):
            L.append(f"Maßnahmenart {c} {CATEGORIES[c]}")
            for p in P:
                if p["category"] == c:
                    amt = f", {money(p['amount'], st)}" if p["amount"] else ""
                    L.append(f"{p['name']}{rename_suffix(p)}, Träger: {p['traeger']}{amt}{target_suffix(p)}")
            L.append("")
        L += ["4. Bescheid", rp_sentence(d, y), "", "5. Berichtswesen",
              f"{d.nom[0].upper() + d.nom[1:]} legt dem HMSI zum Jahresende einen Sachbericht vor.", "", signature(d, y)]
        ext = "txt"
    elif st == "S3":
        L += [f"# Zielvereinbarung {y} – {d.formal}", "",
              f"zwischen dem {MINISTRY_DAT} und {d.dat} über das Ausbildungs- und Qualifizierungsbudget", "",
              "## Artikel 1 – Grundlagen", "", preamble(d, y), kind_sentence(d), "",
              "## Artikel 2 – Mittel", "", f"Das Budget {y} beträgt insgesamt **{b}**.", "",
              "## Artikel 3 – Maßnahmen", ""]
        for c in cats_present(P):
            L += [f"### Maßnahmenart {c} {CATEGORIES[c]}", "", "| Maßnahme | Träger | Betrag |", "|---|---|---|"]
            for p in P:
                if p["category"] == c:
                    L.append(f"| {p['name']}{rename_suffix(p)}{target_suffix(p, 'paren')} | {p['traeger']} | "
                             f"{money(p['amount'], st)} |")
            L.append("")
        L += ["## Artikel 4 – Bescheid", "", rp_sentence(d, y), "", "## Artikel 5 – Unterschriften", "",
              signature(d, y)]
        ext = "md"
    elif st == "S4":
        L += [f"Zielvereinbarung {y}", f"zwischen dem {MINISTRY_DAT} (HMSI) und {d.dat}", "",
              "§ 1 Präambel", preamble(d, y) + " " + kind_sentence(d), "",
              "§ 2 Budget", f"Für {y} stehen {d.dat} aus dem Ausbildungs- und Qualifizierungsbudget insgesamt "
                            f"{b} zur Verfügung.", "", "§ 3 Vorhaben", ""]
        lead = {1: "Im Bereich der Ausbildungsvorbereitung (Maßnahmenart 1)",
                2: "In der Maßnahmenart 2 (Ausbildung und Ausbildungscoaching)",
                3: "Zur Qualifizierung zur Arbeitsmarktintegration und Fachkräftesicherung (Maßnahmenart 3)",
                4: "Für die Weiterbildung des Personals (Maßnahmenart 4)"}
        for c in cats_present(P):
            sents = []
            for p in [p for p in P if p["category"] == c]:
                s = f"das Projekt „{p['name']}“{rename_suffix(p, quote=True)} des Trägers {p['traeger']}"
                if p["amount"]:
                    s += f" mit {money(p['amount'], st)}"
                if p["target_phrase"]:
                    s += f", das sich an {p['target_phrase']} richtet"
                sents.append(s)
            body = sents[0] if len(sents) == 1 else "; ".join(sents[:-1]) + " sowie " + sents[-1]
            L += [f"{lead[c]} fördert {d.nom} {body}.".replace("..", "."), ""]
        L += ["§ 4 Bescheid", rp_sentence(d, y), "", "§ 5 Zielsteuerung",
              f"Eine Umsetzungsbesprechung findet im Herbst {y} statt.", "", signature(d, y)]
        ext = "txt"
    elif st == "S5":
        L += [f"# AQB-Zielvereinbarung {y}", "", f"**Vertragsparteien:** {MINISTRY} · {d.formal}", "",
              "## Abschnitt A – Ausgangslage", "", preamble(d, y), "", kind_sentence(d), "",
              "## Abschnitt B – Haushaltsmittel", "",
              f"Zuwendung aus dem Ausbildungs- und Qualifizierungsbudget {y}: {b}", "",
              "## Abschnitt C – Projekte", ""]
        for c in cats_present(P):
            L += [f"**Maßnahmenart {c}: {CATEGORIES[c]}**", ""]
            for p in P:
                if p["category"] == c:
                    parts = [f"* **{p['name']}**{rename_suffix(p)}", f"Träger: {p['traeger']}"]
                    if p["amount"]:
                        parts.append(f"Ansatz: {money(p['amount'], st)}")
                    if p["target_phrase"]:
                        parts.append(f"Zielgruppe: {p['target_phrase']}")
                    L.append(" — ".join(parts))
            L.append("")
        L += ["## Abschnitt D – Verfahren", "", rp_sentence(d, y), "", "## Abschnitt E – Zeichnung", "",
              signature(d, y)]
        ext = "md"
    elif st == "S6":
        L += [f"Zielvereinbarung AQB {y}", f"{MINISTRY} – {d.formal}", "", "Teil A  Allgemeines", preamble(d, y),
              kind_sentence(d), "", "Teil B  Mittelausstattung",
              f"Bewilligungsrahmen {y}: {b}", "", "Teil C  Maßnahmenübersicht", ""]
        rows = []
        n = 0
        for c in cats_present(P):
            rows.append(("", f"MA {c} – {CATEGORIES[c]}", "", ""))
            for p in P:
                if p["category"] == c:
                    n += 1
                    rows.append((str(n), f"{p['name']}{rename_suffix(p)}{target_suffix(p, 'paren')}", p["traeger"],
                                 money(p["amount"], st)))
        rows.append(("", "Summe", "", money(ag["budget"], st)))
        w = [3, max(len(r[1]) for r in rows + [("", "Maßnahme", "", "")]),
             max(len(r[2]) for r in rows + [("", "", "Träger", "")]), 13]
        hdr = ("Nr.", "Maßnahme", "Träger", "Betrag")
        fmt = lambda r: f"{r[0]:<{w[0]}} | {r[1]:<{w[1]}} | {r[2]:<{w[2]}} | {r[3]:>{w[3]}}"
        L.append(fmt(hdr))
        L.append("-" * len(fmt(hdr)))
        L += [fmt(r) for r in rows]
        L += ["", "Teil D  Bescheid", rp_sentence(d, y), "", "Teil E  Unterschriften", signature(d, y)]
        ext = "txt"
    elif st == "S7":
        L += [f"FORMULAR ZIELVEREINBARUNG AQB – Jahr {y}", "", f"Ziffer 1 – Partner: {MINISTRY} / {d.formal}",
              kind_sentence(d), "", f"Ziffer 2 – Gesamtbudget: {b}", "", "Ziffer 3 – Projekte", ""]
        for c in cats_present(P):
            L += [f"Maßnahmenart {c} – {CATEGORIES[c]}", ""]
            for p in P:
                if p["category"] == c:
                    L.append(f"Projekt: {p['name']}")
                    if p.get("renamed_from"):
                        L.append(f"bisher: {p['renamed_from']}")
                    L.append(f"Träger: {p['traeger']}")
                    if p["target_phrase"]:
                        L.append(f"Zielgruppe: {p['target_phrase']}")
                    L.append(f"Fördersumme: {money(p['amount'], st)}")
                    L.append("")
        L += [f"Summe aller Projekte: {money(ag['budget'], st)}", "", "Ziffer 4 – Bescheid", rp_sentence(d, y), "",
              "Ziffer 5 – Präambel/Grundsätze", preamble(d, y), "", signature(d, y)]
        ext = "txt"
    fname_pat = {"S1": "zielvereinbarung-{y}-{s}", "S2": "ZV_AQB_{y}_{s}", "S3": "aqb-{y}-{s}",
                 "S4": "Zielvereinbarung {y} {s}", "S5": "zv{y}-{s}", "S6": "ZV-{y}-{s}-final",
                 "S7": "formular-zv-{y}-{s}"}[st]
    fname = fname_pat.format(y=y, s=slug(d.display)) + "." + ext
    return fname, "\n".join(L) + "\n"


# ----------------------------------------------------------------- other kinds
def build_others(districts, agreements, rng):
    D = {d.key: d for d in districts}
    docs = []
    # --- amendments
    am_specs = [("Landkreis Dornwald", "replace"), ("Landkreis Lindgrund", "shift"), ("Landkreis Quellental", "traeger")]
    for key, how in am_specs:
        d = D[key]
        ag = agreements[(key, 2025)]
        st = d.style
        facts = {"kind": "Änderungsvereinbarung", "district": key, "year": 2025, "how": how,
                 "budget_unchanged": ag["budget"]}
        if how == "replace":
            old = next(p for p in ag["projects"] if not p["shared"] and p["target_group"] is None and p["category"] == 3)
            new_name = "Brückenbau Arbeit"
            new_tr = f"Stadtteilwerkstatt {d.place} e.V."
            facts.update(old_project=old["name"], new_project=new_name, new_traeger=new_tr, category=3,
                         date="15.05.2025")
            body = [f"1. Das Projekt {old['name']} (Maßnahmenart 3) entfällt.",
                    f"2. An seine Stelle tritt das Projekt {new_name} (Träger: {new_tr}).",
                    f"3. Der Gesamtbetrag von {money(ag['budget'], st)} bleibt unverändert."]
        elif how == "shift":
            p1, p2 = ag["projects"][0], ag["projects"][-1]
            delta = 15000
            facts.update(from_project=p1["name"], to_project=p2["name"], from_old=p1["amount"],
                         from_new=p1["amount"] - delta, to_old=p2["amount"], to_new=p2["amount"] + delta,
                         delta=delta, date="02.06.2025")
            body = [f"Die Mittel werden wie folgt umgeschichtet:", "",
                    "| Maßnahme | bisher | neu |", "|---|---|---|",
                    f"| {p1['name']} | {money(p1['amount'], st)} | {money(p1['amount'] - delta, st)} |",
                    f"| {p2['name']} | {money(p2['amount'], st)} | {money(p2['amount'] + delta, st)} |", "",
                    f"Das Gesamtbudget von {money(ag['budget'], st, budget=True)} bleibt unverändert."]
        else:
            p = next(p for p in ag["projects"] if not p["shared"] and p["target_group"] is None)
            new_tr = f"Bildungszentrum Quellental-Nord gGmbH"
            facts.update(project=p["name"], old_traeger=p["traeger"], new_traeger=new_tr,
                         new_end="30.06.2026", date="20.09.2025")
            body = [f"Die Vertragsparteien sind sich einig, dass das Projekt „{p['name']}“ ab dem 1. Oktober 2025 "
                    f"nicht mehr durch den bisherigen Träger {p['traeger']}, sondern durch den Träger {new_tr} durchgeführt wird. Zugleich wird "
                    f"die Laufzeit des Projekts bis zum 30.06.2026 verlängert. Das Budget von "
                    f"{money(ag['budget'], st)} bleibt unverändert."]
        head = "§ 1 Änderungen" if st == "S4" else "Änderungen"
        text = [DISCLAIMER, "", "Änderungsvereinbarung Nr. 1", f"zur Zielvereinbarung 2025 zwischen dem {MINISTRY_DAT} "
                f"und {d.dat}", "", f"Datum: {facts['date']}", "", head, ""] + body + [
                "", "Alle übrigen Regelungen der Zielvereinbarung 2025 gelten unverändert fort.", "", d.head,
                d.head_title]
        ext = "md" if how == "shift" else "txt"
        fname = f"aenderungsvereinbarung-2025-{slug(key)}.{ext}"
        docs.append((fname, "\n".join(text) + "\n", facts, st))

    # --- cooperation agreements
    coops = [
        {"title": "Kooperationsvereinbarung OloV-Region Immenfeld", "district": "Landkreis Immenfeld", "style": "S1",
         "partners": [
             ("Landkreis Immenfeld", ["Geschäftsführung der OloV-Steuerungsgruppe", "Bereitstellung der Räume"]),
             ("Staatliches Schulamt für den Landkreis Immenfeld und die Stadt Kronwasser",
              ["Einbindung der Schulen in die Berufsorientierung", "Benennung von Ansprechpersonen an jeder Schule"]),
             ("Agentur für Arbeit Immenfeld", ["Berufsberatung in den Vorabgangsklassen", "Ausbildungsmarktstatistik"]),
             ("Kommunales Jobcenter Immenfeld", ["Übergangsbegleitung für Jugendliche im SGB II"]),
             ("IHK Immenfeld-Nesselau", ["Akquise von Praktikumsplätzen", "Lehrstellenbörse"]),
             ("Kreishandwerkerschaft Immenfeld", ["Organisation der Handwerkstage"]),
         ],
         "chair": "Staatliches Schulamt für den Landkreis Immenfeld und die Stadt Kronwasser",
         "rhythm": "vierteljährlich (4 Sitzungen im Jahr)", "rhythm_per_year": 4,
         "term_start": "01.01.2024", "term_end": "31.12.2026", "term_years": 3,
         "notice": "3 Monaten zum Ende eines Kalenderjahres", "notice_value": 3, "notice_unit": "Monate"},
        {"title": "Kooperationsvereinbarung OloV Mühlhafen", "district": "Stadt Mühlhafen", "style": "S2",
         "partners": [
             ("Stadt Mühlhafen", ["Koordination über das Amt für Arbeit und Soziales", "jährlicher Übergangsbericht"]),
             ("Staatliches Schulamt Mühlhafen", ["Verankerung der Berufsorientierungscurricula"]),
             ("Agentur für Arbeit Mühlhafen-Auenberg", ["Berufsberatung", "Vermittlung in Einstiegsqualifizierungen"]),
             ("Jobcenter Mühlhafen", ["Jugendberufsagentur-Sprechstunden"]),
             ("Handwerkskammer Auenberg-Mühlhafen", ["Praktikumsbörse Handwerk", "Ausbildungsbotschafter"]),
             ("Unternehmerverband Mühlhafen e.V.", ["Gewinnung von Betrieben für Schulpartnerschaften"]),
         ],
         "chair": "Stadt Mühlhafen", "rhythm": "2 Sitzungen im Kalenderjahr (Frühjahr und Herbst)",
         "rhythm_per_year": 2, "term_start": "01.03.2024", "term_end": "28.02.2026", "term_years": 2,
         "notice": "6 Monate vor Ablauf", "notice_value": 6, "notice_unit": "Monate",
         "extension": "verlängert sich jeweils um 1 Jahr, wenn sie nicht gekündigt wird"},
        {"title": "Kooperationsvereinbarung Übergang Schule–Beruf Talbrück", "district": "Landkreis Talbrück",
         "style": "S4",
         "partners": [
             ("Landkreis Talbrück", ["Geschäftsstelle der Kooperation", "Fortschreibung der Übergangsstrategie"]),
             ("Staatliches Schulamt Talbrück-Wiesenfurt", ["Koordination der Berufsorientierung an Schulen"]),
             ("Agentur für Arbeit Talbrück", ["Leitung der Sitzungen", "Berufsberatung"]),
             ("Jobcenter Landkreis Talbrück", ["Fallbezogene Zusammenarbeit bei unter 25-Jährigen"]),
             ("IHK Talbrück-Vogtsried", ["Ausbildungsplatzakquise"]),
             ("Berufliche Schulen Talbrück", ["Angebote der Berufsfachschule zum Übergang in Ausbildung"]),
         ],
         "chair": "Agentur für Arbeit Talbrück", "rhythm": "alle 2 Monate", "rhythm_per_year": 6,
         "term_start": "01.08.2024", "term_end": "31.07.2027", "term_years": 3,
         "notice": "6 Wochen zum Quartalsende", "notice_value": 6, "notice_unit": "Wochen"},
    ]
    for c in coops:
        st = c["style"]
        L = [DISCLAIMER, "", c["title"], ""]
        if st == "S1":
            L += ["§ 1 Partner", "", "Partner dieser Vereinbarung sind:", ""]
            L += [f"- {n}" for n, _ in c["partners"]]
            L += ["", "§ 2 Aufgaben der Partner", ""]
            for n, duties in c["partners"]:
                L.append(f"{n}: " + "; ".join(duties) + ".")
            L += ["", "§ 3 Vorsitz und Sitzungen", "", f"Vorsitz der Steuerungsgruppe: {c['chair']}. "
                  f"Die Steuerungsgruppe tagt {c['rhythm']}.", "", "§ 4 Laufzeit und Kündigung", "",
                  f"Die Vereinbarung gilt vom {c['term_start']} bis zum {c['term_end']}. Sie kann mit einer Frist "
                  f"von {c['notice']} gekündigt werden."]
        elif st == "S2":
            L += ["1. Partner"] + [f"{i}. {n}" for i, (n, _) in enumerate(c["partners"], 1)] + ["", "2. Leistungen"]
            for n, duties in c["partners"]:
                L.append(f"{n} übernimmt: " + ", ".join(duties))
            L += ["", "3. Vorsitz", f"Vorsitz: {c['chair']}", "", "4. Sitzungsrhythmus", c["rhythm"], "",
                  "5. Laufzeit", f"Beginn {c['term_start']}, Laufzeit 2 Jahre bis {c['term_end']}; die Vereinbarung "
                  f"{c['extension']}.", "", "6. Kündigung", f"Kündigungsfrist: {c['notice']}."]
        else:
            names = [n for n, _ in c["partners"]]
            L += ["§ 1 Beteiligte", "An der Kooperation beteiligen sich " + ", ".join(names[:-1]) + " und "
                  + names[-1] + ".", "", "§ 2 Beiträge"]
            for n, duties in c["partners"]:
                L.append(f"Die Beiträge von {n} umfassen " + " und ".join(duties) + ".")
            L += ["", "§ 3 Organisation", f"Den Vorsitz hat die {c['chair']} inne; das Gremium kommt {c['rhythm']} "
                  f"zusammen.", "", "§ 4 Geltungsdauer",
                  f"Die Vereinbarung tritt am {c['term_start']} in Kraft und endet am {c['term_end']}. Jeder Partner "
                  f"kann sie mit einer Frist von {c['notice']} kündigen."]
        L += ["", "Unterschriften der Partner"]
        facts = {"kind": "Kooperationsvereinbarung", "district": c["district"], "title": c["title"],
                 "partners": [{"name": n, "duties": du} for n, du in c["partners"]],
                 **{k: v for k, v in c.items() if k not in ("partners", "style", "title", "district")}}
        fname = f"{slug(c['title'])}.txt"
        docs.append((fname, "\n".join(L) + "\n", facts, st))

    # --- payment letters
    pays = [("Landkreis Auenberg", 2025, "Mittelabruf", 0.35, 0.25),
            ("Stadt Kronwasser", 2024, "Zwischennachweis", 0.70, 0.0),
            ("Landkreis Brunnental", 2025, "Mittelabruf", 0.30, 0.22)]
    for key, y, kind, f_prev, f_now in pays:
        d = D[key]
        st = d.style
        budget = agreements[(key, y)]["budget"]
        unit = 1000
        prev = int(budget * f_prev) // unit * unit
        now = int(budget * f_now) // unit * unit
        drawn = prev + now
        remaining = budget - drawn
        M = lambda n: money(n, st)
        if kind == "Mittelabruf":
            body = [f"Mittelabruf Nr. 2 zum Ausbildungs- und Qualifizierungsbudget {y}", f"Absender: {d.formal}",
                    f"Empfänger: Regierungspräsidium {d.rb}", "",
                    f"Bewilligte Mittel {y}: {M(budget)}", f"Bereits abgerufen (Abruf Nr. 1): {M(prev)}",
                    f"Mit diesem Schreiben abgerufener Betrag: {M(now)}",
                    f"Abgerufen insgesamt nach diesem Abruf: {M(drawn)}", f"Verbleibende Mittel: {M(remaining)}"]
            spent = None
        else:
            spent = drawn - 37000
            body = [f"Zwischennachweis zum Ausbildungs- und Qualifizierungsbudget {y}", f"{d.formal}",
                    f"an das Regierungspräsidium {d.rb}", "", "Stichtag: 31.12.2024", "",
                    f"Zuwendung laut Zielvereinbarung: {M(budget)}", f"Bis zum Stichtag abgerufen: {M(drawn)}",
                    f"Davon verausgabt: {M(spent)}", f"Noch nicht abgerufene Restmittel: {M(remaining)}"]
        facts = {"kind": kind, "district": key, "year": y, "budget": budget, "previously_drawn": prev if kind ==
                 "Mittelabruf" else None, "this_draw": now if kind == "Mittelabruf" else None, "drawn_total": drawn,
                 "remaining": remaining, "spent": spent}
        fname = f"{slug(kind)}-{y}-{slug(key)}.txt"
        docs.append((fname, "\n".join([DISCLAIMER, ""] + body + ["", d.head, d.head_title]) + "\n", facts, st))
    return docs


# ----------------------------------------------------------------- questions
UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
UMLAUT_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "s"})
TYPOS = {"Budget": "Budegt", "budget": "buget", "Projekte": "Projkete", "projekte": "projete", "welche": "wlche",
         "Landkreis": "Landkries", "Träger": "Traeger", "wie viel": "wieviel", "Kreise": "Kreis"}


def staffify(s: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        return s
    if r < 0.45:
        return s.lower().rstrip("?")
    if r < 0.6:
        return s.translate(UMLAUT)
    if r < 0.7:
        return s.lower().translate(UMLAUT_PLAIN).rstrip("?")
    for k, v in TYPOS.items():
        if k in s:
            return s.replace(k, v, 1)
    return s.lower()


class QB:
    def __init__(self, rng, docsplit):
        self.rng, self.docsplit, self.qs = rng, docsplit, []

    def add(self, kind, turns, numbers=(), all_of=(), none_of=(), docs=(), scope=None, abstain=False, deriv=None,
            note=None, raw=False):
        turns = list(turns) if raw else [staffify(t, self.rng) for t in turns]
        scope = list(scope if scope is not None else docs)
        split = "held-out" if any(self.docsplit[f] == "held-out" for f in scope) else "dev"
        q = {"id": f"s{len(self.qs) + 1:03d}", "turns": turns,
             "expect": {"numbers": list(numbers), "all_of": list(all_of), "none_of": list(none_of),
                        "docs": list(docs), "abstain": abstain}, "kind": kind, "split": split}
        if note:
            q["note"] = note
        self.qs.append((q, {"id": q["id"], "scope": scope, "deriv": deriv}))


def build_questions(districts, agreements, files, others, docsplit, rng):
    qb = QB(rng, docsplit)
    D = {d.key: d for d in districts}
    F = files  # (key, year) -> filename
    A = agreements

    def nm(d):  # how staff name a district in a question
        return rng.choice([d.display, d.display if d.paired else d.place,
                           ("LK " + d.place) if d.kind == "Landkreis" else d.display])

    # ---------------- single facts
    single_ds = [d for d in districts if d.key not in ("Landkreis Dornwald", "Landkreis Quellental")]
    rng.shuffle(single_ds)
    budget_tpls = ["Budget {n} {y}?", "wie viel bekommt {n} {y}", "AQB {n} {y}", "Haushaltsmittel {n} {y}",
                   "Wie hoch ist das Ausbildungs- und Qualifizierungsbudget von {n} im Jahr {y}?",
                   "{n} {y} gesamtbetrag", "fördersumme {n} {y}"]
    for i, d in enumerate(single_ds[:8]):
        y = YEARS[i % 2]
        qb.add("single", [budget_tpls[i % len(budget_tpls)].format(n=nm(d), y=y)], numbers=[A[(d.key, y)]["budget"]],
               docs=[F[(d.key, y)]], deriv={"type": "budget", "doc": F[(d.key, y)]})
    for i, d in enumerate(single_ds[12:18]):
        y = YEARS[(i + 1) % 2]
        p = rng.choice(A[(d.key, y)]["projects"])
        qb.add("single", [rng.choice(["Wer ist Träger von {p} in {n} ({y})?", "träger {p} {n} {y}",
                                      "Welcher Träger führt „{p}“ bei {n} {y} durch?"]).format(p=p["name"], n=nm(d), y=y)],
               all_of=[p["traeger"]], docs=[F[(d.key, y)]])
    for i, d in enumerate(single_ds[18:21]):
        y = 2025
        c = rng.choice(cats_present(A[(d.key, y)]["projects"]))
        names = [p["name"] for p in A[(d.key, y)]["projects"] if p["category"] == c]
        others_ = [p["name"] for p in A[(d.key, y)]["projects"] if p["category"] != c][:2]
        qb.add("single", [f"Welche Projekte fördert {nm(d)} {y} in der Maßnahmenart {c} ({CATEGORIES[c]})?"],
               all_of=names, none_of=others_, docs=[F[(d.key, y)]])
    for i, d in enumerate(single_ds[22:25]):
        y = 2024
        n = len(A[(d.key, y)]["projects"])
        qb.add("single", [f"wie viele projekte hat {nm(d)} {y}"], numbers=[n], docs=[F[(d.key, y)]],
               deriv={"type": "count_projects", "doc": F[(d.key, y)]})
    with_amt = [(d, y, p) for d in districts for y in YEARS for p in A[(d.key, y)]["projects"]
                if p["amount"] and d.key not in ("Landkreis Lindgrund",)]
    for d, y, p in rng.sample(with_amt, 3):
        qb.add("single", [f"Wie viel Geld bekommt das Projekt {p['name']} ({nm(d)}, {y})?"], numbers=[p["amount"]],
               docs=[F[(d.key, y)]], deriv={"type": "project_amount", "doc": F[(d.key, y)], "project": p["name"]})
    no_amt = [(d, y, p) for d in districts for y in YEARS for p in A[(d.key, y)]["projects"] if not p["amount"]]
    for d, y, p in rng.sample(no_amt, 2):
        qb.add("single", [f"wie viel geld bekommt {p['name']} in {nm(d)} {y}"], abstain=True,
               scope=[F[(d.key, y)]],
               note="no per-project amount in the agreement; saying so (and giving the total) is right")
    qb.add("single", ["Wie viel bekommt der Landkreis Kassel 2025?"], abstain=True, scope=[],
           note="real district, not on this fictional shelf")
    qb.add("single", ["budget stadt wiesbaden 2024"], abstain=True, scope=[])
    d = D["Landkreis Moosbühl"]
    qb.add("single", ["Budget Moosbühl 2023?"], abstain=True, scope=[F[(d.key, 2024)], F[(d.key, 2025)]],
           note="only 2024 and 2025 on the shelf")
    d = D["Sonderstatusstadt Löwenbrück"]
    qb.add("single", ["Was bekommt die Sonderstatusstadt 2025?"], numbers=[A[(d.key, 2025)]["budget"]],
           all_of=["Löwenbrück"], docs=[F[(d.key, 2025)]], deriv={"type": "budget", "doc": F[(d.key, 2025)]},
           scope=[F[(k.key, 2025)] for k in districts])
    qb.add("single", [f"Zu welchem Landkreis gehört die Stadt Löwenbrück?"], all_of=[SONDERSTATUS_HOST],
           docs=[F[(d.key, 2025)]])

    # ---------------- year-on-year
    yoy = [d for d in districts if d.key != "Landkreis Quellental"]
    rng.shuffle(yoy)
    tpl_b = ["Wie hat sich das Budget von {n} von 2024 auf 2025 verändert (absolut und in Prozent)?",
             "{n} budget 2025 vs 2024", "um wieviel prozent ist das budget von {n} gestiegen oder gesunken",
             "Veränderung AQB {n} gegenüber Vorjahr"]
    for i, d in enumerate(yoy[:10]):
        b24, b25 = A[(d.key, 2024)]["budget"], A[(d.key, 2025)]["budget"]
        qb.add("year", [tpl_b[i % len(tpl_b)].format(n=nm(d))], numbers=[abs(b25 - b24), abs(pct_change(b24, b25))],
               docs=[F[(d.key, 2024)], F[(d.key, 2025)]],
               deriv={"type": "change", "from": F[(d.key, 2024)], "to": F[(d.key, 2025)]},
               note=("gestiegen" if b25 > b24 else "gesunken") + "; numbers are the absolute change and percent")
    ch = lambda d: A[(d.key, 2025)]["changes"]
    am_keys = ("Landkreis Dornwald", "Landkreis Quellental")
    new_ds = [d for d in districts if ch(d)["new"] and d.key not in am_keys]
    for d in new_ds[:6]:
        qb.add("year", [rng.choice(["Welche Projekte sind bei {n} 2025 neu dazugekommen?", "neue projekte {n} 2025",
                                    "was ist 2025 in {n} neu im vergleich zu 2024"]).format(n=nm(d))],
               all_of=ch(d)["new"], none_of=ch(d)["dropped"], docs=[F[(d.key, 2024)], F[(d.key, 2025)]])
    drop_ds = [d for d in districts if ch(d)["dropped"] and d.key not in am_keys]
    for d in drop_ds[:5]:
        qb.add("year", [rng.choice(["Welche Projekte von {n} gibt es 2025 nicht mehr?", "weggefallene projekte {n}",
                                    "was wurde bei {n} 2025 gestrichen"]).format(n=nm(d))],
               all_of=ch(d)["dropped"], none_of=ch(d)["new"], docs=[F[(d.key, 2024)], F[(d.key, 2025)]])
    ren_ds = [d for d in districts if ch(d)["renamed"] and d.key not in am_keys]
    for d in ren_ds[:6]:
        r = ch(d)["renamed"][0]
        qb.add("year", [rng.choice(["Wurde bei {n} 2025 ein Projekt umbenannt?", "umbenennung projekt {n} 2025",
                                    "wie hieß {new} ({n}) früher?"]).format(n=nm(d), new=r["new"])],
               all_of=[r["new"], r["old"]], docs=[F[(d.key, 2025)]])
    for d in yoy[14:16]:
        b24, b25 = A[(d.key, 2024)]["budget"], A[(d.key, 2025)]["budget"]
        qb.add("year", [f"budget {nm(d)} 2024 und 2025"], numbers=[b24, b25],
               docs=[F[(d.key, 2024)], F[(d.key, 2025)]], deriv={"type": "budgets", "docs": [F[(d.key, 2024)],
                                                                                            F[(d.key, 2025)]]})
    for d in [x for x in districts if ch(x)["new"] and ch(x)["dropped"] and x.key not in am_keys][:3]:
        qb.add("year", [f"Was hat sich bei den Projekten von {nm(d)} zwischen 2024 und 2025 geändert?"],
               all_of=ch(d)["new"] + ch(d)["dropped"] + [r["new"] for r in ch(d)["renamed"]],
               docs=[F[(d.key, 2024)], F[(d.key, 2025)]])

    # ---------------- library-wide
    all25 = [F[(d.key, 2025)] for d in districts]
    all24 = [F[(d.key, 2024)] for d in districts]

    def with_tag(y, tag):
        return [d for d in districts if any(p["target_group"] == tag for p in A[(d.key, y)]["projects"])]

    for y, phr in [(2025, "Welche Kreise und Städte fördern 2025 Projekte für junge Geflüchtete?"),
                   (2024, "projekte für junge geflüchtete 2024 – welche kreise?"),
                   (2025, "Wer macht 2025 was für jugendliche mit Fluchthintergrund? Alle Kreise bitte")]:
        hit = with_tag(y, "junge Geflüchtete")
        miss = [d for d in with_tag(2024 if y == 2025 else 2025, "junge Geflüchtete") if d not in hit]
        qb.add("library", [phr], all_of=[d.answer_name for d in hit], none_of=[d.answer_name for d in miss],
               docs=[F[(d.key, y)] for d in hit],
               deriv={"type": "tag", "year": y, "tag": "junge Geflüchtete", "districts": [d.key for d in hit]})
    for y, phr in [(2025, "Welche Kreise haben 2025 ein Angebot für Alleinerziehende in Teilzeitausbildung?"),
                   (2024, "teilzeitausbildung alleinerziehende 2024 wo überall")]:
        hit = with_tag(y, "Alleinerziehende in Teilzeitausbildung")
        miss = [d for d in with_tag(2024 if y == 2025 else 2025, "Alleinerziehende in Teilzeitausbildung")
                if d not in hit]
        qb.add("library", [phr], all_of=[d.answer_name for d in hit], none_of=[d.answer_name for d in miss],
               docs=[F[(d.key, y)] for d in hit],
               deriv={"type": "tag", "year": y, "tag": "Alleinerziehende in Teilzeitausbildung",
                      "districts": [d.key for d in hit]})
    hit = with_tag(2025, "Alleinerziehende in Teilzeitausbildung")
    qb.add("library", ["Wie viele Kreise fördern 2025 Teilzeitausbildung für Alleinerziehende?"], numbers=[len(hit)],
           docs=[F[(d.key, 2025)] for d in hit], scope=all25,
           deriv={"type": "count_tag", "year": 2025, "tag": "Alleinerziehende in Teilzeitausbildung"})
    for t in SHARED_TRAEGER:
        y = rng.choice(YEARS)
        hit = [d for d in districts if any(p["traeger"] == t for p in A[(d.key, y)]["projects"])]
        qb.add("library", [rng.choice(["In welchen Kreisen ist {t} {y} Träger?", "wo ist {t} tätig ({y})",
                                       "{t} – für welche Kreise/Städte arbeitet der Träger {y}?"]).format(t=t, y=y)],
               all_of=[d.answer_name for d in hit], docs=[F[(d.key, y)] for d in hit],
               deriv={"type": "traeger", "year": y, "traeger": t, "districts": [d.key for d in hit]})
    for c, y in [(4, 2025), (2, 2024), (4, 2024), (1, 2025)]:
        hit = [d for d in districts if any(p["category"] == c for p in A[(d.key, y)]["projects"])]
        qb.add("library", [f"Wie viele Kreise haben {y} Projekte in der Maßnahmenart {c} ({CATEGORIES[c]})?"],
               numbers=[len(hit)], all_of=[d.answer_name for d in hit] if len(hit) < 12 else [],
               docs=[F[(d.key, y)] for d in hit], scope=all25 if y == 2025 else all24,
               deriv={"type": "count_cat", "year": y, "category": c})
    cities = [d for d in districts if d.kind == "Stadt"]
    gi = [d for d in districts if d.rb == "Gießen"]
    for y in YEARS:
        s = sum(A[(d.key, y)]["budget"] for d in cities)
        qb.add("library", [f"Summe der Budgets aller kreisfreien Städte {y}?"], numbers=[s],
               all_of=[d.answer_name for d in cities], docs=[F[(d.key, y)] for d in cities],
               deriv={"type": "sum", "docs": [F[(d.key, y)] for d in cities]})
    for rb in ("Darmstadt", "Gießen", "Kassel"):
        grp = [d for d in districts if d.rb == rb]
        y = 2025
        s = sum(A[(d.key, y)]["budget"] for d in grp)
        qb.add("library", [f"Wie viel AQB-Mittel gehen {y} insgesamt in den Regierungsbezirk {rb}?"], numbers=[s],
               docs=[F[(d.key, y)] for d in grp], scope=all25,
               deriv={"type": "sum", "docs": [F[(d.key, y)] for d in grp]})
        top = max(grp, key=lambda d: A[(d.key, y)]["budget"])
        qb.add("library", [f"welcher kreis im RB {rb} hat {y} das höchste budget"], numbers=[A[(top.key, y)]["budget"]],
               all_of=[top.answer_name], docs=[F[(top.key, y)]], scope=all25,
               deriv={"type": "max", "docs": [F[(d.key, y)] for d in grp], "winner": F[(top.key, y)]})
        up = [d for d in grp if A[(d.key, 2025)]["budget"] > A[(d.key, 2024)]["budget"]]
        down = [d for d in grp if d not in up]
        qb.add("library", [f"Welche Kreise im Regierungsbezirk {rb} haben 2025 weniger bekommen als 2024?"],
               all_of=[d.answer_name for d in down], none_of=[d.answer_name for d in up
                                                             ],
               docs=[F[(d.key, yy)] for d in down for yy in YEARS],
               scope=[F[(d.key, yy)] for d in grp for yy in YEARS],
               deriv={"type": "down", "districts": [d.key for d in down]})
    up = [d for d in districts if A[(d.key, 2025)]["budget"] > A[(d.key, 2024)]["budget"]]
    qb.add("library", ["Wie viele Kreise und Städte haben 2025 mehr Geld bekommen als im Vorjahr?"],
           numbers=[len(up)], docs=all24 + all25, deriv={"type": "count_up"})
    qb.add("library", ["anzahl kreise mit budgetsteigerung 2025 im RB Gießen"],
           numbers=[len([d for d in up if d.rb == "Gießen"])],
           docs=[F[(d.key, y)] for d in districts if d.rb == "Gießen" for y in YEARS], deriv={"type": "count_up_rb",
                                                                                             "rb": "Gießen"})
    rank = sorted(districts, key=lambda d: -A[(d.key, 2025)]["budget"])
    qb.add("library", ["Top 3 Budgets 2025?"], all_of=[d.answer_name for d in rank[:3]],
           numbers=[A[(d.key, 2025)]["budget"] for d in rank[:3]], docs=[F[(d.key, 2025)] for d in rank[:3]],
           scope=all25, deriv={"type": "top", "n": 3})
    qb.add("library", ["Welcher Kreis hat 2024 das kleinste Budget?"],
           all_of=[min(districts, key=lambda d: A[(d.key, 2024)]["budget"]).answer_name],
           numbers=[min(A[(d.key, 2024)]["budget"] for d in districts)], scope=all24,
           docs=[F[(min(districts, key=lambda d: A[(d.key, 2024)]["budget"]).key, 2024)]], deriv={"type": "min24"})
    tot = sum(A[(d.key, 2025)]["budget"] for d in districts)
    qb.add("library", ["gesamtsumme aller zielvereinbarungen 2025"], numbers=[tot], docs=all25,
           deriv={"type": "sum", "docs": all25})
    qb.add("library", ["Welche Kreise und Städte gehören zum Regierungsbezirk Gießen?"],
           all_of=[d.answer_name for d in gi], docs=[F[(d.key, 2025)] for d in gi], scope=all25)
    # group-restricted questions (kreisfreie Städte, Regierungsbezirk Gießen): scope is the group's documents
    for grp_name, grp in (("kreisfreien Städte", cities), ("Kreise im Regierungsbezirk Gießen", gi)):
        for y in YEARS:
            top = max(grp, key=lambda d: A[(d.key, y)]["budget"])
            qb.add("library", [f"Welche der {grp_name} hatte {y} das höchste Budget?"],
                   numbers=[A[(top.key, y)]["budget"]], all_of=[top.answer_name], docs=[F[(top.key, y)]],
                   scope=[F[(d.key, y)] for d in grp],
                   deriv={"type": "max", "docs": [F[(d.key, y)] for d in grp], "winner": F[(top.key, y)]})
        upg = [d for d in grp if A[(d.key, 2025)]["budget"] > A[(d.key, 2024)]["budget"]]
        qb.add("library", [f"Wie viele der {grp_name} haben 2025 mehr bekommen als 2024?"], numbers=[len(upg)],
               docs=[F[(d.key, y)] for d in grp for y in YEARS],
               deriv={"type": "count_up_group", "districts": [d.key for d in grp]})
        for tag, label in (("junge Geflüchtete", "junge Geflüchtete"),
                           ("Alleinerziehende in Teilzeitausbildung", "Alleinerziehende in Teilzeit")):
            hitg = [d for d in grp if any(p["target_group"] == tag for p in A[(d.key, 2025)]["projects"])]
            if hitg:
                qb.add("library", [f"Welche der {grp_name} haben 2025 ein Projekt für {label}?"],
                       all_of=[d.answer_name for d in hitg],
                       none_of=[d.answer_name for d in grp if d not in hitg][:3],
                       docs=[F[(d.key, 2025)] for d in hitg], scope=[F[(d.key, 2025)] for d in grp],
                       deriv={"type": "tag", "year": 2025, "tag": tag, "districts": None,
                              "group": [d.key for d in grp]})
    c4 = [d for d in gi if any(p["category"] == 4 for p in A[(d.key, 2025)]["projects"])]
    qb.add("library", ["wie viele kreise im rb giessen haben 2025 was in maßnahmenart 4"], numbers=[len(c4)],
           all_of=[d.answer_name for d in c4], docs=[F[(d.key, 2025)] for d in c4],
           scope=[F[(d.key, 2025)] for d in gi], deriv={"type": "count_cat_group", "year": 2025, "category": 4,
                                                       "group": [d.key for d in gi]}, raw=True)
    qb.add("library", ["Welche Kreise fördern 2025 Projekte für Senioren ab 70?"], abstain=True, scope=all25,
           note="no such projects on the shelf")
    qb.add("library", ["Summe aller Budgets 2023"], abstain=True, scope=[], note="no 2023 agreements")

    # ---------------- other kinds
    od = {f: (txt, facts, st) for f, txt, facts, st in others}
    coop = [(f, fa) for f, (t, fa, s) in od.items() if fa["kind"] == "Kooperationsvereinbarung"]
    for f, fa in coop:
        short = fa["title"].replace("Kooperationsvereinbarung ", "")
        qb.add("otherkind", [f"Wer sind die Partner der Kooperationsvereinbarung {short}?"],
               all_of=[p["name"] for p in fa["partners"]], docs=[f])
        qb.add("otherkind", [rng.choice(["wer hat den vorsitz bei {s}", "Vorsitz {s}?"]).format(s=short)],
               all_of=[fa["chair"]], docs=[f])
        qb.add("otherkind", [f"Kündigungsfrist Kooperation {short}"], numbers=[fa["notice_value"]],
               all_of=[fa["notice_unit"]], docs=[f], deriv={"type": "literal", "doc": f})
        qb.add("otherkind", [f"Bis wann läuft die {fa['title']}?"], all_of=[fa["term_end"]], docs=[f])
        p = fa["partners"][2]
        qb.add("otherkind", [f"Was sind die Aufgaben von {p['name']} in der Kooperation {short}?"],
               all_of=p["duties"], docs=[f])
        qb.add("otherkind", [f"Wie oft im Jahr tagt die Steuerungsgruppe bzw. das Gremium der {short}?"],
               numbers=[fa["rhythm_per_year"]], docs=[f], deriv={"type": "rhythm", "doc": f},
               note=f"text: '{fa['rhythm']}'")
    am = [(f, fa) for f, (t, fa, s) in od.items() if fa["kind"] == "Änderungsvereinbarung"]
    for f, fa in am:
        d = D[fa["district"]]
        if fa["how"] == "replace":
            qb.add("otherkind", [f"Was ändert die Änderungsvereinbarung für {nm(d)}?"],
                   all_of=[fa["old_project"], fa["new_project"]], docs=[f])
            qb.add("otherkind", [f"Welcher Träger macht nach der Änderung das neue Projekt in {nm(d)}?"],
                   all_of=[fa["new_traeger"]], docs=[f])
        elif fa["how"] == "shift":
            qb.add("otherkind", [f"Änderungsvereinbarung {nm(d)} 2025: welche beträge wurden umgeschichtet?"],
                   numbers=[fa["from_new"], fa["to_new"]], all_of=[fa["from_project"], fa["to_project"]], docs=[f],
                   deriv={"type": "literal", "doc": f})
            qb.add("otherkind", [f"Hat sich durch die Änderung das Gesamtbudget von {nm(d)} 2025 verändert?"],
                   numbers=[fa["budget_unchanged"]], docs=[f, F[(d.key, 2025)]],
                   deriv={"type": "budget", "doc": F[(d.key, 2025)]}, note="no; unchanged")
        else:
            qb.add("otherkind", [f"Was wurde beim Projekt {fa['project']} ({nm(d)}) geändert?"],
                   all_of=[fa["new_traeger"], fa["new_end"]], docs=[f])
            qb.add("otherkind", [f"wer ist jetzt träger von {fa['project']}?"], all_of=[fa["new_traeger"]],
                   none_of=[], docs=[f, F[(d.key, 2025)]], note=f"old Träger was {fa['old_traeger']}")
    pay = [(f, fa) for f, (t, fa, s) in od.items() if fa["kind"] in ("Mittelabruf", "Zwischennachweis")]
    for f, fa in pay:
        d = D[fa["district"]]
        qb.add("otherkind", [f"Wie viel hat {nm(d)} vom Budget {fa['year']} bisher abgerufen?"],
               numbers=[fa["drawn_total"]], docs=[f], deriv={"type": "literal", "doc": f})
        qb.add("otherkind", [f"restmittel {nm(d)} {fa['year']}"], numbers=[fa["remaining"]], docs=[f],
               deriv={"type": "literal", "doc": f})
        if fa["this_draw"]:
            qb.add("otherkind", [f"Wie hoch ist der aktuelle Mittelabruf von {nm(d)}?"], numbers=[fa["this_draw"]],
                   docs=[f], deriv={"type": "literal", "doc": f})
    qb.add("otherkind", ["Kündigungsfrist der Kooperationsvereinbarung der Stadt Steinbrügge"], abstain=True,
           scope=[], note="no such cooperation agreement")
    qb.add("otherkind", ["Mittelabruf Landkreis Nesselau 2025 – wie viel ist noch übrig?"], abstain=True, scope=[],
           note="no payment letter for Nesselau")

    # ---------------- conversations
    convs = [d for d in districts if d.key not in am_keys]
    rng.shuffle(convs)
    for d in convs[:4]:
        b24, b25 = A[(d.key, 2024)]["budget"], A[(d.key, 2025)]["budget"]
        qb.add("conversation", [f"budget {nm(d)} 2025", "und im jahr davor?", "wie viel prozent unterschied ist das?"],
               numbers=[abs(pct_change(b24, b25))], docs=[F[(d.key, 2024)], F[(d.key, 2025)]],
               deriv={"type": "pct", "from": F[(d.key, 2024)], "to": F[(d.key, 2025)]}, note="expect = last turn")
    for place in ("Falkenried", "Silberau"):
        lk, st_ = D[f"Landkreis {place}"], D[f"Stadt {place}"]
        qb.add("conversation", [f"Wie viel bekommt der Landkreis {place} 2025?", "und die Stadt?", "und 2024?"],
               numbers=[A[(st_.key, 2024)]["budget"]], all_of=[], docs=[F[(st_.key, 2024)]],
               scope=[F[(st_.key, 2024)], F[(st_.key, 2025)], F[(lk.key, 2025)]],
               deriv={"type": "budget", "doc": F[(st_.key, 2024)]}, note="expect = last turn (Stadt, 2024)")
        qb.add("conversation", [f"AQB stadt {place.lower()} 2025", "nein, ich meinte den Landkreis",
                                "wie viele projekte hat der?"], numbers=[len(A[(lk.key, 2025)]["projects"])],
               docs=[F[(lk.key, 2025)]], scope=[F[(lk.key, 2025)], F[(st_.key, 2025)]],
               deriv={"type": "count_projects", "doc": F[(lk.key, 2025)]}, raw=True)
    for i in range(3):
        a, b = convs[5 + 2 * i], convs[6 + 2 * i]
        pb = rng.choice(A[(b.key, 2025)]["projects"])
        c = pb["category"]
        qb.add("conversation", [f"welche projekte hat {nm(a)} 2025 in maßnahmenart {c}",
                                f"nein, ich meinte {nm(b)}", f"und wer ist da träger von {pb['name']}?"],
               all_of=[pb["traeger"]], docs=[F[(b.key, 2025)]], scope=[F[(a.key, 2025)], F[(b.key, 2025)]], raw=True)
    hit25 = with_tag(2025, "junge Geflüchtete")
    hit24 = with_tag(2024, "junge Geflüchtete")
    ks = [d for d in hit24 if d.rb == "Kassel"]
    qb.add("conversation", ["welche kreise fördern 2025 projekte für junge geflüchtete?", "und 2024?",
                            "welche davon liegen im RB Kassel?"], all_of=[d.answer_name for d in ks],
           none_of=[d.answer_name for d in hit24 if d.rb != "Kassel"],
           docs=[F[(d.key, 2024)] for d in ks],
           scope=[F[(d.key, 2025)] for d in hit25] + [F[(d.key, 2024)] for d in hit24], raw=True)
    for f, fa in pay:
        d = D[fa["district"]]
        qb.add("conversation", [f"{fa['kind']} {nm(d)}: wie viel wurde bisher abgerufen?", "und was bleibt übrig?",
                                "und wie hoch war das Budget insgesamt?"], numbers=[fa["budget"]],
               docs=[f, F[(d.key, fa["year"])]], deriv={"type": "literal", "doc": f}, raw=True)
    for f, fa in coop:
        short = fa["title"].replace("Kooperationsvereinbarung ", "")
        qb.add("conversation", [f"Partner der Kooperationsvereinbarung {short}?", "wer hat den vorsitz?",
                                "und wie lange ist die kündigungsfrist?"], numbers=[fa["notice_value"]],
               all_of=[fa["notice_unit"]], docs=[f], deriv={"type": "literal", "doc": f}, raw=True)
    for t in SHARED_TRAEGER[:2]:
        hit = [d for d in districts if any(p["traeger"] == t for p in A[(d.key, 2025)]["projects"])]
        d = hit[-1]
        names = [p["name"] for p in A[(d.key, 2025)]["projects"] if p["traeger"] == t]
        qb.add("conversation", [f"wo ist {t} 2025 aktiv?", f"und mit welchen projekten in {d.answer_name}?"],
               all_of=names, docs=[F[(d.key, 2025)]], scope=[F[(x.key, 2025)] for x in hit], raw=True)
    for d in convs[13:16]:
        b24, b25 = A[(d.key, 2024)]["budget"], A[(d.key, 2025)]["budget"]
        qb.add("conversation", [f"Budget {nm(d)} 2024", "nein, 2025 meinte ich", "und gegenüber dem vorjahr?"],
               numbers=[abs(b25 - b24), abs(pct_change(b24, b25))], docs=[F[(d.key, 2024)], F[(d.key, 2025)]],
               deriv={"type": "change", "from": F[(d.key, 2024)], "to": F[(d.key, 2025)]}, raw=True)
    for d in [x for x in districts if ch(x)["new"] and ch(x)["dropped"] and ch(x)["renamed"]
              and x.key not in am_keys][:3]:
        r = ch(d)["renamed"][0]
        qb.add("conversation", [f"Welche Projekte sind 2025 neu bei {nm(d)}?", "und welche sind weggefallen?",
                                "wurde auch was umbenannt?"], all_of=[r["new"], r["old"]],
               docs=[F[(d.key, 2024)], F[(d.key, 2025)]], raw=True)
    d = convs[16]
    qb.add("conversation", [f"budget {nm(d)} 2025", "und 2023?"], abstain=True,
           scope=[F[(d.key, 2024)], F[(d.key, 2025)]], raw=True, note="no 2023 agreement")
    d = convs[17]
    qb.add("conversation", [f"welche projekte hat {nm(d)} 2024?", "wie viele teilnehmende hat das erste davon?"],
           abstain=True, scope=[F[(d.key, 2024)]], raw=True, note="participant numbers are not in the agreements")
    return qb.qs


# ----------------------------------------------------------------- main
def main(outdir: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    districts, agreements = build_world(rng)
    files, docsplit, manifest_docs = {}, {}, []
    for d in districts:
        for y in YEARS:
            ag = agreements[(d.key, y)]
            fname, text = render_agreement(d, y, ag)
            (out / fname).write_text(text, encoding="utf-8")
            files[(d.key, y)] = fname
            split = "held-out" if d.style in HELD_OUT_STYLES else "dev"
            docsplit[fname] = split
            entry = {"file": fname, "kind": "Zielvereinbarung", "district": d.display, "place": d.place,
                     "district_kind": d.kind_label, "regierungsbezirk": d.rb, "year": y, "style": d.style,
                     "split": split, "budget": ag["budget"], "budget_as_written": money(ag["budget"], d.style, True),
                     "signatory": {"name": d.head, "title": d.head_title},
                     "projects": [{"name": p["name"], "category": p["category"],
                                   "category_label": CATEGORIES[p["category"]], "traeger": p["traeger"],
                                   "amount": p["amount"], "renamed_from": p.get("renamed_from"),
                                   "target_group": p["target_group"], "target_phrase": p["target_phrase"]}
                                  for p in ag["projects"]]}
            if d.kind == "Sonderstatusstadt":
                entry["host_landkreis"] = f"Landkreis {SONDERSTATUS_HOST}"
            if y == 2025:
                entry["changes_vs_2024"] = ag["changes"]
                entry["budget_change"] = ag["budget"] - agreements[(d.key, 2024)]["budget"]
                entry["budget_change_pct"] = pct_change(agreements[(d.key, 2024)]["budget"], ag["budget"])
            manifest_docs.append(entry)
    others = build_others(districts, agreements, rng)
    for fname, text, facts, st in others:
        (out / fname).write_text(text, encoding="utf-8")
        split = "held-out" if st in HELD_OUT_STYLES else "dev"
        docsplit[fname] = split
        manifest_docs.append({"file": fname, "style": st, "split": split, **facts})
    qs = build_questions(districts, agreements, files, others, docsplit, rng)
    with open(out / "questions.jsonl", "w", encoding="utf-8") as fh:
        for q, _ in qs:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    manifest = {
        "note": DISCLAIMER,
        "seed": SEED,
        "styles": STYLES,
        "held_out_styles": HELD_OUT_STYLES,
        "categories": {str(k): v for k, v in CATEGORIES.items()},
        "districts": [{"name": d.display, "place": d.place, "kind": d.kind_label, "regierungsbezirk": d.rb,
                       "style": d.style, "split": "held-out" if d.style in HELD_OUT_STYLES else "dev"}
                      for d in districts],
        "shared_traeger": SHARED_TRAEGER,
        "split": {"documents": docsplit, "questions": {q["id"]: q["split"] for q, _ in qs}},
        "documents": manifest_docs,
        "question_checks": [c for _, c in qs],
    }
    (out / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Aufruf: python generate.py OUTDIR")
    main(sys.argv[1])
