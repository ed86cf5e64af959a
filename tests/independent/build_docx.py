import os
import json
from docx import Document
from docx.shared import Pt, Cm
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.enum.table import WD_TABLE_ALIGNMENT
from common import *

OUT = os.path.join(os.environ["LAYOUT_OUT"], "")
EXP = []


def centered(doc, text, style=None, bold=False, size=None):
    p = doc.add_paragraph(style=style)
    r = p.add_run(text)
    r.bold = bold
    if size:
        r.font.size = Pt(size)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


# ---------------------------------------------------------------- DOCX 1
def docx_musterstadt():
    fn = "zielvereinbarung-2025-landkreis-musterstadt.docx"
    year = 2025
    cats = {
        CAT_VOR: ["Berufswegekompass Musterstadt", "Praxisklasse Plus"],
        CAT_AUS: ["Teilzeitausbildung Musterstadt 2025", "Ausbildungslotsen"],
        CAT_QUA: ["Neustart Pflegehelfer/in", "Werkstatt Zukunft",
                  "Sprache & Beruf – Qualifizierung für Zugewanderte"],
        CAT_WEI: ["Fachtag Traumasensible Beratung"],
    }
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "14.07.2025"},
        {"name": "Bernd Kleinschmidt", "role": "Landrat", "place": "Musterstadt", "date": "28.07.2025"},
    ]
    budget = 1234567
    d = Document()
    st = d.styles["Normal"]
    st.font.name = "Arial"
    st.font.size = Pt(11)

    centered(d, "Zielvereinbarung", style="Title")
    centered(d, str(year), bold=True, size=16)
    centered(d, "zwischen")
    centered(d, MIN_NEW_DAT + " (HMSI)", bold=True)
    centered(d, "und")
    centered(d, "dem Landkreis Musterstadt", bold=True)
    centered(d, "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets (AQB)")

    def sec(num, title):
        # "§ n" alone on a line, title on the next paragraph
        h = d.add_heading(f"§ {num}", level=2)
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        t = d.add_heading(title, level=3)
        t.alignment = WD_ALIGN_PARAGRAPH.CENTER

    d.add_heading("Präambel", level=2).alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(
        "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure in eine gemeinsame Strategie ein. "
        "Das HMSI eröffnet dazu regionale Handlungs- und Entscheidungsspielräume und vereinbart Ziele mit "
        "den Kreisen und kreisfreien Städten. Grundlage sind die landespolitischen Zielsetzungen, das "
        "„Bündnis für Ausbildung“ sowie die regionale Arbeitsmarkt- und Ausbildungsstrategie des "
        "Landkreises Musterstadt.")

    sec(1, "Ausbildungs- und Qualifizierungsbudget – Ziele des Landes")
    for p in ziele_des_landes(year):
        d.add_paragraph(p)
    sec(2, "Verpflichtungen der Vereinbarungspartner")
    for p in verpflichtungen("der Landkreis Musterstadt", "des Landkreises Musterstadt", "Das HMSI", "§ 5"):
        d.add_paragraph(p)
    sec(3, "Umsetzung der UN-Behindertenrechtskonvention")
    for p in unbrk():
        d.add_paragraph(p)
    sec(4, "Haushaltsmittel und Eckdaten")
    d.add_paragraph(f"Das HMSI stellt dem Landkreis Musterstadt im Jahr {year} Haushaltsmittel in Höhe von insgesamt")
    centered(d, "1.234.567,00 €", bold=True)
    d.add_paragraph(f"aus dem Ausbildungs- und Qualifizierungsbudget {year} zur Verfügung. "
                    "Eine Übertragung nicht verausgabter Mittel in das Folgejahr ist ausgeschlossen.")
    sec(5, "Ziele für die Umsetzung des Landkreises Musterstadt")
    d.add_paragraph(f"Der Landkreis Musterstadt finanziert mit den Mitteln des Ausbildungs- und "
                    f"Qualifizierungsbudgets {year} in den jeweiligen Maßnahmenarten folgende Projekte:")
    for cat, projs in cats.items():
        d.add_paragraph(cat, style="List Number")
        for pr in projs:
            d.add_paragraph(pr, style="List Bullet 2")
    d.add_paragraph("Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach "
                    "Antragstellung durch den Landkreis Musterstadt vom Regierungspräsidium Kassel "
                    "erlassenen – Bescheides.")
    sec(6, "Zielsteuerung")
    d.add_paragraph(f"Der Landkreis Musterstadt und das HMSI bleiben über die Entwicklung des Budgets {year} "
                    "im engen Austausch. Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt. "
                    "Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln werden bei der "
                    "Beurteilung der Zielerreichung berücksichtigt.")
    sec(7, "Kontinuierlicher Verbesserungsprozess")
    d.add_paragraph("Der Landkreis Musterstadt beteiligt sich an Umfragen und Tagungen des HMSI. "
                    "Die Zielvereinbarungen werden auf dem Internetportal „Arbeitswelt Hessen“ veröffentlicht.")

    d.add_paragraph()
    # signature blocks in a real (borderless) two-column Word table
    t = d.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left = [f"{signers[0]['place']}, den {signers[0]['date']}", "", "", "____________________________",
            signers[0]["name"], signers[0]["role"], "Hessisches Ministerium für Arbeit,",
            "Integration, Jugend und Soziales"]
    right = [f"{signers[1]['place']}, den {signers[1]['date']}", "", "", "____________________________",
             signers[1]["name"], signers[1]["role"], "des Landkreises Musterstadt"]
    for cell, lines in zip(t.rows[0].cells, (left, right)):
        cell.paragraphs[0].text = lines[0]
        for ln in lines[1:]:
            cell.add_paragraph(ln)
    d.save(OUT + fn)
    EXP.append({"file": fn, "kind": "agreement", "district": "Landkreis Musterstadt", "year": year,
                "budget": budget, "categories": cats, "project_amounts": {}, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- DOCX 2
def docx_beispielhausen():
    fn = "zielvereinbarung-2025-stadt-beispielhausen.docx"
    year = 2025
    rows = [
        ("a)", CAT_VOR, [("Startklar Beispielhausen", 142000), ("Berufsparcours Innenstadt", 58654)]),
        ("b)", CAT_AUS, [("Teilzeitausbildung TABEA", 186000)]),
        ("c)", CAT_QUA, [("Kompetenzwerkstatt Logistik", 231000), ("Frauen in MINT – Neustart", 164000),
                         ("Brückenjahr für Geflüchtete", 176000)]),
        ("d)", CAT_WEI_SHORT, [("Qualifizierungsreihe Fallmanagement", 30000)]),
    ]
    budget = 987654
    assert sum(a for _, _, ps in rows for _, a in ps) == budget
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "3. Juni 2025"},
        {"name": "Claudia Brenner-Wolf", "role": "Oberbürgermeisterin", "place": "Beispielhausen", "date": "19. Juni 2025"},
    ]
    d = Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    hdr = d.sections[0].header.paragraphs[0]
    hdr.text = "Stadt Beispielhausen · Amt für Arbeit und Soziales · Az. 50.2-AQB/2025"
    hdr.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    d.add_heading(f"Zielvereinbarung {year} zum Ausbildungs- und Qualifizierungsbudget", level=1)
    d.add_paragraph("Vereinbarungspartner:")
    d.add_paragraph(MIN_NEW + ", Sonnenberger Straße 2, 65193 Wiesbaden – nachfolgend „HMSI“ –", style="List Bullet")
    d.add_paragraph("Stadt Beispielhausen, vertreten durch den Magistrat, Rathausplatz 1, 35999 Beispielhausen "
                    "– nachfolgend „Stadt“ –", style="List Bullet")

    d.add_heading("§1 – Ziele des Landes", level=2)
    for p in ziele_des_landes(year):
        d.add_paragraph(p)
    d.add_heading("§2 – Verpflichtungen", level=2)
    for p in verpflichtungen("die Stadt Beispielhausen", "der Stadt Beispielhausen", "Das HMSI", "§5"):
        d.add_paragraph(p)
    d.add_heading("§3 – Inklusion", level=2)
    for p in unbrk():
        d.add_paragraph(p)
    d.add_heading("§4 – Budget", level=2)
    d.add_paragraph(f"Für das Haushaltsjahr {year} stellt das HMSI der Stadt Beispielhausen Landesmittel "
                    f"aus dem Ausbildungs- und Qualifizierungsbudget in Höhe von EUR 987.654 zur Verfügung. "
                    "Die Mittel werden durch das Regierungspräsidium Kassel bewilligt.")
    d.add_heading("§5 – Maßnahmen und Projekte", level=2)
    d.add_paragraph("Die Stadt setzt die Mittel in den folgenden Maßnahmenarten für die genannten Projekte ein:")
    nrows = 1 + sum(len(ps) for _, _, ps in rows) + 1
    t = d.add_table(rows=nrows, cols=3)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ("Maßnahmenart", "Projekt", "Fördersumme")):
        c.text = ""
        c.paragraphs[0].add_run(h).bold = True
    r = 1
    cats = {}
    amounts = {}
    for mark, cat, ps in rows:
        first = r
        cats[cat] = [p for p, _ in ps]
        for name, amt in ps:
            t.cell(r, 1).text = name
            t.cell(r, 2).text = f"{de_int(amt)} €"
            t.cell(r, 2).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            amounts[name] = amt
            r += 1
        mc = t.cell(first, 0).merge(t.cell(r - 1, 0)) if r - 1 > first else t.cell(first, 0)
        mc.text = f"{mark} {cat}"
    g = t.cell(r, 0).merge(t.cell(r, 1))
    g.text = ""
    g.paragraphs[0].add_run("Gesamt").bold = True
    t.cell(r, 2).text = ""
    t.cell(r, 2).paragraphs[0].add_run(f"{de_int(budget)} €").bold = True
    t.cell(r, 2).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in t.rows:
        row.cells[0].width = Cm(6.5)
        row.cells[1].width = Cm(6.5)
        row.cells[2].width = Cm(3)

    d.add_heading("§6 – Berichtswesen und Zielsteuerung", level=2)
    d.add_paragraph("Die Stadt verpflichtet sich,")
    for p in ["dem HMSI bis zum 31. März 2026 einen Sachbericht über die Umsetzung vorzulegen,",
              "an der Umsetzungsbesprechung im Herbst 2025 teilzunehmen,",
              "wesentliche Abweichungen von der Projektplanung unverzüglich mitzuteilen."]:
        d.add_paragraph(p, style="List Number")
    d.add_heading("§7 – Veröffentlichung", level=2)
    d.add_paragraph("Die Zielvereinbarung wird auf dem Internetportal „Arbeitswelt Hessen“ veröffentlicht.")

    d.add_paragraph()
    d.add_paragraph(f"{signers[0]['place']}, {signers[0]['date']}")
    d.add_paragraph("\n\n")
    d.add_paragraph(f"{signers[0]['name']}\n{signers[0]['role']}\n{MIN_NEW}")
    d.add_paragraph()
    d.add_paragraph(f"{signers[1]['place']}, {signers[1]['date']}")
    d.add_paragraph("\n\n")
    d.add_paragraph(f"{signers[1]['name']}\n{signers[1]['role']}\nder Stadt Beispielhausen")
    d.save(OUT + fn)
    EXP.append({"file": fn, "kind": "agreement", "district": "Stadt Beispielhausen", "year": year,
                "budget": budget, "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


docx_musterstadt()
docx_beispielhausen()
json.dump(EXP, open(os.path.join(os.environ["LAYOUT_OUT"], "..", "exp_docx.json"), "w"), ensure_ascii=False, indent=1)
