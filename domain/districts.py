"""The 26 Gebietskörperschaften of Hesse and every name they go by: official names, short forms,
adjective forms ("Gießener"), abbreviations ("LK", "Lkr.") and unambiguous Kfz codes.

Used by `ingest` (to write one canonical name per district into the catalog, whatever the agreement's
wording) and by `assistant` (to find the district a question names). Districts that are not Hessian
(the fictional ones of tests and benchmarks) get the generic aliases of `aliases()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.german import fold

LANDKREIS = "Landkreis"
STADT = "kreisfreie Stadt"

CITY_TYPES = ("stadt", "landeshauptstadt", "wissenschaftsstadt", "universitaetsstadt")
KREIS_TYPES = ("landkreis", "kreis")
_TYPE_WORDS = re.compile(
    r"^(?:Landkreis(?:es)?|Kreis(?:es)?|Stadt|Wissenschaftsstadt|Universitätsstadt|Landeshauptstadt)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class District:
    name: str  # the official name, as the catalog stores it
    kind: str  # LANDKREIS or STADT
    proper: str  # the place name without its type: "Gießen", "Frankfurt am Main", "Main-Kinzig"
    kfz: str = ""  # the number-plate code, only where it names this district alone
    adjectives: tuple[str, ...] = ()  # "Gießener"; the regular "<proper>er" is added by `aliases`
    also: tuple[str, ...] = field(default=())  # other names in use: "Kreis Bergstraße", "Frankfurt"


HESSE: tuple[District, ...] = (
    District("Landkreis Bergstraße", LANDKREIS, "Bergstraße", "HP", ("Bergsträßer",), ("Kreis Bergstraße",)),
    District("Landkreis Darmstadt-Dieburg", LANDKREIS, "Darmstadt-Dieburg", "", (), ("Kreis Darmstadt-Dieburg",)),
    District("Landkreis Fulda", LANDKREIS, "Fulda", "FD", ("Fuldaer",)),
    District("Landkreis Gießen", LANDKREIS, "Gießen", "GI", ("Gießener",), ("Kreis Gießen",)),
    District("Landkreis Groß-Gerau", LANDKREIS, "Groß-Gerau", "GG", ("Groß-Gerauer",), ("Kreis Groß-Gerau",)),
    District("Landkreis Hersfeld-Rotenburg", LANDKREIS, "Hersfeld-Rotenburg", "HEF", ("Hersfeld-Rotenburger",)),
    District("Hochtaunuskreis", LANDKREIS, "Hochtaunus", "HG", ("Hochtaunus",)),
    District("Lahn-Dill-Kreis", LANDKREIS, "Lahn-Dill", "LDK", ("Lahn-Dill",)),
    District("Landkreis Limburg-Weilburg", LANDKREIS, "Limburg-Weilburg", "LM", ("Limburg-Weilburger",)),
    District("Main-Kinzig-Kreis", LANDKREIS, "Main-Kinzig", "MKK", ("Main-Kinzig",)),
    District("Main-Taunus-Kreis", LANDKREIS, "Main-Taunus", "MTK", ("Main-Taunus",)),
    District("Landkreis Marburg-Biedenkopf", LANDKREIS, "Marburg-Biedenkopf", "MR", ("Marburg-Biedenkopfer", "Marburger"),
             ("Marburg",)),
    District("Odenwaldkreis", LANDKREIS, "Odenwald", "ERB", ("Odenwälder",)),
    District("Kreis Offenbach", LANDKREIS, "Offenbach", "", (), ("Landkreis Offenbach",)),
    District("Rheingau-Taunus-Kreis", LANDKREIS, "Rheingau-Taunus", "RÜD", ("Rheingau-Taunus",)),
    District("Schwalm-Eder-Kreis", LANDKREIS, "Schwalm-Eder", "HR", ("Schwalm-Eder",)),
    District("Vogelsbergkreis", LANDKREIS, "Vogelsberg", "VB", ("Vogelsberger",)),
    District("Landkreis Waldeck-Frankenberg", LANDKREIS, "Waldeck-Frankenberg", "KB", ("Waldeck-Frankenberger",)),
    District("Werra-Meißner-Kreis", LANDKREIS, "Werra-Meißner", "ESW", ("Werra-Meißner",)),
    District("Wetteraukreis", LANDKREIS, "Wetterau", "FB", ("Wetterauer",)),
    District("Landkreis Kassel", LANDKREIS, "Kassel", "", (), ("Kreis Kassel",)),
    District("Stadt Frankfurt am Main", STADT, "Frankfurt am Main", "", ("Frankfurter",), ("Frankfurt",)),
    District("Landeshauptstadt Wiesbaden", STADT, "Wiesbaden", "WI", ("Wiesbadener",), ("Stadt Wiesbaden",)),
    District("Stadt Kassel", STADT, "Kassel", "", (), ()),
    District("Wissenschaftsstadt Darmstadt", STADT, "Darmstadt", "", ("Darmstädter",), ("Stadt Darmstadt",)),
    District("Stadt Offenbach am Main", STADT, "Offenbach am Main", "", (), ("Stadt Offenbach",)),
)
BY_NAME = {d.name: d for d in HESSE}


def proper_name(name: str) -> str:
    """'Landkreis Gießen' -> 'Gießen'; 'Vogelsbergkreis' -> 'Vogelsbergkreis' (the type is part of the name)."""
    return _TYPE_WORDS.sub("", name).strip()


def is_city(name: str) -> bool:
    known = BY_NAME.get(name)
    if known:
        return known.kind == STADT
    return fold(name).split()[0] in CITY_TYPES if name.strip() else False


def aliases(name: str) -> tuple[list[str], list[str]]:
    """(specific, short) folded aliases of a district.

    Specific aliases name it alone ("landkreis giessen", "lk giessen", "giessener kreis"); short ones
    may also name a city or county of the same name ("giessen", "kassel")."""
    known = BY_NAME.get(name)
    folded = fold(name)
    words = folded.split()
    if not words:
        return [], []
    specific = [folded]
    short: list[str] = []
    if known:
        specific += [fold(a) for a in known.also if " " in a or "kreis" in fold(a)]
        short += [fold(a) for a in known.also if " " not in a and "kreis" not in fold(a)]
        short += [fold(a) for a in known.adjectives]
    proper = fold(proper_name(name))
    if words[0] in KREIS_TYPES + CITY_TYPES and len(words) > 1:
        short.append(proper)
        if " am main" in proper:
            short.append(proper.replace(" am main", ""))
        if words[0] in KREIS_TYPES:
            specific += [f"{t} {proper}" for t in ("kreis", "landkreis", "lk", "lkr", "kr", "landkreises", "kreises")]
        else:
            specific += [f"{t} {proper}" for t in ("stadt", "kreisfreie stadt", "landeshauptstadt", "wissenschaftsstadt")]
        short.append(proper + "er")
    elif folded.endswith("kreis"):
        stem = folded[: -len("kreis")].rstrip("-")
        if len(stem) >= 4:
            specific += [stem, f"{stem} kreis", f"{stem}-kreis", f"kreis {stem}", f"lk {stem}"]
            short.append(stem + "er")
    return list(dict.fromkeys(specific)), list(dict.fromkeys(s for s in short if s not in specific))


def kfz_codes() -> dict[str, str]:
    """Unambiguous number-plate codes -> district ("GI" -> "Landkreis Gießen")."""
    return {d.kfz: d.name for d in HESSE if d.kfz}


def canonical(written: str) -> str:
    """The official name of a Hessian district for the way a document writes it ("Kreis Gießen",
    "Landkreises Gießen", "Vogelsbergkreis", "Stadt Frankfurt a. M."); other names come back as written,
    with their white space tidied."""
    text = re.sub(r"\s+", " ", written).strip()
    text = re.sub(r"\ba\.\s?M\.", "am Main", text)
    folded = fold(text)
    folded = re.sub(r"^(landkreises|kreises)\b", lambda m: m.group(1)[:-2], folded)
    for district in HESSE:
        specific, _ = aliases(district.name)
        if folded in specific:
            return district.name
    # "Stadt Kassel" and "Landkreis Kassel" differ only in the type word: decide by it
    first = folded.split()[0] if folded else ""
    for district in HESSE:
        if fold(proper_name(text)) in (fold(district.proper), fold(district.proper).replace(" am main", "")):
            if (first in CITY_TYPES) == (district.kind == STADT) and first in CITY_TYPES + KREIS_TYPES:
                return district.name
    return text


def genitive(district: str) -> str:
    """German genitive with article ('von …' for a name that is none or several): 'Landkreis Gießen' -> 'des Landkreises Gießen', 'Stadt Kassel' ->
    'der Stadt Kassel', 'Vogelsbergkreis' -> 'des Vogelsbergkreises'."""
    if not district or "," in district or district == "—":
        return f"von {district}"
    first, _, rest = district.partition(" ")
    known = BY_NAME.get(district)
    if first in ("Landkreis", "Kreis"):
        return f"des {first}es {rest}".strip()
    if (known and known.kind == STADT) or first.endswith("stadt") or first.lower().endswith("stadt"):
        return f"der {district}"
    if district.lower().endswith("kreis"):
        return f"des {district}es"
    return f"von {district}"


def nominative(district: str) -> str:
    """German nominative with article for the start of a sentence: 'Der Landkreis Gießen', 'Die Stadt Kassel',
    'Der Vogelsbergkreis'; the name as it is when it is none or several."""
    if not district or "," in district or district == "—":
        return district
    first = district.partition(" ")[0]
    known = BY_NAME.get(district)
    if (known and known.kind == STADT) or first.lower().endswith("stadt"):
        return f"Die {district}"
    if first in ("Landkreis", "Kreis") or district.lower().endswith("kreis"):
        return f"Der {district}"
    return district
