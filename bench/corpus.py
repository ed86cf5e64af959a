"""A benchmark corpus in the real template: the Gießen 2025 text with a fictional district, year,
budget, signer and one district project put in. As in real rounds, most paragraphs are the same
boilerplate in every agreement. Every figure here is invented; every district is a made-up
"Landkreis Muster…" (Musterau, Musterbach, …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "samples" / "zielvereinbarung-2025-landkreis-giessen.txt"
SUFFIXES = ["au", "bach", "berg", "born", "brück", "dorf", "feld", "furt", "hagen", "hain", "hausen", "heim", "hofen",
            "ingen", "kirchen", "lingen", "roda", "rode", "see", "stedt", "stein", "tal", "wald", "walde", "weiler", "wiesen"]
PREFIXES = ["Muster", "Beispiel", "Probe", "Vorlage", "Modell", "Schablone", "Entwurf", "Platzhalter", "Erfunden", "Fiktiv"]
DISTRICTS = len(SUFFIXES)  # 26, as in Hesse
YEARS = 20
ABSENT = "Vogelsbergkreis"  # a real district that the benchmark corpus never holds: the answer must abstain


@dataclass
class BenchAgreement:
    index: int  # district number from 1: 1–26 "Muster…", 27–52 "Beispiel…", …
    year: int
    budget: int

    @property
    def place(self) -> str:
        return PREFIXES[(self.index - 1) // DISTRICTS] + SUFFIXES[(self.index - 1) % DISTRICTS]

    @property
    def district(self) -> str:
        return f"Landkreis {self.place}"

    @property
    def file(self) -> str:
        return f"zv-{self.year}-landkreis-{self.place.lower()}.txt"

    @property
    def project(self) -> str:
        return f"Wegbereiter {self.place}"

    def text(self) -> str:
        text = TEMPLATE.read_text(encoding="utf-8")
        text = text.replace("- Wegbereiter\n", f"- {self.project}\n")
        text = text.replace("Gießen", self.place).replace("2025", str(self.year))
        text = text.replace("1.516.560 Euro", f"{self.budget:,} Euro".replace(",", "."))
        return text.replace("Anita Schneider", "Erika Mustermann").replace("Heike Hofmann", "Dr. Max Beispiel")


def agreements(count: int, seed: int = 7) -> list[BenchAgreement]:
    """`count` agreements: 26 districts over up to 20 years (2025, 2024, …); beyond 520, more
    districts of 20 years each (5,200 = 260 districts × 20 years)."""
    rng = random.Random(seed)
    districts = max(DISTRICTS, -(-count // YEARS))
    if districts > DISTRICTS * len(PREFIXES):
        raise ValueError(f"at most {DISTRICTS * len(PREFIXES) * YEARS} agreements")
    return [BenchAgreement(i % districts + 1, 2025 - i // districts, rng.randrange(600_000, 3_000_000))
            for i in range(count)]


def write(corpus: list[BenchAgreement], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for agreement in corpus:
        (folder / agreement.file).write_text(agreement.text(), encoding="utf-8")
    return folder


def questions(corpus: list[BenchAgreement], count: int, seed: int = 11) -> list[dict]:
    """Questions in the eval format about randomly chosen agreements, `count` of each kind, plus
    abstentions. Kinds: structured (amount, projects, signatures) and free text."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        a = rng.choice(corpus)
        doc = [a.file]
        items += [
            {"kind": "structured", "turns": [f"Wie viel Geld bekommt der {a.district} {a.year}?"],
             "expect": {"numbers": [a.budget], "docs": doc}},
            {"kind": "structured", "turns": [f"Welche Projekte finanziert der {a.district} {a.year}?"],
             "expect": {"all_of": [a.project, "Ausbildungscamp", "Jobagent"], "docs": doc}},
            {"kind": "structured", "turns": [f"Wer hat die Zielvereinbarung {a.year} des Landkreises {a.place} unterschrieben?"],
             "expect": {"all_of": ["Erika Mustermann"], "docs": doc}},
            {"kind": "free text", "turns": [f"Woran beteiligt sich der {a.district} {a.year} im kontinuierlichen Verbesserungsprozess?"],
             "expect": {"all_of": ["Umfragen"], "docs": doc}},
            {"kind": "free text", "turns": [f"Wofür werden im {a.district} {a.year} spezifisch Mittel bereitgestellt?"],
             "expect": {"all_of": ["Teilzeitausbildung"], "docs": doc}},
        ]
        if n % 4 == 0:
            items.append({"kind": "abstention", "turns": [f"Wie viel Geld bekommt der {ABSENT} {a.year}?"],
                          "expect": {"abstain": True}})
    for number, item in enumerate(items, start=1):
        item["id"] = f"b{number:03d}"
    return items
