import os
import json
import pyphen
from common import *

OUT = os.path.join(os.environ["LAYOUT_OUT"], "")
EXP = []
HY = pyphen.Pyphen(lang="de_DE")


def write(fn, text):
    with open(OUT + fn, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- MD
def md_nebelhain():
    fn = "zielvereinbarung-2026-landkreis-nebelhain.md"
    year = 2026
    dist = "Landkreis Nebelhain"
    rows = [
        ("1)", CAT_VOR, [("Nebelhainer Berufsstart", "Bildungswerk Nebelhain e.V.", 212000),
                         ("Talentscouts an Förderschulen", "Jugendwerkstatt Talblick gGmbH", 98320)]),
        ("2)", CAT_AUS, [("Teilzeitausbildung Nebelhain", "Kreisvolkshochschule Nebelhain", 274000)]),
        ("3)", CAT_QUA, [("Grüne Berufe – Qualifizierung im Garten- und Landschaftsbau", "Grünwerk Auen gGmbH", 305000),
                         ("MiA – Migrantinnen in Arbeit", "Frauenbildungszentrum Nebelhain e.V.", 188000),
                         ("Fahrerlaubnis als Jobmotor", "Kreisjobcenter Nebelhain", 142000),
                         ("Digitalwerkstatt 45+", "Bildungswerk Nebelhain e.V.", 201000)]),
        ("4)", CAT_WEI, [("Fortbildung Motivierende Gesprächsführung", "Kreisverwaltung Nebelhain, Fachdienst Personal", 36000)]),
    ]
    budget = 1456320
    assert sum(a for _, _, ps in rows for _, _, a in ps) == budget
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "16.02.2026"},
        {"name": "Thorsten Ellerbrock", "role": "Landrat", "place": "Nebelhain", "date": "02.03.2026"},
    ]
    L = []
    L += [f"# Zielvereinbarung {year}", "",
          f"zwischen **{MIN_NEW_DAT}** (HMSI)  ",
          f"und dem **{dist}**  ",
          "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets (AQB)", "", "---", ""]
    L += ["## Präambel", "",
          "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure in eine gemeinsame, auf die "
          "Zukunftsanforderungen ausgerichtete Strategie ein. Die Maßnahmen sind genderadäquat, ohne "
          "Altersbegrenzungen und inklusiv angelegt.", ""]
    L += ["## § 1 Ziele des Landes", ""]
    for p in ziele_des_landes(year):
        L += [p, ""]
    L += ["## § 2 Verpflichtungen der Vereinbarungspartner", ""]
    for p in verpflichtungen(f"der {dist}", "des Landkreises Nebelhain", "Das HMSI", "§ 5"):
        L += [p, ""]
    L += ["## § 3 Umsetzung der UN-Behindertenrechtskonvention", ""]
    for p in unbrk():
        L += [p, ""]
    L += ["## § 4 Budget", "",
          f"Das HMSI stellt dem {dist} im Jahr {year} aus dem Ausbildungs- und Qualifizierungsbudget "
          "Haushaltsmittel in folgender Höhe zur Verfügung:", "",
          f"**Gesamtbudget {year}: 1.456.320 €**", "",
          "Die Bewilligung erfolgt durch das Regierungspräsidium Kassel.", ""]
    L += [f"## § 5 Ziele für die Umsetzung des Landkreises Nebelhain", "",
          f"Der {dist} finanziert mit den Mitteln des AQB {year} in den jeweiligen Maßnahmenarten "
          "folgende Projekte:", ""]
    cats, amounts = {}, {}
    for mark, cat, ps in rows:
        L += [f"### {mark} {cat}", "", "| Projekt | Träger | Fördersumme |", "|---|---|---:|"]
        cats[cat] = []
        for name, tr, amt in ps:
            L.append(f"| {name} | {tr} | {de_int(amt)} € |")
            cats[cat].append(name)
            amounts[name] = amt
        L.append("")
    L += ["## § 6 Berichtswesen", "",
          f"- Der {dist} legt bis zum **31. März {year + 1}** einen Sachbericht vor.",
          "- Im Herbst findet eine gemeinsame Umsetzungsbesprechung statt.",
          "- Abweichungen von den in § 4 genannten Haushaltsmitteln werden bei der Beurteilung der "
          "Zielerreichung berücksichtigt.", ""]
    L += ["## § 7 Veröffentlichung", "",
          "Die Zielvereinbarung wird auf dem Internetportal „Arbeitswelt Hessen“ veröffentlicht.", "", "---", ""]
    L += [f"{signers[0]['place']}, den {signers[0]['date']}", "", "", "",
          f"**{signers[0]['name']}**  ", f"{signers[0]['role']}  ", f"{MIN_NEW}", "", "",
          f"{signers[1]['place']}, den {signers[1]['date']}", "", "", "",
          f"**{signers[1]['name']}**  ", f"{signers[1]['role']}  ", "des Landkreises Nebelhain", ""]
    write(fn, "\n".join(L))
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- TXT hard-wrapped + hyphenated
def hyph_wrap(text, width=70, indent="", first_indent=None):
    """Greedy wrap with German hyphenation at line ends."""
    fi = indent if first_indent is None else first_indent
    words = text.split()
    lines, cur = [], fi
    for w in words:
        sep = "" if cur.strip() == "" else " "
        if len(cur) + len(sep) + len(w) <= width:
            cur += sep + w
            continue
        room = width - len(cur) - len(sep)
        best = None
        # break at an existing hyphen inside the word
        for i, ch in enumerate(w):
            if ch == "-" and 0 < i < len(w) - 1 and i + 1 <= room:
                best = (w[:i + 1], w[i + 1:])
        if best is None and len(w) >= 8:
            core = w.rstrip(".,;:)“\"")
            for pos in HY.positions(core):
                if pos + 1 <= room and pos >= 3 and len(core) - pos >= 3:
                    best = (w[:pos] + "-", w[pos:])
        if best:
            cur += sep + best[0]
            lines.append(cur)
            cur = indent + best[1]
        else:
            lines.append(cur)
            cur = indent + w
    lines.append(cur)
    return "\n".join(lines)


def txt_oberwaldau():
    fn = "zielvereinbarung-2026-landkreis-oberwaldau.txt"
    year = 2026
    dist = "Landkreis Oberwaldau"
    cats = {
        CAT_VOR: ["Berufsstarter Oberwaldau", "Kompetenzfeststellung und Praxiserprobung im Handwerk"],
        CAT_AUS: ["Teilzeitausbildung für junge Eltern", "Ausbildungsbegleitende Unterstützung Waldau"],
        CAT_QUA: ["Perspektive Wiedereinstieg – Qualifizierung für Frauen nach der Familienphase",
                  "Berufsbezogene Sprachförderung für Zugewanderte im ländlichen Raum",
                  "Fachkräfte für die Forstwirtschaft"],
        CAT_WEI: ["Fortbildungsreihe Arbeitsmarktintegration für Fallmanagerinnen und Fallmanager"],
    }
    budget = 1087250
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "09.01.2026"},
        {"name": "Ingrid Sommerfeld-Haas", "role": "Landrätin", "place": "Waldau", "date": "20.01.2026"},
    ]
    W = 70
    out = []
    c = lambda s: s.center(W).rstrip()
    out += [c("ZIELVEREINBARUNG " + str(year)), "", c("zwischen"), "",
            hyph_wrap(f"{MIN_NEW_DAT} (HMSI)"), "", c("und"), "", c(f"dem {dist}"), "",
            hyph_wrap("zur Umsetzung des hessischen Ausbildungs- und Qualifizierungs"
                      "budgets"), "", "=" * W, ""]

    def sec(n, title, paras):
        out.extend([f"§ {n} {title}", ""])
        for p in paras:
            out.extend([hyph_wrap(p, W), ""])

    sec(1, "Ziele des Landes", ziele_des_landes(year) + [
        "Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen "
        "vollqualifizierenden Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für "
        "Maßnahmen zur Ermöglichung von Teilzeitausbildungen bereitgestellt."])
    sec(2, "Verpflichtungen der Vereinbarungspartner",
        verpflichtungen(f"der {dist}", "des Landkreises Oberwaldau", "Das HMSI", "§ 5"))
    sec(3, "Umsetzung der UN-Behindertenrechtskonvention", unbrk())
    sec(4, "Haushaltsmittel und Eckdaten", [
        f"Das HMSI stellt dem {dist} im Jahr {year} Haushaltsmittel in Höhe von insgesamt "
        f"1.087.250,00 Euro aus dem Ausbildungs- und Qualifizierungsbudget {year} zur Verfügung."])
    out.extend([f"§ 5 Ziele für die Umsetzung des Landkreises Oberwaldau", ""])
    out.extend([hyph_wrap(f"Der {dist} finanziert mit den Mitteln des Ausbildungs- und "
                          f"Qualifizierungsbudgets {year} in den jeweiligen Maßnahmenarten folgende "
                          "Projekte:", W), ""])
    for mark, (cat, projs) in zip("abcd", cats.items()):
        out.append(hyph_wrap(cat, W, indent="   ", first_indent=f"{mark})"))
        out.append("")
        for p in projs:
            out.append(hyph_wrap(p, W, indent="       ", first_indent="     o"))
        out.append("")
    out.extend([hyph_wrap("Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe "
                          f"des – nach Antragstellung durch den {dist} vom Regierungspräsidium Kassel "
                          "erlassenen – Bescheides.", W), ""])
    sec(6, "Zielsteuerung und Berichtswesen", [
        f"Der {dist} und das HMSI bleiben über die Entwicklung des Budgets {year} im engen Austausch. "
        "Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt. Unterjährige "
        "Abweichungen von den in § 4 genannten Haushaltsmitteln und Eckdaten werden bei der "
        "Beurteilung der Zielerreichung berücksichtigt."])
    sec(7, "Kontinuierlicher Verbesserungsprozess", [
        f"Der {dist} beteiligt sich an Umfragen und Tagungen des HMSI mit dem Ziel, Erfahrungen "
        "auszutauschen, gute Praxis zu identifizieren und neue Impulse für die regionale Arbeitsmarkt- "
        "und Ausbildungspolitik zu setzen. Die Zielvereinbarungen werden auf dem Internetportal des "
        "HMSI „Arbeitswelt Hessen“ veröffentlicht."])
    out += ["", f"{signers[0]['place']}, den {signers[0]['date']}", "", "", "",
            signers[0]["name"], signers[0]["role"], "Hessisches Ministerium für Arbeit,",
            "Integration, Jugend und Soziales", "", "",
            f"{signers[1]['place']}, den {signers[1]['date']}", "", "", "",
            signers[1]["name"], signers[1]["role"], "des Landkreises Oberwaldau", ""]
    write(fn, "\n".join(out))
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": {}, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- TXT tab-aligned amounts
def txt_kleinbachtal():
    fn = "zielvereinbarung-2025-stadt-kleinbachtal.txt"
    year = 2025
    dist = "Stadt Kleinbachtal"
    rows = [
        ("I.", CAT_VOR, [("Kleinbachtaler Ausbildungswochen", 74300), ("Schulverweigerung – zweite Chance", 88000)]),
        ("II.", CAT_AUS, [("Ausbildungsbegleitung AbH-plus", 126000)]),
        ("III.", CAT_QUA, [("Servicekraft Hotellerie", 97000), ("Jobcafé International", 118000),
                           ("Quereinstieg Kita-Assistenz", 109000)]),
    ]
    budget = 612300
    assert sum(a for _, _, ps in rows for _, a in ps) == budget
    signers = [
        {"name": "Markus Rehberger", "role": "Staatssekretär", "place": "Wiesbaden", "date": "30. April 2025"},
        {"name": "Oliver Brandstätter", "role": "Oberbürgermeister", "place": "Kleinbachtal", "date": "12. Mai 2025"},
    ]
    o = []
    o += [f"Zielvereinbarung {year} – Ausbildungs- und Qualifizierungsbudget", "",
          "Vereinbarungspartner:",
          f"\t{MIN_NEW} (HMSI), Wiesbaden",
          f"\t{dist}, vertreten durch den Magistrat", ""]

    def sec(n, title, paras):
        o.extend([f"§ {n}. {title}", "-" * (len(title) + 5), ""])
        for p in paras:
            o.extend([p, ""])

    sec(1, "Ziele des Landes", ziele_des_landes(year))
    sec(2, "Verpflichtungen der Vereinbarungspartner",
        verpflichtungen(f"die {dist}", f"der {dist}", "Das HMSI", "§ 4"))
    sec(3, "Haushaltsmittel", [
        f"Das HMSI stellt der {dist} für das Jahr {year} Haushaltsmittel aus dem Ausbildungs- und "
        "Qualifizierungsbudget in Höhe von insgesamt 612.300,00 EUR zur Verfügung.",
        "Die Förderung erfolgt nach Maßgabe des Bescheides des Regierungspräsidiums Kassel."])
    o.extend([f"§ 4. Maßnahmen und Projekte", "-" * 25, "",
              f"Die {dist} setzt die Mittel wie folgt ein (Angaben in EUR):", ""])
    cats, amounts = {}, {}
    for mark, cat, ps in rows:
        o.append(f"{mark}\t{cat}")
        cats[cat] = []
        for name, amt in ps:
            o.append(f"\t* {name}\t\t{de_int(amt)},00")
            cats[cat].append(name)
            amounts[name] = amt
        o.append("")
    o += [f"\tGesamt\t\t\t{de_int(budget)},00", ""]
    sec(5, "Inklusion", unbrk())
    sec(6, "Berichtswesen und Verwendungsnachweis", [
        f"Die {dist} berichtet dem HMSI zum 30. September {year} über den Umsetzungsstand. Der "
        "Verwendungsnachweis ist gegenüber dem Regierungspräsidium Kassel nach Maßgabe des "
        "Zuwendungsbescheides zu führen.",
        "Die Zielvereinbarung wird auf dem Internetportal „Arbeitswelt Hessen“ veröffentlicht."])
    o += ["", "Für das Land Hessen:\t\t\t\tFür die Stadt Kleinbachtal:", "",
          f"{signers[0]['place']}, {signers[0]['date']}\t\t\t{signers[1]['place']}, {signers[1]['date']}",
          "", "", "",
          f"gez. {signers[0]['name']}\t\t\tgez. {signers[1]['name']}",
          f"{signers[0]['role']}\t\t\t\t{signers[1]['role']}", ""]
    write(fn, "\n".join(o))
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- TXT no markers, inline amounts, old ministry
def txt_rhoen_auental():
    fn = "zielvereinbarung-2023-rhoen-auental-kreis.txt"
    year = 2023
    dist = "Rhön-Auental-Kreis"
    rows = [
        (CAT_VOR, [("Berufsorientierung Auental", 310000), ("Praxistage im Handwerk", 142800)]),
        (CAT_AUS, [("Teilzeitberufsausbildung Rhön", 396000),
                   ("Ausbildungscoaching für junge Geflüchtete", 255000)]),
        (CAT_QUA, [("Fachkraft Pflegeassistenz", 402000), ("Arbeit und Gesundheit", 188000),
                   ("Berufliche Orientierung für Frauen mit Migrationshintergrund", 221000),
                   ("Landwirtschaft 4.0 – Qualifizierung im ländlichen Raum", 91000)]),
        (CAT_WEI, [("Fortbildungsreihe Case Management", 40000)]),
    ]
    budget = 2045800
    assert sum(a for _, ps in rows for _, a in ps) == budget
    signers = [
        {"name": "Konstantin Weißgerber", "role": "Staatsminister", "place": "Wiesbaden", "date": "7. Februar 2023"},
        {"name": "Helga Vornholt", "role": "Landrätin", "place": "Auental", "date": "21. Februar 2023"},
    ]
    o = ["Zielvereinbarung", "", str(year), "", "zwischen", "", MIN_OLD_DAT, "",
         f"und dem {dist}", "", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets", "", ""]
    o += ["Präambel", "",
          "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine "
          "gemeinsame Strategie ein. Dafür will das Hessische Ministerium für Soziales und Integration (HMSI) "
          "regionale Handlungs- und Entscheidungsspielräume eröffnen und vereinbart dazu Ziele mit den "
          "Kreisen und kreisfreien Städten.", ""]

    def sec(n, title, paras):
        o.extend([f"§ {n} {title}", ""])
        for p in paras:
            o.extend([p, ""])

    sec(1, "Ausbildungs- und Qualifizierungsbudget – Ziele des Landes", ziele_des_landes(year))
    sec(2, "Verpflichtungen der Vereinbarungspartner",
        verpflichtungen(f"der {dist}", f"des {dist}es", "Das Hessische Ministerium für Soziales und Integration", "§ 5"))
    sec(3, "Umsetzung der UN-Behindertenrechtskonvention", unbrk())
    sec(4, "Haushaltsmittel", [
        f"Das HMSI stellt dem {dist} im Jahr {year} Haushaltsmittel in Höhe von insgesamt "
        "2.045.800 Euro (in Worten: zwei Millionen fünfundvierzigtausendachthundert Euro) aus dem "
        f"Ausbildungs- und Qualifizierungsbudget {year} zur Verfügung."])
    o.extend([f"§ 5 Ziele für die Umsetzung des {dist}es", "",
              f"Der {dist} finanziert mit den Mitteln des Ausbildungs- und Qualifizierungsbudgets {year} "
              "in den jeweiligen Maßnahmenarten folgende Projekte:", ""])
    cats, amounts = {}, {}
    for cat, ps in rows:
        o.append(cat + ":")
        cats[cat] = []
        for name, amt in ps:
            o.append(f"    {name} – {de_int(amt)} €")
            cats[cat].append(name)
            amounts[name] = amt
        o.append("")
    o.extend(["Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach "
              f"Antragstellung durch den {dist} vom Regierungspräsidium Kassel erlassenen – Bescheides.", ""])
    sec(6, "Zielsteuerung", [
        f"Der {dist} und das HMSI bleiben über die Entwicklung des Budgets {year} im engen Austausch. "
        "Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln werden bei der Beurteilung "
        "der Zielerreichung berücksichtigt."])
    sec(7, "Kontinuierlicher Verbesserungsprozess", [
        f"Der {dist} beteiligt sich an Umfragen und Tagungen des HMSI. Die Zielvereinbarungen werden "
        "auf dem Internetportal des HMSI „Arbeitswelt Hessen“ veröffentlicht."])
    o += [f"{signers[0]['place']}, den {signers[0]['date']}", "", "", "",
          signers[0]["name"], signers[0]["role"], "Hessisches Ministerium", "für Soziales und Integration", "",
          f"{signers[1]['place']}, den {signers[1]['date']}", "", "", "",
          signers[1]["name"], signers[1]["role"], f"des {dist}es", ""]
    write(fn, "\n".join(o))
    EXP.append({"file": fn, "kind": "agreement", "district": dist, "year": year, "budget": budget,
                "categories": cats, "project_amounts": amounts, "signers": signers,
                "authority": "Regierungspräsidium Kassel"})


# ---------------------------------------------------------------- Amendment
def txt_nachtrag_musterstadt():
    fn = "nachtrag-1-zielvereinbarung-2025-landkreis-musterstadt.txt"
    year = 2025
    dist = "Landkreis Musterstadt"
    signers = [
        {"name": "Dr. Johanna Falkenrath", "role": "Staatsministerin", "place": "Wiesbaden", "date": "20.10.2025"},
        {"name": "Bernd Kleinschmidt", "role": "Landrat", "place": "Musterstadt", "date": "04.11.2025"},
    ]
    o = [f"1. Nachtrag zur Zielvereinbarung {year}", "", "zwischen", "", MIN_NEW_DAT, "",
         f"und dem {dist}", "", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets", "", "",
         "Vorbemerkung", "",
         f"Das HMSI und der {dist} haben am 28.07.2025 eine Zielvereinbarung über das Ausbildungs- und "
         f"Qualifizierungsbudget {year} geschlossen. Aufgrund zusätzlich verfügbarer Landesmittel "
         "vereinbaren die Partner die folgende Änderung.", "",
         "Artikel 1", "Änderung des § 4", "",
         "§ 4 der Zielvereinbarung erhält folgende Fassung:", "",
         f"„Das HMSI stellt dem {dist} im Jahr {year} Haushaltsmittel aus dem Ausbildungs- und "
         f"Qualifizierungsbudget {year} zur Verfügung. Die Haushaltsmittel erhöhen sich auf insgesamt "
         "1.298.400,00 €.“", "",
         "Artikel 2", "Übrige Bestimmungen", "",
         "Alle übrigen Regelungen der Zielvereinbarung, insbesondere die Zuordnung der Projekte zu den "
         "Maßnahmenarten in § 5, bleiben unberührt. Der Nachtrag tritt mit Unterzeichnung durch beide "
         "Vereinbarungspartner in Kraft.", "", "",
         f"{signers[0]['place']}, den {signers[0]['date']}", "", "", "",
         signers[0]["name"], signers[0]["role"], "Hessisches Ministerium für Arbeit,",
         "Integration, Jugend und Soziales", "", "",
         f"{signers[1]['place']}, den {signers[1]['date']}", "", "", "",
         signers[1]["name"], signers[1]["role"], "des Landkreises Musterstadt", ""]
    write(fn, "\n".join(o))
    EXP.append({"file": fn, "kind": "amendment", "district": dist, "year": year, "budget": 1298400,
                "categories": {}, "project_amounts": {}, "signers": signers, "authority": None,
                "amends": "zielvereinbarung-2025-landkreis-musterstadt.docx"})


# ---------------------------------------------------------------- Supporting: Zuwendungsbescheid
def txt_bescheid_beispielhausen():
    fn = "zuwendungsbescheid-2025-stadt-beispielhausen.txt"
    signers = [{"name": "Petra Lindqvist", "role": "Im Auftrag", "place": "Kassel", "date": "14.07.2025"}]
    o = ["Regierungspräsidium Kassel",
         "Dezernat 21 – Arbeitsmarktförderung",
         "Am Musterring 7, 34099 Kassel (fiktive Anschrift)", "",
         "Regierungspräsidium Kassel · Postfach · 34099 Kassel", "",
         "Magistrat der Stadt Beispielhausen",
         "Amt für Arbeit und Soziales",
         "Rathausplatz 1",
         "35999 Beispielhausen", "",
         "Aktenzeichen: RPKS-21-AQB-2025/117",
         "Kassel, 14.07.2025", "", "",
         "ZUWENDUNGSBESCHEID",
         "Ausbildungs- und Qualifizierungsbudget 2025", "",
         "Ihr Antrag vom 24.06.2025", "",
         "Sehr geehrte Damen und Herren,", "",
         "auf Grundlage der Zielvereinbarung 2025 zwischen dem Hessischen Ministerium für Arbeit, "
         "Integration, Jugend und Soziales und der Stadt Beispielhausen bewillige ich Ihnen für den "
         "Bewilligungszeitraum 01.01.2025 bis 31.12.2025 eine Zuwendung in Höhe von", "",
         "                987.654,00 €", "",
         "als Festbetragsfinanzierung.", "",
         "Nebenbestimmungen:", "",
         "1. Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-GK) sind "
         "Bestandteil dieses Bescheides.",
         "2. Die Mittel sind ausschließlich für die in § 5 der Zielvereinbarung genannten Projekte zu verwenden.",
         "3. Der Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis) ist bis zum 30.06.2026 "
         "beim Regierungspräsidium Kassel vorzulegen.", "",
         "Rechtsbehelfsbelehrung:",
         "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim zuständigen "
         "Verwaltungsgericht erhoben werden.", "",
         "Mit freundlichen Grüßen",
         "Im Auftrag", "", "gez. Petra Lindqvist", ""]
    write(fn, "\n".join(o))
    EXP.append({"file": fn, "kind": "supporting", "district": "Stadt Beispielhausen", "year": 2025,
                "budget": 987654, "categories": {}, "project_amounts": {}, "signers": signers,
                "authority": "Regierungspräsidium Kassel", "deadline": "30.06.2026",
                "document_type": "Zuwendungsbescheid"})


md_nebelhain()
txt_oberwaldau()
txt_kleinbachtal()
txt_rhoen_auental()
txt_nachtrag_musterstadt()
txt_bescheid_beispielhausen()
json.dump(EXP, open(os.path.join(os.environ["LAYOUT_OUT"], "..", "exp_text.json"), "w"), ensure_ascii=False, indent=1)
