"""The web chat's pure parts: glossary look-up, library figures, and the HTML built around document text."""

from __future__ import annotations

import html
import re

import pytest

from app import web_layout as layout
from app.web_security import _host_name
from assistant import glossary, library
from bench import fictional as factory
from domain.answer import Answer, Citation, Turn
from domain.records import AgreementFacts, Chunk, Project, Signature


# -- glossary -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, term", [
    ("was ist BaE?", "BaE"), ("Was bedeutet OloV", "OloV"), ("AQB?", "AQB"), ("Was heißt SGB II?", "SGB II"),
    ("Was versteht man unter einem Verwendungsnachweis?", "Verwendungsnachweis"),
    ("was ist eine Änderungsvereinbarung", "Änderungsvereinbarung"), ("What is the HMSI?", "HMSI"),
    ("Wofür steht AsylbLG?", "AsylbLG"), ("was ist SGB XII", "SGB XII"), ("Maßnahmenart?", "Maßnahmenart"),
    ("Was ist die Stille Reserve?", "Stille Reserve"), ("was bedeutet UN-BRK", "UN-BRK"), ("Was ist ein Träger?", "Träger"),
    ("Was versteht man unter einem Bildungsträger?", "Träger"),
])
def test_glossary_finds_the_term_a_definition_question_asks_about(question, term):
    entry = glossary.lookup(question)
    assert entry is not None and entry.term == term


@pytest.mark.parametrize("question", [
    "Wie viel Geld bekommt der Landkreis Gießen 2025?", "Wer hat die Vereinbarung unterschrieben?",
    "Welche BaE-Projekte fördert Gießen?", "", "x" * 5000, "Welcher Träger führt Dreisprung durch?",
    "Umsetzung der UN-Behindertenrechtskonvention Giessen 2025",
])
def test_glossary_leaves_other_questions_alone(question):
    assert glossary.lookup(question) is None


def test_glossary_covers_the_terms_new_coordinators_ask_for():
    terms = {e.term for e in glossary.entries()}
    assert {"AQB", "HMSI", "BaE", "BOM", "OloV", "SGB II", "SGB III", "SGB VIII", "SGB XII", "AsylbLG", "Bescheid",
            "Maßnahmenart", "Zielvereinbarung", "Regierungspräsidium", "Änderungsvereinbarung", "Verwendungsnachweis",
            "Teilzeitausbildung", "Stille Reserve", "UN-BRK", "Träger"} <= terms
    assert all(20 < len(e.definition) < 400 for e in glossary.entries())


def _chunk(text: str, district="Landkreis Musterstadt", year=2025, section="§ 2", ordinal=1, doc="zv.txt", cid=None):
    return Chunk(cid or f"{doc}::{ordinal}", doc, "h", district, year, "agreement", section, "Titel", text, ordinal)


def test_glossary_passages_find_the_term_in_agreements_once_per_document():
    chunks = [_chunk("Die OloV-Steuerungsgruppen stimmen ab.", ordinal=1),
              _chunk("Noch einmal OloV.", ordinal=2),
              _chunk("Kein Treffer hier: olovxyz.", doc="b.txt", ordinal=1),
              _chunk("OloV in Beispielhausen.", district="Stadt Beispielhausen", year=2024, doc="c.txt")]
    found = glossary.passages(glossary.lookup("Was ist OloV?"), chunks)
    assert [(c.doc_id, c.ordinal) for c in found] == [("zv.txt", 1), ("c.txt", 1)]


def test_glossary_excerpt_marks_the_term_where_it_stands():
    entry = glossary.lookup("Was ist AQB?")
    text = "Erfolgreiche Arbeitsmarktpolitik " * 20 + "mit dem Ausbildungs- und Qualifizierungsbudget 2025 fördert das Land."
    before, term, after = glossary.excerpt(entry, text)
    assert term == "Ausbildungs- und Qualifizierungsbudget" and before.startswith("… ") and after == " 2025 fördert das Land."
    assert glossary.excerpt(glossary.lookup("Was ist ein Bescheid?"), "Nach dem erlassenen Bescheides gilt.")[1] == "Bescheides"


# -- library ------------------------------------------------------------------------------------------
def _facts(district, year, budget, kind="agreement", doc=None, **kw):
    return AgreementFacts(doc or f"{district}-{year}-{kind}.txt", "h", kind, district, year, f"Zielvereinbarung {year}",
                          budget_eur=budget, ingested_at="2026-11-25T10:15:00+00:00", **kw)


def test_numbers_are_german_in_german_and_english_in_english():
    assert library.euro(1516560) == "1.516.560 €"
    assert library.euro(1516560, "en") == "€1,516,560"
    assert library.signed_euro(114260) == "+114.260 €" and library.signed_euro(-5000) == "−5.000 €"
    assert library.signed_percent(114260, 1402300).replace("\xa0", " ") == "+8,1 %"
    assert library.count(1, "Vereinbarung", "Vereinbarungen") == "1 Vereinbarung"
    assert library.count(3, "Vereinbarung", "Vereinbarungen") == "3 Vereinbarungen"


@pytest.mark.parametrize("district, genitive", [
    ("Landkreis Gießen", "des Landkreises Gießen"), ("Stadt Kassel", "der Stadt Kassel"),
    ("Vogelsbergkreis", "des Vogelsbergkreises"), ("Wissenschaftsstadt Darmstadt", "der Wissenschaftsstadt Darmstadt"),
    ("Main-Kinzig-Kreis", "des Main-Kinzig-Kreises"), ("Landeshauptstadt Wiesbaden", "der Landeshauptstadt Wiesbaden"),
])
def test_german_genitive_of_districts(district, genitive):
    assert library.genitive(district) == genitive


def test_budgets_apply_amendments_and_show_the_change_from_the_year_before():
    catalog = [_facts("Landkreis Musterstadt", 2024, 1_100_000), _facts("Landkreis Musterstadt", 2025, 1_234_567),
               _facts("Landkreis Musterstadt", 2025, 1_300_000, kind="amendment"),
               _facts("Stadt Beispielhausen", 2025, 2_050_000)]
    year, rows = library.budgets(catalog)
    assert year == 2025 and [(r.district, r.budget, r.change) for r in rows] == [
        ("Stadt Beispielhausen", 2_050_000, None), ("Landkreis Musterstadt", 1_300_000, 200_000)]
    cells = rows[1].cells()
    assert cells["Budget"] == "1.300.000 €" and cells["Veränderung"].replace("\xa0", " ") == "+200.000 € (+18,2 %)"
    assert library.budgets_csv(rows).splitlines()[2] == '"Landkreis Musterstadt";2025;1300000;1100000;200000;18,2'


def test_stand_line_counts_with_singular_and_plural():
    one = [_facts("Landkreis Musterstadt", 2025, 1)]
    assert library.stand(one) == "1 Vereinbarung (1 Gebietskörperschaft, 2025), zuletzt eingelesen am 25.11.2026, 11:15 Uhr"
    three = one + [_facts("Landkreis Musterstadt", 2024, 1), _facts("Stadt Beispielhausen", 2025, 1)]
    assert library.stand(three).startswith("3 Vereinbarungen (2 Gebietskörperschaften, 2024–2025)")
    assert library.stand([]) == "Noch keine Vereinbarungen eingelesen."


def test_steckbrief_of_an_amended_agreement():
    signatures = [Signature("Musterstadt", "2025-03-04", "4.3.2025", "Erika Mustermann", "Landrätin", "des Landkreises Musterstadt", "c")]
    projects = [Project("Werkstatt", "Ausbildungsvorbereitung", 1, "c"), Project("Coaching", "Ausbildung", 2, "c")]
    catalog = [_facts("Landkreis Musterstadt", 2024, 1_100_000),
               _facts("Landkreis Musterstadt", 2025, 1_234_567, signatures=signatures, projects=projects,
                      authority="Regierungspräsidium Darmstadt", warnings=["§ 5: 3 Listeneinträge, 2 Projekte erkannt"],
                      source_path="/tmp/zv.txt"),
               _facts("Landkreis Musterstadt", 2025, 1_300_000, kind="amendment")]
    p = library.profile(catalog, "Landkreis Musterstadt|2025")
    assert p.title == "Zielvereinbarung 2025 des Landkreises Musterstadt"
    assert p.budget == "1.300.000 €" and p.budget_original == "1.234.567 €"
    assert p.change_to_previous.replace("\xa0", " ") == "+200.000 € (+18,2 %) gegenüber 2024"
    assert p.projects == {"Ausbildungsvorbereitung": ["Werkstatt"], "Ausbildung": ["Coaching"]}
    assert [(s.name, s.place, s.date) for s in p.signatories] == [("Erika Mustermann", "Musterstadt", "04.03.2025")]
    assert p.authority == "Regierungspräsidium Darmstadt" and len(p.amendments) == 1
    assert p.warnings == ["Landkreis Musterstadt-2025-agreement.txt: § 5: 3 Listeneinträge, 2 Projekte erkannt"]
    assert ("Landkreis Musterstadt-2025-agreement.txt", "/tmp/zv.txt") in p.files
    assert library.profile_keys(catalog)[0] == ("Landkreis Musterstadt 2025", "Landkreis Musterstadt|2025")


# -- layout -------------------------------------------------------------------------------------------
def _answer(**kw) -> Answer:
    citation = Citation(1, "zv-2025-landkreis-musterstadt.txt", "Landkreis Musterstadt", 2025, "§ 4", 2,
                        "Das HMSI stellt 1.234.567 Euro zur Verfügung.", "zv::4", "Haushaltsmittel und Eckdaten")
    return Answer(**{"answer": "Landkreis Musterstadt erhält 1.234.567 Euro [1].", "citations": [citation], **kw})


CHUNKS = {c.id: c for c in [
    Chunk("zv::3", "zv.txt", "h", "Landkreis Musterstadt", 2025, "agreement", "§ 4", "Haushaltsmittel", "Einleitung des Paragrafen.", 3),
    Chunk("zv::4", "zv.txt", "h", "Landkreis Musterstadt", 2025, "agreement", "§ 4", "Haushaltsmittel",
          "Das HMSI stellt 1.234.567 Euro zur Verfügung.", 4),
    Chunk("zv::5", "zv.txt", "h", "Landkreis Musterstadt", 2025, "agreement", "§ 5", "Ziele", "Anderer Paragraf.", 5),
]}


def test_answer_leads_with_the_fact_and_its_scope_and_links_each_source():
    out = layout.answer_html(_answer(headline="1.234.567 €", scope="Landkreis Musterstadt 2025 · § 4"), CHUNKS, 1)
    assert out.index('<p class="headline"><strong>1.234.567 €</strong>') < out.index("erhält")
    assert '<span class="scope">· Landkreis Musterstadt 2025 · §\u00a04</span>' in out  # "§ 4" never wraps apart
    assert '<a class="cite" href="#src-1-1" data-target="src-1-1"' in out and 'id="src-1-1"' in out
    context = out[out.index('<div class="context">'):]
    assert "Einleitung des Paragrafen." in context and "Anderer Paragraf." not in context  # the whole § only
    assert context.count("Das HMSI stellt") == 1 and '<mark>Das HMSI stellt' in context  # the cited passage once, marked


def test_answer_without_headline_renders_without_it():
    out = layout.answer_html(_answer(), CHUNKS, 2)
    assert "headline" not in out and "erhält 1.234.567 Euro" in out


def test_lists_become_lists_with_categories_as_headings():
    text = "Es gibt 3 Projekte [1]:\n1. Ausbildungsvorbereitung\n- Werkstatt\n- Camp\n2. Ausbildung\n- Coaching"
    out = layout.answer_body(text, 1, {1})
    assert '<h4 class="category">1. Ausbildungsvorbereitung</h4><ul><li>Werkstatt</li><li>Camp</li></ul>' in out
    assert '<h4 class="category">2. Ausbildung</h4><ul><li>Coaching</li></ul>' in out
    ranking = layout.answer_body("Rangfolge:\n1. Stadt A: 2 Euro\n2. Stadt B: 1 Euro", 1, set())
    assert '<ol start="1"><li>Stadt A: 2 Euro</li><li>Stadt B: 1 Euro</li></ol>' in ranking


@pytest.mark.parametrize("evil", ["![p](http://127.0.0.1:9/track.png)", "<img src=x onerror=alert(1)>",
                                  "<script>alert(1)</script>", '"><b onmouseover=alert(1)>', "**fett** [link](http://x)"])
def test_document_text_is_escaped_everywhere(evil):
    citation = Citation(1, evil, evil, 2025, evil, None, evil, "zv::4", evil)
    answer = Answer(f"{evil} [1]\n- {evil}\n1. {evil}\n- x", [citation], headline=evil, scope=evil, warnings=[evil],
                    nearby=[citation], suggestions=[evil])
    chunks = {"zv::4": Chunk("zv::4", "zv.txt", "h", evil, 2025, "agreement", evil, evil, evil, 4)}
    facts = _facts(evil, 2025, 5, projects=[Project(evil, evil, 1, "c")],
                   signatures=[Signature(evil, "2025-01-01", "1.1.2025", evil, evil, evil, "c")], authority=evil,
                   warnings=[evil], doc=evil)
    entry = glossary.entries()[0]
    pages = [layout.conversation_html([Turn(evil, answer)], chunks), layout.conversation_markdown([Turn(evil, answer)], chunks),
             layout.cards_table(library.document_rows([facts]), evil), layout.budget_chart(2025, library.budgets([facts])[1]),
             layout.profile_html(library.profile([facts], f"{evil}|2025")),
             layout.glossary_html([(entry, [chunks["zv::4"]])])]
    for html_text in pages[:1] + pages[2:]:
        assert not re.search(r"<(img|script|b )", html_text), html_text
        assert not re.search(r'<a (?!class="cite" href="#src-1-1"|href="#term-)', html_text)  # only our own links
    assert html.escape(evil) in pages[0] and html.escape(evil) in pages[4]  # shown as text
    assert not re.search(r"(?<!\\)(!\[|\]\(|<img|<script)", pages[1])  # the Markdown export renders nothing either


def test_markdown_export_keeps_lists_and_escapes_document_text():
    answer = Answer("Projekte [1]:\n1. Ausbildung\n- ![x](http://127.0.0.1:9/t.png)\n- Werkstatt *neu*", _answer().citations)
    out = layout.conversation_markdown([Turn("Welche Projekte?", answer)], CHUNKS)
    assert "## 1. Welche Projekte?" in out and "1. Ausbildung" in out
    assert "- \\!\\[x\\]\\(http://127.0.0.1:9/t.png\\)" in out and "- Werkstatt \\*neu\\*" in out
    assert "1. Zielvereinbarung 2025 Landkreis Musterstadt, § 4, S. 2 – „Das HMSI stellt 1.234.567 Euro zur Verfügung.“" in out


def test_copy_text_names_the_source():
    text = layout.copy_text(_answer(headline="1.234.567 €", scope="Landkreis Musterstadt 2025 · § 4"), CHUNKS)
    assert text.startswith("1.234.567 € · Landkreis Musterstadt 2025 · § 4\n")
    assert text.endswith("Quelle: Zielvereinbarung 2025 Landkreis Musterstadt, § 4, S. 2")


def test_abstention_shows_nearby_passages_and_suggestions_as_chips():
    nearby = _answer().citations
    out = layout.answer_html(Answer("Dazu steht nichts in den Vereinbarungen.", abstained=True, nearby=nearby,
                                    suggestions=["Wie viel Geld bekommt der Landkreis Musterstadt?"]), CHUNKS, 3)
    assert "Möglicherweise relevant" in out and 'id="near-3-1"' in out
    assert '<button type="button" class="ask-chip" data-question="Wie viel Geld bekommt der Landkreis Musterstadt?">' in out
    english = layout.answer_html(Answer("Nothing.", abstained=True, lang="en", nearby=nearby, suggestions=["x"]), CHUNKS, 4)
    assert "Possibly relevant" in english and "Did you mean" in english


@pytest.mark.parametrize("budgets", [[1_516_560], [1_234_567, 2_050_000], [900_000 + 37_000 * i for i in range(26)]])
def test_chart_has_one_bar_per_district_and_an_axis_from_zero(budgets):
    rows = [library.BudgetRow(f"Landkreis {i}", 2025, b, None, "d") for i, b in enumerate(budgets)]
    out = layout.budget_chart(2025, rows)
    assert out.count('class="bar"') == len(budgets)
    ticks = re.findall(r'class="tick" style="left:([\d.]+)%">([^<]+)<', out)
    assert ticks[0] == ("0.00", "0") and float(ticks[-1][0]) == 100.0
    top = int(ticks[-1][1].replace(".", ""))
    assert max(budgets) <= top < 2 * max(budgets)
    widths = [float(w) for w in re.findall(r'class="bar" style="width:([\d.]+)%"', out)]
    assert all(abs(w - b / top * 100) < 0.01 for w, b in zip(widths, budgets))
    assert '<span class="figure">1.516.560\u00a0€</span>' in out or len(budgets) > 1  # the amount never wraps apart


@pytest.mark.parametrize("header, name", [("127.0.0.1:7860", "127.0.0.1"), ("[::1]:7860", "::1"), ("localhost", "localhost"),
                                          ("http://evil.example:7860", "evil.example"), ("evil.example", "evil.example")])
def test_host_names_from_headers(header, name):
    assert _host_name(header) == name


def test_fictional_factory_is_still_what_the_browser_tests_use():
    assert "Landkreis Musterstadt" in factory.musterstadt().text()


def test_figures_keep_their_unit_and_sign_on_one_line():
    out = layout.figure("+114.260 € (+57,3 %) gegenüber 2024 <b>")
    assert out == ('<span class="figure">+114.260\u00a0€</span> (<span class="figure">+57,3\u00a0%</span>) '
                   "gegenüber 2024 &lt;b&gt;")
    assert layout.figure("zv-2025-landkreis.txt") == "zv-2025-landkreis.txt"  # file names stay as they are
    assert '<span class="figure">+57,3\u00a0%</span>' in layout.cards_table([{"Veränderung": "+745.000 € (+57,3 %)"}], "t")


def test_every_page_is_german_and_titled():
    from app.web_page import GERMAN_FIRST, german_page

    page = german_page(b'<!doctype html>\n<html\n\tlang="en"\n\tstyle="x">\n\t<head>\n<meta charset="utf-8" />', "Assistent <AQB>")
    assert b'lang="de"' in page and b'lang="en"' not in page
    assert page.index(GERMAN_FIRST.encode()) < page.index(b"<meta") and b"<title>Assistent &lt;AQB&gt;</title>" in page
    titled = german_page(b"<html><head><title>Eigen</title></head></html>", "Assistent")
    assert titled.count(b"<title>") == 1 and titled.startswith(b'<html lang="de"><head><script>')
