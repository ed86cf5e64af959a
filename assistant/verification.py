"""Check a generated answer against its numbered sources and the catalog before anyone sees it.

The verifier is the last word on what a language model wrote; nothing the model or a document says
can argue with it:

- every figure (amount, count, year, date, percentage, number words, in any script: superscript,
  fullwidth, with thin spaces) must stand in a source the sentence cites, or be one the engine
  computed; the question's figures are never evidence;
- an amount stated for a district and year must be the catalog's budget for it (current or original),
  a change of it, or one of its project amounts, when the catalog has a budget for that district-year:
  a sentence planted in an agreement cannot set a budget;
- every [n] must exist and its source must hold the sentence's key terms; districts must be the
  sources', project names the catalog's;
- every sentence must be about the question (or the engine's answer to it); the reply must answer
  it: fragments ("oder [1]"), bare citations, questions, echoes of the question or of the prompt and
  "no information" replies fail; so do repeated words in place of a statement and sentences that add
  nothing to the question;
- words that change a claim (negations, periods, exclusivity, totality, bounds, additions, changes such
  as "gestrichen"; classes in prompts/meaning.toml) must stand in the cited passage by the same claim;
  a cut of money needs an amendment in the catalog;
- numbers are read in every spelling first: Roman numerals ("IX Millionen"), Unicode number forms
  ("Ⅸ"), digits of every script, German compounds ("neunmillionen", "eine Million fünfhunderttausend");
- a citation binds to the sentence before it, wherever the model puts it ("Satz. [1]", "Satz [1].").

Document sentences that speak to a reader or a model are left out of the prompt (`drop_instructions`).

Figures are compared by value with the precision they are written in: "1,52 Mio." matches
1.516.560 Euro, "1.516.560" and "1516560" match it exactly, "2 Mio." (off by more than 2 %) does not.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import prompts
from assistant.question import match_districts
from assistant.retrieval import overlap, sentences
from domain.districts import HESSE
from domain.german import STOPWORDS, fold, stem, terms, words
from domain.records import AMENDMENT, AgreementFacts, Chunk

_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MONTHS = {"januar": 1, "jaenner": 1, "februar": 2, "maerz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
           "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12}
_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_WRITTEN_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_SCALE_WORDS = {"mio": 1e6, "million": 1e6, "millionen": 1e6, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
                "tsd": 1e3, "tausend": 1e3, "millions": 1e6, "thousand": 1e3, "billion": 1e9, "billions": 1e9}
_SCALE = r"(?P<scale>Mio|Millionen|Million|Milliarden|Milliarde|Mrd|Tsd|Tausend|millions?|thousand|billions?)\b\.?"
_CURRENCY_AFTER = re.compile(r"^\s*(?:Euro|EUR|€)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:Euro|EUR|€)\s*$", re.IGNORECASE)
# after NFKC every kind of space (thin, narrow no-break, no-break) is a plain space
_FIGURE = re.compile(
    r"(?<![\d.,])(?P<whole>\d{1,3}(?:[. ]\d{3})+(?!\d)|\d+)(?:,(?P<frac>\d+))?(?![\d])(?:,-+)?"
    r"(?:\s*" + _SCALE + ")?",
    re.IGNORECASE,
)
_SECTION_REF = re.compile(r"(§+|Abs\.|Absatz|Nr\.|Ziffer|Seite|S\.)\s*\d+(?:\s*(?:,|und|bis|-|–)\s*\d+)*", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?P<item>.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[„\"“»«](?P<item>[^„\"“”»«\n]{4,120})[“”\"«»]")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_GENERIC = set(terms(
    "Zielvereinbarung Vereinbarung Landkreis Kreis Stadt Jahr Euro Budget Ausbildungs Qualifizierungsbudget "
    "laut gemäß nennt heißt steht regelt Quelle Quellen Antwort insgesamt beträgt erhält sowie jeweils "
    "Mio Millionen Tsd Höhe Summe Betrag Zahl Jahre Gebietskörperschaft Geld Mittel Haushaltsmittel "
    "Die Das Der Den Dem Es Sie Im In "
    "Für Mit Dazu Diese Dieser Dabei Außerdem Zudem Hier According Agreement District Source Year The"
))
# words that say nothing about what a sentence is about: a budget sentence is not "about" an Internetportal
# because both name the HMSI, the district or the programme
_NOT_TOPICAL = _GENERIC | set(terms(
    "HMSI Hessisches Hessischen Ministerium Land Landes Hessen Arbeit Integration Jugend Soziales Zielvereinbarungen "
    "Vereinbarungen Ausbildungs- und Qualifizierungsbudgets Mittel Haushaltsmittel Geld bekommt bekommen erhalten "
    "wie viel hoch welche welcher welches was wer wann wo gibt sagt steht stimmt Frage Antwort dass ja nein "
    "vorliegenden vorliegende Angabe enthalten enthält keine kein bitte how much what which who does agreement"
))
_POLAR_QUESTION = re.compile(r"^\W*(ist|sind|gibt|gab|hat|haben|wird|werden|wurde|wurden|kann|koennen|darf|duerfen|muss|"
                             r"muessen|soll|sollen|bekommt|bekommen|erhaelt|erhalten|foerdert|foerdern|stimmt|steht|"
                             r"gilt|liegt|nimmt|beteiligt|finanziert|is|are|does|do|did|can|will|has|have)\b")
_POLAR_ANSWER = re.compile(r"^\W*(ja|nein|yes|no|jawohl|doch)\b")
_MONEY = re.compile(r"geld|budget|mittel\b|haushaltsmittel|euro|betrag|summe|foerder|money|funding|amount")
_AUTHORITY_NAME = re.compile(r"(regierungspraesidium|regierungspraesidiums|rp)\s+\S+")
_DISTRICT_WORDS = {t for d in HESSE for t in terms(d.name)}
# Replies that decline although the engine found the answer
_NON_ANSWER = re.compile(
    r"keine angabe|keine information|nicht enthalten|nicht beantwort|kann ich nicht|weiss ich nicht|nicht bekannt"
    r"|no information|cannot answer|do not contain|does not contain",
    re.IGNORECASE,
)
# words a finished sentence does not end with (separable verb prefixes such as "an", "vor", "zu" can)
_DANGLING = set(words("und oder aber sowie bzw für von vom der die das den dem des ein eine einen einer im zur zum "
                      "dass weil wenn and or the of for with"))

# -- text in a document that speaks to its reader or to a model ------------------------------------------
# A document is data. A sentence that addresses whoever reads it (a person or a model) is left out of the
# prompt when it carries one sure sign, or two signs of different kinds. The kinds are classes of German
# and other languages' grammar (second person, imperative of a verb of saying or doing, vocative, a
# model named as addressee, talk about instructions, answers, users or this text), not phrasings.
_SURE = re.compile(
    # a chat role or a prompt section as a label, chat-template markup
    r"^\W{0,3}(\w+\s+)?(system|assistant|assistent(in)?|user|benutzer(in)?|nutzer(in)?|developer|entwickler|human|ai|ki|"
    r"modell|model|bot|chatbot|anweisung(en)?|instruktion(en)?|instructions?|prompt|systemprompt|befehl|command|"
    r"task)\s*[:>]"
    r"|<\|?\s*(im_start|im_end|start_of_turn|end_of_turn|system|user|assistant|endoftext)|\[/?inst\]|<</?sys>>"
    r"|</?s>|^\W*#{2,}\s*\w+"
    # overriding what came before, in many languages
    r"|\bignor(ier|e\b|es\b|ing|ez\b|a\b|are|iere)|\bdisregard|\bmissacht|\bvergiss\b|\bvergessen sie\b"
    r"|\bforget\b|\boubli(ez|e)\b|\bolvida\b|\bdimentica\b|\bnegeer\b|\bvergeet\b|\bzignoruj|\bzapomnij"
    r"|игнорир|забудь|\byok say|\bunut\b"
    # role play
    r"|\btu(e|n sie)? so,? als\b|\bstell (dir|euch) vor\b|\bpretend\b|\bact as\b|\brole-?play|\bfais comme si"
    r"|\bhaz como si|\bfai finta",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNS = {
    # second person: informal pronouns and verb forms in several languages; formal Sie/Ihnen/Ihr not first
    "you": re.compile(
        r"(?i:\b(du|dich|dir|dein\w*|euch|euer|eure\w*|you|your\w*|yourself|tu|toi|vous|votre|vos|ton|ta|tes|"
        r"usted(es)?|tú|vosotros|debes|devi|dovete|jij|jou|jouw|je moet|u moet|uw|musisz|ty|wy|sen|siz|ты|вы|тебе|"
        r"вам|sollst|musst|darfst|kannst|wirst|bist|hast|giltst|erklärst|antwortest|schreibst|sagst)\b)"
        r"|(?<=\w )(Sie|Ihnen|Ihr|Ihre\w*)\b"),
    # a machine or model as the addressee
    "machine": re.compile(
        r"\b(ki|ai|llm|llms|gpt[\w.-]*|chatgpt|claude|gemini|copilot|llama|mistral|chatbot\w*|bot|bots)\b|ki-\w+"
        r"|sprachmodell\w*|language model|künstliche\w* intelligenz|artificial intelligence|\bmodell\b|\bmodel(s)?\b"
        r"|\bassistent(en|in)?\b|\bassistant\b|maschinell\w*|automatisiert\w* (auswert|verarbeit|zusammenfass|les)\w*"
        r"|\bmachine\w*|textgenerator|\bsystem(e|en)?\b(?!atisch)", re.IGNORECASE),
    # talk about the conversation: instructions, answers, users, readers, this text
    "meta": re.compile(
        r"\b(anweisung\w*|instruktion\w*|instruction\w*|prompt\w*|antwort|antworten|answer|response|reply|"
        r"zusammenfassung|summary|nutzer\w*|benutzer\w*|user|users|leser\w*|reader\w*|utilisateur\w*|usuario\w*|"
        r"utente\w*|gebruiker\w*|użytkownik\w*|kullanıcı\w*|пользовател\w*|talimat\w*|instrukcj\w*|istruzion\w*|"
        r"instrucci\w*|instructies|инструкци\w*)\b"
        r"|\b(dies(es|en|er)?|this) (dokument\w*|text\w*|datei|passage|document|text|file)\b"
        r"|\b(dies|this)\b (liest|lesen|reads?)", re.IGNORECASE),
    # a request: please, from now on, always
    "request": re.compile(
        r"\b(bitte|please|s'il vous plaît|por favor|per favore|alsjeblieft|proszę|lütfen|пожалуйста|ab sofort|"
        r"ab jetzt|von nun an|from now on|à partir de maintenant|unbedingt|stets|immer|always|wörtlich|verbatim)\b",
        re.IGNORECASE),
    # an address: a greeting to the reader, "Hinweis an …", "Note to …", "Achtung, …"
    "address": re.compile(
        r"^\W*(liebe[rs]?|sehr geehrte[rs]?|hallo|hey|hi|dear|achtung|attention)\b"
        r"|\b(hinweis|nachricht|mitteilung|botschaft|note|message|wichtig|important)\w*\s+(an|für|to|for)\b"
        r"|^\W*an (das|den|die|alle)\b[^:]{0,60}:", re.IGNORECASE | re.MULTILINE),
}
# verbs of saying and of doing-as-told, as commands: sentence or clause first, or after "bitte"/"und"
_SAYING = (r"antwort|schreib|sag|nenn|gib|geb|gebt|behaupt|erklär|erwähn|teil|übernimm|übernehm|wiederhol|formulier|"
           r"zitier|verschweig|merk|bestätig|meld|übersetz|fass|behandl|handl|verhalt|spiel|ersetz|füg|lösch|streich|"
           r"ändere|änder|verwend|nutz|lass|mach|tu|say|tell|state|answer|respond|reply|write|output|print|claim|"
           r"mention|repeat|summari[sz]|translate|use|include|insist|report|répond|dis|dites|écri|affirm|respon|"
           r"decir|escrib|afirm|rispond|dire|scriv|afferm|antwoord|zeg|vertel|schrijf|odpowiedz|powiedz|napisz|söyle|"
           r"yaz|cevap|ответь|скажи|напиши")
_COMMAND = re.compile(
    r"(?:^|[,;:–—]\s*|\b(?:bitte|und|dann|nun|jetzt|sondern|and|then|please|et|y|e|en|i|ve|и)\s+)\W{0,2}"
    r"(?:" + _SAYING + r")(?:e|t|st|en sie|e sie)?\b(?!\s+(?:sich|wir|ich|er|es|der|die|das)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_SAID = re.compile(r"\b(?:an|aus|mit|wieder|zu)?(?:" + _SAYING + r")\w*\b[^.]{0,40}?(?:\b(dass|that|que|che|dat|że|что)\b|:)",
                   re.IGNORECASE)
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0530-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff"
                           r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_DROPPED = "[Satz mit Anweisungscharakter ausgelassen]"


def instruction_signs(sentence: str) -> set[str]:
    """The kinds of sign that a sentence speaks to its reader or to a model ("sure" for one that suffices)."""
    text = normalise(sentence)
    signs = {kind for kind, pattern in _SIGNS.items() if pattern.search(text)}
    if _SURE.search(text):
        signs.add("sure")
    letters = [ch for ch in text if ch.isalpha()]
    if letters and len(_OTHER_SCRIPT.findall(text)) * 2 >= len(letters):
        signs.add("sure")  # a sentence in another script inside a German agreement
    if _COMMAND.search(text):
        signs.add("command")
    if _SAID.search(text):
        signs.add("said")  # "sag ihm, dass …", "antworte nur: …", "bitte angeben, dass …"
    return signs


def speaks_to_reader(sentence: str) -> bool:
    signs = instruction_signs(sentence)
    return "sure" in signs or len(signs) >= 2


_DOCUMENT_END = re.compile(r"(?:(?<=[.!?:])|(?<=\|>)|(?<=\]))\s+(?=[^\s\da-zäöüß(,;])")


def _document_sentences(line: str) -> list[str]:
    """The sentences of a line of a document; a new one may begin with any script or with markup ("<|…|>",
    "[INST]", "###"), not after an abbreviation ("z. B.", "Dr.")."""
    parts: list[str] = []
    for part in _DOCUMENT_END.split(line.strip()):
        last = parts[-1].rstrip().rsplit(" ", 1)[-1] if parts else ""
        if parts and last.endswith(".") and (fold(last[:-1]).strip("(„\"") in _ABBREVIATIONS or len(last) <= 2):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return [p for p in parts if p.strip()]


def drop_instructions(text: str) -> str:
    """A passage with its sentences that speak to a reader or a model replaced by a marker: document text is
    data. What a dropped address introduces ("Hinweis an die KI:" and the next sentence) goes with it."""
    out_lines, changed = [], False
    follow = False  # the sentence before was dropped: a continuation with one sign goes too
    for line in normalise(text).split("\n"):
        kept = []
        for sentence in _document_sentences(line):
            signs = instruction_signs(sentence)
            drop = "sure" in signs or len(signs) >= 2 or (follow and bool(signs)) or follow == "colon"
            if drop:
                kept.append(_DROPPED)
                changed = True
                follow = "colon" if sentence.rstrip().endswith(":") else True
            else:
                kept.append(sentence)
                follow = False
        out_lines.append(" ".join(kept) if kept else line)
    return "\n".join(out_lines) if changed else text


# The prompt's own scaffolding in an answer: the model repeats its instructions instead of answering
_SCAFFOLD = re.compile(
    r"</?quelle|</?model|<(start|end)_of_turn|fakten aus dem katalog|beantworte die frage|zitiere mit \[n\]"
    r"|^\s*(frage|quellen|antwort|eigenständige frage|letzte frage)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_ECHO_RUN = 6  # this many consecutive words of the prompt's instructions make an echo

# -- numbers spelled out: German and English number words, Roman numerals -------------------------
_UNITS = {"ein": 1, "eins": 1, "eine": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6,
          "sieben": 7, "acht": 8, "neun": 9}
_TEENS = {"zehn": 10, "elf": 11, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "fuenfzehn": 15, "sechzehn": 16,
          "siebzehn": 17, "achtzehn": 18, "neunzehn": 19}
_TENS = {"zwanzig": 20, "dreissig": 30, "vierzig": 40, "fuenfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
         "neunzig": 90}
_ENGLISH_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                  "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                  "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
                  "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ENGLISH_SCALES = {"hundred": 100, "thousand": 1000, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9}
_FRACTIONS = {"anderthalb": 1.5, "eineinhalb": 1.5, "zweieinhalb": 2.5, "dreieinhalb": 3.5, "halbe": 0.5,
              "halben": 0.5, "viertel": 0.25, "dreiviertel": 0.75, "half": 0.5, "dutzend": 12}
# the big scale words inside a compound, longest first: "neunmillionenfuenfhunderttausend"
_BIG = (("milliarden", 1e9), ("milliarde", 1e9), ("millionen", 1e6), ("million", 1e6), ("mrd", 1e9), ("mio", 1e6))
_ARTICLES = {"ein", "eine", "einen", "einer", "one", "a"}  # a number only before a scale word: "eine Million"
# words before which a Roman numeral names a part, not an amount: "SGB IX", "Teil II", "Artikel III"
_NUMBERED_PARTS = set(words("sgb buch teil kapitel abschnitt band anlage anhang artikel art nr ziffer stufe phase "
                            "klasse typ los modul rechtskreis rechtskreise abs absatz paragraf paragraph"))
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_NUMBER_FORMS = re.compile("[\u2160-\u2188]+")  # Ⅸ, ⅻ, ↀ …: Roman numerals as Unicode characters
_RUN_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+(?:[.,]\d+)*", re.UNICODE)


def _below_hundred(word: str) -> int | None:
    if not word:
        return None
    for table in (_TEENS, _TENS, _UNITS):
        if word in table:
            return table[word]
    for tens, value in _TENS.items():  # "einundzwanzig"
        if word.endswith("und" + tens):
            unit = _UNITS.get(word[: -len("und" + tens)])
            if unit is not None and word[: -len("und" + tens)] != "eins":
                return unit + value
    return None


def _below_thousand(word: str) -> int | None:
    if "hundert" in word:
        head, _, tail = word.partition("hundert")
        count = 1 if head in ("", "ein") else _UNITS.get(head)
        if count is None or head == "eins":
            return None
        rest = _below_hundred(tail.removeprefix("und")) if tail else 0
        return None if rest is None else count * 100 + rest
    return _below_hundred(word)


def _below_million(word: str) -> float | None:
    if word in _FRACTIONS:
        return _FRACTIONS[word]
    if "tausend" in word:
        head, _, tail = word.partition("tausend")
        count = 1 if head in ("", "ein") else _below_thousand(head)
        rest = _below_thousand(tail.removeprefix("und")) if tail else 0
        if count is None or rest is None:
            return None
        return count * 1000 + rest
    return _below_thousand(word)


def _compound(word: str) -> float | None:
    """The value of a folded German number compound without spaces: "neunmillionen", "einemillionfuenfhunderttausend"."""
    if not word:
        return 0
    for scale_word, scale in _BIG:
        at = word.find(scale_word)
        if at >= 0:
            head, tail = word[:at], word[at + len(scale_word):].lstrip(".").removeprefix("und")
            count = 1 if head in ("", "ein", "eine", "einer") else _below_million(head)
            rest = _compound(tail)
            if count is None or rest is None or (rest and rest >= scale):
                return None
            return count * scale + rest
    return _below_million(word)


def number_word(word: str) -> float | None:
    """The value of a German or English number word ("vier", "neunmillionen", "einundzwanzig"), else None."""
    word = fold(word).strip(".")
    if word in _ENGLISH_SMALL:
        return _ENGLISH_SMALL[word]
    if word in _ENGLISH_SCALES:
        return _ENGLISH_SCALES[word]
    return _compound(word)


def roman_value(token: str) -> int | None:
    """The value of a Roman numeral ("IX", "xii"), else None."""
    upper = token.upper()
    if not upper or not _ROMAN.match(upper):
        return None
    total = 0
    for i, ch in enumerate(upper):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(upper) and _ROMAN_VALUES[upper[i + 1]] > value else value
    return total


def _number_forms(text: str) -> str:
    """Roman numerals written as Unicode number forms become digits ("Ⅸ" -> "9")."""
    def digits(match: re.Match) -> str:
        value = roman_value(unicodedata.normalize("NFKC", match.group(0)))
        return str(value) if value else match.group(0)
    return _NUMBER_FORMS.sub(digits, text)


@dataclass(frozen=True)
class Figure:
    value: float
    tolerance: float  # half a unit of the last written digit, for "1,52 Mio."
    text: str
    money: bool = False  # written with a currency or a scale word, or a large grouped number
    date: bool = False

    def matches(self, other: "Figure") -> bool:
        return abs(self.value - other.value) <= self.tolerance + 1e-9


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def normalise(text: str) -> str:
    """NFKC (superscript and fullwidth digits become digits, thin and no-break spaces plain spaces), digits of
    every script as ASCII digits, Roman numerals written as Unicode number forms as digits."""
    text = unicodedata.normalize("NFKC", _number_forms(text))
    # zero-width spaces and joiners out; decimal digits of every script ("٩", "९") as ASCII digits
    text = "".join("" if unicodedata.category(ch) == "Cf" else
                   str(unicodedata.digit(ch)) if ch > "\x7f" and unicodedata.category(ch) == "Nd" else ch
                   for ch in text)
    return text.replace("\u2212", "-").replace("\u2044", "/")


def _tolerance(value: float, frac: str, scale: float) -> float:
    # "1,52 Mio." stands for 1.515.000–1.525.000; a rounding coarser than 2 % ("2 Mio.") matches nothing
    return min(0.5 * 10 ** -len(frac) * scale, 0.02 * value) if scale > 1 else 0.0


def figures(text: str) -> list[Figure]:
    """Every figure written in a text: digits in any script, dates (one figure each), number words."""
    text = normalise(text)
    found: list[Figure] = []
    for pattern, month in ((_DATE, None), (_WRITTEN_DATE, True)):
        for match in pattern.finditer(text):
            day, middle, year = match.groups()
            m = _MONTHS[fold(middle)] if month else int(middle)
            found.append(Figure(float(int(year) * 10000 + m * 100 + int(day)), 0.0, match.group(0), date=True))
        text = pattern.sub(" ", text)
    for match in _FIGURE.finditer(text):
        grouped = bool(re.search(r"[. ]", match.group("whole")))
        whole = re.sub(r"[. ]", "", match.group("whole"))
        frac = match.group("frac") or ""
        scale = _SCALE_WORDS.get(fold(match.group("scale") or "").rstrip("."), 1.0)
        value = float(f"{whole}.{frac}" if frac else whole) * scale
        currency = bool(_CURRENCY_AFTER.match(text[match.end():]) or _CURRENCY_BEFORE.search(text[: match.start()]))
        money = currency or scale > 1 or (grouped and value >= 10_000)
        found.append(Figure(value, _tolerance(value, frac, scale), match.group(0).strip(), money=money))
    found += _spelled_figures(text)
    return found


def _spelled_figures(text: str) -> list[Figure]:
    """Numbers written out: runs of number words ("neun Millionen", "eine Million fünfhunderttausend",
    "neunmillionen", "nine million"), Roman numerals that stand for an amount or a count ("IX Millionen",
    "XII Projekte"; not "SGB IX"), and numeral characters nobody can read here ("九"), which match nothing."""
    tokens = list(_RUN_TOKEN.finditer(text))
    found: list[Figure] = []
    i = 0
    while i < len(tokens):
        run_end, value, scale_seen = _number_run(text, tokens, i)
        if run_end > i:
            first = fold(tokens[i].group(0)).rstrip(".")
            lone_article = run_end - i == 1 and first in _ARTICLES
            # "Millionen" after digits belongs to them ("9 Millionen"); "außer Acht lassen" is no number
            bare_scale = first in _SCALE_WORDS or first in _ENGLISH_SCALES
            idiom = first == "acht" and i > 0 and fold(tokens[i - 1].group(0)) in ("ausser", "in")
            if not (lone_article or bare_scale or idiom):
                found.append(_spelled(text, tokens[i].start(), tokens[run_end - 1].end(), value, scale_seen))
            i = run_end
            continue
        roman = _roman_figure(text, tokens, i)
        if roman:
            found.append(roman)
            i += 2 if roman.money and roman.text != tokens[i].group(0) else 1
            continue
        elif any(unicodedata.numeric(ch, None) is not None and not ch.isascii() for ch in tokens[i].group(0)):
            found.append(Figure(float("nan"), 0.0, tokens[i].group(0)))
        i += 1
    return found


def _number_run(text: str, tokens: list, i: int) -> tuple[int, float, float]:
    """(end index, value, largest scale word) of the run of number words starting at token i; end == i if none."""
    parts: list[str] = []
    english: list[str] = []
    j, best = i, (i, 0.0, 1.0)
    while j < len(tokens):
        if j > i and text[tokens[j - 1].end():tokens[j].start()].strip(" -\u2010\u2011") != "":
            break
        word = fold(tokens[j].group(0))
        bare = word.rstrip(".")
        if not bare.isalpha():
            break
        if bare == "und" and parts:
            j += 1
            continue
        value = None if english else _compound("".join(parts + [bare]))
        if value is not None:
            parts.append(bare)
            best = (j + 1, value, max([s for w, s in _BIG if w in "".join(parts)] + [1.0]))
        elif not parts and (bare in _ENGLISH_SMALL or bare in _ENGLISH_SCALES or (bare == "and" and english)):
            english.append(bare)
            best = (j + 1, _english_value(english), max([_ENGLISH_SCALES.get(w, 1.0) for w in english]))
        else:
            break
        j += 1
    return best


def _english_value(run: list[str]) -> float | None:
    total, current = 0.0, 0.0
    for word in run:
        if word == "and":
            continue
        if word in _ENGLISH_SMALL:
            current += _ENGLISH_SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _ENGLISH_SCALES[word]
            current = 0.0
    return total + current


def _spelled(text: str, start: int, end: int, value: float, scale: float) -> Figure:
    """A figure for a run of number words; its precision is that of the largest scale word."""
    written = text[start:end]
    currency = bool(_CURRENCY_AFTER.match(text[end:]))
    if scale > 1:
        decimals = len(f"{value / scale:.6f}".rstrip("0").split(".")[1])
        return Figure(value, _tolerance(value, "0" * decimals, scale), written, money=True)
    return Figure(value, 0.0, written, money=currency)


def _roman_figure(text: str, tokens: list, i: int) -> Figure | None:
    """A Roman numeral as a figure: before a scale word or a currency, or in capitals of two letters or
    more (I, V, X) before a word; never after a word that numbers parts ("SGB IX", "Teil II")."""
    token = tokens[i].group(0)
    value = roman_value(token)
    if not value:
        return None
    before = i - 1  # "SGB II, III, VIII, XII": back over the list of numerals to the word that numbers parts
    while before >= 0 and (roman_value(tokens[before].group(0)) or fold(tokens[before].group(0)) in ("und", "oder", "sowie", "bis")):
        before -= 1
    if before >= 0 and fold(tokens[before].group(0)).rstrip(".") in _NUMBERED_PARTS:
        return None
    following = fold(tokens[i + 1].group(0)).rstrip(".") if i + 1 < len(tokens) else ""
    gap = text[tokens[i].end():tokens[i + 1].start()] if i + 1 < len(tokens) else ""
    scale = _SCALE_WORDS.get(following, 1.0) if gap.strip() == "" else 1.0
    currency = bool(_CURRENCY_AFTER.match(text[tokens[i].end():]))
    counted = token.isupper() and len(token) >= 2 and set(token) <= set("IVX") and gap.strip() == "" and following
    if scale == 1.0 and not currency and not counted:
        return None
    end = tokens[i + 1].end() if scale > 1 else tokens[i].end()
    total = float(value) * scale
    return Figure(total, _tolerance(total, "", scale), text[tokens[i].start():end], money=currency or scale > 1)


def _claims(text: str) -> list[Figure]:
    """The figures a text states: citation marks, section references and list numbers left out."""
    text = normalise(text)
    text = _CITE.sub(" ", text)
    text = _SECTION_REF.sub(" ", text)
    text = _LIST_NUMBER.sub(" ", text)
    return figures(text)


def cited_numbers(text: str) -> list[int]:
    return [int(n) for group in _CITE.findall(text) for n in re.split(r"\s*[,;]\s*", group)]


# -- words that change a claim ---------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    """A word that changes what a sentence claims: its class, what must match (the class, a period's unit, a
    change's direction) and the word as written."""

    kind: str
    key: str
    word: str
    label: str


_CUE_TOKEN = re.compile(r"\d[\d.,]*|[^\W\d_]+", re.UNICODE)
_ADJECTIVE_ENDINGS = ("", "e", "en", "er", "es", "em")
_VERB_ENDINGS = {"", "e", "en", "end", "ende", "enden", "ender", "endes", "endem", "er", "ern", "es", "em", "n", "t",
                 "te", "ten", "ter", "tes", "tem", "et", "ete", "eten", "etes", "st", "est", "ung", "ungen", "igung", "ion",
                 "ionen", "s", "d", "ed", "ing", "ion", "ions", "e"}
_UNIT_NOUNS = {"tag": "tag tage tagen tages", "woche": "woche wochen", "monat": "monat monate monaten monats",
               "quartal": "quartal quartale quartalen quartals", "halbjahr": "halbjahr halbjahre halbjahres",
               "jahr": "jahr jahre jahren jahres year years", "stunde": "stunde stunden"}
_PERIOD_TRIGGERS = {"pro", "je", "per", "jeden", "jede", "jedes", "jedem", "jeder", "alle", "every", "each", "a"}
_TIMES = re.compile(r"^(?:ein|zwei|drei|vier|fuenf|sechs|mehr|etliche|viel)mals?$")


@cache
def _lexicon() -> dict:
    table = tomllib.loads(prompts.text("meaning.toml"))
    classes = {}
    for kind, entry in table["word"].items():
        forms = set()
        for word in entry.get("words", []):
            forms |= {word + e for e in _ADJECTIVE_ENDINGS} if entry.get("inflect") else {word}
        classes[kind] = (entry["label"], forms, tuple(entry.get("prefixes", [])),
                         [tuple(p) for p in entry.get("phrases", [])])
    period = table["period"]
    stems = sorted(((stem, unit) for unit, found in period["units"].items() for stem in found), key=lambda s: -len(s[0]))
    adjective = re.compile(r"^\w*?(" + "|".join(re.escape(stem) for stem, _ in stems) + r")(?:lich|ig|weise)(?:e|en|er|es|em)?$")
    change = table["change"]
    directions = {name: (entry["stems"], entry.get("needs", {})) for name, entry in change.items()
                  if isinstance(entry, dict)}
    return {
        "classes": classes, "period_label": period["label"], "period_stems": dict(stems), "period_adjective": adjective,
        "period_words": {w: unit for unit, found in period["words"].items() for w in found},
        "unit_nouns": {n: unit for unit, nouns in _UNIT_NOUNS.items() for n in nouns.split()},
        "change_label": change["label"], "particles": sorted(change["particles"], key=len, reverse=True),
        "bare": set(change.get("bare", [])), "directions": directions,
    }


def _change_direction(token: str, tokens: list[str], final: set[str]) -> str | None:
    """The direction of a change verb form ("gestrichen" -> cancel, "aufgestockt" -> up), else None.

    `final` are the particles that close a clause of the sentence ("stockt … auf")."""
    lex = _lexicon()
    if len(token) < 3 or not token.isalpha():
        return None
    readings = [(token, "")]
    for particle in lex["particles"]:
        if token.startswith(particle) and len(token) > len(particle) + 2:
            readings.append((token[len(particle):], particle))
    for core, particle in list(readings):
        for infix in ("ge", "zu"):
            if core.startswith(infix) and len(core) > 4:
                readings.append((core[2:], particle))
    for direction, (stems, needs) in lex["directions"].items():
        for core, particle in readings:
            for stem in stems:
                if not core.startswith(stem) or core[len(stem):] not in _VERB_ENDINGS:
                    continue
                if stem in lex["bare"] and particle:
                    continue
                required = needs.get(stem)
                if required is not None and required and particle not in required and not (set(required) & final):
                    continue
                return direction
    return None


def _scope(text: str, word: str) -> tuple[list[str], int | None]:
    """The text's tokens (stems; figures as "#") and the index of `word` in them."""
    tokens = [("#" if m.group(0)[0].isdigit() else stem(fold(m.group(0))))
              for m in _CUE_TOKEN.finditer(_CITE.sub(" ", normalise(text)))]
    first = stem(fold(word.split()[0]))
    return tokens, next((i for i, t in enumerate(tokens) if t == first), None)


def _negates_same(sentence: str, cue: Cue, support: list[str]) -> bool:
    """A negation in a passage backs one in a sentence only when it stands by the same word: "ohne
    Altersbegrenzungen" backs "keine Altersbegrenzungen", not "nicht inklusiv" two words further on."""
    tokens, at = _scope(sentence, cue.word)
    if at is None:
        return True
    after = [t for t in tokens[at + 1:] if t == "#" or (t not in STOPWORDS and len(t) > 2)]
    before = [t for t in tokens[:at] if t == "#" or (t not in STOPWORDS and len(t) > 2)]
    scope = after[:1] or before[-1:]
    if not scope:
        return True
    for unit in support:
        unit_tokens = [("#" if m.group(0)[0].isdigit() else stem(fold(m.group(0)))) for m in _CUE_TOKEN.finditer(unit)]
        negations = {i for i, m in enumerate(_CUE_TOKEN.finditer(unit))
                     if any(c.kind == "negation" for c in cues(m.group(0)))}
        for i, t in enumerate(unit_tokens):
            if t == scope[0] and any(abs(i - j) <= 2 for j in negations):
                return True
    return False


def cues(text: str) -> list[Cue]:
    """The words of a text that change what it claims: negations, periods and frequencies, exclusivity,
    totality, bounds, additions, distributions and changes (cut, raised, moved), from prompts/meaning.toml."""
    lex = _lexicon()
    text = _CITE.sub(" ", normalise(text))
    matches = list(_CUE_TOKEN.finditer(text))
    tokens = ["#" if m.group(0)[0].isdigit() else fold(m.group(0)) for m in matches]
    # particles that end a clause: "stockt den Betrag auf."
    final = {tokens[i] for i, m in enumerate(matches) if re.match(r"\s*(?:[.,;:!?)]|$)", text[m.end():])}
    found: list[Cue] = []
    used: set[int] = set()

    def add(kind: str, key: str, first: int, last: int, label: str) -> None:
        used.update(range(first, last + 1))
        found.append(Cue(kind, key, text[matches[first].start():matches[last].end()], label))

    for i, token in enumerate(tokens):  # periods first: "jedes Jahr" is a period, not "jedes"
        if i in used:
            continue
        unit = lex["period_words"].get(token)
        adjective = lex["period_adjective"].match(token)
        if unit or adjective:
            add("period", unit or lex["period_stems"][adjective.group(1)], i, i, lex["period_label"])
            continue
        repeat = bool(_TIMES.match(token))
        if token in _PERIOD_TRIGGERS or repeat:
            for j in range(i + 1, min(i + 4, len(tokens))):
                unit = lex["unit_nouns"].get(tokens[j])
                year_follows = j + 1 < len(tokens) and _YEAR.fullmatch(matches[j + 1].group(0))
                if unit and not year_follows:  # "im Jahr 2025" is a date, "einmal im Monat 500 Euro" a period
                    add("period", unit, i, j, lex["period_label"])
                    break
                if tokens[j] not in ("im", "in", "der", "dem", "den", "am", "pro", "je", "#") and number_word(tokens[j]) is None:
                    break
            else:
                if repeat and token not in ("einmal", "einmals"):
                    add("period", "mal", i, i, lex["period_label"])
            if i not in used and repeat and token not in ("einmal", "einmals"):
                add("period", "mal", i, i, lex["period_label"])
        if i + 2 < len(tokens) and tokens[i + 1] == "fuer" and tokens[i + 2] == token and token in lex["unit_nouns"]:
            add("period", lex["unit_nouns"][token], i, i + 2, lex["period_label"])  # "Jahr für Jahr"
    for i, token in enumerate(tokens):
        if i in used:
            continue
        for kind, (label, forms, prefixes, phrases) in lex["classes"].items():
            pair = next((p for p in phrases if i + 1 < len(tokens) and p[0] == token and p[1] == tokens[i + 1]), None)
            if pair:
                add(kind, kind, i, i + 1, label)
                break
            if token in forms or (prefixes and token.startswith(prefixes)):
                add(kind, kind, i, i, label)
                break
        else:
            direction = _change_direction(token, tokens, final)
            if direction:
                add("change", direction, i, i, lex["change_label"])
    return found


def _source_text(chunk: Chunk) -> str:
    return f"{chunk.district} {chunk.year} {chunk.section} {chunk.title}\n{chunk.text}"


@cache
def _prompt_runs() -> frozenset[tuple[str, ...]]:
    """Runs of consecutive words of the prompts' instructions (not their placeholders)."""
    runs: set[tuple[str, ...]] = set()
    for name in ("system_de.txt", "answer_de.txt"):
        for line in prompts.text(name).splitlines():
            line = re.sub(r"\{\w+\}", " ", line)
            tokens = words(line)
            runs |= {tuple(tokens[i:i + _ECHO_RUN]) for i in range(len(tokens) - _ECHO_RUN + 1)}
    return frozenset(runs)


class Verifier:
    """Checks sentences (while streaming) and the whole answer against numbered sources.

    `sources[n-1]` is source n. `facts` is the engine's own answer over the same numbering: a line of
    it citing [n], and the unmarked lines under it (a list), may be restated citing [n]; its unmarked
    lines before any mark are the engine's computations. `computed` are figures the engine
    calculated. `required` figures must be stated. `catalog` is every agreement's facts: budgets and
    project amounts by district and year, project and district names. `reference` is the engine's
    answer with its quotes: a sentence must be about the question or about that."""

    def __init__(self, sources: list[Chunk], facts: str = "", question: str = "", computed: list[int] | None = None,
                 projects: list[str] | None = None, districts: list[str] | None = None,
                 required: list[Figure] | None = None, catalog: list[AgreementFacts] | None = None,
                 reference: str = "") -> None:
        self.sources = sources
        self.catalog = catalog or []
        self.question = question
        self.source_figures = [_claims(_source_text(c)) + [Figure(float(c.year), 0.0, str(c.year))] for c in sources]
        self.free = [Figure(float(v), 0.0, str(v)) for v in computed or []]
        self.fact_lines: dict[int, str] = {n: "" for n in range(1, len(sources) + 1)}
        marks: list[int] = []
        for line in (line for line in facts.split("\n") if line.strip()):
            if cited_numbers(line):
                marks = [n for n in cited_numbers(line) if n in self.fact_lines]
            if not marks:
                self.free += _claims(line)
            for n in marks:
                self.fact_lines[n] += " " + line
        self.fact_figures = {n: _claims(text) for n, text in self.fact_lines.items()}
        self.facts = facts
        names = projects if projects is not None else [p.name for d in self.catalog for p in d.projects]
        self.projects = [fold(p) for p in names]
        self.districts = districts if districts is not None else sorted({d.district for d in self.catalog})
        self.source_districts = {c.district for c in sources}
        self.required = required or []
        self.reference = reference
        place_words = _DISTRICT_WORDS | {t for d in self.districts + list(self.source_districts) for t in terms(d)}
        self._place_words = place_words
        self.topic = {t for t in terms(_YEAR.sub(" ", question)) if t not in _NOT_TOPICAL and t not in place_words
                      and not t.isdigit()}
        self.reference_figures = [f for f in _claims(reference) if not _YEAR.fullmatch(f.text)]
        self._echo_runs = _prompt_runs()
        self._question_terms = set(terms(question))
        self._question_figures = _claims(question)
        self._units: dict[int, list[str]] = {}  # the sentences of each source and its facts lines, for cues
        self._intro_marks: list[int] = []  # the marks of a cited line ending in ":", for the list under it

    # -- one sentence ------------------------------------------------------------------------
    def check_sentence(self, sentence: str, verdict: Verdict) -> None:
        self._check_form(sentence, verdict)
        marks = cited_numbers(sentence)
        bullet = bool(_BULLET.match(sentence))
        claims = _claims(sentence)
        if not bullet:
            self._check_information(sentence, claims, verdict)
        meaning = cues(sentence)
        if not marks and bullet:
            marks = self._intro_marks  # a list item stands under its cited introduction
        elif marks and _CITE.sub("", sentence).rstrip().endswith(":"):
            self._intro_marks = marks
        elif not marks and (self._key_terms(sentence) or meaning):
            verdict.add(f"Aussage ohne Quellenangabe: „{sentence.strip()[:80]}“")
        for n in marks:
            if not 1 <= n <= len(self.sources):
                verdict.add(f"Quelle [{n}] gibt es nicht")
        cited = [n for n in marks if 1 <= n <= len(self.sources)]
        self._check_figures(claims, cited, verdict)
        self._check_catalog_amounts(sentence, claims, cited, verdict)
        self._check_terms(sentence, cited, verdict)
        self._check_meaning(sentence, meaning, claims, cited, verdict)
        self._check_names(sentence, verdict)
        if not bullet and not self._relevant(sentence, claims):
            verdict.add(f"die Aussage gehört nicht zur Frage: „{sentence.strip()[:80]}“")

    def _check_form(self, sentence: str, verdict: Verdict) -> None:
        """Scaffolding, questions, echoes of the question or the prompt, fragments."""
        text = normalise(sentence)
        if _SCAFFOLD.search(text):
            verdict.add("die Antwort wiederholt die Anweisungen")
        plain = _CITE.sub(" ", text).strip()
        tokens = words(plain)
        if tokens and plain.rstrip(" *").endswith("?"):
            verdict.add(f"die Antwort stellt eine Frage, statt zu antworten: „{plain[:80]}“")
        asked = fold(self.question).strip(" ?")
        if asked and len(asked) >= 15 and (asked in fold(plain)
                                           or difflib.SequenceMatcher(None, fold(plain), asked).ratio() >= 0.8):
            verdict.add("die Antwort wiederholt die Frage")
        runs = {tuple(tokens[i:i + _ECHO_RUN]) for i in range(len(tokens) - _ECHO_RUN + 1)}
        if runs & self._echo_runs:
            verdict.add("die Antwort wiederholt die Anweisungen")
        if _BULLET.match(text):
            return
        if len([t for t in tokens if not t.isdigit()]) < 2 or len(tokens) < 3:
            verdict.add(f"Bruchstück statt Antwort: „{text.strip()[:80]}“")
        elif tokens[-1] in _DANGLING and not plain.endswith(":"):
            verdict.add(f"unvollständiger Satz: „{text.strip()[:80]}“")

    def _check_information(self, sentence: str, claims: list[Figure], verdict: Verdict) -> None:
        """A sentence says something: no word repeated in place of a statement, and something the question
        did not already say (a figure, a name, a word of its own; "ja"/"nein" to a yes-no question)."""
        plain = _CITE.sub(" ", normalise(sentence))
        content = [w for w in words(plain) if len(w) > 2 and not w.isdigit() and w not in STOPWORDS]
        stems = [stem(w) for w in content]
        if stems:
            most = max(stems.count(t) for t in set(stems))
            doubled = any(a == b and len(a) > 3 for a, b in zip(stems, stems[1:]))
            if doubled or (most >= 3 and most * 3 >= len(stems)):
                verdict.add(f"Wortwiederholung statt Aussage: „{sentence.strip()[:80]}“")
                return
        if not self.question:
            return
        new_terms = {t for t in terms(plain) if t not in self._question_terms and t not in _NOT_TOPICAL
                     and t not in self._place_words and not t.isdigit()}
        new_figures = [c for c in claims if not any(c.matches(q) or q.matches(c) for q in self._question_figures)]
        polar = _POLAR_QUESTION.match(fold(self.question)) and (
            _POLAR_ANSWER.match(fold(plain)) or any(c.kind == "negation" for c in cues(plain)))
        if not new_terms and not new_figures and not polar:
            verdict.add(f"die Aussage fügt der Frage nichts hinzu: „{sentence.strip()[:80]}“")

    def _evidence(self, n: int) -> list[str]:
        """The sentences of source n and of the facts lines citing it (lines joined: a figure on a line of
        its own belongs to the sentence around it)."""
        if n not in self._units:
            text = f"{self.sources[n - 1].text}\n{self.fact_lines[n]}"
            self._units[n] = sentences(re.sub(r"\s+", " ", normalise(text)))
        return self._units[n]

    def _check_meaning(self, sentence: str, meaning: list[Cue], claims: list[Figure], cited: list[int],
                       verdict: Verdict) -> None:
        """Words that change a claim (negations, periods, exclusivity, totality, bounds, changes) must stand
        in a cited passage for the same claim: in the sentences that hold its figure, or else in those that
        share most of its words."""
        if not meaning or not cited:
            return
        units = [u for n in cited for u in self._evidence(n)]
        units += [line for line in self.facts.split("\n") if line.strip() and not cited_numbers(line)]
        stated = [c for c in claims if not _YEAR.fullmatch(c.text)]
        support = [u for u in units if stated and any(c.matches(f) for c in stated for f in _claims(u))]
        if not support:
            own = {w for c in meaning for w in terms(c.word)}
            key = {t for t in terms(_CITE.sub(" ", sentence)) if t not in _NOT_TOPICAL and t not in own
                   and t not in self._place_words and not t.isdigit()}
            scored = [(overlap(key, u), u) for u in units] if key else []
            best = max((score for score, _ in scored), default=0)
            support = [u for score, u in scored if score == best] if best else units
        backed = {(c.kind, c.key) for u in support for c in cues(u)}
        named = ", ".join(f"[{n}]" for n in cited)
        for cue in meaning:
            if (cue.kind, cue.key) not in backed or (cue.kind == "negation" and not _negates_same(sentence, cue, support)):
                verdict.add(f"„{cue.word}“ ({cue.label}) steht so nicht in {named}")
        self._check_catalog_change(sentence, meaning, cited, verdict)

    def _check_catalog_change(self, sentence: str, meaning: list[Cue], cited: list[int], verdict: Verdict) -> None:
        """Money cut or cancelled, where the catalog has the budget and no amendment: a planted sentence
        cannot take an agreement's money away."""
        cut = [c for c in meaning if c.kind == "change" and c.key in ("cancel", "down")]
        if not cut or not self.catalog or not _MONEY.search(fold(sentence)):
            return
        named, _, _ = match_districts(sentence, fold(sentence), self.districts)[:3]
        districts = set(named) or {self.sources[n - 1].district for n in cited}
        years = {int(y) for y in _YEAR.findall(sentence)} or {self.sources[n - 1].year for n in cited}
        docs = [d for d in self.catalog if d.district in districts and d.year in years]
        if any(d.budget_eur is not None for d in docs) and not any(
                d.kind == AMENDMENT or d.budget_change_eur for d in docs):
            where = ", ".join(sorted(districts))
            verdict.add(f"„{cut[0].word}“: der Katalog verzeichnet keine Änderung der Mittel ({where})")

    def _check_figures(self, claims: list[Figure], cited: list[int], verdict: Verdict) -> None:
        """A figure must stand in a source the sentence cites (or among the engine's computations)."""
        pool = list(self.free)
        for n in cited:
            pool += self.source_figures[n - 1] + self.fact_figures[n]
        for claim in claims:
            if not any(claim.matches(known) and not (claim.money and known.date) for known in pool):
                verdict.add(f"Zahl „{claim.text}“ steht in keiner zitierten Quelle")

    def _check_catalog_amounts(self, sentence: str, claims: list[Figure], cited: list[int], verdict: Verdict) -> None:
        """An amount for a district-year whose budget the catalog knows must be one of the catalog's amounts."""
        money = [c for c in claims if c.money]
        if not money or not self.catalog:
            return
        named, _, _ = match_districts(sentence, fold(sentence), self.districts)[:3]
        districts = set(named) or {self.sources[n - 1].district for n in cited}
        years = {int(y) for y in _YEAR.findall(sentence)} or {self.sources[n - 1].year for n in cited}
        docs = [d for d in self.catalog if d.district in districts and d.year in years]
        if not any(d.budget_eur is not None for d in docs):
            return
        allowed = list(self.free)
        for d in docs:
            amounts = [d.budget_eur, abs(d.budget_change_eur) if d.budget_change_eur else None]
            amounts += [p.amount_eur for p in d.projects]
            allowed += [Figure(float(a), 0.0, str(a)) for a in amounts if a is not None]
        for claim in money:
            if not any(claim.matches(a) for a in allowed):
                where = ", ".join(sorted(districts))
                verdict.add(f"Betrag „{claim.text}“ ist weder Budget noch Projektbetrag im Katalog ({where})")

    def _check_terms(self, sentence: str, cited: list[int], verdict: Verdict) -> None:
        if not cited:
            return
        key = self._key_terms(sentence)
        if not key:
            return
        text = " ".join(f"{_source_text(self.sources[n - 1])} {self.fact_lines[n]}" for n in cited)
        hits = overlap(key, text)
        if hits < max(1, (len(key) + 1) // 2):
            named = ", ".join(f"[{n}]" for n in cited)
            verdict.add(f"{named} trägt die Aussage nicht: „{sentence.strip()[:80]}“")

    @staticmethod
    def _key_terms(sentence: str) -> set[str]:
        """The terms of a sentence's nouns and names (capitalised in German), generic words left out."""
        nouns = " ".join(re.findall(r"\b[A-ZÄÖÜ][\wäöüß\-]+", _CITE.sub(" ", sentence)))
        return {t for t in terms(nouns) if not t.isdigit() and t not in _GENERIC}

    def _relevant(self, sentence: str, claims: list[Figure]) -> bool:
        """About the question: shares a topic word with it, or with the engine's answer, or states its figure."""
        if not self.topic and not self.reference:
            return True
        plain = _CITE.sub(" ", sentence)
        if self.topic and overlap(self.topic, plain):
            return True
        content = {t for t in terms(plain) if t not in _NOT_TOPICAL and t not in self._place_words and not t.isdigit()}
        if self.reference and overlap(content, self.reference):
            return True
        if _MONEY.search(fold(self.question)) and _MONEY.search(fold(plain)):
            return True  # asked about money, and speaks of it (its amounts answer to the catalog)
        return any(c.matches(r) or r.matches(c) for c in claims for r in self.reference_figures)

    def _check_names(self, sentence: str, verdict: Verdict) -> None:
        # "Regierungspräsidium Darmstadt" is an authority, not the city of Darmstadt
        places = _AUTHORITY_NAME.sub(" ", fold(sentence))
        on_file, _, missing = match_districts(places, places, self.districts)[:3]
        for name in [d for d in on_file + missing if d not in self.source_districts and fold(d) not in fold(self.facts)]:
            verdict.add(f"„{name}“ kommt in den Quellen nicht vor")
        for pattern in (_BULLET, _QUOTED):
            for match in pattern.finditer(sentence):
                item = _CITE.sub(" ", match.group("item"))
                item = re.split(r"\s[–-]\s|:\s|\s\(", item)[0].strip(" .,;")
                if len(item) >= 6 and self._unknown_name(item):
                    verdict.add(f"„{item}“ steht weder im Katalog noch in den Quellen")

    def _unknown_name(self, item: str) -> bool:
        folded = fold(item)
        if any(folded in fold(c.text) or folded in fold(c.title) for c in self.sources) or folded in fold(self.facts):
            return False
        for name in self.projects:
            if folded in name or name in folded or difflib.SequenceMatcher(None, folded, name).ratio() >= 0.85:
                return False
        return True

    # -- the whole answer --------------------------------------------------------------------
    def check_answer(self, answer: str) -> Verdict:
        verdict = Verdict()
        self._intro_marks = []
        statements = split_statements(answer)
        for sentence in statements:
            self.check_sentence(sentence, verdict)
        if not cited_numbers(answer):
            verdict.add("die Antwort zitiert keine Quelle")
        if _NON_ANSWER.search(fold(answer)) or not any(self._answers(s) for s in statements):
            verdict.add("die Antwort beantwortet die Frage nicht")
        stated = _claims(answer)
        for figure in self.required:
            if not any(s.matches(figure) or figure.matches(s) for s in stated):
                verdict.add(f"der Betrag {figure.text} aus dem Katalog fehlt")
        return verdict

    def _answers(self, sentence: str) -> bool:
        """A cited statement of a few words that is about the question."""
        plain = _CITE.sub(" ", sentence)
        return bool(cited_numbers(sentence)) and len(words(plain)) >= 3 and self._relevant(sentence, _claims(sentence))


# A statement ends at . ! ? (citation marks may follow) before the next word, or at a line break; not after
# an abbreviation ("Mio.", "Dr.") or a day or ordinal ("am 14. Juli", "die 3. Maßnahmenart"). What follows
# must not be a citation mark, not even half of one still streaming in ("Satz. [" + "1]"): it binds to the
# sentence before.
_END = re.compile(r"[.!?](?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*[ \t]+(?=[^\s\[])|\n(?=\s*[^\s\[])")
_ABBREVIATIONS = set(words("mio mrd tsd nr dr abs bzw ca ggf insb vgl z b u a d h sog st prof ziff s bspw usw inkl rd"))


def statement_ends(text: str) -> list[int]:
    """Where the complete statements of a text end (offsets after each one's end and its white space)."""
    ends = []
    for match in _END.finditer(text):
        if match.group(0) != "\n" and text[match.start()] == ".":
            before = re.search(r"(\S+)$", text[: match.start()])
            token = before.group(1) if before else ""
            if fold(token).strip("(„\"") in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}", token):
                continue
        ends.append(match.end())
    return ends


def split_statements(text: str) -> list[str]:
    """Sentences and list lines of a generated answer."""
    parts, start = [], 0
    for end in statement_ends(text) + [len(text)]:
        parts.append(text[start:end].strip())
        start = end
    return [p for p in parts if p]
