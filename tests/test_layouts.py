"""Property test: agreements written in the layouts of `tests/layouts.py` come back from `parse_document`
with exactly the facts they were written from (district, year, kind, budget or change, projects by
Maßnahmenart with amounts, signers, authority).

Two splits, each a fixed range of seeds: `dev` (the parser's author may look at these and tune on them)
and `held-out` (other seeds, and in every document one layout that dev never shows: see
`layouts.HELD_OUT_ONLY`). A failing document prints its seed, style and a compact expected-vs-got diff;
`python -m tests.layouts --seed N --split dev|held-out --out DIR` writes it for a person to look at, and
`python -m tests.test_layouts` prints both splits' pass rates with the facts that fail most.

Leeway in the comparison: white space is collapsed and one pair of quotes enclosing a whole name is
ignored; an amendment that states both the new total and the difference may leave budget_change_eur
empty. Signers are compared as a set of (name, place, ISO date).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from ingest.pipeline import parse_document
from ingest.readers import IngestError
from tests import layouts
from tests.layouts import DEV, HELD_OUT, Expected, Generated, generate

DEV_SEEDS = range(0, 40)
HELD_OUT_SEEDS = range(1000, 1040)
QUOTES = "„“”\"‚‘’'«»"


def tidy(text: str | None) -> str | None:
    """White space collapsed and one pair of enclosing quotes dropped: the only leeway in comparing names."""
    if text is None:
        return None
    text = " ".join(text.split())
    if len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES and not any(q in text[1:-1] for q in QUOTES):
        text = text[1:-1].strip()
    return text


def euro(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def differences(expected: Expected, facts) -> list[str]:
    """One line per fact that differs; empty when the catalog record is exactly right."""
    out = []
    for name in ("district", "year", "kind", "authority"):
        want, got = getattr(expected, name), getattr(facts, name)
        if (tidy(want) if isinstance(want, str) else want) != (tidy(got) if isinstance(got, str) else got):
            out.append(f"{name}: erwartet {want!r}, erhalten {got!r}")
    if facts.budget_eur != expected.budget_eur:
        out.append(f"budget_eur: erwartet {euro(expected.budget_eur)}, erhalten {euro(facts.budget_eur)}")
    allowed_change = {expected.budget_change_eur} | ({None} if expected.change_optional else set())
    if facts.budget_change_eur not in allowed_change:
        out.append(f"budget_change_eur: erwartet {euro(expected.budget_change_eur)}, erhalten {euro(facts.budget_change_eur)}")
    want = [(no, tidy(cat), tidy(name), amount) for no, cat, name, amount in expected.projects]
    got = [(p.category_no, tidy(p.category), tidy(p.name), p.amount_eur) for p in facts.projects]
    if want != got:
        missing = [w for w in want if w not in got]
        extra = [g for g in got if g not in want]
        line = f"projects: {len(want)} erwartet, {len(got)} erhalten"
        if not missing and not extra:
            line += " (andere Reihenfolge)"
        out.append(line)
        out += [f"  fehlt:   {no} | {(cat or '')[:40]} | {name} | {euro(amount)}" for no, cat, name, amount in missing[:6]]
        out += [f"  zu viel: {no} | {(cat or '')[:40]} | {name} | {euro(amount)}" for no, cat, name, amount in extra[:6]]
        if len(missing) > 6 or len(extra) > 6:
            out.append(f"  … ({len(missing)} fehlen, {len(extra)} zu viel)")
    got_signers = sorted((tidy(s.name) or "", tidy(s.place) or "", s.date or "") for s in facts.signatures)
    if got_signers != expected.signatures:
        out.append(f"signatures: erwartet {expected.signatures}, erhalten {got_signers}")
    return out


# The share of documents whose catalog must come back exactly. Measured, and only ever raised: dev is the
# split the parser was developed on; held-out seeds and layouts were never looked at while tuning it.
MIN_EXACT = {DEV: 0.8, HELD_OUT: 0.5}


def problems_of(generated: Generated) -> list[str]:
    path = generated.path
    try:
        facts, _ = parse_document(path, path.read_bytes())
    except IngestError as exc:
        return [f"IngestError: {exc}"]
    problems = differences(generated.expected, facts)
    if problems and not facts.uncertain:
        problems.append("UNFLAGGED: falsch, aber nicht als unsicher markiert")
    return problems


@pytest.mark.parametrize("split,seeds", [(DEV, DEV_SEEDS), (HELD_OUT, HELD_OUT_SEEDS)])
def test_layouts_parse_exactly(split, seeds, tmp_path):
    failures = []
    for seed in seeds:
        generated = generate(seed, tmp_path, split)
        problems = problems_of(generated)
        if problems:
            head = f"{split} seed {seed} [{generated.style.describe()}] {generated.path.name}"
            failures.append(head + "\n  " + "\n  ".join(problems))
    exact = 1 - len(failures) / len(seeds)
    print(f"{split}: {len(seeds) - len(failures)}/{len(seeds)} exakt")
    assert exact >= MIN_EXACT[split], f"{split}: {exact:.0%} exakt\n" + "\n".join(failures)


# ---------------------------------------------------------------------------------------------- the generator itself
def document_text(path: Path) -> str:
    """The written words of a generated file, read without the project's ingest code."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


def test_the_splits_keep_their_layouts_apart():
    dev = [layouts.plan(seed, DEV)[1] for seed in DEV_SEEDS]
    held_out = [layouts.plan(seed, HELD_OUT)[1] for seed in HELD_OUT_SEEDS]
    for option, value in layouts.HELD_OUT_ONLY.items():
        assert not [s for s in dev if getattr(s, option) == value], f"{option}={value} appears in dev"
        assert sum(getattr(s, option) == value for s in held_out) >= 10, f"{option}={value} too rare in held-out"
    for styles in (dev, held_out):
        assert {s.format for s in styles} == set(layouts.FORMATS)
        assert {s.layout for s in styles} >= {"list", "table"}
        assert sum(s.signatures_side_by_side for s in styles) >= 5


def test_generated_documents_say_what_their_facts_say(tmp_path):
    """Each file holds its district, every project name and every signer, and agreements' amounts add up."""
    kinds, tables = set(), 0
    for seed in range(44):
        generated = generate(seed, tmp_path, DEV, fmt=layouts.FORMATS[seed % 4])
        spec, text = generated.spec, " ".join(document_text(generated.path).split())
        where = f"seed {seed} {generated.path.name}"
        kinds.add(spec.kind)
        assert spec.district in text, where
        for signer in spec.signers:
            assert signer.name in text, where
        names = [project.name for category in spec.categories for project in category.projects]
        style = generated.style
        if style.format == "pdf" and style.layout != "list":  # a drawn table: pdfplumber finds its cells by the lines
            import pdfplumber

            with pdfplumber.open(generated.path) as pdf:
                cells = {" ".join((cell or "").split()) for page in pdf.pages for table in page.extract_tables()
                         for row in table for cell in row}
            assert set(names) <= cells, f"{where}: {set(names) - cells}"
            tables += 1
        elif style.format in {"docx", "md"} or style.layout == "list" and style.format == "txt":
            for name in names:  # (text tables and PDF lines wrap long names)
                assert name in text, f"{where}: {name}"
        amounts = [p.amount for c in spec.categories for p in c.projects]
        if spec.kind == "agreement" and all(a is not None for a in amounts):
            assert sum(amounts) == spec.budget and min(amounts) > 0, where
        if spec.budget is not None:
            assert re.search(r"\d\.\d{3}", text), where
    assert kinds == {"agreement", "amendment"} and tables >= 2


def test_word_lists_carry_their_markers_in_the_numbering_part(tmp_path):
    for seed in range(200):
        generated = generate(seed, tmp_path, DEV, fmt="docx")
        if generated.style.layout == "list" and generated.style.category_marker == "1." and generated.spec.categories:
            break
    else:
        pytest.fail("no Word document with a numbered list among 200 seeds")
    with zipfile.ZipFile(generated.path) as archive:
        body = archive.read("word/document.xml").decode()
        numbering = archive.read("word/numbering.xml").decode()
    assert "<w:numPr>" in body
    assert 'w:lvlText w:val="%1."' in numbering
    first = generated.spec.categories[0]
    assert f"{first.number}. {first.title}" not in document_text(generated.path)  # the number is not in the text
    assert f'<w:startOverride w:val="{first.number}"/>' in numbering


def test_a_seed_always_writes_the_same_document(tmp_path):
    """The parser's author and CI see the same files for the same seed (Word: the same parts)."""
    for fmt in layouts.FORMATS:
        first = generate(5, tmp_path / "a", DEV, fmt=fmt).path
        second = generate(5, tmp_path / "b", DEV, fmt=fmt).path
        if fmt == "docx":
            with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
                assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
        else:
            assert first.read_bytes() == second.read_bytes(), fmt


def test_command_line_writes_an_example(tmp_path, capsys):
    assert layouts.main(["--seed", "3", "--format", "pdf", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    written = Path(printed.splitlines()[0])
    assert written.exists() and written.suffix == ".pdf" and written.read_bytes().startswith(b"%PDF")
    assert '"district"' in printed


# ---------------------------------------------------------------------------------------------- pass rates
def pass_rates(out_dir: Path) -> str:
    """Both splits against the current parser: documents passed, by format, and the facts that fail most."""
    import collections

    report = []
    for split, seeds in ((DEV, DEV_SEEDS), (HELD_OUT, HELD_OUT_SEEDS)):
        passed, by_format, total_format, fields = 0, collections.Counter(), collections.Counter(), collections.Counter()
        for seed in seeds:
            generated = generate(seed, out_dir / split, split)
            path = generated.path
            total_format[generated.style.format] += 1
            try:
                facts, _ = parse_document(path, path.read_bytes())
                problems = differences(generated.expected, facts)
            except IngestError as exc:
                problems = [f"IngestError ({str(exc).split('(')[0].strip()})"]
            if not problems:
                passed += 1
                by_format[generated.style.format] += 1
            fields.update({p.split(":")[0] for p in problems if not p.startswith(" ")})
        formats = ", ".join(f"{f} {by_format[f]}/{total_format[f]}" for f in layouts.FORMATS)
        report.append(f"{split}: {passed}/{len(seeds)} Dokumente exakt ({formats})")
        report += [f"  {count:3d} × {field}" for field, count in fields.most_common()]
    return "\n".join(report)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(pass_rates(Path(folder)))
