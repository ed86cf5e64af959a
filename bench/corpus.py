"""A benchmark corpus of fictional agreements in several layouts and formats.

Layouts: the real template (the Gießen 2025 text with a fictional district, year, budget, signer and
one district project put in) and the generated layouts of `bench.fictional` (amounts as "1.234 Euro",
"1.234,00 €" or "EUR 1.234", bullets, § titles on their own line or inline). Formats: TXT, Markdown
and PDF. As in real rounds, most paragraphs are the same boilerplate in every agreement of a layout.
Every figure here is invented; every district is a made-up "Landkreis Muster…" (Musterau, Musterbach, …).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "samples" / "zielvereinbarung-2025-landkreis-giessen.txt"
SUFFIXES = ["au", "bach", "berg", "born", "brück", "dorf", "feld", "furt", "hagen", "hain", "hausen", "heim", "hofen",
            "ingen", "kirchen", "lingen", "roda", "rode", "see", "stedt", "stein", "tal", "wald", "walde", "weiler", "wiesen"]
PREFIXES = ["Muster", "Beispiel", "Probe", "Vorlage", "Modell", "Schablone", "Entwurf", "Platzhalter", "Erfunden", "Fiktiv"]
DISTRICTS = len(SUFFIXES)  # 26, as in Hesse
YEARS = 20
ABSENT = "Vogelsbergkreis"  # a real district that the benchmark corpus never holds: the answer must abstain


LAYOUTS = ["template", "plain", "cents", "eur"]  # the real template, then bench.fictional's amount styles
FORMATS = ["txt", "pdf", "md"]


@dataclass
class BenchAgreement:
    index: int  # district number from 1: 1–26 "Muster…", 27–52 "Beispiel…", …
    year: int
    budget: int
    layout: str = "template"
    format: str = "txt"

    @property
    def place(self) -> str:
        return PREFIXES[(self.index - 1) // DISTRICTS] + SUFFIXES[(self.index - 1) % DISTRICTS]

    @property
    def district(self) -> str:
        return f"Landkreis {self.place}"

    @property
    def file(self) -> str:
        return f"zv-{self.year}-landkreis-{self.place.lower()}.{self.format}"

    @property
    def project(self) -> str:
        return f"Wegbereiter {self.place}"

    def text(self) -> str:
        if self.layout != "template":
            return self._generated().text()
        text = TEMPLATE.read_text(encoding="utf-8")
        text = text.replace("- Wegbereiter\n", f"- {self.project}\n")
        text = text.replace("Gießen", self.place).replace("2025", str(self.year))
        text = text.replace("1.516.560 Euro", f"{self.budget:,} Euro".replace(",", "."))
        return text.replace("Anita Schneider", "Erika Mustermann").replace("Heike Hofmann", "Dr. Max Beispiel")


    def _generated(self):
        from bench.fictional import Agreement

        return Agreement(
            district=self.district, year=self.year, budget=self.budget, place=self.place,
            amount_style=self.layout, bullet=["-", "•", "–"][self.index % 3], title_inline=self.index % 2 == 0,
            authority="Regierungspräsidium Gießen" if self.index % 2 else "Regierungspräsidium Kassel",
            projects={1: [(self.project, None), ("Ausbildungscamp", None)], 2: [("Jobagent", None)],
                      3: [(f"Qualifizierung {self.place}", None)]},
        )


def agreements(count: int, seed: int = 7, varied: bool = True) -> list[BenchAgreement]:
    """`count` agreements: 26 districts over up to 20 years (2025, 2024, …); beyond 520, more
    districts of 20 years each (5,200 = 260 districts × 20 years). `varied`: layouts and formats
    taken in turn (a quarter in the real template; a third PDF); else all in the template as TXT."""
    rng = random.Random(seed)
    districts = max(DISTRICTS, -(-count // YEARS))
    if districts > DISTRICTS * len(PREFIXES):
        raise ValueError(f"at most {DISTRICTS * len(PREFIXES) * YEARS} agreements")
    out = []
    for i in range(count):
        layout = LAYOUTS[i % len(LAYOUTS)] if varied else "template"
        fmt = FORMATS[(i // len(LAYOUTS)) % len(FORMATS)] if varied else "txt"
        out.append(BenchAgreement(i % districts + 1, 2025 - i // districts, rng.randrange(600_000, 3_000_000), layout, fmt))
    return out


def write(corpus: list[BenchAgreement], folder: Path) -> Path:
    from bench.fictional import write_pdf

    folder.mkdir(parents=True, exist_ok=True)
    for agreement in corpus:
        if agreement.format == "pdf":
            write_pdf(agreement.text(), folder / agreement.file)
        else:
            (folder / agreement.file).write_text(agreement.text(), encoding="utf-8")
    return folder


def read_text(path: Path) -> str:
    """A file's text as a naive pipeline reads it: a PDF page by page with pypdf, other files as UTF-8."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


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


_VERBS = ["fördert", "unterstützt", "stärkt", "begleitet", "sichert", "verbessert", "ermöglicht", "umfasst"]
_LINKS = ["im Rahmen der", "zusammen mit der", "auf Grundlage der", "zur Umsetzung der", "unter Beteiligung der"]


def long_agreement_text(megabytes: float, seed: int = 5, distinct: int = 200) -> str:
    """One agreement (the template, fictional district "Landkreis Musterau") followed by an annex of German-like
    paragraphs until the text is `megabytes` MiB long: sentences built from the template's nouns, `distinct`
    different paragraphs repeated (so embedding stays cheap while the store holds a chunk for each)."""
    rng = random.Random(seed)
    head = BenchAgreement(1, 2025, 1_234_000).text()
    nouns = sorted({w for w in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{4,}\b", head)})
    pool = []
    for _ in range(distinct):
        sentences = [f"Die {rng.choice(nouns)} {rng.choice(_VERBS)} {rng.choice(_LINKS)} {rng.choice(nouns)} "
                     f"die {rng.choice(nouns)} und die {rng.choice(nouns)} der {rng.choice(nouns)}."
                     for _ in range(rng.randint(3, 6))]
        pool.append(" ".join(sentences))
    parts, size, target = [head, "Anlage"], len(head.encode("utf-8")), int(megabytes * 1024 * 1024)
    while size < target:
        paragraph = rng.choice(pool)
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"
