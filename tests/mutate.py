"""Seeded mutations of a valid PDF, for the red-team fuzzing: each returns new bytes.

Kinds: byte flips, truncation (with and without a fake %%EOF), a duplicated object with changed
content, a huge /ToUnicode CMap, self-referencing objects (a page tree that contains itself, a page
that is its own parent, a stream whose /Length is itself), and splices of two places of the file.
"""

from __future__ import annotations

import random
import re

_OBJECT = re.compile(rb"(\d+) 0 obj\b.*?endobj", re.DOTALL)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(len(out))
        out[i] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    cut = data[: rng.randrange(16, len(data) - 16)]
    return cut + b"\n%%EOF\n" if rng.random() < 0.7 else cut  # a fake end passes the reader's first check


def duplicate_object(data: bytes, rng: random.Random) -> bytes:
    objects = list(_OBJECT.finditer(data))
    if not objects:  # an earlier mutation cut every whole object away: nothing to duplicate
        return data
    chosen = rng.choice(objects)
    body = chosen.group(0)
    changed = re.sub(rb"/Length \d+", b"/Length 99999", body) if rng.random() < 0.5 else body.replace(b"/Type", b"/Tipe")
    insert_at = rng.choice(objects).end()
    return data[:insert_at] + b"\n" + changed + data[insert_at:]


def huge_to_unicode(data: bytes, rng: random.Random) -> bytes:
    """A /ToUnicode CMap with a great many ranges (some of them absurd), replacing the font's own."""
    count = rng.randint(20_000, 60_000)
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap", b"%d beginbfrange" % count]
    for i in range(count):
        start = rng.randrange(0, 0xFFFF)
        lines.append(b"<%04X> <%04X> <%04X>" % (start, min(0xFFFF, start + rng.randrange(0, 4000)), rng.randrange(0, 0xFFFF)))
    lines += [b"endbfrange", b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    stream = b"\n".join(lines)
    number = 900 + rng.randrange(50)
    obj = b"%d 0 obj\n<< /Length %d >>\nstream\n" % (number, len(stream)) + stream + b"\nendstream\nendobj\n"
    data = re.sub(rb"/ToUnicode \d+ 0 R", b"/ToUnicode %d 0 R" % number, data)
    at = data.rfind(b"xref")
    return data[:at] + obj + data[at:]


def self_reference(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:  # the page tree lists itself as a kid
        return re.sub(rb"/Kids \[", b"/Kids [1 0 R ", data, count=1)
    if choice == 1:  # a page is its own parent
        match = re.search(rb"(\d+) 0 obj\s*<<\s*/Contents \d+ 0 R\s*/Parent 1 0 R", data)
        if match:
            number = match.group(1)
            return data[: match.start()] + match.group(0).replace(b"/Parent 1 0 R", b"/Parent " + number + b" 0 R") + data[match.end():]
        return data
    if choice == 2:  # a stream whose length is the stream itself
        match = re.search(rb"(\d+) 0 obj\s*<<\s*/Filter /FlateDecode\s*/Length \d+", data)
        if match:
            return data[: match.start()] + re.sub(rb"/Length \d+", b"/Length " + match.group(1) + b" 0 R", match.group(0)) + data[match.end():]
        return data
    # resources that contain themselves
    return re.sub(rb"(\d+) 0 obj\n<<\n/Font <</F1 11 0 R", lambda m: m.group(0) + b" /Self " + m.group(1) + b" 0 R", data, count=1)


def splice(data: bytes, rng: random.Random) -> bytes:
    a, b = sorted(rng.randrange(len(data)) for _ in range(2))
    c = rng.randrange(len(data))
    return data[:c] + data[a:b] + data[c:]


MUTATIONS = [flip_bytes, truncate, duplicate_object, huge_to_unicode, self_reference, splice]


def mutants(data: bytes, count: int, seed: int = 2026) -> list[tuple[str, bytes]]:
    """`count` mutants of `data`, each named by its number and mutation; the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        mutation = MUTATIONS[n % len(MUTATIONS)]
        mutated = mutation(data, rng)
        if rng.random() < 0.25:  # now and then a second mutation on top
            mutated = rng.choice(MUTATIONS)(mutated, rng)
        out.append((f"mutant-{n:03d}-{mutation.__name__}.pdf", mutated))
    return out
