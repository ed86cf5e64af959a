"""Understand a question: which district(s), year(s), sections, projects, and what kind of answer.

The kind of answer (intent) comes from the nearest example questions in `prompts/intents.toml`
(`assistant/intents.py`), after the district and year are taken out of the question, plus a few rules
that are clearly right ("§ 6" asks for a section, "wie viele Projekte" for a count). Districts are
matched by every name they go by (`domain/districts.py`), by number-plate code, and fuzzily for typos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process

import prompts
from assistant import glossary
from assistant.intents import MIN_SIMILARITY

from domain.districts import CITY_TYPES, HESSE, KREIS_TYPES, aliases, is_city, kfz_codes
from domain.german import STOPWORDS, fold, terms
from domain.records import SUPPORTING_TYPES, AgreementFacts

HESSIAN_DISTRICTS = [d.name for d in HESSE]
_AUTHORITY_BEFORE = ("rp", "regierungspraesidium", "regierungspraesidiums", "regierungsbezirk", "regierungsbezirks", "rb")
FUZZY_CUTOFF = 85  # rapidfuzz ratio for a misspelt district name ("giesen" ~ "giessen": 92)

_PROGRAMME = re.compile(r"ausbildungs-?\s*und\s+qualifizierungsbudgets?(\s+\d{4})?|\baqb\b")
SURE = 0.95  # a rule that names the kind of answer, though the question may hold words it does not explain
_GENERIC = set(terms(
    "Projekt Projekte Projekten Maßnahme Maßnahmen Maßnahmenart Maßnahmenarten fördert gefördert finanziert "
    "finanzieren Landkreis Kreis Stadt gibt welche welches gehört Budget Mittel Zielvereinbarung Vereinbarung wird "
    "werden project projects funded funds category district steht Thema regelt sagt Zielvereinbarungen "
    "Vereinbarungen laufen läuft unter alles passiert geschieht drin genau eigentlich etwas bekommt erhält kriegt "
    "Gebietskörperschaft Gebietskörperschaften Kommune Kommunen Kreise Landkreise Städte findet statt stattfinden "
    "geregelt steht stehen erfahren wissen welchem welcher vielen viele gemeint meint Paragraph Paragraphen "
    "Paragraf Abschnitt Abschnitte Absatz Kapitel Stelle section paragraph ZV"
))
_ENGLISH = re.compile(r"\b(what|which|how|who|does|is|the|much|many|when|where|did|signed|budget for|get|funding)\b")
_GERMAN = re.compile(r"\b(wie|welche|wer|der|die|das|und|ist|hat|wird|viel|gibt|fuer|was|wo|wann)\b")

# Rules that are clearly right; everything else is decided by the example questions.
_SECTION_REF = re.compile(r"(?:§+|\bparagra(?:ph|f)(?:en|s)?\b|\bpara\b\.?|\bpar\b\.?|\bsection\b|\babschnitt\b)\s*(\d{1,2}[a-z]?)\b")
_WHERE = re.compile(r"\b(?:in\s+)?welche[mr]?\s+(?:paragra\w*|abschnitt\w*|§)|\bwo\s+(?:steht|stehen|finde)|an welcher stelle|which (?:section|paragraph)|where (?:is|are|does)")
_COUNT = re.compile(r"\b(wie\s*viele?|anzahl|how many|number of|zahl der)\b")
_COUNT_CATALOG = re.compile(r"\b(wie\s*viele?|anzahl( der)?|how many|number of|zahl der)\s+(\w+\s+)?(projekt|massnahm|kategor|project|categor|angebot)")
_WHICH_PROJECTS = re.compile(r"\b(?:welche[snmr]?|which|liste|list|nenne|zeig)\w*\s+(?:\w+\s+)?(?:projekt|project|massnahm|angebot)")
_SIGN = re.compile(r"unterschrieb|unterschreib|unterzeichn|unterschrift|signiert|signed|signator|signatur|\bsign\b")
_CHANGE = re.compile(r"veraender|verander|entwickel|gestiegen|gesunken|gewachsen|vergleich|unterschied|change|compare|differen|vorjahr|mehr als|weniger als|\bvs\b|\bversus\b|gegenueber")
# a question about how a district's project list changed from one year to the next
_PROJECTS_CHANGED = re.compile(r"\bneue?n?\b|dazu ?gekommen|hinzu ?gekommen|gestrichen|weggefallen|entfallen|nicht mehr\b|"
                               r"umbenannt|umbenennung|\bnew\b|dropped|renamed")
_PROJECT_WORD = re.compile(r"proje|vorhaben|massnahmen\b|angebote|project")
_BUDGET_CHANGED = re.compile(r"veraender|verander|gestiegen|gesunken|gewachsen|gegenueber (?:dem )?vorjahr|zum vorjahr")
# what a question may ask about one project beyond its Maßnahmenart and amount
PROJECT_DETAILS = {
    "traeger": re.compile(r"traeger|anbieter|durchfuehr|wer (?:macht|fuehrt|bietet)|provider|run by"),
    "dates": re.compile(r"\bwann\b|\bstart(?:et|en|termin|datum)?\b|\bbeginn|laufzeit|wie lange|dauer|zeitraum|bis wann|\bwhen\b|duration"),
    "contact": re.compile(r"ansprechp|kontakt|zustaendig|contact"),
    "participants": re.compile(r"teilnehm|plaetze|participants"),
}
# a comparison of two ("mehr Geld Gießen oder Nordhain?", "wer bekommt weniger, A oder B?"): "less" or "more"
_LESS = re.compile(r"\b(?:weniger|niedriger|kleiner|geringer|less|lower|smaller)\b")
_MORE = re.compile(r"\b(?:mehr|hoeher|groesser|more|higher|bigger|larger)\b|\boder\b|\bvs\b|versus|vergleich|unterschied|\bor\b|compare")
_PRICEY = re.compile(r"teuerst|guenstigst|billigst|most expensive|cheapest")
_SUPERLATIVE_HIGH = re.compile(r"teuerst|hoechst|groesst|am meisten|meiste|highest|largest|biggest|most\b")
_SUPERLATIVE_LOW = re.compile(r"guenstigst|billigst|cheapest|niedrigst|kleinst|geringst|am wenigsten|wenigste|lowest|smallest|least\b")
_DEFINITION_CUE = re.compile(r"\b(was (ist|sind|bedeutet|bedeuten|heisst|meint)|wofuer steht|wozu|erklaer|definition|what (is|does)|was versteht|bedeutung|gemeint|abkuerzung|steht \S+ fuer|stands? for)\b")
_ROLE_DISTRICT = re.compile(r"landraet|landrat|buergermeister|dezernent|kreisseite|fuer den (?:land)?kreis|fuer die stadt|for the (?:district|county|city)")
_ROLE_MINISTRY = re.compile(r"minister|hmsi|fuer das land|land hessen|ministry|staatssekret|landesseite")
_ON_FILE = re.compile(r"\b(?:fuer )?welche (?:kreise|landkreise|staedte|kommunen|gebietskoerperschaften|districts|(?:ziel)?vereinbarungen|agreements)\b"
                      r".*\b(?:vor|vorliegen|vorhanden|gibt es|haben wir|eingelesen|on file|available|do we have)\b|"
                      r"\bwas (?:liegt|ist) (?:alles )?(?:vor|eingelesen|vorhanden)\b")
_SUM_ALL = re.compile(r"\b(?:summe|gesamtsumme|zusammen|total|insgesamt)\b.*\b(?:alle[rn]?|landesweit|hessenweit|all)\b|"
                      r"\b(?:alle[rn]?|landesweit|hessenweit|all)\b.*\b(?:zusammen|summe|total)\b")
STATEWIDE = re.compile(r"landesweit|hessenweit|ganz hessen|in hessen insgesamt|land hessen insgesamt|statewide|state-wide|all of hesse")
_VALIDITY = re.compile(r"\bab wann gilt|\bwie lange (?:laeuft|gilt)|\bseit wann (?:laeuft|gilt)|\bgilt (?:ab|seit|bis)\b|gueltig(?:keit| ab| bis)|\blaufzeit|in kraft|inkrafttreten|"
                       r"\bwirksam\b|\bin force\b|takes? effect|\bvalid (?:from|until)\b")
_AMENDMENT = re.compile(r"nachtrag|aenderung|geaendert|amendment|amended")
_PROJECT_PLACE = re.compile(r"kategori|massnahmenart|categor|gehoer|zugeordnet|gleiche[nr]? (?:bereich|gruppe)")
_ALL_YEARS = re.compile(r"egal (?:in )?welche[msn]? jahr|\balle[rn]? jahre|\baller jahre|ueber alle jahre|\bjemals\b|"
                        r"\bany year|\ball years|\bever\b")
_AMOUNT_CUE = re.compile(r"\bwie ?viel(?!e)\b(?: \w+)? (?:geld|euro|mittel|budget|kohle)\b|\bwie ?viel (?:bekommt|erhaelt|kriegt)\b|"
                         r"\bhow much (?:money|funding|budget)\b|\bwie hoch (?:ist|sind) (?:das|der|die) (?:budget|betrag|summe|haushaltsmittel)")
_SIGNER_ROLE = re.compile(r"\b(?:landraetin|landrat|oberbuergermeister(?:in)?|ob|buergermeister(?:in)?|staatsminister(?:in)?|"
                          r"staatssekretaer(?:in)?|ministerin|minister|landraetin)\b")
_ROLE_STEM = {"landraetin": "landr", "landrat": "landr", "ob": "oberbuergermeister", "oberbuergermeisterin": "oberbuergermeister",
              "buergermeisterin": "buergermeister", "staatsministerin": "staatsminister", "ministerin": "minister",
              "staatssekretaerin": "staatssekretaer"}
_MONEY_CUE = re.compile(r"wie ?viel(?!e)|betrag|summe|euro|geld|kriegt|bekommt|erhaelt|how much|\bget\b|\bgets\b|kosten|kostet|budget|amount|funding|foerder(?:summe|betrag)")
_CATEGORY_NO = re.compile(r"\b(?:massnahmenart|kategorie|category|bereich)\s*(?:nr\.?\s*)?(\d{1,2}|[a-h]\)|[ivx]{1,4}\b)")
_FOLLOW_UP = re.compile(r"^(und|und was|und wie|und wer|und wann|and|what about|und im|und fuer|und bei|dort|da)\b")
_PREVIOUS_YEAR = re.compile(r"jahr davor|vorjahr|im jahr zuvor|letzte[sn]? jahr|previous year|year before")
_NEXT_YEAR = re.compile(r"jahr danach|folgejahr|naechste[sn]? jahr|next year|year after")
_UNKNOWN_PLACE = re.compile(  # on the original text: a district name starts with a capital letter
    r"\b(?:Landkreis(?:es)?|Kreis(?:es)?|Stadt|LK|Lkr\.?)\s+([A-ZÄÖÜ][\wäöüß\-]+)"
    r"|(?i:\b(?:landkreis(?:es)?|stadt|lk)\s+)([a-zäöü][a-zäöüß]+-[a-zäöüß]+)"  # typed in lower case: "stadt fernwald-nord"
    r"|\b([A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ][\wäöüß]*)*(?:-Kreis|kreis)(?:es)?)\b"
)
_SPLIT_PARTS = re.compile(r"\s*(?:\?\s*|[;]\s*|(?<!-)\s+und\s+(?=(?:wer|wann|wo|wie|welche|was|who|when|how|which)\b))")
_ARTICLE_REF = re.compile(r"\b(?:artikel|art\.)\s*(\d{1,2})\b")  # an amendment's "Artikel 1"
_SECTION_CUE = re.compile(r"abschnitt|paragra|§|kapitel|was steht|was regelt|inhalt|section")
_SPLIT_KEYWORDS = re.compile(r"(?<!-)\s+(?:und|and|sowie|plus|\+|&)\s+")  # not "Ausbildungs- und …"
_TARGET = re.compile(r"\b(?:fuer|for|an|zur|zum)\s+([a-z][a-z\-]{3,}(?:\s+[a-z][a-z\-]{3,})?)")



@dataclass
class Question:
    text: str
    folded: str
    lang: str
    intent: str = "text"
    confidence: float = 0.0  # similarity of the nearest example question (1.0 for a rule)
    districts: list[str] = field(default_factory=list)  # districts with agreements on file
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # short name -> districts it may mean
    missing_districts: list[str] = field(default_factory=list)  # named, but no agreement on file
    suggestions: list[str] = field(default_factory=list)  # "Meinten Sie …?": districts on file near a missing one
    years: list[int] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # "§ 6"
    projects: list[str] = field(default_factory=list)  # catalog project names named in the question
    carriers: list[str] = field(default_factory=list)  # Träger of projects on file named in the question
    low: bool = False  # ranking: lowest instead of highest
    compare: str = ""  # "more" or "less": the question compares ("wer bekommt mehr, A oder B?")
    asks_count: bool = False
    signer: str = ""  # "district" or "ministry" when the question asks for one side's signature
    signer_role: str = ""  # the office named ("staatssekretaer"), folded and without its feminine ending
    signer_name: str = ""  # a signatory named by surname ("Welche hat Dr. Falkenrath unterschrieben?"), folded
    follow_up: bool = False  # "und 2024?": keeps the previous question's kind
    doc_kinds: list[str] = field(default_factory=list)  # kinds of supporting document named ("laut Bescheid")
    across: bool = False  # asks about every district on file, whichever it names in passing
    all_years: bool = False  # "egal welches Jahr": every year on file, not the newest
    relative_year: int = 0  # -1 "im Jahr davor", +1 "im Jahr danach"
    masked: str = ""  # the question without district names and years, for intent matching
    category: str = ""  # a Maßnahmenart the question names ("Ausbildungsvorbereitung", "Maßnahmenart 2")
    category_no: str = ""
    details: list[str] = field(default_factory=list)  # PROJECT_DETAILS a question about a project asks for
    names_category: bool = False  # its topic words name a Maßnahmenart of some agreement on file
    section_title: str = ""  # a § title the question names ("Verpflichtungen der Vereinbarungspartner")
    asks_amendment: bool = False  # names the Nachtrag / Änderung ("hat der Nachtrag die Projekte geändert?")

    @property
    def content_terms(self) -> list[str]:
        return terms(_PROGRAMME.sub(" ", self.folded))


def _clean(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"[?!,;:„“\"()]", " ", folded)
    folded = re.sub(r"(?<![\d§])\.(?!\d)", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def _alias_spans(folded: str, names: list[str]) -> list[tuple[int, int, str, bool]]:
    spans = []
    for name in names:
        specific, short = aliases(name)
        for alias, is_specific in [(a, True) for a in specific] + [(a, False) for a in short]:
            # "wetterau nord" is "Wetterau-Nord"; "Musterstadt-Vereinbarung" names Musterstadt
            pattern = r"[\s-]".join(re.escape(part) for part in re.split(r"[\s-]", alias))
            for match in re.finditer(rf"(?<![\w-]){pattern}(?:es|s|n)?(?!\w)", folded):
                spans.append((match.start(), match.end(), name, is_specific))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, bool]] = []
    for span in spans:
        if any(k[0] <= span[0] and span[1] <= k[1] and (k[1] - k[0]) > (span[1] - span[0]) for k in kept):
            continue
        kept.append(span)
    return kept


def match_districts(text: str, folded: str, known: list[str], vocabulary: set[str] = frozenset()):
    """Districts a question names: (on file, ambiguous short names, named but not on file, suggestions,
    the character spans of the names in `folded`)."""
    candidates = list(dict.fromkeys(known + HESSIAN_DISTRICTS))
    spans = _alias_spans(folded, candidates)
    by_text: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for start, end, name, is_specific in spans:
        by_text.setdefault((start, end), []).append((name, is_specific))
    on_file: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    missing: list[str] = []
    suggestions: list[str] = []
    for (start, end), names in by_text.items():
        specific = [n for n, s in names if s]
        chosen = list(dict.fromkeys(specific or [n for n, _ in names]))
        before = folded[:start].split()[-1:] or [""]
        if before[0] in _AUTHORITY_BEFORE:  # "RP Kassel", "Regierungsbezirk Gießen": an authority or a region, no district
            continue
        # "Stadt Gießen" where only Landkreis Gießen exists: not the same district
        wants_city = before[0] in CITY_TYPES
        wants_county = before[0] in KREIS_TYPES + ("lk", "lkr", "kr")
        if not specific and (wants_city or wants_county):
            fitting = [n for n in chosen if is_city(n) == wants_city]
            if not fitting:
                missing.append(f"{before[0].title()} {proper_title(folded[start:end])}")
                suggestions.extend(n for n in chosen if n in known)
                continue
            chosen = fitting
        present = [n for n in chosen if n in known]
        if len(chosen) > 1 and not specific:
            if present:
                if len(present) > 1:
                    ambiguous[folded[start:end]] = present
                on_file.extend(present)
            else:
                missing.extend(chosen[:1])
        elif present:
            on_file.extend(present)
        else:
            missing.extend(chosen)
            suggestions.extend(_near(chosen[0], known))
    # number-plate codes, written in capitals ("GI", "FD")
    for code, name in kfz_codes().items():
        if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            (on_file if name in known else missing).append(name)
    covered = [(s, e) for s, e, _, _ in spans]
    if not on_file and not missing:
        fuzzy_on, fuzzy_missing = _fuzzy_districts(folded, candidates, known, vocabulary, covered)
        on_file += fuzzy_on
        missing += fuzzy_missing
    return (list(dict.fromkeys(on_file)), ambiguous, list(dict.fromkeys(missing)),
            list(dict.fromkeys(s for s in suggestions if s not in on_file)), covered)


def proper_title(folded_name: str) -> str:
    return " ".join(w.capitalize() for w in folded_name.split())


def _near(name: str, known: list[str]) -> list[str]:
    """Districts on file whose names resemble a missing one ("Stadt Gießen" -> "Landkreis Gießen")."""
    wanted = fold(re.sub(r"^\S+\s+", "", name) if " " in name else name)
    scored = process.extract(wanted, {k: fold(k) for k in known}, scorer=fuzz.partial_ratio, limit=3, score_cutoff=80)
    return [key for _, _, key in scored]


def _fuzzy_districts(folded: str, candidates: list[str], known: list[str], vocabulary: set[str],
                     covered: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Misspelt district names ("giesen", "Marbrug"): words not in the agreements' vocabulary that are
    close to a district's short name."""
    choices: dict[str, str] = {}
    for name in candidates:
        specific, short = aliases(name)
        for alias in specific + short:
            if len(alias) >= 5 and " " not in alias:
                choices.setdefault(alias, name)
    on_file, missing = [], []
    for match in re.finditer(r"[a-z][a-z\-]{4,}", folded):
        word = match.group(0)
        if word in vocabulary or word in STOPWORDS or any(s <= match.start() < e for s, e in covered):
            continue
        best = process.extractOne(word, choices.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best:
            name = choices[best[0]]
            (on_file if name in known else missing).append(name)
    return on_file, missing


def find_years(folded: str, has_subject: bool) -> list[int]:
    years = {int(y) for y in re.findall(r"(?<![\d.,§])\b(20\d{2})\b(?![.,]\d)", folded)}
    if not years and has_subject:  # "Projekte Fulda 24": a two-digit year after a name or at the end
        for match in re.finditer(r"(?<![§\d.,])\b(1[5-9]|2\d|3[0-5])\b(?![.,]?\d)", folded):
            before = folded[: match.start()].rstrip()
            if not re.search(r"(§|paragra\w*|abschnitt|nr|wie viele|anzahl)$", before):
                years.add(2000 + int(match.group(1)))
    return sorted(years)


def find_projects(folded: str, catalog: list[AgreementFacts]) -> list[str]:
    projects: list[str] = []
    for name in dict.fromkeys(p.name for facts in catalog for p in facts.projects):
        head = re.split(r"[,.:]\s|\s[-–—]\s|\s\(", name)[0].strip()  # "BOM, Berufsorientierung …", "MiA – Migrantinnen …"
        keys = [_clean(name).strip(), short_project_name(name)] + ([_clean(head)] if head != name else [])
        for key in keys:
            acronym = sum(ch.isupper() for ch in head) >= 2 and _clean(head) == key  # "BOM", "MiA"
            long_enough = len(key) >= 4 or (len(key) == 3 and acronym)
            if long_enough and key in folded and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                projects.append(name)
                break
    if not projects:
        projects = _project_by_words(folded, catalog)
    if not projects and re.search(r"projekt|project", folded):
        projects = _project_by_rare_word(folded, catalog)
    return projects


# a question about where a Träger works: the Träger's word and a question for districts ("In welchen Kreisen ist …
# Träger?", "Für welche Städte arbeitet …?"); a Träger named in passing leaves the question as it is
_ASKS_CARRIER = re.compile(r"(?=.*(?:traeger|\barbeitet\b|\btaetig\b|\baktiv\b|\bruns\b))"
                           r"(?=.*(?:in welchen|fuer welche|\bwo\b|which (?:districts|cities)|\bwhere\b))")
_LEGAL_FORM = re.compile(r"\s+(?:e\s?v|ggmbh|gmbh|ag|kg)$")  # as _clean leaves it: "e.V." is "e v"


def carrier_key(name: str) -> str:
    """A Träger's name as questions and texts give it: folded, without punctuation and legal form ("bildungswerk
    mittelland" for "Bildungswerk Mittelland gGmbH")."""
    return _LEGAL_FORM.sub("", _clean(name))


def names_carrier(text: str, name: str) -> bool:
    """Whether a text (a question, a passage) names the Träger, with or without its legal form."""
    key = carrier_key(name)
    return len(key) >= 8 and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", _clean(text)) is not None


def find_carriers(folded: str, catalog: list[AgreementFacts]) -> list[str]:
    """The Träger of projects on file the question names, by their name without its legal form."""
    return [name for name in dict.fromkeys(p.carrier for facts in catalog for p in facts.projects if p.carrier)
            if names_carrier(folded, name)]


def _project_by_words(folded: str, catalog: list[AgreementFacts]) -> list[str]:
    """A project named by its words in another order or with a typo: "teilzeitausbildung alleinerziehende"
    is "Teilzeitausbildung für Alleinerziehende", "digitalwerksatt 45+" is "Digitalwerkstatt 45+". Every
    word of five letters or more in the name (at least two of them, or one long one with a figure) must
    stand in the question, each allowing one typo; district words don't count."""
    asked = [w for w in re.findall(r"[a-z0-9]+", folded) if len(w) >= 5]
    places = {w for facts in catalog for w in re.findall(r"[a-z0-9]+", _clean(facts.district))}
    found = []
    for name in dict.fromkeys(p.name for facts in catalog for p in facts.projects):
        words = [w for w in re.findall(r"[a-z0-9]+", _clean(name)) if len(w) >= 5 and w not in places]
        figures = [f for f in re.findall(r"\d+", name) if not re.fullmatch(r"20\d\d", f)]  # "45+", not a year
        if len(words) < 2 and not (words and len(words[0]) >= 10 and figures and all(f in folded for f in figures)):
            continue
        if all(any(w == x or fuzz.ratio(w, x) >= 88 for x in asked) for w in words):
            found.append(name)
    return found


def _project_by_rare_word(folded: str, catalog: list[AgreementFacts]) -> list[str]:
    """"oberwaldau forstwirtschaft projekt kosten": a long word that only one project's name holds names that
    project (a word a Maßnahmenart also uses does not)."""
    names = list(dict.fromkeys(p.name for facts in catalog for p in facts.projects))
    common = {w for facts in catalog for c in [*facts.categories, facts.district] for w in _clean(c).split()}
    words = [w for w in set(folded.split()) if len(w) >= 8 and w not in common]
    hits = {w: [n for n in names if w in _clean(n).split()] for w in words}
    return list(dict.fromkeys(n for w, found in hits.items() if len(found) == 1 for n in found))


def short_project_name(name: str) -> str:
    folded = _clean(name)
    short = re.split(r"\s[-–—]\s|\s-\s|- |\(", folded)[0]
    return short.strip(" „“\"")


def split_parts(text: str) -> list[str]:
    """A question with two parts ("Wie viel bekommt Gießen und wer hat unterschrieben?") as two questions."""
    parts = [p.strip() for p in _SPLIT_PARTS.split(text) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= 2]
    return parts if len(parts) >= 2 else [text]


def split_keywords(text: str) -> list[str]:
    """Keyword questions joined by "und" / "+" ("Budget und Projekte Gießen 2025") as their parts; whether
    the parts really ask for two different facts is for the caller to decide."""
    parts = [p.strip() for p in _SPLIT_KEYWORDS.split(text) if p.strip()]
    return parts if len(parts) == 2 else [text]


def _named(folded: str, names) -> str | None:
    """The longest of some names (categories, § titles) that a question contains, allowing a typo or two."""
    best = None
    for name in names:
        key = _clean(name)
        if len(key) < 12:
            continue
        if key in folded or (len(folded) >= len(key) and fuzz.partial_ratio(key, folded) >= 92):
            if best is None or len(name) > len(best):
                best = name
    return best


def named_kinds(text: str) -> list[str]:
    """The kinds of supporting document a question names ("laut Bescheid", "im Protokoll"), in the words ingest
    files them under."""
    return [name for name, pattern in SUPPORTING_TYPES if pattern.search(text)]


def kind_terms(text: str) -> set[str]:
    """The stems of the words that name a kind of supporting document in a text ("laut Fördergrundsätzen")."""
    return {t for _, pattern in SUPPORTING_TYPES for m in pattern.finditer(text) for t in terms(m.group(0))}


def understand(text: str, catalog: list[AgreementFacts], classify=None, vocabulary: set[str] = frozenset(),
               titles: set[str] = frozenset()) -> Question:
    """What a question asks. `classify(masked_text) -> (intent, similarity)` is the example matcher."""
    folded = _clean(text)
    known = sorted({d.district for d in catalog if d.district})
    districts, ambiguous, missing, suggestions, spans = match_districts(text, folded, known, vocabulary)
    if not districts and not missing:
        for match in _UNKNOWN_PLACE.finditer(text):
            name = (match.group(1) or match.group(2) or match.group(3) or "").strip()
            if name and name not in ("Landkreis", "Kreis") and len(name) > 3 and fold(name) not in vocabulary:
                missing.append(match.group(0).strip())
                suggestions += _near(match.group(0), known)
    sections = [f"§ {n}" for n in _SECTION_REF.findall(folded)] + [f"Artikel {n}" for n in _ARTICLE_REF.findall(folded)]
    years = find_years(folded, bool(districts or missing or ambiguous) or len(folded.split()) <= 4)
    projects = find_projects(folded, catalog)
    # a Träger the question asks about ("für welche Kreise arbeitet …", "… Träger?"), not one it names in passing
    carriers = find_carriers(folded, catalog) if _ASKS_CARRIER.search(folded) else []
    if carriers:  # "Diakonisches Werk Nesselau" names a Träger, not the district Nesselau
        rest = folded
        for name in carriers:
            rest = rest.replace(carrier_key(name), " ")
        districts = [d for d in districts if any(re.search(rf"(?<![\w-]){re.escape(alias)}", rest) for alias in sum(aliases(d), []))]
    category_no = _CATEGORY_NO.search(folded)
    category = _named(folded, {c for d in catalog for c in d.categories})
    english = len(_ENGLISH.findall(folded)) > len(_GERMAN.findall(folded))

    masked = folded
    for start, end in sorted(spans, reverse=True):
        masked = masked[:start] + " " + masked[end:]
    masked = re.sub(r"\b(20\d{2}|\d{2})\b", " ", masked)
    masked = _PROGRAMME.sub(" budget ", masked)  # the programme's name is context, like the district's
    for name in districts + missing:
        for alias in sum(aliases(name), []):
            masked = re.sub(rf"(?<![\w-]){re.escape(alias)}\w*", " ", masked)
    masked = re.sub(r"\s+", " ", masked).strip()

    q = Question(text=text, folded=folded, lang="en" if english else "de", districts=districts, ambiguous=ambiguous,
                 missing_districts=missing, suggestions=suggestions, years=years, sections=sections, projects=projects,
                 carriers=carriers,
                 low=bool(_SUPERLATIVE_LOW.search(folded)), asks_count=bool(_COUNT.search(folded)), masked=masked,
                 compare="less" if _LESS.search(folded) else "more" if _MORE.search(folded) else "")
    q.category = category or ""
    q.category_no = category_no.group(1).rstrip(")") if category_no else ""
    q.section_title = _named(folded, titles) or ""
    own = {t for d in districts for alias in sum(aliases(d), []) for t in terms(alias)}
    unnamed = folded
    for name in projects:
        unnamed = unnamed.replace(_clean(name), " ")
    # a detail of named projects, or of the whole list ("welche Träger führen die Projekte durch?")
    about_projects = bool(projects) or bool(re.search(r"projekt|project|massnahmen\b", unnamed))
    q.details = [kind for kind, asked in PROJECT_DETAILS.items() if about_projects and asked.search(unnamed)]
    q.names_category = bool(category or category_no) or any(best_category(q, d.categories, own) for d in catalog)
    q.all_years = bool(_ALL_YEARS.search(folded))
    q.asks_amendment = bool(_AMENDMENT.search(folded))
    q.across = bool(_SUM_ALL.search(folded))  # "Summe aller Budgets 2025 (mit Nachtrag Musterstadt)"
    q.follow_up = bool(_FOLLOW_UP.search(folded)) or not masked or masked in ("und", "and")
    q.doc_kinds = named_kinds(text)
    q.relative_year = -1 if _PREVIOUS_YEAR.search(folded) else (1 if _NEXT_YEAR.search(folded) else 0)
    if _SIGN.search(folded) or re.search(r"landraet|landrat|minister|oberbuergermeister", folded):
        q.signer = "ministry" if _ROLE_MINISTRY.search(folded) else ("district" if _ROLE_DISTRICT.search(folded) else "")
    surnames = {fold(sig.name).split()[-1] for d in catalog for sig in d.signatures if sig.name}
    q.signer_name = next((n for n in sorted(surnames) if len(n) >= 4 and re.search(rf"\b{re.escape(n)}\b", folded)), "")
    role = _SIGNER_ROLE.search(folded)
    q.signer_role = _ROLE_STEM.get(role.group(0), role.group(0)) if role else ""
    q.intent, q.confidence = _intent(q, classify)
    return q


def _intent(q: Question, classify) -> tuple[str, float]:
    f = q.folded
    # rules that are clearly right
    if _WHERE.search(f):
        return "where", 1.0
    if _DEFINITION_CUE.search(f) and glossary.lookup(q.text):
        return "definition", 1.0
    if q.sections:
        return "section", 1.0
    if _COUNT_CATALOG.search(f):
        return "count", 1.0
    if _SIGN.search(f):
        return "signatures", 1.0
    if _VALIDITY.search(f) and not q.projects and not re.search(r"projekt|project", f):  # "ab wann gilt der Nachtrag?", "Laufzeit der Vereinbarung"
        return "validity", 1.0
    if _SIGNER_ROLE.search(f) and not q.projects:  # "wer ist die Landrätin", "OB Fantasia name"
        return "signatures", SURE
    if q.carriers and not q.projects and not q.districts:  # "In welchen Kreisen ist das Bildungswerk Mittelland Träger?"
        return "carrier", 1.0
    if q.projects and _MONEY_CUE.search(f):
        return "project_amount", 1.0
    if q.details:  # "wer ist der Träger von MiA?", "wann startet das Ausbildungscamp?"
        return "projects", SURE
    if q.names_category and _MONEY_CUE.search(f) and not (q.projects or _COUNT_CATALOG.search(f) or q.across):
        return "category_amount", SURE  # "wie viel geht in die Ausbildungsvorbereitung?"
    if (q.category or q.category_no) and not _COUNT.search(f):
        return "projects", 1.0
    if (_SUM_ALL.search(f) or STATEWIDE.search(f) and (_MONEY_CUE.search(f) or "wie hoch" in f)) and not q.projects:
        # "Summe aller Budgets 2025 (mit Nachtrag Musterstadt)", "wie hoch ist das AQB landesweit?"
        return "total", 1.0
    if q.projects and (_DEFINITION_CUE.search(f) or _PROJECT_PLACE.search(f)):
        return "projects", SURE  # "was ist MiA?", "sind Jobagent und Wegbereiter in der gleichen Kategorie?"
    if _ON_FILE.search(f) and not q.districts:  # "für welche Kreise liegen Zielvereinbarungen 2025 vor?"
        return "on_file", 1.0
    if not q.projects and not q.sections and (
            (_PROJECTS_CHANGED.search(f) and (_PROJECT_WORD.search(f) or not _MONEY_CUE.search(q.masked or f)))
            or (_PROJECT_WORD.search(f) and re.search(r"geaendert|veraender|verander|aenderung", f))):
        return "project_changes", SURE  # "welche Projekte sind 2025 neu?", "was wurde gestrichen?", "umbenannt?"
    if (_SUPERLATIVE_HIGH.search(f) or q.low) and re.search(r"projekt|project", f) and (_MONEY_CUE.search(f) or _PRICEY.search(f)) \
            and not q.projects:
        return "project_ranking", SURE  # "welches Projekt hat die höchste Fördersumme?"
    if (_SUPERLATIVE_HIGH.search(f) or q.low) and re.search(r"budget|geld|mittel|betrag|summe|euro|funding", f) \
            and not re.search(r"projekt|project", f) and len(q.districts) != 1:
        return "ranking", SURE  # "welches Budget ist am höchsten 2025"
    if "Bescheid" in q.doc_kinds and _CHANGE.search(f) and not q.projects and not q.sections:
        return "amount", SURE  # "Bescheid vs Zielvereinbarung", "warum bewilligt der Bescheid weniger?": both amounts
    if _AMOUNT_CUE.search(f) and not q.projects and not q.sections:  # "wie viel Geld bekommt …", "how much funding"
        return "amount", SURE
    if _WHICH_PROJECTS.search(f) and not q.projects:
        return "projects", 1.0
    if re.search(r"\bprojekt|\bproject", f) and not (q.projects or _MONEY_CUE.search(f) or _COUNT.search(f)):
        return "projects", SURE  # "kreis gießen teilzeitausbildung projekt": the word says what is asked for
    if q.section_title and _SECTION_CUE.search(f):  # "was steht im Abschnitt Zielsteuerung"
        return "section", 1.0
    if len(q.years) >= 2 and not q.sections and (_CHANGE.search(f) or re.search(r"von \d{4} (auf|zu|nach|bis) \d{4}", f)):
        return "change", 1.0
    if _BUDGET_CHANGED.search(f) and _MONEY_CUE.search(q.masked or f) and not q.projects and not q.sections:
        return "change", SURE  # "Veränderung AQB Kronwasser gegenüber Vorjahr", "ist das Budget gestiegen?"
    intent, similarity = classify(q.masked or f) if classify else ("text", 0.0)
    intent, similarity = _of_asked_type(q, intent, similarity, classify)
    money = intent in ("amount", "project_amount", "total", "ranking")
    if q.projects and intent in ("amount", "project_amount"):
        intent = "project_amount"
    elif intent == "project_amount" and not q.projects:
        intent = "amount" if not re.search(r"projekt|project", f) else "project_amount"
    if intent == "category_amount" and not (q.names_category and _MONEY_CUE.search(f)):
        intent = "projects" if q.names_category else ("amount" if _MONEY_CUE.search(f) else "text")
    if intent == "project_districts" and not q.projects:
        intent = "projects"
    if intent == "definition" and not _DEFINITION_CUE.search(f) and (q.districts or q.years):
        intent = "amount"  # "AQB Gießen 2025": the district's budget, not what the AQB is
    if intent in ("ranking", "total") and (q.districts and len(q.districts) == 1 and not q.ambiguous):
        intent = "amount"  # one district named: its own figure
    if intent == "count" and not _COUNT.search(f):
        intent = "projects"
    if intent == "where" and not q.sections and not _WHERE.search(f):
        intent = "text"
    if intent == "change" and not (money or _CHANGE.search(f)):
        intent = "text"
    if intent == "amount" and re.search(r"veraender|verander|entwickel|gestiegen|gesunken|gewachsen", f):
        intent = "change"  # "wie hat sich das Budget verändert?": the change, not the amount alone
    return intent, similarity


# what a question word asks for, and the intents whose answers are of that type: "wie viel" wants an amount, never
# the office that issues the Bescheid; "bis wann" a date, never a budget
_ASKED_TYPES = (
    (re.compile(r"\bwie ?viel(?!e)\b|\bhow much\b"),
     {"amount", "project_amount", "category_amount", "total", "ranking", "project_ranking", "change", "text"}),
    (re.compile(r"\bbis wann\b|^(?:und )?wann\b|\bwhen\b"), {"validity", "signatures", "projects", "text"}),
    (re.compile(r"\bwie ?viele\b|\bhow many\b"), {"count", "projects", "text"}),
)


# the intents that rank or sum amounts, and the words without which a question asks for no amount: "Wie lauten die
# Maßnahmenarten des AQB?" is no ranking of budgets, however near an example it is
_MONEY_INTENTS = {"total", "ranking", "project_ranking"}  # answers across districts: a whole table, in bold
_ASKS_AMOUNTS = re.compile(
    r"wie ?viel|betrag|summe|euro|geld|krieg|bekommt|bekommen|erhaelt|erhalten|how much|\bget|kosten|kostet|budget|amount|"
    r"fund|foerder|mittel|zuweis|finanz|hoeh|kohle|money|hoechst|niedrigst|groesst|kleinst|meisten|wenigsten|teuer|"
    r"guenstig|billig|vorne|rangliste|mehr\b|weniger|gestiegen|gesunken|veraender|verander|entwickl|vergleich|\bvs\b|"
    r"unterschied|differenz|most|least|total|insgesamt|zusammen|teuerst|biggest|largest|smallest")


def _of_asked_type(q: Question, intent: str, similarity: float, classify) -> tuple[str, float]:
    """The example matcher's intent if its answers are of the type the question word asks for; else the nearest
    example's intent that is, or a passage ("text")."""
    fitting = next((fits for asks, fits in _ASKED_TYPES if asks.search(q.folded)), None)
    if intent in _MONEY_INTENTS and not _ASKS_AMOUNTS.search(q.folded):
        fitting = (fitting or set(prompts.intent_examples()) | {"text"}) - _MONEY_INTENTS
    if fitting is None or intent in fitting:
        return intent, similarity
    nearest = getattr(classify, "nearest", None)
    for other, _, score in nearest(q.masked or q.folded, k=12) if nearest else []:
        if other in fitting and score >= MIN_SIMILARITY:
            return other, score
    return "text", similarity


def category_terms(question: Question, district_words: set[str]) -> set[str]:
    """The question's terms that can name a Maßnahmenart (no programme name, district or generic words)."""
    return {t for t in question.content_terms if t not in _GENERIC and t not in district_words and not t.isdigit()}


_FOCUS = re.compile(r"\b(?:welche[mnrs]?|which|what)\s+([a-z][a-z\-]+)")


def topic_groups(question: Question, district_words: set[str]) -> list[set[str]]:
    """The question's topic terms, each with the words the agreements use for it (prompts/thesaurus.toml).
    The noun a "welche …" question asks for comes first: it is the focus ("mit welchem Bündnis …")."""
    synonyms = _thesaurus()
    focus = [t for m in _FOCUS.finditer(question.folded) for t in terms(m.group(1))]
    ordered = sorted(category_terms(question, district_words), key=lambda t: (t not in focus, t))
    return [{t} | synonyms.get(t, set()) for t in ordered]


def focus_term(question: Question) -> str | None:
    match = _FOCUS.search(question.folded)
    found = terms(match.group(1)) if match else []
    return found[0] if found and found[0] not in _GENERIC else None


@cache
def _thesaurus() -> dict[str, set[str]]:
    """Stem -> the stems of the words the agreements use for it (hyphenated words stay whole:
    "Teilzeit-Ausbildung" must not make every "Ausbildung…" a synonym)."""
    table: dict[str, set[str]] = {}
    for word, used in prompts.thesaurus().items():
        for key in terms(word.replace("-", "")):
            table.setdefault(key, set()).update(t for phrase in used for t in terms(phrase.replace("-", "")))
    return table


def target_words(question: Question, ignore: set[str]) -> list[set[str]]:
    """What a list question filters on ("Projekte für Frauen", "frauenprojekte", "digital projects"):
    its topic words apart from the ones in `ignore` (district, asking for projects), each with synonyms."""
    folded = re.sub(r"(\w{4,}?)(projekte?n?|angebote?|massnahmen)\b", r"\1 \2", question.folded)
    stripped = Question(text=question.text, folded=folded, lang=question.lang)
    synonyms = _thesaurus()
    return [{t} | synonyms.get(t, set()) for t in sorted(category_terms(stripped, ignore)) if len(t) >= 4]


def _similar(a: str, b: str) -> int:
    if a == b:
        return 2
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)):
        return 1
    return 0


def best_category(question: Question, categories: list[str], district_words: set[str]) -> str | None:
    """The Maßnahmenart the question is about, if it names one clearly."""
    wanted = category_terms(question, district_words)
    if not wanted or not categories:
        return None
    scored = []
    for category in categories:
        cat_terms = set(terms(category)) - _GENERIC
        score = sum(max((_similar(q, c) for c in cat_terms), default=0) for q in wanted)
        scored.append((score, category))
    scored.sort(key=lambda s: -s[0])
    best_score, best = scored[0]
    if best_score >= 2 and (len(scored) == 1 or scored[1][0] < best_score):
        return best
    return None
