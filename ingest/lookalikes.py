"""District names that pose as others: letters of another script that look Latin ("Gіeßen" with a
Cyrillic і), compatibility forms (fullwidth "Ｇießen", ligatures) and invisible characters.

A name is suspicious when Unicode's NFKC form differs from it, when it holds invisible format
characters, or when one of its letters is not a Latin letter. Its skeleton (NFKC, the look-alike letters
mapped to the Latin letters they imitate, invisible characters dropped, case folded) is compared with
the Hessian districts and the districts on file: the same skeleton under another spelling is a likely
conflict, said at ingest and in `agreements list`.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

# letters of other scripts drawn like Latin ones (lower and upper case), by the Latin letter they imitate
_LOOKALIKE = {
    "a": "аαɑ", "b": "Ьβ", "c": "сϲ", "d": "ԁ", "e": "еєҽ", "g": "ɡ", "h": "һ", "i": "іιӏ", "j": "јϳ",
    "k": "κ", "l": "ӏ", "m": "м", "n": "п", "o": "оοσ", "p": "рρ", "q": "ԛ", "r": "г", "s": "ѕ",
    "t": "т", "u": "υ", "v": "νѵ", "w": "ԝѡ", "x": "хχ", "y": "уγ", "z": "ᴢ",
    "A": "АΑ", "B": "ВΒ", "C": "СϹ", "E": "ЕΕ", "H": "НΗ", "I": "ІΙӀ", "J": "Ј", "K": "КΚ", "M": "МΜ",
    "N": "Ν", "O": "ОΟ", "P": "РΡ", "S": "Ѕ", "T": "ТΤ", "X": "ХΧ", "Y": "ҮΥ", "Z": "Ζ",
}
_TO_LATIN = {ord(other): latin for latin, others in _LOOKALIKE.items() for other in others}


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf"  # zero-width spaces and joiners, direction marks


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, look-alike letters as Latin, invisible characters gone, case folded."""
    text = unicodedata.normalize("NFKC", name).translate(_TO_LATIN)
    return " ".join("".join(c for c in text if not _invisible(c)).casefold().split())


def foreign_letters(name: str) -> list[str]:
    """The characters of a name that a Latin-script district name does not hold, each described."""
    found = []
    for char in dict.fromkeys(name):
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN") or _invisible(char):
            found.append(f"{char if not _invisible(char) else ''} U+{ord(char):04X} {unicodedata.name(char, '?')}".strip())
    return found


def lookalike_warning(name: str, others: Iterable[str]) -> str | None:
    """A warning for a district name that is not plain Latin text, naming the district it imitates, if any."""
    if not name:
        return None
    strange = foreign_letters(name)
    if not strange and unicodedata.normalize("NFKC", name) == name:
        return None
    look = skeleton(name)
    twin = next((o for o in others if o != name and skeleton(o) == look), None)
    what = f"Zeichen anderer Schriften oder unsichtbare Zeichen ({'; '.join(strange)})" if strange else "Sonderformen von Buchstaben"
    text = f"Gebietskörperschaft „{name}“ enthält {what}"
    if twin:
        return text + f" und sieht aus wie „{twin}“ – wahrscheinlich ein Konflikt, bitte die Datei prüfen"
    return text + " – wahrscheinlich kein echter Name, bitte die Datei prüfen"


def lookalike_groups(names: Iterable[str]) -> list[list[str]]:
    """Names on file that look the same but are spelt differently (each group sorted, plain Latin first)."""
    by_look: dict[str, set[str]] = {}
    for name in names:
        if name:
            by_look.setdefault(skeleton(name), set()).add(name)
    return [sorted(group, key=lambda n: (bool(foreign_letters(n)), n)) for group in by_look.values() if len(group) > 1]
