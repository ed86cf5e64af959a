import os
import json
from fpdf import FPDF
from fpdf.fonts import FontFace
from common import *

OUT = os.path.join(os.environ["LAYOUT_OUT"], "")
FONT = "/usr/share/fonts/truetype/dejavu/"
EXP = []


class Doc(FPDF):
    header_text = ""

    def header(self):
        if self.header_text and self.page_no() > 1:
            self.set_font("DV", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, self.header_text, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(3)

    def footer(self):
        self.set_y(-15)
        self.set_font("DV", "", 8)
        self.cell(0, 8, f"Seite {self.page_no()} von {{nb}}", align="C")


def new_doc(serif=False, header_text=""):
    pdf = Doc(format="A4")
    pdf.header_text = header_text
    base = "DejaVuSerif" if serif else "DejaVuSans"
    pdf.add_font("DV", "", FONT + base + ".ttf")
    pdf.add_font("DV", "B", FONT + base + "-Bold.ttf")
    pdf.add_font("DV", "I", FONT + (base + "-Italic.ttf" if serif else base + "-Oblique.ttf"))
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, 22)
    pdf.add_page()
    return pdf


def para(pdf, text, size=10.5, style="", align="J", h=5.2, after=2.5):
    pdf.set_font("DV", style, size)
    pdf.multi_cell(0, h, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)


def heading(pdf, text, size=11.5):
    if pdf.get_y() > 245:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DV", "B", size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


# ---------------------------------------------------------------- PDF 1: drawn table with Summe row
def pdf_wetterau():
    fn = "zielvereinbarung-2025-wetterau-nord-kreis.pdf"
    year = 2025
    dist = "Wetterau-Nord-Kreis"
    rows = [
        ("I.", CAT_VOR, [("Kompass Schule–Beruf", 120000), ("Werkstatttage Nord", 65000)]),
        ("II.", CAT_AUS, [("Ausbildungscoaching Handwerk", 210000)]),
        ("III.", CAT_QUA, [("Job-Brücke 50plus", 180000), ("Pflege.Start", 155000),
                           ("Alltagshelfer*innen im ländlichen Raum", 115000)]),
    ]
    budget = 845000
    assert sum(a for _, _, ps in rows for _, a in ps) == budget
    signers = [
        {"name": "Markus Rehberger", "role": "Staatssekretär", "place": "Wiesbaden", "date": "22.05.2025"},
        {"name": "Sabine Auerbach", "role": "Landrätin", "place": "Nordheim", "date": "06.06.2025"},
    ]
    pdf = new_doc(header_text=f"Zielvereinbarung AQB {year} – {dist}")
    pdf.set_font("DV", "B", 16)
    pdf.cell(0, 10, f"Zielvereinbarung {year}", align="C", new_x="LMARGIN", new_y="NEXT")
    para(pdf, "über das Ausbildungs- und Qualifizierungsbudget des Landes Hessen", align="C", size=11)
    para(pdf, f"zwischen {MIN_NEW_DAT},\nvertreten durch den Staatssekretär,\n– im Folgenden „HMSI“ –",
         align="C")
    para(pdf, f"und dem {dist},\nvertreten durch den Kreisausschuss,\n– im Folgenden „Kreis“ –", align="C")

    heading(pdf, "Paragraph 1: Ziele des Landes")
    for p in ziele_des_landes(year):
        para(pdf, p)
    heading(pdf, "Paragraph 2: Verpflichtungen der Vereinbarungspartner")
    for p in verpflichtungen(f"der {dist}", f"des {dist}es", "Das HMSI", "Paragraph 5"):
        para(pdf, p)
    heading(pdf, "Paragraph 3: Umsetzung der UN-Behindertenrechtskonvention")
    for p in unbrk():
        para(pdf, p)
    heading(pdf, "Paragraph 4: Budget")
    para(pdf, f"Das HMSI stellt dem {dist} für das Jahr {year} aus dem Ausbildungs- und "
              "Qualifizierungsbudget Haushaltsmittel in Höhe von")
    para(pdf, "845.000,- €", style="B", align="C", size=12)
    para(pdf, "zur Verfügung. Die Bewilligung erfolgt durch Bescheid des Regierungspräsidiums Kassel.")
    heading(pdf, f"Paragraph 5: Ziele für die Umsetzung des {dist}es")
    para(pdf, f"Der Kreis finanziert mit den Mitteln des Ausbildungs- und Qualifizierungsbudgets {year} "
              "die in der folgenden Übersicht aufgeführten Projekte. Die Projekte sind den Maßnahmenarten "
              "I. bis III. zugeordnet.")
    if pdf.get_y() > 180:
        pdf.add_page()
    pdf.set_font("DV", "", 9.5)
    head_style = FontFace(emphasis="BOLD", fill_color=(200, 200, 200))
    cat_style = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    cats, amounts = {}, {}
    with pdf.table(col_widths=(12, 108, 45), text_align=("LEFT", "LEFT", "RIGHT"),
                   headings_style=head_style, line_height=5.5, padding=1.5) as t:
        hr = t.row()
        for h in ("Nr.", "Projekt", "Fördersumme"):
            hr.cell(h)
        n = 0
        for mark, cat, ps in rows:
            cr = t.row()
            cr.cell(f"{mark} {cat}", colspan=3, style=cat_style, align="LEFT")
            cats[cat] = []
            for name, amt in ps:
                n += 1
                r = t.row()
                r.cell(str(n))
                r.cell(name)
                r.cell(f"{de_int(amt)},00 €")
                cats[cat].append(name)
                amounts[name] = amt
        sr = t.row()
        sr.cell("Summe", colspan=2, style=FontFace(emphasis="BOLD"))
        sr.cell(f"{de_int(budget)},00 €", style=FontFace(emphasis="BOLD"))
    pdf.ln(4)
    para(pdf, "Die Förderung der aufgeführten Maßnahmen erfolgt nach Maßgabe des vom Regierungspräsidium "
              "Kassel erlassenen Bescheides.")
    heading(pdf, "Paragraph 6: Berichtswesen")
    para(pdf, f"Der Kreis legt dem HMSI bis zum 31. März {year + 1} einen zusammenfassenden Sachbericht vor. "
              "Darüber hinaus findet im Herbst eine Umsetzungsbesprechung statt.")
    heading(pdf, "Paragraph 7: Veröffentlichung")
    para(pdf, "Die Zielvereinbarung wird auf dem Internetportal des HMSI „Arbeitswelt Hessen“ veröffentlicht.")
    # signatures one below the other
    if pdf.get_y() > 215:
        pdf.add_page()
    pdf.ln(6)
    para(pdf, f"{signers[0]['place']}, den {signers[0]['date']}", align="L", after=14)
    para(pdf, f"{signers[0]['name']}\n{signers[0]['role']}\n{MIN_NEW}", align="L", after=10)
    para(pdf, f"{signers[1]['place']}, den {signers[1]['date']}", align="L", after=14)
    para(pdf, f"{signers[1]['name']}\n{signers[1]['role']}\ndes {dist}es", align="L")
    pdf.output(OUT + fn)
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- PDF 2: signatures side by side
def pdf_fantasia():
    fn = "zielvereinbarung-2024-landeshauptstadt-fantasia.pdf"
    year = 2024
    dist = "Landeshauptstadt Fantasia"
    rows = [
        ("(1)", CAT_VOR, [("Fantasia macht Schule", 184500), ("Ausbildungsbrücke Nord", 96000)]),
        ("(2)", CAT_AUS, [("Teilzeitausbildung für Alleinerziehende", 248900), ("Coaching Azubi-Halt", 132000)]),
        ("(3)", CAT_QUA, [("Quali-Netz Gastronomie", 201000), ("Berufssprachwerkstatt", 176000),
                          ("Zweite Chance Lager & Logistik", 140000)]),
        ("(4)", CAT_WEI, [("Schulungsreihe Interkulturelle Kompetenz", 25000)]),
    ]
    budget = 1203400
    assert sum(a for _, _, ps in rows for _, a in ps) == budget
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "11.03.2024"},
        {"name": "Dr. Elias Morgenroth", "role": "Oberbürgermeister", "place": "Fantasia", "date": "25.03.2024"},
    ]
    pdf = new_doc(serif=True)
    pdf.set_font("DV", "B", 20)
    pdf.ln(10)
    pdf.cell(0, 12, "Zielvereinbarung", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DV", "B", 14)
    pdf.cell(0, 9, str(year), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line, st in (("zwischen", ""), (MIN_NEW_DAT, "B"), ("und", ""), (f"der {dist}", "B"),
                     ("zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets", "")):
        para(pdf, line, style=st, align="C", size=11, after=3)
    pdf.ln(4)
    heading(pdf, "Präambel")
    para(pdf, f"Mit dieser Vereinbarung verständigen sich das HMSI und die {dist} auf gemeinsame Ziele der "
              "regionalen Arbeitsmarkt- und Ausbildungspolitik. Die Maßnahmen sind genderadäquat, ohne "
              "Altersbegrenzungen und inklusiv angelegt.")
    heading(pdf, "§ 1  Ziele des Landes")
    for p in ziele_des_landes(year):
        para(pdf, p)
    heading(pdf, "§ 2  Verpflichtungen der Vereinbarungspartner")
    for p in verpflichtungen(f"die {dist}", f"der {dist}", "Das HMSI", "§ 5"):
        para(pdf, p)
    heading(pdf, "§ 3  Umsetzung der UN-Behindertenrechtskonvention")
    for p in unbrk():
        para(pdf, p)
    heading(pdf, "§ 4  Haushaltsmittel und Eckdaten")
    para(pdf, f"Das HMSI stellt der {dist} im Jahr {year} Haushaltsmittel in Höhe von insgesamt "
              "1,2 Mio. Euro (1.203.400 Euro) aus dem Ausbildungs- und Qualifizierungsbudget "
              f"{year} zur Verfügung.")
    heading(pdf, f"§ 5  Ziele für die Umsetzung der {dist}")
    para(pdf, f"Die {dist} finanziert mit den Mitteln des Budgets {year} in den jeweiligen Maßnahmenarten "
              "folgende Projekte:")
    cats, amounts = {}, {}
    for mark, cat, ps in rows:
        if pdf.get_y() > 240:
            pdf.add_page()
        pdf.set_font("DV", "B", 10.5)
        pdf.set_x(25)
        pdf.cell(10, 5.5, mark)
        pdf.multi_cell(0, 5.5, cat, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        cats[cat] = []
        for name, amt in ps:
            pdf.set_font("DV", "", 10.5)
            pdf.set_x(35)
            pdf.cell(6, 5.2, "–")
            pdf.multi_cell(0, 5.2, name, new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(41)
            pdf.set_font("DV", "I", 10)
            pdf.multi_cell(0, 5.2, f"Fördersumme: {de_int(amt)} Euro", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            cats[cat].append(name)
            amounts[name] = amt
        pdf.ln(1.5)
    para(pdf, "Die Förderung erfolgt auf Basis und nach Maßgabe des – nach Antragstellung durch die "
              f"{dist} vom Regierungspräsidium Kassel erlassenen – Bescheides.")
    heading(pdf, "§ 6  Zielsteuerung")
    para(pdf, f"Die {dist} und das HMSI bleiben über die Entwicklung des Budgets {year} im engen Austausch. "
              "Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln werden bei der "
              "Beurteilung der Zielerreichung berücksichtigt.")
    heading(pdf, "§ 7  Kontinuierlicher Verbesserungsprozess")
    para(pdf, "Die Zielvereinbarungen werden auf dem Internetportal des HMSI „Arbeitswelt Hessen“ veröffentlicht.")
    # two signature blocks side by side
    if pdf.get_y() > 215:
        pdf.add_page()
    pdf.ln(8)
    y0 = pdf.get_y()
    colw = 78
    blocks = [
        (25, [f"{signers[0]['place']}, den {signers[0]['date']}"],
         [signers[0]["name"], signers[0]["role"], "Hessisches Ministerium für", "Arbeit, Integration,",
          "Jugend und Soziales"]),
        (25 + colw + 9, [f"{signers[1]['place']}, den {signers[1]['date']}"],
         [signers[1]["name"], signers[1]["role"], "der Landeshauptstadt", "Fantasia"]),
    ]
    for x, top, bottom in blocks:
        pdf.set_xy(x, y0)
        pdf.set_font("DV", "", 10.5)
        pdf.multi_cell(colw, 5.5, "\n".join(top), new_x="LEFT", new_y="NEXT")
        pdf.line(x, y0 + 25, x + colw - 6, y0 + 25)
        pdf.set_xy(x, y0 + 27)
        pdf.multi_cell(colw, 5.5, "\n".join(bottom), new_x="LEFT", new_y="NEXT")
    pdf.output(OUT + fn)
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


pdf_wetterau()
pdf_fantasia()
json.dump(EXP, open(os.path.join(os.environ["LAYOUT_OUT"], "..", "exp_pdf.json"), "w"), ensure_ascii=False, indent=1)
