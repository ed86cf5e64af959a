"""What reading one file may cost, checked before the costly part starts.

A small file can unpack to gigabytes: a 1 MB DOCX whose document.xml inflates to 1 GB. So the
archives that Word and LibreOffice files are (ZIP) are checked on their central directory first —
the number of entries, the declared unpacked size of every part and of all together — and refused
before a single part is inflated. Then each part is inflated once a piece at a time, keeping nothing,
to make sure none unpacks to more than it declares (a ZIP can lie; `ZipFile.read` would inflate the
lie whole before noticing). What is then read is read with a cap.

Markup that is parsed into a tree in memory (HTML) has its own ceiling; text files are streamed.
`Budget` carries the limits and a wall-clock deadline through one file's reading.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field

MB = 1024 * 1024
MAX_ENTRIES = 5000  # a Word document has a few dozen parts; a hundred images are still far below
MAX_UNPACKED = 200 * MB  # all parts of one archive together, as declared
MAX_XML_PART = 40 * MB  # one XML part that is parsed into a tree (a 200-page agreement is ~3 MB)
MAX_MARKUP = 25 * MB  # an HTML file parsed into a tree
SECONDS = 180.0  # reading one file (not embedding it); LibreOffice's conversion counts too

_EOCD = b"PK\x05\x06"


def megabytes(size: int) -> str:
    """'1,5 MB' with a German decimal comma; whole numbers without one ('50 MB'); small sizes in bytes."""
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{size} Bytes"


@dataclass
class Budget:
    """The limits for reading one file and the moment its time is up."""

    max_entries: int = MAX_ENTRIES
    max_unpacked: int = MAX_UNPACKED
    max_xml_part: int = MAX_XML_PART
    max_markup: int = MAX_MARKUP
    seconds: float = SECONDS
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check_time(self) -> None:
        """IngestError once the file has taken longer than its budget."""
        if self.remaining() <= 0:
            from ingest.readers import IngestError

            raise IngestError(f"Einlesen abgebrochen: dauerte länger als {self.seconds:.0f} Sekunden")


def _refuse(reason: str):
    from ingest.readers import IngestError

    return IngestError(reason)


def declared_entries(data: bytes) -> int | None:
    """The number of entries a ZIP's end record declares, read without parsing the directory (None if
    there is no end record; 0xFFFF means a ZIP64 archive, which no office document needs)."""
    tail = data[-(65535 + 22):]
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def open_archive(data: bytes, what: str, budget: Budget | None = None) -> zipfile.ZipFile:
    """The ZIP in `data`, after checking its declared sizes against the budget; IngestError with a German
    reason (`what` names the kind: "Word-Datei", "ODT-Datei") when it is damaged or would unpack too large."""
    budget = budget or Budget()
    entries = declared_entries(data)
    if entries is None:
        raise _refuse(f"beschädigte {what} (kein ZIP-Verzeichnis gefunden)")
    if entries > budget.max_entries:
        raise _refuse(f"{what} abgelehnt: {entries} Teile im Archiv (erlaubt sind höchstens {budget.max_entries})")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error) as exc:
        raise _refuse(f"beschädigte {what} ({exc})") from exc
    infos = archive.infolist()
    if len(infos) > budget.max_entries:
        raise _refuse(f"{what} abgelehnt: {len(infos)} Teile im Archiv (erlaubt sind höchstens {budget.max_entries})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > budget.max_unpacked:
            raise _refuse(f"{what} abgelehnt: der Teil {info.filename[:80]} würde entpackt {megabytes(info.file_size)} "
                          f"groß (erlaubt sind höchstens {megabytes(budget.max_unpacked)}; ZIP-Bombe?)")
        if info.filename.lower().endswith(".xml") and info.file_size > budget.max_xml_part:
            raise _refuse(f"{what} abgelehnt: der Teil {info.filename[:80]} würde entpackt {megabytes(info.file_size)} "
                          f"groß (erlaubt sind höchstens {megabytes(budget.max_xml_part)} je XML-Teil)")
    if total > budget.max_unpacked:
        raise _refuse(f"{what} abgelehnt: würde entpackt {megabytes(total)} groß (erlaubt sind höchstens "
                      f"{megabytes(budget.max_unpacked)}; ZIP-Bombe?)")
    for info in infos:
        _check_inflation(data, info, what, budget)
    return archive


def _check_inflation(data: bytes, info: zipfile.ZipInfo, what: str, budget: Budget) -> None:
    """Inflate one part a piece at a time, keeping nothing, and refuse it if it unpacks to more than it
    declares. The declared sizes alone are not enough: a part that says 4 kB but inflates to 1 GB would be
    inflated whole by `ZipFile.read` (as python-docx reads) before the size is compared."""
    if info.flag_bits & 0x1:
        raise _refuse(f"verschlüsselte {what} (Kennwortschutz); bitte ohne Kennwort speichern")
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise _refuse(f"beschädigte {what} (Teil {info.filename[:80]} nicht gefunden)")
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin : begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _refuse(f"beschädigte {what} (Teil {info.filename[:80]}: Größenangaben widersprechen sich)")
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _refuse(f"{what} abgelehnt: Teil {info.filename[:80]} mit unbekanntem Packverfahren ({info.compress_type})")
    inflater = zlib.decompressobj(-15)
    produced = 0
    position = 0
    step = 64 * 1024
    while position < len(packed) or inflater.unconsumed_tail:
        chunk = inflater.unconsumed_tail or packed[position : position + step]
        if not inflater.unconsumed_tail:
            position += step
        produced += len(inflater.decompress(chunk, 1024 * 1024))
        if produced > info.file_size:
            raise _refuse(f"{what} abgelehnt: der Teil {info.filename[:80]} entpackt sich größer als angegeben "
                          f"({megabytes(info.file_size)}; ZIP-Bombe?)")
        if inflater.eof:
            break
        budget.check_time()


def read_part(archive: zipfile.ZipFile, name: str, what: str, limit: int) -> bytes:
    """One part of a checked archive, read in pieces and never beyond `limit` bytes (a part that unpacks
    to more than declared fails its checksum at its declared size; this stops it in any case)."""
    out = io.BytesIO()
    try:
        with archive.open(name) as part:
            while chunk := part.read(1024 * 1024):
                out.write(chunk)
                if out.tell() > limit:
                    raise _refuse(f"{what} abgelehnt: der Teil {name} ist entpackt größer als {megabytes(limit)}")
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(f"beschädigte {what} (Teil {name}: {exc})") from exc
    return out.getvalue()
