"""Legacy Word (.doc) and the other formats LibreOffice opens, converted to DOCX and read as DOCX.

Optional, like OCR: it needs LibreOffice (Debian: `apt install libreoffice-writer-nogui`). Without it
such a file is refused with a message that says what to install or how to save the file instead.
Each conversion runs `soffice --headless --convert-to docx` in a fresh temporary profile (so runs in
parallel never share one, and no user setting or macro applies), in its own process group, and is
killed when the file's time budget runs out. The converted DOCX goes through the DOCX reader with the
same archive limits as an uploaded DOCX.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.limits import Budget
from ingest.readers import DocumentText, IngestError

PROGRAMS = ("soffice", "libreoffice")
INSTALL_HINT = "LibreOffice installieren (apt install libreoffice-writer-nogui) oder die Datei als DOCX oder PDF speichern"
MIN_SECONDS = 10.0


def soffice_program() -> str | None:
    """The path of LibreOffice's soffice, or None when it is not installed."""
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def missing_libreoffice() -> str | None:
    """What is missing (in German), or None when LibreOffice can convert files."""
    return None if soffice_program() else "LibreOffice (soffice) ist nicht installiert"


def _format_name(suffix: str) -> str:
    return "altes Word-Format (.doc)" if suffix in (".doc", ".dot") else f"Dateityp {suffix}"


def read_with_libreoffice(path, data: bytes, budget: Budget | None = None) -> DocumentText:
    budget = budget or Budget()
    path = Path(path)
    suffix = path.suffix.lower()
    program = soffice_program()
    if program is None:
        raise IngestError(f"{_format_name(suffix)} wird nur mit LibreOffice gelesen; {INSTALL_HINT}")
    if data.startswith(b"%PDF-"):
        raise IngestError(f"keine {suffix}-Datei (eine PDF-Datei mit falscher Endung); bitte als .pdf speichern")
    seconds = max(MIN_SECONDS, budget.remaining())
    with tempfile.TemporaryDirectory(prefix="agreements-soffice-") as work:
        folder = Path(work)
        source = folder / f"eingabe{suffix}"  # a plain name: soffice reads odd names badly
        source.write_bytes(data)
        out = folder / "out"
        command = [program, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx", "--outdir", str(out), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=work, start_new_session=True, env={**os.environ, "HOME": work})
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise IngestError(f"{_format_name(suffix)}: Umwandlung mit LibreOffice dauerte länger als "
                              f"{seconds:.0f} Sekunden; abgebrochen") from None
        converted = out / "eingabe.docx"
        if process.returncode != 0 or not converted.is_file():
            lines = (output or b"").decode("utf-8", "replace").splitlines()
            detail = " ".join(line.strip() for line in lines if line.strip().startswith("Error"))[-160:]
            raise IngestError(f"{_format_name(suffix)} konnte LibreOffice nicht umwandeln (beschädigt oder kein "
                              f"Textdokument?){': ' + detail if detail else ''}; bitte als DOCX oder PDF speichern")
        converted_data = converted.read_bytes()
    from ingest.docx_reader import read_docx

    return read_docx(path, converted_data, budget)
