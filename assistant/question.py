"""Understand a question: which district(s), which year(s), what kind of answer, which category or project."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.districts import HESSE, aliases
from domain.german import fold, terms
from domain.records import AgreementFacts

HESSIAN_DISTRICTS = [d.name for d in HESSE]
_CITY_TYPES = ("stadt", "landeshauptstadt", "wissenschaftsstadt", "universitaetsstadt")
_KREIS_TYPES = ("landkreis", "kreis")

INTENTS = ("change", "ranking", "total", "project_districts", "signatures", "authority",
           "project_amount", "amount", "projects", "text")

_MONEY = re.compile(r"budget|geld|mittel\b|haushaltsmittel|euro|betrag|summe|finanzvolumen|money|funding|erh(ae|a)lt|bekomm|receiv")
_QUANTITY = re.compile(r"wie\s*viel|wie hoch|hoehe|how much|betrag|welche[sn]? budget|what is the (total )?budget|budget (von|des|der|fuer|for|of)|summe|total budget|bekommt|bekommen|erhaelt|erhalten|receive")
_CHANGE = re.compile(r"veraender|entwickelt|gestiegen|gesunken|gewachsen|vergleich|unterschied|change|compare|differen|vorjahr|von \d{4} (auf|zu|nach) \d{4}")
_SUPERLATIVE_HIGH = re.compile(r"hoechst|groesst|meist|hoechste|highest|largest|biggest|most\b")
_SUPERLATIVE_LOW = re.compile(r"niedrigst|kleinst|geringst|wenigst|lowest|smallest|least\b")
_TOTAL = re.compile(r"insgesamt|gesamt|summe|zusammen|total|alle[nr]? (kreise|landkreise|gebietskoerperschaften|staedte|kommunen)|verteilt|in sum\b|overall|all districts")
_WHICH_DISTRICTS = re.compile(r"welche[nr]? (kreise|landkreise|staedte|gebietskoerperschaften|kommunen|kreis|stadt)|wer (foerdert|finanziert)|wo wird|which (districts|counties|cities)|who funds")
_SIGN = re.compile(r"unterschrieb|unterzeichn|unterschrift|signiert|signed|signator|sign\b")
_AUTHORITY = re.compile(r"bescheid|regierungspraesidium|bewillig|erlaesst|erlassen|issu|authority|behoerde")
_PROJECT = re.compile(r"projekt|project")
_WHICH = re.compile(r"\b(welche[snmr]?|which|was|what|nenne|liste|list)\b")
_FUNDS = re.compile(r"foerder|finanzier|massnahm|fund|finance")
_COUNT = re.compile(r"wie viele|wieviele|anzahl|how many|number of|teilnehm|participant")
_UNKNOWN_PLACE = re.compile(  # on the original text: a district name starts with a capital letter
    r"\b(?:Landkreis(?:es)?|Kreis(?:es)?|Stadt)\s+([A-ZÄÖÜ][\wäöüß\-]+)"
    r"|\b([A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ][\wäöüß]*)*(?:-Kreis|kreis)(?:es)?)\b"
)
_PROGRAMME = re.compile(r"ausbildungs-?\s*und\s+qualifizierungsbudgets?(\s+\d{4})?|\baqb\b")
_GENERIC = set(terms(
    "Projekt Projekte Projekten Maßnahme Maßnahmen Maßnahmenart fördert gefördert finanziert finanzieren "
    "Landkreis Kreis Stadt gibt welche welches gehört Budget Mittel Zielvereinbarung Vereinbarung wird werden "
    "project projects funded funds category district steht Thema regelt sagt Zielvereinbarungen Vereinbarungen"
))
_ENGLISH = re.compile(r"\b(what|which|how|who|does|is|the|much|many|when|where|did|signed|budget for)\b")
_GERMAN = re.compile(r"\b(wie|welche|wer|der|die|das|und|ist|hat|wird|viel|gibt|fuer)\b")


def district_aliases(name: str) -> tuple[list[str], list[str]]:
    return aliases(name)


@dataclass
class Question:
    text: str
    folded: str
    lang: str
    intent: str
    districts: list[str] = field(default_factory=list)  # districts with agreements on file
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # short name -> districts it may mean
    missing_districts: list[str] = field(default_factory=list)  # named, but no agreement on file
    years: list[int] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)  # catalog project names named in the question
    low: bool = False  # ranking: lowest instead of highest
    asks_count: bool = False

    @property
    def content_terms(self) -> list[str]:
        return terms(_PROGRAMME.sub(" ", self.folded))


def _match_districts(folded: str, known: list[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Districts named in a folded question: (on file, ambiguous short names, named but not on file)."""
    spans: list[tuple[int, int, str, bool]] = []  # start, end, district, specific
    candidates = list(dict.fromkeys(known + HESSIAN_DISTRICTS))
    for name in candidates:
        specific, short = district_aliases(name)
        for alias, is_specific in [(a, True) for a in specific] + [(a, False) for a in short]:
            for match in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?:es|s)?(?![\w-])", folded):
                spans.append((match.start(), match.end(), name, is_specific))
    # keep the longest spans; a span inside a longer one is part of that name
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, bool]] = []
    for span in spans:
        if any(k[0] <= span[0] and span[1] <= k[1] and (k[1] - k[0]) > (span[1] - span[0]) for k in kept):
            continue
        kept.append(span)
    by_text: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for start, end, name, is_specific in kept:
        by_text.setdefault((start, end), []).append((name, is_specific))
    on_file: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    missing: list[str] = []
    for (start, end), names in by_text.items():
        specific = [n for n, s in names if s]
        chosen = specific or [n for n, _ in names]
        chosen = list(dict.fromkeys(chosen))
        present = [n for n in chosen if n in known]
        if len(chosen) > 1 and not specific:
            if present:
                ambiguous[folded[start:end]] = present
                on_file.extend(present)
            else:
                missing.extend(chosen)
        elif present:
            on_file.extend(present)
        else:
            missing.extend(chosen)
    return list(dict.fromkeys(on_file)), ambiguous, list(dict.fromkeys(missing))


def _short_project_name(name: str) -> str:
    folded = fold(name)
    short = re.split(r"\s[-–—]\s|\.\s|\(|:|,|- ", folded)[0]
    return short.strip(" „“\"")


def understand(text: str, catalog: list[AgreementFacts]) -> Question:
    folded = fold(text)
    folded_clean = re.sub(r"[?!.,;:„“\"()]", " ", folded)
    folded_clean = re.sub(r"\s+", " ", folded_clean)
    known = sorted({d.district for d in catalog})
    districts, ambiguous, missing = _match_districts(folded_clean, known)
    if not districts and not missing:
        for match in _UNKNOWN_PLACE.finditer(text):
            name = (match.group(1) or match.group(2) or "").strip()
            if name and name not in ("Landkreis", "Kreis") and len(name) > 3:
                missing.append(match.group(0).strip())
    years = sorted({int(y) for y in re.findall(r"\b(20\d{2}|19\d{2})\b", folded)})

    projects: list[str] = []
    for name in dict.fromkeys(p.name for facts in catalog for p in facts.projects):  # each name once
        for key in (fold(name).strip(" „“\""), _short_project_name(name)):
            if len(key) >= 4 and key in folded_clean and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded_clean):
                projects.append(name)
                break

    english = len(_ENGLISH.findall(folded)) > len(_GERMAN.findall(folded))
    money = bool(_MONEY.search(folded))
    mentions_project = bool(_PROJECT.search(folded))
    if _CHANGE.search(folded) and (money or len(years) >= 2):
        intent = "change"
    elif (_SUPERLATIVE_HIGH.search(folded) or _SUPERLATIVE_LOW.search(folded)) and money:
        intent = "ranking"
    elif _TOTAL.search(folded) and (money or _QUANTITY.search(folded)) and not districts and not projects and not ambiguous:
        intent = "total"
    elif _WHICH_DISTRICTS.search(folded) and (projects or mentions_project):
        intent = "project_districts"
    elif _SIGN.search(folded):
        intent = "signatures"
    elif _AUTHORITY.search(folded):
        intent = "authority"
    elif money and _QUANTITY.search(folded) and (projects or (mentions_project and not _WHICH.search(folded))):
        intent = "project_amount"
    elif money and _QUANTITY.search(folded):
        intent = "amount"
    elif mentions_project or (_WHICH.search(folded) and _FUNDS.search(folded)):
        intent = "projects"
    else:
        intent = "text"
    if intent == "projects" and _COUNT.search(folded) and not re.search(r"(wie ?viele|anzahl der|how many) (projekt|massnahm|project)", folded):
        intent = "text"  # "Wie viele Teilnehmende hat das Projekt X?": a count the text may or may not give
    return Question(
        text=text,
        folded=folded_clean,
        lang="en" if english else "de",
        intent=intent,
        districts=districts,
        ambiguous=ambiguous,
        missing_districts=missing,
        years=years,
        projects=projects,
        low=bool(_SUPERLATIVE_LOW.search(folded)),
        asks_count=bool(_COUNT.search(folded)),
    )


def category_terms(question: Question, district_words: set[str]) -> set[str]:
    """The question's terms that can name a Maßnahmenart (no programme name, district or generic words)."""
    return {t for t in question.content_terms if t not in _GENERIC and t not in district_words and not t.isdigit()}


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
