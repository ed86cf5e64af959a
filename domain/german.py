"""German text handling shared by indexing and questions: folding, tokens, stems, amounts, dates."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import Stemmer

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})
_WORD = re.compile(r"[0-9a-zäöüß]+(?:-[0-9a-zäöüß]+)*", re.IGNORECASE)

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber auch als am an auf aus bei bis
    durch fuer im in ist sind war wird werden wurde wurden zu zum zur mit nach von vor ueber unter um
    es er sie wir ihr ich man sich nicht noch nur so wie was wer wo wann welche welcher welches welchen
    dass da dort hier gibt hat haben sein seine ihre ihren ihrem dieser diese dieses diesem diesen
    kann soll sollen muss vom beim ins mehr sehr all alle allen the of and is what who which how for
    in to a an does do on at by with viel wofuer wozu woran womit worauf wodurch warum wieso weshalb
    worum wovon worin bitte mal denn mir uns kurz gerne eigentlich this that about there
    stimmt ungefaehr etwa circa ca genau richtig wirklich tatsaechlich speziell extra besonders konkret gibts
    laut gemaess zufolge seitens gab gaebe gegeben lauten lautet heissen heisst nennen nennt nenne aufzaehlen auflisten
    """.split()
)

_STEMMER = Stemmer.Stemmer("german")


def fold(text: str) -> str:
    """Lower case with umlauts and ß spelled out, so "Gießen" and "Giessen" compare equal."""
    return text.lower().translate(_FOLD)


# A separable verb's zu-infinitive stems like the verb: "einzureichen" ~ "einreichen", "vorzulegen" ~ "vorlegen".
# "Auszubildende" is a noun of its own.
_ZU_INFINITIVE = re.compile(r"^(ab|an|auf|aus|bei|dar|ein|fest|her|hin|mit|nach|vor|weiter|zurueck)zu([a-z]{3,}en)$")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The Snowball German stem of a folded word ("teilzeitausbildungen" -> "teilzeitausbild")."""
    if len(token) <= 3 or token.isdigit():
        return token
    zu = _ZU_INFINITIVE.match(token)
    if zu and not token.startswith("auszubild"):
        token = zu.group(1) + zu.group(2)
    return _STEMMER.stemWord(token)


def words(text: str) -> list[str]:
    """Folded word tokens, hyphenated words also split into their parts."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        word = match.group(0)
        out.append(word)
        if "-" in word:
            out.extend(part for part in word.split("-") if part)
    return out


def terms(text: str) -> list[str]:
    """Stemmed content terms of a text, stop words left out."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def split_compound(term: str, vocabulary: set[str]) -> list[str]:
    """The known head and tail of a compound ("haushaltsmittel" -> "haushalt", "mittel")."""
    parts: list[str] = []
    if len(term) < 9:
        return parts
    for i in range(4, len(term) - 3):
        head, tail = term[:i], term[i:]
        if tail in vocabulary:
            parts.append(tail)
            if head in vocabulary:
                parts.append(head)
            elif head.endswith("s") and head[:-1] in vocabulary:
                parts.append(head[:-1])
    return parts


# Amounts: "1.516.560 Euro", "1.516.560,00 €", "EUR 1.516.560", "1,52 Mio. Euro", "120 T€", "TEUR 120", "1,2 Mio. €"
_NUMBER = r"\d{1,3}(?:[.\u202f ]\d{3})+(?:,\d{1,2}|,-+)?|\d+(?:,\d{1,2}|,-+)?"
_CURRENCY = r"(?:Euro|EUR|€)"
THOUSANDS = r"(?:T€|TEUR|T\s?EUR|Tsd\.?\s*(?:€|Euro|EUR)|tausend\s+Euro)"  # the figure counts thousands of euro
AMOUNT = re.compile(
    rf"(?:{_CURRENCY}\s*(?P<pre>{_NUMBER})(?:\s*(?P<pre_mio>Mio\.?|Millionen))?)"
    rf"|(?:(?:T€|TEUR)\s*(?P<pre_k>{_NUMBER})(?![\d.,]))"
    rf"|(?:(?P<post_k_number>{_NUMBER})\s*(?P<post_k>{THOUSANDS})(?![\wäöü]))"
    rf"|(?:(?P<post>{_NUMBER})\s*(?P<post_mio>Mio\.?\s*|Millionen\s*)?{_CURRENCY}(?![\wäöü]))"
)

# Amounts in words: "eine Million zweihundertfünfzigtausend Euro", "dreihunderttausend Euro"
_NUMBER_MORPHEMES = {
    "ein": 1, "eins": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13,
    "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20,
    "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
}
_MORPHEME = re.compile(
    "|".join(sorted(list(_NUMBER_MORPHEMES) + ["hundert", "tausend", "und", "millionen", "million", "milliarden",
                                                 "milliarde"], key=len, reverse=True)))
_WORDS_BEFORE_EURO = re.compile(r"((?:[A-Za-zäöüß]+\s+){1,6})(?:Euro|EUR)\b")


def number_from_words(text: str) -> int | None:
    """'eine Million zweihundertfünfzigtausend' -> 1250000; None unless every word is a German number word."""
    words_ = text.lower().split()
    if not words_:
        return None
    morphemes: list[str] = []
    for word in words_:
        found = [m.group(0) for m in _MORPHEME.finditer(word)]
        if "".join(found) != word:
            return None
        morphemes += found
    total = thousands = small = 0
    for morpheme in morphemes:
        if morpheme in _NUMBER_MORPHEMES:
            small += _NUMBER_MORPHEMES[morpheme]
        elif morpheme == "hundert":
            small = (small or 1) * 100
        elif morpheme == "tausend":
            thousands += (small or 1) * 1000
            small = 0
        elif morpheme.startswith("million"):
            total += ((thousands + small) or 1) * 1_000_000
            thousands = small = 0
        elif morpheme.startswith("milliard"):
            total += ((thousands + small) or 1) * 1_000_000_000
            thousands = small = 0
    return total + thousands + small


def _amounts_in_words(text: str) -> list[tuple[int, str, int]]:
    """Amounts of at least a thousand euro written out in words, as (euros, as written, offset)."""
    found = []
    for match in _WORDS_BEFORE_EURO.finditer(text):
        words_ = match.group(1).split()
        for first in range(len(words_)):  # the longest run of number words right before "Euro"
            value = number_from_words(" ".join(words_[first:]))
            if value is not None:
                if value >= 1000:
                    prefix = " ".join(words_[:first])
                    start = match.start(1) + (match.group(1).index(words_[first], len(prefix)) if first else 0)
                    found.append((value, text[start : match.end()].strip(), start))
                break
    return found


def parse_number(text: str) -> float:
    """'1.516.560' -> 1516560, '1.516.560,00' -> 1516560, '1,52' -> 1.52."""
    text = text.replace("\u202f", "").replace(" ", "")
    text = re.sub(r",-+$", "", text)
    if "," in text:
        whole, frac = text.split(",", 1)
        return float(whole.replace(".", "") + "." + frac)
    return float(text.replace(".", ""))


def find_amounts(text: str) -> list[tuple[int, str, int]]:
    """Every euro amount in a text as (whole euros, the text as written, offset)."""
    found = []
    for match in AMOUNT.finditer(text):
        thousands = match.group("pre_k") or match.group("post_k_number")
        number = match.group("pre") or match.group("post") or thousands
        millions = match.group("pre_mio") or match.group("post_mio")
        value = parse_number(number)
        if millions:
            value *= 1_000_000
        elif thousands:
            value *= 1_000
        found.append((int(round(value)), match.group(0).strip(), match.start()))
    if "uro" in text or "EUR" in text:
        taken = [(start, start + len(written)) for _, written, start in found]
        found += [a for a in _amounts_in_words(text) if not any(s <= a[2] < e for s, e in taken)]
        found.sort(key=lambda amount: amount[2])
    return found


_PLAIN_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d])|(?<![\d.,])\d+(?:,\d+)?(?![\d])")


def numbers_in(text: str) -> set[int]:
    """Every number written in a text as whole values: amounts, years, counts ('1,52 Mio.' too)."""
    values = {amount for amount, _, _ in find_amounts(text)}
    for match in _PLAIN_NUMBER.finditer(text):
        values.add(int(parse_number(match.group(0))))
    return values


def years_in(text: str) -> set[int]:
    """The years (1990–2100) a text names in digits; cheap on long texts, unlike `numbers_in`."""
    years = set()
    for match in _PLAIN_NUMBER.finditer(text):
        if 4 <= len(match.group(0)) <= 5:  # "2025", "2.025"
            value = int(parse_number(match.group(0)))
            if 1990 <= value <= 2100:
                years.add(value)
    return years


def format_euro(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " Euro"


_DATE = re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})\b")


def parse_date(text: str) -> str | None:
    """'2.8.2025' -> '2025-08-02'; None when the text holds no valid date."""
    match = _DATE.search(text)
    if not match:
        return None
    year = int(match.group("y"))
    if year < 100:
        year += 2000
    try:
        return date(year, int(match.group("m")), int(match.group("d"))).isoformat()
    except ValueError:
        return None
