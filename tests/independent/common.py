# Shared fictional data and prose for the test documents.
# All districts, people and figures are invented.

MIN_NEW = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
MIN_NEW_DAT = "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"
MIN_OLD = "Hessisches Ministerium für Soziales und Integration"
MIN_OLD_DAT = "dem Hessischen Ministerium für Soziales und Integration"

CAT_VOR = "Ausbildungsvorbereitung"
CAT_AUS = "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen"
CAT_QUA = "Qualifizierungsprojekte zur Arbeitsmarktintegration und Fachkräftesicherung"
CAT_WEI = ("Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte "
           "in der fachlichen Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung")
CAT_WEI_SHORT = "Weiterbildungsmaßnahmen für Personal der Gebietskörperschaften"


def de_int(n):
    """1234567 -> '1.234.567'"""
    return f"{n:,}".replace(",", ".")


def ziele_des_landes(year, short="HMSI"):
    return [
        f"Das {short} verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {year} das Ziel, "
        "die Ausbildungsfähigkeit benachteiligter Menschen zu stärken, ihre Beschäftigungsfähigkeit "
        "zu sichern, ihnen anerkannte Berufsabschlüsse zu ermöglichen und sie durch längerfristige, "
        "flexible und arbeitsmarktnahe Qualifizierung zu einer eigenständigen Existenzsicherung zu befähigen.",
        "Der ganzheitliche Handlungsansatz des Budgets eröffnet den Kreisen und kreisfreien Städten die "
        "Möglichkeit, bedarfsorientierte Angebote für unterschiedliche Zielgruppen auf Grundlage ihrer "
        "regionalen Arbeitsmarkt- und Ausbildungsstrategie umzusetzen. Dabei setzt das Land auf einen "
        "rechtskreisübergreifenden Förderansatz, in dem die Rechtskreise SGB II, III, VIII, XII und "
        "AsylbLG sinnvoll zusammenwirken.",
        "Schwerpunkte sind Maßnahmen zur Ausbildungs- und Qualifizierungsvorbereitung, zu Ausbildung und "
        "Ausbildungscoaching in anerkannten Ausbildungsberufen, Qualifizierungsprojekte zur "
        "Arbeitsmarktintegration und Fachkräftesicherung sowie Weiterbildungen für Fachpersonal der "
        "Gebietskörperschaften mit Bezug zu Teilnehmenden des AQB.",
    ]


def verpflichtungen(dist_nom_art, dist_gen, ministry, proj_par):
    return [
        f"{ministry} und {dist_nom_art} setzen die ihnen zur Verfügung stehenden Kompetenzen dafür "
        f"ein, dass die in {proj_par} vereinbarten Ziele erreicht werden. Die Entscheidung über den "
        f"Mitteleinsatz erfolgt im Kontext der regionalen Ausbildungs- und Arbeitsmarktstrategie "
        f"{dist_gen}, die mit den Akteuren der Rechtskreise, der regionalen Wirtschaft und den "
        "OloV-Steuerungsgruppen abgestimmt ist.",
    ]


def unbrk(short="HMSI"):
    return [
        f"Die Integration in das Erwerbsleben ist aus Sicht des {short} eine der vordringlichsten "
        "Maßnahmen zur Förderung der Teilhabe von Menschen mit Behinderungen. Die geförderten Angebote "
        "sind inklusiv angelegt und den Leitlinien der UN-Behindertenrechtskonvention verpflichtet.",
    ]
