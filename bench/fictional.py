"""Fictional agreements in the real template, for tests and benchmarks: invented districts and figures.

Nothing here is a real figure. Districts are made up ("Landkreis Musterstadt", "Stadt Musterburg", …).
Layouts vary the way real files vary: amount formats, bullets, § title on the same line, per-project
amounts, page breaks inside paragraphs, amendments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

CATEGORIES = [
    "Ausbildungsvorbereitung",
    "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
    "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
    "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen "
    "Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
]


def euro(value: int, style: str) -> str:
    dotted = f"{value:,}".replace(",", ".")
    return {"plain": f"{dotted} Euro", "cents": f"{dotted},00 €", "eur": f"EUR {dotted}"}[style]


@dataclass
class Agreement:
    district: str  # "Landkreis Musterstadt"
    year: int
    budget: int
    projects: dict[int, list[tuple[str, int | None]]]  # category number -> [(name, amount or None)]
    place: str = "Musterstadt"
    signer: str = "Erika Mustermann"
    signer_role: str = "Landrätin"
    amount_style: str = "plain"  # plain | cents | eur
    bullet: str = "-"
    title_inline: bool = False  # "§ 4 Haushaltsmittel und Eckdaten" on one line
    authority: str = "Regierungspräsidium Darmstadt"
    extra: dict[str, str] = field(default_factory=dict)  # additional paragraphs by section number

    @property
    def article(self) -> str:
        return "der" if self.district.split()[0].endswith("stadt") or self.district.startswith("Stadt") else "dem"

    @property
    def genitive(self) -> str:
        first, _, rest = self.district.partition(" ")
        if first == "Landkreis":
            return f"des Landkreises {rest}"
        if first == "Stadt":
            return f"der Stadt {rest}"
        return f"des {self.district}"

    def paragraphs(self) -> list[str]:
        d, y = self.district, self.year
        out = [
            "Zielvereinbarung", str(y), "zwischen",
            "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales",
            f"und {self.article} {d}",
            "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets",
            "Präambel",
            "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine gemeinsame, "
            "auf die Zukunftsanforderungen fokussierte Strategie ein. Die Maßnahmen sind grundsätzlich "
            "genderadäquat, ohne Altersbegrenzungen und inklusiv angelegt.",
        ]
        out += self._section(1, "Ausbildungs- und Qualifizierungsbudget", [
            f"Das HMSI verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {y} das Ziel, die "
            "Ausbildungsfähigkeit von benachteiligten Menschen zu steigern und ihre Beschäftigungsfähigkeit zu sichern.",
            "Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen vollqualifizierenden "
            "Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für Maßnahmen zur Ermöglichung von "
            "Teilzeitausbildungen bereitgestellt.",
        ])
        out += self._section(2, "Verpflichtungen der Vereinbarungspartner", [
            f"Das Hessische Ministerium für Arbeit, Integration, Jugend und Soziales und {self.article} {d} setzen die "
            "ihnen zur Verfügung stehenden Kompetenzen dafür ein, dass die in § 5 vereinbarten Ziele erreicht werden.",
        ])
        out += self._section(3, "Umsetzung der UN-Behindertenrechtskonvention", [
            "Die Integration in das Erwerbsleben stellt eine der vordringlichsten Maßnahmen zur Förderung der "
            "Teilhabe von Menschen mit Behinderungen dar.",
        ])
        out += self._section(4, "Haushaltsmittel und Eckdaten", [
            f"Das HMSI stellt {self.article} {d} im Jahr {y} Haushaltsmittel in Höhe von insgesamt",
            euro(self.budget, self.amount_style),
            f"aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung.",
        ])
        items = [
            f"{d} finanziert mit den Mitteln des Ausbildungs- und Qualifizierungsbudgets {y} in den jeweiligen "
            "Maßnahmenarten folgende Projekte:"
        ]
        for number, projects in sorted(self.projects.items()):
            items.append(f"{number}. {CATEGORIES[number - 1]}")
            for name, amount in projects:
                items.append(f"{self.bullet} {name}" + (f": {euro(amount, self.amount_style)}" if amount else ""))
        items.append(
            f"Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach Antragstellung "
            f"durch {'die' if self.article == 'der' else 'den'} {d} vom {self.authority} erlassenen – Bescheides."
        )
        out += self._section(5, f"Ziele für die Umsetzung {self.genitive}", items)
        out += self._section(6, "Zielsteuerung", [
            f"{d} und das HMSI bleiben über die Entwicklung des Budgets {y} im engen Austausch. Dazu wird unter "
            "anderem eine Umsetzungsbesprechung im Herbst angesetzt.",
        ])
        out += self._section(7, "Kontinuierlicher Verbesserungsprozess", [
            f"{d} beteiligt sich an Umfragen und Tagungen des HMSI mit dem Ziel, Erfahrungen auszutauschen.",
        ])
        out += [
            f"Wiesbaden, den 3.7.{y}", "Dr. Max Beispiel", "Staatsminister", "Hessisches Ministerium",
            "für Arbeit, Integration,", "Jugend und Soziales",
            f"{self.place}, den 14.07.{y}", self.signer, self.signer_role, self.genitive.split(" ", 1)[1],
        ]
        return out

    def _section(self, number: int, title: str, paragraphs: list[str]) -> list[str]:
        head = [f"§ {number} {title}"] if self.title_inline else [f"§ {number}", title]
        extra = [self.extra[str(number)]] if str(number) in self.extra else []
        return head + paragraphs + extra

    def text(self) -> str:
        return "\n\n".join(self.paragraphs()) + "\n"


@dataclass
class Amendment:
    district: str
    year: int
    new_budget: int
    article: str = "dem"
    amount_style: str = "plain"

    def text(self) -> str:
        y, d = self.year, self.district
        return "\n\n".join([
            "Änderungsvereinbarung", f"zur Zielvereinbarung {y}", "zwischen",
            "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales",
            f"und {self.article} {d}", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets",
            "§ 1", "Änderung der Haushaltsmittel",
            f"§ 4 der Zielvereinbarung {y} erhält folgende Fassung: Das HMSI stellt {self.article} {d} im Jahr {y} "
            f"Haushaltsmittel in Höhe von insgesamt {euro(self.new_budget, self.amount_style)} aus dem Ausbildungs- und "
            f"Qualifizierungsbudget {y} zur Verfügung.",
            "§ 2", "Inkrafttreten",
            "Im Übrigen gilt die Zielvereinbarung unverändert fort.",
            f"Wiesbaden, den 1.10.{y}", "Dr. Max Beispiel", "Staatsminister",
        ]) + "\n"


def write_txt(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_pdf(text: str, path: Path, break_before: tuple[str, ...] = ("§ 5",)) -> Path:
    """A real PDF of the text: a Unicode font, paragraphs with space between them, page breaks."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for paragraph in text.strip().split("\n\n"):
        if paragraph.startswith(break_before):
            pdf.add_page()
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def musterstadt(year: int = 2025, budget: int = 1_234_567, **kw) -> Agreement:
    return Agreement(
        district="Landkreis Musterstadt", year=year, budget=budget, place="Musterstadt",
        projects={
            1: [("Berufsstart Plus", None), ("Ausbildungslotsen Süd", None)],
            2: [("Teilzeitausbildung Kompakt", None)],
            3: [("Jobbrücke", None), ("Neustart Ökologie – Qualifizierung für Frauen", None), ("Werkstatt Zukunft", None)],
            4: [("Fachtag Übergänge", None)],
        },
        **kw,
    )


def beispielhausen(year: int = 2025, budget: int = 2_050_000, **kw) -> Agreement:
    return Agreement(
        district="Stadt Beispielhausen", year=year, budget=budget, place="Beispielhausen",
        signer="Hans Beispiel", signer_role="Oberbürgermeister", amount_style="cents", bullet="•",
        title_inline=True, authority="Regierungspräsidium Kassel",
        projects={
            1: [("Jobbrücke", 150_000), ("Startklar", 95_500)],
            3: [("Sprungbrett Pflege", 420_000), ("Digital Fit", 180_250)],
        },
        **kw,
    )


def musterburg_pair(year: int = 2025) -> tuple[Agreement, Agreement]:
    """A city and a district of the same name, as with Kassel and Offenbach."""
    city = Agreement(
        district="Stadt Musterburg", year=year, budget=987_000, place="Musterburg", signer="Olga Ort",
        signer_role="Oberbürgermeisterin", amount_style="eur",
        projects={3: [("Brückenbau Beruf", None)]},
    )
    county = Agreement(
        district="Landkreis Musterburg", year=year, budget=1_111_000, place="Musterburg-Land",
        signer="Karl Kreis", signer_role="Landrat", projects={1: [("Kompass", None)]},
    )
    return city, county
