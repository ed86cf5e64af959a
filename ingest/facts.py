"""Extract the facts of one document from its chunks: who, which year, how much, which projects, who signed.

Each fact keeps the id of the chunk it came from, so an answer can cite it. Agreements and amendments
get every fact; supporting documents (Bescheid, Fördergrundsätze, Sachbericht …) only their type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain import districts
from domain.german import find_amounts, fold, format_euro, parse_date, parse_number
from domain.records import AGREEMENT, AMENDMENT, SUPPORTING, AgreementFacts, BudgetPart, Chunk, Project, Signature
from ingest.checks import check_facts
from ingest.readers import IngestError
from ingest.supporting import bescheid_facts, doc_type, first_kind_word, supporting_year
from ingest.structure import (APPENDED, BULLET, MASSNAHMENARTEN, CATEGORY_LABEL as _CATEGORY_LABEL, CATEGORY_WORDS, ENUMERATION, HEAD,
                              MONTHS, ROLE, SIGN, SIGN_PAIR, SIGN_RUN_TOGETHER, SIGNATURES, is_category_line,
                              is_massnahmenart, is_sentence, is_table_row, signer_for_apart, table_cells)

# --- district ---------------------------------------------------------------------------------------
_TYPE = r"(?:Landkreis|Kreis|Stadt|Wissenschaftsstadt|Universitätsstadt|Landeshauptstadt|Kreisstadt)(?:es)?"
_NAME = r"(?:Bad\s+)?[A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ][\wäöüß]*)*"
_PLACE_SUFFIX = r"(?:\s+(?:am\s+Main|a\.\s?M\.|am\s+[A-ZÄÖÜ][\wäöüß]+|an\s+der\s+[A-ZÄÖÜ][\wäöüß]+|\(Main\)))?"
_TYPED = rf"{_TYPE}\s+{_NAME}{_PLACE_SUFFIX}"
_KREIS_WORD = r"[A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ][\wäöüß]*)*(?:-Kreis|kreis)"
_DISTRICT = rf"(?P<d>{_TYPED}|{_KREIS_WORD})(?![\wäöüß-])"
_PARTY = re.compile(rf"(?:\bund|\bzwischen|\bmit)\s+(?:(?:dem|der|den)\s+)?{_DISTRICT}")
_RECIPIENT = re.compile(rf"\b(?:stellt|gewährt|bewilligt|bewillige\s+ich|gewähre\s+ich)\s+(?:Ihnen\s+)?(?:dem|der)\s+{_DISTRICT}")
_ADDRESSEE = re.compile(rf"^\W*(?:An\s+(?:den|die|das)\s+)(?P<d>{_TYPED}|{_KREIS_WORD})", re.MULTILINE)
_ANY_DISTRICT = re.compile(_DISTRICT)
_GENERIC_KREIS = {"landkreis", "kreis", "stadtkreis", "arbeitskreis", "personenkreis", "teilnehmerkreis",
                  "teilnehmendenkreis", "adressatenkreis", "zielgruppenkreis", "interessentenkreis", "landeshauptstadt"}
_MINISTRY = re.compile(r"Ministerium|HMSI|Soziales|Integration|Land\s+Hessen")

# --- year -------------------------------------------------------------------------------------------
_YEAR_PATTERNS = [
    re.compile(r"Zielvereinbarung(?:en)?\s+(?:für\s+(?:das\s+Jahr\s+)?)?(?P<y>20\d{2})\b"),
    re.compile(r"\bfür\s+das\s+(?:Haushalts|Förder)?[Jj]ahr\s+(?P<y>20\d{2})\b"),
    re.compile(r"Qualifizierungsbudget(?:s)?\s+(?:für\s+)?(?P<y>20\d{2})\b"),
    re.compile(r"\bLaufzeit\s*:?\s*(?:vom\s+)?\d{1,2}\.\s?\d{1,2}\.\s?(?P<y>20\d{2})\b"),
    re.compile(r"\b(?:im|Haushalts|Förder)[ -]?[Jj]ahr(?:e)?\s+(?P<y>20\d{2})\b"),
    re.compile(r"\bBudget(?:s)?\s+(?P<y>20\d{2})\b"),
]

# --- kind -------------------------------------------------------------------------------------------
_AGREEMENT_WORD = re.compile(r"(?:Ziel|Änderungs|Aenderungs)?vereinbarung|\bNachtrag\b", re.IGNORECASE)
_AMENDMENT = re.compile(
    r"(?:Ä|Ae)nderungsvereinbarung|Ergänzungsvereinbarung|Nachtrag\b.{0,20}?\s+zur\s+Zielvereinbarung|\d+\.\s*Nachtrag\b",
    re.IGNORECASE,
)
# "Änderung der Zielvereinbarung" names an amendment only as its title, not in a clause on how to amend
_AMENDMENT_TITLE = re.compile(r"^\W*(?:\d+\.\s*)?(?:Ä|Ae)nderung\s+der\s+Zielvereinbarung", re.IGNORECASE)
_GERMAN_WORDS = {"der", "die", "das", "und", "den", "dem", "des", "mit", "für", "von", "zur", "zum", "im", "ist",
                 "wird", "werden", "eine", "ein", "auf", "nach", "bei", "sich", "sind", "als", "auch", "zu", "in"}
MIN_DOCUMENT_CHARS = 150

# --- projects ---------------------------------------------------------------------------------------
_SUM_LABEL = re.compile(r"^(?:Summe|Gesamt|Insgesamt|Gesamtsumme|Gesamtbetrag)\b", re.I)
_SUBTOTAL_LABEL = re.compile(r"^(?:Zwischensumme|Summe\s+(?:Maßnahmenart|Kategorie|[IVX]+\b|\d\b))", re.I)
_AMOUNT_LABEL = re.compile(
    r"^(?:Förder(?:summe|betrag|mittel|höhe)|Betrag|Zuwendung|Budget|Kosten|Mittel|Summe|Höhe)\s*[:=]?\s*$", re.I)
_NAME_TAIL = re.compile(
    r"(?:\s*(?:[.·]{2,}|…+))?[\s(\[,;]*(?:Förder(?:summe|betrag|mittel|höhe)|Betrag|Zuwendung|Budget|Kosten|Mittel)?\s*[:=–—\-]*\s*$", re.I)
_BARE_AMOUNT = re.compile(r"(?:^|\s{2,}|[:–—]\s*|\s-\s)(?P<n>\d{1,3}(?:\.\d{3})+(?:,\d{2}|,-+)?)\s*$")
_NOTHING = re.compile(r"^(?:keine|entfällt|—|–|-|n\.\s?a\.)\.?$", re.I)
# header cells: the word a column is named by stands at the start of a short cell
_PROJECT_COLUMN = re.compile(r"^(?:Projekt|Vorhaben|Maßnahme(?!n(?:art|bereich|typ))|Bezeichnung|Titel|Angebot|Name)", re.I)
_PROJECT_WORD = re.compile(r"Projekt|Vorhaben")  # what agreements call a funded project
_CATEGORY_COLUMN = re.compile(r"^(?:Maßnahmen(?:art|bereich|typ)|Kategorie|Förderbereich|Bereich|Art\b|Handlungsfeld|Schwerpunkt)", re.I)
_AMOUNT_COLUMN = re.compile(r"^(?:Förder|Zuwendung|AQB|Landesmittel|\w*(?:betrag|summe|mittel|kosten)\b|Euro|EUR|€|Budget|Höhe)", re.I)
_FUNDING_COLUMN = re.compile(r"^(?:Förder|Zuwendung|AQB|Landesmittel)", re.I)  # preferred to "Gesamtkosten"
_CARRIER_COLUMN = re.compile(r"^(?:Träger|Projektträger|Durchführende)", re.I)
_RUNTIME_COLUMN = re.compile(r"^(?:Laufzeit|Zeitraum|Dauer)", re.I)
_PARTICIPANTS_COLUMN = re.compile(r"^(?:Teilnehm|TN\b|Plätze|Anzahl)", re.I)
_THOUSANDS_UNIT = re.compile(r"T€|TEUR|Tsd\.?\s*(?:€|Euro|EUR)|in\s+Tausend", re.I)  # "Fördersumme in T€": figures in thousands
# what stands beside a project's name: "(Träger: …, Laufzeit: …, 20 Teilnehmende)" or "Träger: …" on its own line
_DETAIL_LABEL = r"(?:Träger(?:in)?|Projektträger|Laufzeit|Zeitraum|Teilnehmende|Teilnehmer(?:innen)?|TN|Plätze)"
_DETAIL_START = re.compile(rf"\s*(?:[(\[,;–—]|\s-)?\s*(?={_DETAIL_LABEL}\s*:)|\s*[(,;–—]\s*(?=\d+\s*(?:Teilnehm|TN\b|Plätze))")
_DETAIL_LINE = re.compile(rf"^{_DETAIL_LABEL}\s*:")
_CARRIER = re.compile(r"(?:Träger(?:in)?|Projektträger)\s*:\s*(?P<v>.+?)\s*(?=[,;]\s*(?:Laufzeit|Zeitraum|Teilnehm|TN|Plätze|\d+\s*(?:Teilnehm|TN|Plätze))|\s+(?:Laufzeit|Zeitraum|Teilnehmende)\s*:|[)\]]?\s*$)")
_RUNTIME = re.compile(r"(?:Laufzeit|Zeitraum)\s*:\s*(?P<v>.+?)\s*(?=[,;]\s*(?:Träger|Teilnehm|TN|Plätze|\d+\s*(?:Teilnehm|TN|Plätze))|\s+(?:Träger|Teilnehmende)\s*:|[)\]]?\s*$)")
_PARTICIPANTS = (re.compile(r"(?:Teilnehmende|Teilnehmer(?:innen)?|TN|Plätze)\s*:\s*(?P<n>\d+)"),
                 re.compile(r"(?<![\d.])(?P<n>\d+)\s*(?:Teilnehm\w*|TN\b|Plätze)"))
# a project's former name: "Neustart (bisher: Jobstarter)", "Neustart, vormals „Jobstarter“"
_FORMER = re.compile(r"\s*(?:\(\s*(?:bisher|vormals|ehemals|früher|zuvor|alt)\b\s*:?\s*(?P<a>[^)]+)\)"
                     r"|[,–—-]\s*(?:bisher|vormals|ehemals|früher)\b\s*:?\s*(?P<b>.+)$)", re.I)

# --- signatures, authority ---------------------------------------------------------------------------
_SIGNER_FOR = re.compile(r"^Für\s+(?:(?:das|den|die|dem|der)\s+)?", re.I)
# lines of a signature block that name no one: a rule to sign on, "(Unterschrift)", a stamp, the capacity
# signed in ("Im Auftrag", "In Vertretung der Oberbürgermeisterin", "i. A.")
_NOT_A_SIGNER_LINE = re.compile(r"^[_.\s-]{3,}$|^\(?Unterschrift\)?$|^Stempel|^(?:Im Auftrag|In Vertretung|i\.\s?[AV]\.)"
                                r"(?:\s+(?:der|des|von)\s+[^,]{1,60})?$", re.I)
_AUTHORITY = re.compile(r"\bvom\s+(?P<a>(?:Regierungspräsidium|Landesamt|Ministerium|Amt)\b[^–—,;]*?)\s+erlassenen")
_AUTHORITY_FALLBACK = re.compile(r"\b(?P<a>Regierungspräsidium)s?\s+(?P<place>[A-ZÄÖÜ][\wäöüß]+)")
_QUOTES = "„“”\"'‚‘’«»"

# --- amendments -------------------------------------------------------------------------------------
_RAISE = r"erhöh\w*|aufgestockt|aufstock\w*|Aufstockung|angehoben|anheb\w*|steig\w*|gestiegen|zusätzlich\w*|Mehrbetrag"
_LOWER = (r"reduz\w*|verringer\w*|gekürzt|kürz\w*|Kürzung|verminder\w*|Minderung|Minderbetrag|gesenkt|abgesenkt|senk\w*|"
          r"sink\w*|gesunken")
_CHANGE_VERB = re.compile(rf"{_RAISE}|{_LOWER}|geändert|Änderung|beträgt\s+(?:nun|jetzt|künftig)|betragen\s+(?:nun|jetzt|künftig)",
                          re.I)
# what stands before a difference ("um 50.000 Euro", "zusätzlich 50.000 Euro") and before a new total
_BEFORE_DIFFERENCE = re.compile(
    r"(?:\bum\s+(?:einen\s+Betrag\s+von\s+|insgesamt\s+|weitere\s+)?|\bzusätzlich(?:e|en)?\s+(?:Mittel\s+)?"
    r"(?:in\s+Höhe\s+von\s+|von\s+)?|\b(?:Mehr|Minder)betrag\s+(?:von\s+|in\s+Höhe\s+von\s+)?)$", re.I)
_BEFORE_NEW_TOTAL = re.compile(
    r"(?:\bauf\s+(?:insgesamt\s+|nunmehr\s+|jetzt\s+|nun\s+|(?:einen|den)\s+(?:Gesamt)?[Bb]etrag\s+von\s+(?:insgesamt\s+)?)?"
    r"|\b(?:beträgt|betragen)\s+(?:nun(?:mehr)?|jetzt|künftig)\s+(?:insgesamt\s+)?)$", re.I)
_LOWER_VERB = re.compile(_LOWER, re.I)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _head_text(chunks: list[Chunk], limit: int = 1500) -> str:
    return _flat(" ".join(c.text for c in chunks[:3])[:limit])


# --- who and when -----------------------------------------------------------------------------------
def _district_name(written: str) -> str:
    written = re.sub(r"^(Landkreis|Kreis)es\b", r"\1", _flat(written).strip())
    return districts.canonical(written)


def _acceptable(written: str, strict: bool) -> bool:
    if _MINISTRY.search(written) or fold(written) in _GENERIC_KREIS:
        return False
    if strict:  # a mention in running text: a type word and a name, or a known Hessian district
        return " " in written or districts.canonical(written) in districts.BY_NAME
    return True


def find_district(text: str) -> str | None:
    """The district a document is made with: the party after 'zwischen … und' in its head, else the one
    § 4 gives the money to, else the one it names most often; its canonical name."""
    flat = _flat(text)
    head = flat[:2500]
    for match in _PARTY.finditer(head):
        if _acceptable(match.group("d"), strict=False):
            return _district_name(match.group("d"))
    for match in _RECIPIENT.finditer(flat):
        if _acceptable(match.group("d"), strict=False):
            return _district_name(match.group("d"))
    counts: dict[str, int] = {}
    for match in _ANY_DISTRICT.finditer(flat):
        if _acceptable(match.group("d"), strict=True):
            name = _district_name(match.group("d"))
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else None


_TITLE_YEAR = re.compile(r"(?<![\d.])(?P<y>20\d{2})(?![\d.])")


def find_year(text: str) -> int | None:
    """The year a document is for: the wordings of `_YEAR_PATTERNS` in turn, a year standing in the title
    before the text's other mentions ('im Jahr …')."""
    flat = _flat(text)
    for index, pattern in enumerate(_YEAR_PATTERNS):
        if index == 4 and (match := _TITLE_YEAR.search(flat[:200])):
            return int(match.group("y"))
        if match := pattern.search(flat):
            return int(match.group("y"))
    return None


def _document_kind(head: str) -> str:
    """AGREEMENT, AMENDMENT or SUPPORTING, by what the head calls the document first."""
    agreement = _AGREEMENT_WORD.search(head[:800])
    supporting = first_kind_word(head[:800])
    if agreement is None or (supporting is not None and supporting < agreement.start()):
        return SUPPORTING
    return AMENDMENT if _AMENDMENT.search(head[:600]) or _AMENDMENT_TITLE.match(head) else AGREEMENT


def identify(text: str) -> tuple[str, str, int]:
    """Kind, district and year of a document from its text; district "" and year 0 when it names none.

    IngestError only for a text too short to be a document or not German prose at all."""
    flat = _flat(text).strip()
    tokens = re.findall(r"[a-zäöüß]+", flat.lower())
    if len(flat) < MIN_DOCUMENT_CHARS:
        raise IngestError("keine Zielvereinbarung und kein Begleitdokument: zu wenig Text")
    head = re.findall(r"[a-zäöüß]+", flat[:6000].lower())  # a long annex (tables, short rows) does not outvote the text
    if all(sum(t in _GERMAN_WORDS for t in part) < max(3, len(part) // 25) for part in (tokens, head)):
        raise IngestError("keine Zielvereinbarung und kein Begleitdokument: kein deutscher Fließtext")
    kind = _document_kind(flat[:2500])
    if kind == SUPPORTING:
        return (kind, *supporting_identity(text))
    return kind, find_district(text) or "", find_year(text) or 0


def supporting_identity(text: str) -> tuple[str, int]:
    """District and year of a supporting document: its addressee, else a district it names; the year its kind
    dates it by (a meeting's date, a letter's date) before other years it mentions."""
    district = (m.group("d") if (m := _ADDRESSEE.search(text[:1500])) and _acceptable(m.group("d"), False) else None)
    year = supporting_year(text, doc_type(text), find_year(text))
    return (_district_name(district) if district else find_district(text) or ""), year or 0


def holds_no_agreement(facts: AgreementFacts) -> bool:
    """Called an agreement in its head, yet no district, budget or signature in it (a list that looks like
    projects does not make one): a page or letter about agreements (a programme page, a circular), to be filed
    as a supporting document."""
    return facts.kind == AGREEMENT and not (facts.district or facts.budget_eur or facts.signatures)


# --- budget -----------------------------------------------------------------------------------------
def _exact(amounts, chosen):
    """'1,52 Mio. Euro (1.516.560 Euro)': the exact figure written beside a rounded one."""
    value, written, _ = chosen
    if "Mio" not in written and "Million" not in written:
        return chosen
    for other in amounts:
        if "Mio" not in other[1] and "Million" not in other[1] and abs(other[0] - value) <= value * 0.02:
            return other
    return chosen


def _context_before(text: str, offset: int, width: int = 25) -> str:
    return text[max(0, offset - width) : offset]


def _old_or_difference(text: str, amount: tuple[int, str, int]) -> bool:
    _, written, offset = amount
    before = _context_before(text, offset, 60)
    after = text[offset + len(written) : offset + len(written) + 40]
    return bool(
        re.search(r"\b(?:statt|anstelle\s+von)\s+$", before)
        or _BEFORE_DIFFERENCE.search(before)
        or re.search(r"\bbisher", before)
        or (re.search(r"\bvon\s+$", before) and re.search(r"\bauf\b", after))
    )


def _budget(chunks: list[Chunk], kind: str, skip: set[str]) -> tuple[int, str, str] | None:
    """The total budget: the amount in the sentence on Haushaltsmittel, preferring one said to be 'insgesamt'."""
    candidates = []
    for chunk in chunks:
        if chunk.section in (HEAD, SIGNATURES) or chunk.id in skip:
            continue
        text = _flat(chunk.text)
        amounts = [a for a in find_amounts(text) if not _is_share(text, a) and not _of_another_year(text, a)]
        if kind == AMENDMENT:  # not the old amount ("von 1.516.560 Euro auf", "bisher …") nor a difference ("um …")
            amounts = [a for a in amounts if not _old_or_difference(text, a)]
        if not amounts:
            continue
        score = 0
        if "Haushaltsmittel" in text or "Haushaltsmittel" in chunk.title:
            score += 2
        if re.search(r"insgesamt|\bgesamt\b|Gesamtbudget|Gesamtsumme|Gesamtbetrag", text):
            score += 2
        if re.search(r"zur Verfügung|in Höhe von|Budget|Fördermittel|Landesmittel", text):
            score += 1
        if re.search(r"Haushalt|Budget|Mittel|Finanz", chunk.title):
            score += 1
        if not score:
            continue
        position = max((m.end() for m in re.finditer(r"insgesamt|\bgesamt\b|in Höhe von|Betrag von|Gesamtbudget", text)),
                       default=-1)
        after = [a for a in amounts if a[2] >= position]
        chosen = _exact(amounts, after[0] if position >= 0 and after else amounts[-1])
        candidates.append((score, -chunk.ordinal, chosen[0], chosen[1], chunk.id))
    if not candidates:
        return None
    _, _, value, written, chunk_id = max(candidates)
    return value, written, chunk_id


# --- parts of the budget ----------------------------------------------------------------------------------
_PART_LABEL = re.compile(
    r"(?P<land>Landesmittel|Landesanteil|Mittel\s+des\s+Landes|Landeszuweisung)"
    r"|(?P<esf>(?:Mittel\s+(?:aus\s+dem|des)\s+)?(?:ESF(?:[\s-]?Plus|\+)?|Europäischen\s+Sozialfonds(?:\s+Plus)?)(?:[\s-]?Mittel)?)"
    r"|(?P<other>Bundesmittel|kommunale\s+Mittel|Kommunalanteil|Eigenmittel|Eigenanteil|Kofinanzierung)", re.I)
_SHARE_WORD = re.compile(r"\b(?:[Dd]avon|[Dd]arunter)\b")
# an amount given for comparison, not as this agreement's: "nachrichtlich: Mittel im Vorjahr 2024 | 1.968.400 €"
_ANOTHER_YEAR = re.compile(r"\b(?:Vorjahr(?:es)?|Vorjahresbudget|nachrichtlich|bisherig\w*)\b", re.I)
_SHARE_AFTER = re.compile(r"^\s*(?:sind|werden|entfallen|stehen)?\s*(?:ausschließlich\s+|mindestens\s+)?(?:für|auf)\s+"
                          r"(?P<l>[^.,;:]+?)\s*(?:vorgesehen|bestimmt|reserviert|zweckgebunden|einzusetzen|zu\s+verwenden)?\s*(?:[.,;:]|$)")
_SHARE_BEFORE = re.compile(r"\b[Dd]avon\s+(?:sind\s+|werden\s+|entfallen\s+)?(?:für|auf)\s+(?P<l>[^.,;:]+?)\s+(?:bis\s+zu\s+|mindestens\s+)?$")


def _is_share(text: str, amount: tuple[int, str, int]) -> bool:
    """An amount set aside within the budget: 'Davon sind 120.000 Euro für Teilzeitausbildung vorgesehen.'"""
    sentence_start = max(text.rfind(". ", 0, amount[2]), 0)
    return bool(_SHARE_WORD.search(text[sentence_start : amount[2]]))


def _of_another_year(text: str, amount: tuple[int, str, int]) -> bool:
    """The amount is labelled as last year's or as given for information: its table row's label cell says
    "Vorjahr" or "nachrichtlich" ("nachrichtlich: Mittel im Vorjahr 2024 | 1.968.400 €"); in prose only
    "nachrichtlich" counts ("wie im Vorjahr erhält der Kreis …" names this year's amount)."""
    before = text[max(0, amount[2] - 200) : amount[2]].rstrip()
    if before.endswith("|"):
        return bool(_ANOTHER_YEAR.search(before[:-1].rsplit("|", 1)[-1]))
    return "nachrichtlich" in before[-80:].lower()


# an amendment takes a project out: "Das Vorhaben Nr. 2 „Brückenjahr Handwerk“ entfällt", "… wird gestrichen"
_REMOVED = re.compile(r"\b(?:entfällt|entfallen|gestrichen|fällt\s+weg|fallen\s+weg|nicht\s+(?:mehr\s+)?(?:fort)?geführt|"
                      r"abgesagt|aufgehoben|wird\s+beendet|werden\s+beendet)\b", re.I)
_QUOTED = re.compile(r"[„\"“]([^„\"“”]{3,80})[“\"”]")


def removed_projects(chunks: list[Chunk]) -> list[Project]:
    """The projects an amendment's sentences take out of the list, by the names they quote."""
    found: list[Project] = []
    for chunk in chunks:
        if chunk.section in (HEAD, SIGNATURES):
            continue
        for sentence in re.split(r"(?<=[.;])\s+", _flat(chunk.text)):
            if _REMOVED.search(sentence):
                found += [Project(name.strip(), None, None, chunk.id) for name in _QUOTED.findall(sentence)
                          if fold(name.strip()) not in {fold(p.name) for p in found}]
    return found


def earlier_budgets(chunks: list[Chunk], year: int) -> list[BudgetPart]:
    """Budgets of earlier years an agreement states for comparison, with the year its label names
    ("nachrichtlich: AQB-Mittel der Stadt im Vorjahr 2024 | 1.968.400,00 €"; "Vorjahr" alone means year − 1)."""
    found: list[BudgetPart] = []
    for chunk in chunks:
        if chunk.section in (HEAD, SIGNATURES):
            continue
        text = _flat(chunk.text)
        for value, written, offset in find_amounts(text):
            if not _of_another_year(text, (value, written, offset)):
                continue
            label = text[max(0, offset - 200) : offset].rstrip().rstrip("|").rsplit("|", 1)[-1][-100:]
            years = [int(y) for y in re.findall(r"\b(20\d{2})\b", label) if int(y) < year]
            earlier = years[-1] if years else year - 1 if re.search(r"Vorjahr", label, re.I) else None
            if earlier and all(b.label != str(earlier) for b in found):
                found.append(BudgetPart(str(earlier), value, written, chunk.id, "earlier"))
    return found


def budget_parts(chunk: Chunk) -> list[BudgetPart]:
    """The parts a budget is made of (Landesmittel, ESF-Plus-Mittel) and the shares set aside within it ('davon …')."""
    text = _flat(chunk.text)
    parts: list[BudgetPart] = []
    previous_end = 0
    for value, written, offset in find_amounts(text):
        before = text[previous_end:offset]
        after = text[offset + len(written) : offset + len(written) + 160]
        previous_end = offset + len(written)
        if _is_share(text, (value, written, offset)):
            label = (m.group("l") if (m := _SHARE_BEFORE.search(before)) else
                     m.group("l") if (m := _SHARE_AFTER.match(after)) else "")
            if label:
                parts.append(BudgetPart(re.sub(r"^(?:Maßnahmen\s+(?:der|zur)\s+)", "", label.strip()), value, written,
                                        chunk.id, "share"))
            continue
        labels = list(_PART_LABEL.finditer(before[-90:]))
        if labels:
            last = labels[-1]
            name = "Landesmittel" if last.group("land") else "ESF-Plus-Mittel" if last.group("esf") else last.group(0)
            parts.append(BudgetPart(name, value, written, chunk.id, "part"))
    return parts


def _budget_from_parts(chunks: list[Chunk], budget_chunk: str | None) -> list[BudgetPart]:
    """Parts and shares stated in the section that gives the budget."""
    section = next((c.section for c in chunks if c.id == budget_chunk), None)
    if section is None:
        return []
    return [part for chunk in chunks if chunk.section == section for part in budget_parts(chunk)]


def _budget_change(chunks: list[Chunk]) -> tuple[int | None, str | None, int | None, str] | None:
    """An amendment's change of the budget: (new amount, as written, signed difference, chunk id)."""
    for chunk in chunks:
        if chunk.section in (HEAD, SIGNATURES):
            continue
        text = _flat(chunk.text)
        if not _CHANGE_VERB.search(text):
            continue
        new = difference = None
        amounts = find_amounts(text)
        for value, written, offset in amounts:
            before = _context_before(text, offset, 45)
            around = text[max(0, offset - 80) : offset + len(written) + 60]
            if not _CHANGE_VERB.search(around):
                continue
            if _BEFORE_DIFFERENCE.search(before) and difference is None:
                difference = -value if _LOWER_VERB.search(around) else value
            elif _BEFORE_NEW_TOTAL.search(before) and new is None:
                new = _exact(amounts, (value, written, offset))[:2]
        if new or difference is not None:
            return (new[0] if new else None), (new[1] if new else None), difference, chunk.id
    return None


# --- projects ---------------------------------------------------------------------------------------
@dataclass
class ProjectList:
    """What one list or table that assigns projects to Maßnahmenarten yielded, for the checks."""

    chunk: Chunk
    projects: list[Project] = field(default_factory=list)
    entries: int = 0  # list items and table rows below the introducing sentence
    unread: list[str] = field(default_factory=list)  # entries that gave nothing
    categories: int = 0
    sum_eur: int | None = None
    sum_text: str | None = None
    sentences: list[str] = field(default_factory=list)  # sentences standing in the list: known, not projects
    marked_items: int = 0  # entries with the projects' marker
    marked_projects: int = 0  # projects read from such entries
    empty_categories: list[str] = field(default_factory=list)  # Maßnahmenarten of a list with no project below them


def _category_no(marker: str) -> int | None:
    core = marker.strip("().) ")
    if core.isdigit():
        return int(core)
    if re.fullmatch(r"[IVX]+", core):
        return _roman(core)
    if re.fullmatch(r"[a-zA-H]", core):
        return ord(core.lower()) - ord("a") + 1
    return None


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def _split_marker(line: str) -> tuple[str, str]:
    """(marker, content): '• Plan B' -> ('•', 'Plan B'); '(1) Ausbildung' -> ('(1)', 'Ausbildung')."""
    if match := ENUMERATION.match(line):
        return match.group(0).strip(), line[match.end() :].strip()
    if match := BULLET.match(line):
        return match.group(0).strip(), line[match.end() :].strip()
    return "", line.strip()


def _marker_class(marker: str) -> str:
    if not marker:
        return ""
    marker = re.sub(r"^[IVX]+([.)])$", r"I\1", marker)
    marker = re.sub(r"^[A-H]([.)])$", r"A\1", marker)
    return re.sub(r"[a-z]", "a", re.sub(r"\d+", "1", marker))


def _vocabulary_category(text: str) -> int | None:
    for number, pattern in CATEGORY_WORDS:
        if pattern.search(text):
            return number
    return None


_TITLE_WORDS = {w for title in MASSNAHMENARTEN for w in re.findall(r"[\wäöüß]+", title.lower())} | {
    "qualifizierungsprojekte", "weiterbildungsmaßnahmen", "ausbildungsvorbereitung", "ausbildungscoaching", "personal"}


def _category_title(text: str) -> str:
    """A Maßnahmenart's title with the words a narrow table cell broke apart joined again ('Ausbildungsvorbereit ung')."""
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        if out and word[:1].islower() and (out[-1] + word).lower().strip(",") in _TITLE_WORDS \
                and out[-1].lower() not in _TITLE_WORDS:
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def _clean_name(text: str) -> str:
    """White space and trailing separators off; quotes off only where they enclose the whole name."""
    text = re.sub(r"[\s:–—-]+$", "", " ".join(text.split()))
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES and not any(q in text[1:-1] for q in _QUOTES):
        text = text[1:-1].strip()
    return text


def _amount_in(text: str) -> tuple[int, str, int] | None:
    """The last amount in a line: with a currency, or a bare figure set apart at the end."""
    amounts = find_amounts(text)
    if amounts:
        return amounts[-1]
    if match := _BARE_AMOUNT.search(text):
        return int(round(parse_number(match.group("n")))), match.group("n"), match.start("n")
    return None


def _amount_only(content: str) -> tuple[int, str, int] | None:
    """The amount of a line that holds nothing else but a label: "Fördersumme: 45.000 €", "Summe 90.000 €"."""
    amount = _amount_in(content)
    if amount is None:
        return None
    label = content[: amount[2]].strip(" :=–—-(\t")
    return amount if not label or _AMOUNT_LABEL.match(label) or _SUM_LABEL.match(label) else None


def _details(text: str) -> tuple[str, dict]:
    """A project's text without what stands beside its name (Träger, Laufzeit, participants, former name)."""
    found: dict = {}
    if match := _DETAIL_START.search(text):
        rest = text[match.start() :]
        text = text[: match.start()]
        if carrier := _CARRIER.search(rest):
            found["carrier"] = carrier.group("v").strip(" ,;()")
        if runtime := _RUNTIME.search(rest):
            found["runtime"] = runtime.group("v").strip(" ,;()")
        if participants := _PARTICIPANTS[0].search(rest) or _PARTICIPANTS[1].search(rest):
            found["participants"] = int(participants.group("n"))
        if text.count("(") > text.count(")") and text.rstrip().endswith("("):
            text = text.rstrip()[:-1]
    if match := _FORMER.search(text):
        found["former_name"] = _clean_name(match.group("a") or match.group("b"))
        text = text[: match.start()] + text[match.end() :]
    return text, found


def _project(content: str, category: str | None, category_no: int | None, chunk_id: str) -> Project | None:
    amount = _amount_in(content)
    name = content
    amount_eur = amount_text = None
    if amount:
        amount_eur, amount_text, offset = amount
        name = _NAME_TAIL.sub("", content[:offset])
        if not name.strip() and offset > 0:
            name = content[:offset]
    name, details = _details(name)
    name = _clean_name(_NAME_TAIL.sub("", name) if amount else name)
    if not name or _NOTHING.match(name):
        return None
    return Project(name, category, category_no, chunk_id, amount_eur, amount_text, **details)


def _cells(line: str, width: int) -> list[str]:
    """A row's cells; '| Plan B |' under a three-column header is a row with empty outer cells, not a Markdown row."""
    cells = table_cells(line)
    if width and len(cells) < width and line.startswith("|") and line.endswith("|"):
        raw = [cell.strip() for cell in line.split("|")]
        if len(raw) == width:
            return raw
        if len(raw) - 1 == width:
            return raw[1:] if not raw[-1] else raw[:-1]
    return cells


def _table_columns(header: list[str]) -> dict[str, int] | None:
    """Roles of a header row's columns; None if the row is no header (it holds an amount)."""
    if any(find_amounts(cell) or _BARE_AMOUNT.search(cell) or len(cell) > 40 for cell in header):
        return None
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        if _CARRIER_COLUMN.search(cell):
            roles.setdefault("carrier", index)
        elif _RUNTIME_COLUMN.search(cell):
            roles.setdefault("runtime", index)
        elif _PARTICIPANTS_COLUMN.search(cell):
            roles.setdefault("participants", index)
        elif "category" not in roles and _CATEGORY_COLUMN.search(cell):
            roles["category"] = index
        elif _AMOUNT_COLUMN.search(cell) and ("amount" not in roles or (
                _FUNDING_COLUMN.search(cell) and not _FUNDING_COLUMN.search(header[roles["amount"]]))):
            roles["amount"] = index
            if _THOUSANDS_UNIT.search(cell):
                roles["thousands"] = 1
        elif "project" not in roles and _PROJECT_COLUMN.search(cell):
            roles["project"] = index
    return roles if "project" in roles or "category" in roles else None


def _read_list(chunk: Chunk) -> ProjectList:
    """Projects of a list or table chunk, by Maßnahmenart."""
    result = ProjectList(chunk)
    lines = chunk.text.split("\n")
    body_from = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if is_category_line(stripped):
            body_from = index
            break
        if stripped.endswith(":") and not _split_marker(stripped)[0] and not is_table_row(stripped):
            body_from = index + 1
            break
        if _split_marker(stripped)[0] or is_table_row(stripped):
            body_from = index
            break
    # what stands before the list is its introduction ("… folgende Projekte:"); anything else there is not read
    result.unread += [line.strip() for line in lines[:body_from]
                      if line.strip() and not line.strip().endswith(":") and not _is_intro(line.strip())]
    entries = [(len(line) - len(line.lstrip()), line.strip()) for line in lines[body_from:] if line.strip()]
    # the levels of a marked list: the first entry's (indentation, marker class) is the Maßnahmenart's
    keys = []
    for indent, text in entries:
        if is_table_row(text) or _amount_only(_split_marker(text)[1]) or is_sentence(text) or _DETAIL_LINE.match(text):
            continue
        key = (indent, _marker_class(_split_marker(text)[0]))
        if key not in keys:
            keys.append(key)
    category_key = keys[0] if len(keys) > 1 else None
    project_indent = keys[1][0] if len(keys) > 1 else 0
    project_key = keys[1] if len(keys) > 1 else (keys[0] if keys else None)

    category, category_no, ordinal = None, None, 0
    below = 0  # "keine" lines below the current Maßnahmenart: empty on purpose
    first = 0  # the number of projects when the current Maßnahmenart began
    columns: dict[str, int] | None = None
    width = 0  # the header's number of columns
    previous_row = False
    for indent, text in entries:
        result.entries += 1
        starts_table, previous_row = not previous_row, is_table_row(text)
        if is_table_row(text):
            cells = _cells(text, width)
            header = _table_columns(cells) if starts_table else None
            if header is not None:
                columns, width = header, len(cells)
                result.entries -= 1  # a header is no entry
                continue
            if columns is None:
                columns = {"project": 0, "amount": len(cells) - 1}
            category, category_no, ordinal = _table_row(result, cells, columns, category, category_no, ordinal)
            continue
        marker, content = _split_marker(text)
        # an entry with the projects' marker must give a project: one that is a sentence or unread is counted against
        marked = bool(marker) and project_key is not None and (indent, _marker_class(marker)) == project_key
        if _DETAIL_LINE.match(content) and result.projects and not _amount_only(content):
            _, found = _details(content)  # "Träger: …", "Laufzeit: …" under its project
            last = result.projects[-1]
            for name, value in found.items():
                if getattr(last, name) is None:
                    setattr(last, name, value)
            continue
        # a sentence, or one that opens a list ("In die Tabelle werden folgende Vorhaben neu aufgenommen:"), is no project
        if (is_sentence(content) or content.endswith(":") and is_sentence(content[:-1] + ".")) and not is_category_line(content):
            result.sentences.append(content)
            result.marked_items += marked
            continue
        amount = _amount_only(content)
        if amount:
            if _SUBTOTAL_LABEL.match(content):
                continue
            if _SUM_LABEL.match(content):
                result.sum_eur, result.sum_text = amount[0], amount[1]
            elif result.projects and result.projects[-1].amount_eur is None:
                result.projects[-1].amount_eur, result.projects[-1].amount_text = amount[0], amount[1]
            else:
                result.unread.append(text)
            continue
        if _SUM_LABEL.match(content) and (amount := _amount_in(content)):
            result.sum_eur, result.sum_text = amount[0], amount[1]
            continue
        key = (indent, _marker_class(marker))
        label = _CATEGORY_LABEL.match(content)
        vocabulary = _vocabulary_category(content)
        is_category = key == category_key if category_key is not None else bool(
            vocabulary or (label and label.group("title") is not None and (label.group("no") or content.endswith(":"))))
        is_category = is_category or is_massnahmenart(text)  # a full Maßnahmenart title, however it is marked
        if category_key is not None and key != category_key and indent > project_indent and result.projects:
            result.marked_items += marked
            continue  # a detail line under a project
        if is_category:
            if category is not None and not below and len(result.projects) == first:
                result.empty_categories.append(category)
            below, first = 0, len(result.projects)
            ordinal += 1
            title = label.group("title") if label and label.group("title") else content
            number = _category_no(marker) or (_category_no(label.group("no")) if label and label.group("no") else None)
            category, category_no = _clean_name(title), number or vocabulary or ordinal
            result.categories += 1
            continue
        project = _project(content, category, category_no, chunk.id)
        if project is None:
            if not _NOTHING.match(content.strip()):
                result.unread.append(text)
            else:
                below += 1  # "keine": the Maßnahmenart is empty on purpose
            continue
        result.projects.append(project)
        result.marked_items += marked
        result.marked_projects += marked
    if category is not None and not below and len(result.projects) == first and not result.unread:
        result.empty_categories.append(category)
    return result


def _is_intro(line: str) -> bool:
    """A sentence or heading that introduces a list rather than an entry of it."""
    return is_sentence(line) or line.endswith((".", ":")) or len(line) > 150 or bool(re.search(r"folgende|wie folgt", line))


def _table_row(result: ProjectList, cells: list[str], columns: dict[str, int], category, category_no, ordinal):
    def cell(role: str) -> str:
        index = columns.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    first = next((c for c in cells if c), "")
    if _SUBTOTAL_LABEL.match(first):
        return category, category_no, ordinal  # a Maßnahmenart's subtotal: neither a project nor the total
    amount = _amount_in(cell("amount")) if "amount" in columns else None
    if "thousands" in columns and (plain := re.fullmatch(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?", cell("amount").strip())):
        amount = int(round(parse_number(plain.group(0)) * 1000)), cell("amount") + " T€", 0  # the header gives the unit
    elif amount is None and (plain := re.fullmatch(r"(\d{3,9})(?:,\d{2}|,-+)?", cell("amount").replace(" ", ""))):
        amount = int(plain.group(1)), cell("amount"), 0  # a bare figure in the amount column: "120000"
    if amount is None:
        amount = next((a for c in reversed(cells) if (a := _amount_in(c))), None)
    if _SUM_LABEL.match(first):
        if amount:
            result.sum_eur, result.sum_text = amount[0], amount[1]
        return category, category_no, ordinal
    written_category = cell("category")
    if written_category:
        marker, title = _split_marker(written_category)
        if not marker and (dashed := re.match(r"(\d{1,2})\s*[–—-]\s+(\S.*)", written_category)):
            marker, title = dashed.groups()  # "3 – Qualifizierung": the Maßnahmenart's number before a dash
        number = _category_no(marker) or _vocabulary_category(title)
        label = _CATEGORY_LABEL.match(title)
        if label and label.group("title"):
            number = number or (_category_no(label.group("no")) if label.group("no") else None)
            title = label.group("title")
        title = _category_title(title)
        if title != category:
            ordinal += 1
        category, category_no = _clean_name(title) or category, number or ordinal
    name = cell("project")
    filled = [c for c in cells if c]
    if not cell("category") and not amount and len(filled) == 1:
        marker, title = _split_marker(filled[0])  # a row that heads a Maßnahmenart, whichever column it starts in
        if _vocabulary_category(title) or is_massnahmenart(filled[0]):
            ordinal += 1
            category, category_no = _clean_name(title), _category_no(marker) or _vocabulary_category(title) or ordinal
            result.categories += 1
            return category, category_no, ordinal
    if not name:
        if written_category:
            result.categories += 1
        else:
            result.unread.append(" | ".join(cells))
        return category, category_no, ordinal
    marker, title = _split_marker(name)
    project = _project(title, category, category_no, result.chunk.id)
    if project is None:
        result.unread.append(" | ".join(cells))
        return category, category_no, ordinal
    if amount and project.amount_eur is None:
        project.amount_eur, project.amount_text = amount[0], amount[1]
    project.carrier = project.carrier or cell("carrier") or None
    project.runtime = project.runtime or cell("runtime") or None
    if project.participants is None and (count := re.match(r"\d+", cell("participants"))):
        project.participants = int(count.group(0))
    result.projects.append(project)
    return category, category_no, ordinal


def _list_score(chunk: Chunk, referenced: frozenset[str] = frozenset()) -> int:
    """How clearly a chunk is the list that assigns projects to Maßnahmenarten (0: not at all). `referenced`: the
    annexes the text points to for its projects ("siehe Anlage 1")."""
    lines = [line.strip() for line in chunk.text.split("\n") if line.strip()]
    if len(lines) < 2 or chunk.section in (HEAD, SIGNATURES):
        return 0
    items = [line for line in lines if _split_marker(line)[0] or is_table_row(line)]
    if not items and not lines[0].endswith(":") and not any(is_category_line(line) for line in lines):
        return 0
    intro = " ".join(line for line in lines[:2] if not is_table_row(line))
    score = 0
    if _PROJECT_WORD.search(intro):
        score += 3
    if re.search(r"Maßnahmenart", chunk.text):
        score += 2
    if re.search(r"finanziert|fördert|gefördert|Förderung", intro):
        score += 1
    header = next((line for line in lines if is_table_row(line)), "")
    if _PROJECT_WORD.search(header):
        score += 3
    if any(_vocabulary_category(_split_marker(line)[1]) or is_category_line(line) for line in lines):
        score += 3
    if _PROJECT_WORD.search(chunk.title) or "Maßnahmen" in chunk.title:
        score += 1
    if chunk.section.startswith("Anlage") and items:
        score += 1
    if chunk.section in referenced:
        score += 3
    return score


_ANNEX_REFERENCE = re.compile(r"(?:Projekte|Maßnahmen|Übersicht|aufgeführt|aufgelistet|siehe|gemäß|laut|in)\W+(?:\w+\W+){0,4}?"
                              r"Anlage\s*(?P<n>\d+[a-z]?)", re.I)


def referenced_annexes(chunks: list[Chunk]) -> frozenset[str]:
    """The annexes the agreement's sections point to for their projects: 'die in Anlage 1 aufgeführten Projekte'."""
    found = set()
    for chunk in chunks:
        if chunk.numbered and re.search(r"Projekt|Maßnahme", chunk.text):
            found |= {f"Anlage {m.group('n')}" for m in _ANNEX_REFERENCE.finditer(chunk.text)}
    return frozenset(found)


def _projects(chunks: list[Chunk]) -> tuple[list[Project], list[ProjectList]]:
    """Projects from the list (or lists) that assign projects to Maßnahmenarten; a second list (an
    annex table beside the § 5 list) adds projects not yet known and amounts the first one lacks."""
    referenced = referenced_annexes(chunks)
    scored = [(score, chunk) for chunk in chunks if chunk.section != APPENDED and (score := _list_score(chunk, referenced)) >= 3]
    lists = [_read_list(chunk) for _, chunk in scored]
    lists = [found for found in lists if found.projects or found.entries]
    if not lists:
        return [], []
    ranked = sorted(lists, key=lambda found: (len(found.projects), _list_score(found.chunk, referenced)), reverse=True)
    projects = list(ranked[0].projects)
    known = {fold(p.name): p for p in projects}
    used = [ranked[0]]
    for found in ranked[1:]:
        if not found.projects:
            if found.unread:  # entries that gave nothing: the checks report them
                used.append(found)
            continue
        strong = _list_score(found.chunk, referenced) >= 5 or found.chunk.section.startswith("Anlage")
        added = False
        for project in found.projects:
            same = known.get(fold(project.name))
            if same is not None:
                if same.amount_eur is None and project.amount_eur is not None:
                    same.amount_eur, same.amount_text = project.amount_eur, project.amount_text
                    added = True
            elif strong:
                projects.append(project)
                known[fold(project.name)] = project
                added = True
        if added or found.sum_eur is not None:
            used.append(found)
    return projects, used


# --- signatures, authority ---------------------------------------------------------------------------
def _date_iso(text: str) -> str:
    if iso := parse_date(text):
        return iso
    match = re.match(r"(?P<d>\d{1,2})\.\s*(?P<m>[A-Za-zäÄ]+)\s+(?P<y>\d{4})", text.strip())
    if match and match.group("m").lower() in MONTHS:
        return parse_date(f"{match.group('d')}.{MONTHS.index(match.group('m').lower()) + 1}.{match.group('y')}") or ""
    return ""


def _lines_apart(line: str) -> list[str]:
    """A signature block run together into one line ('Wiesbaden, den 2.8.2025 Heike Hofmann Staatsministerin
    Hessisches Ministerium …') back into its lines: place and date, name, role, organisation."""
    signer_for, line = signer_for_apart(line)
    if signer_for:
        return [signer_for] + _lines_apart(line)
    match = SIGN_RUN_TOGETHER.match(line)
    if SIGN.match(line) or not match or not (role := ROLE.search(match.group("rest"))):
        return [line]
    rest = match.group("rest")
    head = line[: match.start("rest")].strip()
    parts = [head, rest[: role.start()].strip(), role.group(0), rest[role.end() :].strip()]
    return [part for part in parts if part]


def _columns_one_after_the_other(lines: list[str]) -> list[str]:
    """Signature blocks set side by side in a table: each column's lines, a blank line between columns."""
    out: list[str] = []
    table: list[list[str]] = []
    lines = lines + [""]
    for index, line in enumerate(lines):
        if is_table_row(line.strip()):
            table.append(table_cells(line))
            continue
        following = next((later for later in lines[index + 1 :] if later.strip()), "")
        if table and not line.strip() and is_table_row(following.strip()):
            continue  # blank lines between the rows of one block set side by side
        if table:
            for column in range(max(len(row) for row in table)):
                out += [row[column] for row in table if column < len(row) and row[column]] + [""]
            table = []
        out.append(line)
    return out


def _blocks_below(text: str) -> list[list[str]]:
    """The blank-separated groups of lines below a signature chunk's place/date line."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if SIGN_PAIR.match(line.strip())) + 1
    groups: list[list[str]] = [[]]
    for line in lines[start:]:
        line = line.strip()
        if not line:
            if groups[-1]:
                groups.append([])
        elif not _NOT_A_SIGNER_LINE.match(line):
            groups[-1].append(re.sub(r"^gez\.\s*", "", line))
    return [group for group in groups if group]


def _signatures(chunks: list[Chunk]) -> list[Signature]:
    signatures: list[Signature] = []
    for chunk in chunks:
        if chunk.section != SIGNATURES:
            continue
        pairs = [m for line in chunk.text.split("\n") if (m := SIGN_PAIR.match(line.strip()))]
        if pairs:  # columns run together line by line: place and date are certain, who signed is not ...
            blocks = _blocks_below(chunk.text) if len(pairs) == 1 else []
            if len(blocks) != 2 or not all(ROLE.search(" ".join(block[1:2])) for block in blocks):
                blocks = [[], []] * len(pairs)
            # ... unless one place/date line stands above exactly two blocks, each a name over an office
            places = [(match, place, date) for match in pairs for place, date in (("place", "date"), ("place2", "date2"))]
            for (match, place, date), block in zip(places, blocks):
                signatures.append(Signature(match.group(place).strip(), _date_iso(match.group(date)), match.group(date),
                                            block[0] if block else None, block[1] if len(block) > 1 else None,
                                            " ".join(block[2:]) or None, chunk.id))
            continue
        groups: list[list[str]] = [[]]
        for line in _columns_one_after_the_other(chunk.text.split("\n")):
            line = line.strip()
            if not line:
                if groups[-1]:
                    groups.append([])
            elif not _NOT_A_SIGNER_LINE.match(line):
                line = re.sub(r"\s*(?:_{3,}|\.{4,}|…{2,})\s*", " ", line).strip()  # signature rules
                groups[-1] += _lines_apart(re.sub(r"^gez\.\s*", "", line))
        blocks: list[dict] = []
        for group in groups:
            sign_at = next((i for i, line in enumerate(group) if SIGN.match(line)), None)
            if sign_at is None:
                signs_for = bool(group) and _SIGNER_FOR.match(group[0]) and group[0].startswith("Für")
                if blocks and not blocks[-1]["details"] and signs_for and not blocks[-1]["for"]:
                    blocks[-1]["for"] = group[0]  # "Wiesbaden, den …" / "Für das Ministerium" / "Name, Amt"
                    blocks[-1]["details"] += group[1:]
                elif blocks and not blocks[-1]["details"]:
                    blocks[-1]["details"] += group
                elif group and _SIGNER_FOR.match(group[0]) and group[0].startswith("Für"):
                    blocks.append({"match": None, "for": group[0], "details": group[1:]})
                elif blocks:
                    blocks[-1]["details"] += group
                continue
            signer_for = next((line for line in group[:sign_at] if line.startswith("Für ")), None)
            if blocks and blocks[-1]["match"] is None and not blocks[-1]["details"] and signer_for is None:
                signer_for = blocks.pop()["for"]
            rest = group[sign_at + 1 :]
            if signer_for is None and rest and rest[0].startswith("Für ") and _SIGNER_FOR.match(rest[0]):
                signer_for, rest = rest[0], rest[1:]  # "Wiesbaden, den …" over "Für das Ministerium" over the name
            # a second place/date line inside the same group starts another block
            for i, line in enumerate(rest):
                if SIGN.match(line):
                    blocks.append({"match": SIGN.match(group[sign_at]), "for": signer_for, "details": rest[:i]})
                    group, sign_at, rest, signer_for = rest, i, rest[i + 1 :], None
                    break
            blocks.append({"match": SIGN.match(group[sign_at]), "for": signer_for, "details": rest})
        for block in blocks:
            match, details = block["match"], block["details"]
            if details and (comma := details[0].partition(", "))[1] and ROLE.match(comma[2].strip()) \
                    and len(comma[0].split()) <= 4:
                details = [comma[0], comma[2].strip()] + details[1:]  # "Erika Beispiel, Staatsministerin"
            organisation = " ".join(details[2:]) or None
            if organisation is None and block["for"]:
                organisation = _SIGNER_FOR.sub("", block["for"]).rstrip(":").strip() or None
            if match is None and not details:
                continue
            signatures.append(
                Signature(
                    place=match.group("place").strip() if match else "",
                    date=_date_iso(match.group("date")) if match else "",
                    date_text=match.group("date") if match else "",
                    name=details[0] if details else None,
                    role=details[1] if len(details) > 1 else None,
                    organisation=organisation,
                    chunk_id=chunk.id,
                )
            )
    return signatures


def _authority(chunks: list[Chunk]) -> tuple[str, str] | None:
    for pattern in (_AUTHORITY, _AUTHORITY_FALLBACK):
        for chunk in chunks:
            if match := pattern.search(_flat(chunk.text)):
                name = match.group("a").strip()
                if "place" in pattern.groupindex:
                    name += " " + match.group("place")
                return name, chunk.id
    return None


def _title(chunks: list[Chunk], kind: str) -> str:
    head = _head_text(chunks, 300)
    title = re.split(r"\s+zwischen\s+", head)[0].strip()
    if len(title) > 120:
        title = title[:120].rsplit(" ", 1)[0]
    return title or ("Zielvereinbarung" if kind != SUPPORTING else "Dokument")


def extract_facts(doc_id: str, content_hash: str, kind: str, district: str, year: int, chunks: list[Chunk]) -> AgreementFacts:
    facts = AgreementFacts(
        doc_id=doc_id,
        content_hash=content_hash,
        kind=kind,
        district=district,
        year=year,
        title=_title(chunks, kind),
        chunks=len(chunks),
    )
    if kind == SUPPORTING:
        facts.doc_type = doc_type("\n".join(c.text for c in chunks[:3]))
        if facts.doc_type in ("Bescheid", "Änderungsbescheid"):
            facts.details = bescheid_facts(chunks)
        return facts
    projects, lists = _projects(chunks)
    facts.projects = projects
    appended = [c for c in chunks if c.section.startswith(APPENDED)]
    change = _budget_change(chunks) if kind == AMENDMENT else None
    if kind == AMENDMENT:
        facts.removed_projects = removed_projects(chunks)
    if change:
        facts.budget_eur, facts.budget_text, facts.budget_change_eur, facts.budget_chunk = change
    if facts.budget_eur is None:
        skip = {found.chunk.id for found in lists if found.projects} | {c.id for c in appended}
        if budget := _budget(chunks, kind, skip):
            facts.budget_eur, facts.budget_text, facts.budget_chunk = budget
            _apply_parts(facts, chunks)
        elif sums := [found for found in lists if found.sum_eur is not None]:
            facts.budget_eur, facts.budget_text, facts.budget_chunk = sums[0].sum_eur, sums[0].sum_text, sums[0].chunk.id
    if appended and kind == AGREEMENT:
        _apply_appended_amendment(facts, appended)
    if kind == AGREEMENT:
        facts.earlier_budgets = earlier_budgets(chunks, year)
    facts.signatures = _signatures(chunks)
    if authority := _authority(chunks):
        facts.authority, facts.authority_chunk = authority
    check_facts(facts, lists, _recipient(chunks), chunks)
    return facts


def _apply_parts(facts: AgreementFacts, chunks: list[Chunk]) -> None:
    """A budget given only as its parts (Landesmittel plus ESF-Plus-Mittel, no total): the total is their sum,
    marked computed. The parts and the shares ('davon … für Teilzeitausbildung') are kept as facts of their own."""
    facts.budget_parts = _budget_from_parts(chunks, facts.budget_chunk)
    parts = [p for p in facts.budget_parts if p.role == "part"]
    if len({p.label for p in parts}) < 2:
        return
    total = sum(p.amount_eur for p in parts)
    chunk_text = _flat(next(c.text for c in chunks if c.id == facts.budget_chunk))
    stated = [a for a in find_amounts(chunk_text) if re.search(r"insgesamt|Gesamt", _context_before(chunk_text, a[2], 40))]
    if stated and any(a[0] == total for a in stated):
        facts.budget_eur, facts.budget_text = total, next(a[1] for a in stated if a[0] == total)
        return
    if stated:  # a total stated beside parts that do not add up to it: keep the total, say so
        facts.warnings.append(f"Budget: Teilbeträge ({format_euro(total)}) ergeben nicht die Gesamtsumme "
                              f"({format_euro(stated[0][0])})")
        facts.uncertain.append("budget")
        return
    facts.budget_eur = total
    facts.budget_text = " + ".join(f"{p.label} {p.amount_text}" for p in parts)
    facts.budget_computed = True


def _apply_appended_amendment(facts: AgreementFacts, appended: list[Chunk]) -> None:
    """A Nachtrag after the signatures inside the agreement's own file: its budget is the current one."""
    change = _budget_change(appended)
    if change is None:
        if any(find_amounts(c.text) for c in appended):
            facts.warnings.append("Nachtrag im Dokument: Änderung des Budgets nicht erkannt")
            facts.uncertain.append("budget")
        return
    new, written, difference, chunk_id = change
    if new is None and difference is not None and facts.budget_eur is not None:
        new, written = facts.budget_eur + difference, format_euro(facts.budget_eur + difference)
        facts.budget_computed = True
    if new is None:
        return
    facts.original_budget_eur, facts.original_budget_chunk = facts.budget_eur, facts.budget_chunk
    facts.budget_eur, facts.budget_text, facts.budget_chunk = new, written, chunk_id


def _recipient(chunks: list[Chunk]) -> tuple[str, str] | None:
    """The district the budget is given to ("stellt dem Landkreis X … zur Verfügung") and the section saying so."""
    for chunk in chunks:
        if chunk.section in (HEAD, SIGNATURES):
            continue
        for match in _RECIPIENT.finditer(_flat(chunk.text)):
            if _acceptable(match.group("d"), strict=False):
                return _district_name(match.group("d")), chunk.section
    return None
