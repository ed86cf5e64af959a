#!/usr/bin/env python3
"""Check a generated shelf: every fact in expected.json against the written text,
and every question expectation against the text (numbers re-derived from values
parsed out of the documents, not taken from the manifest where possible).

Usage: python check_shelf.py OUTDIR     (exit 1 on any failure)
"""
from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DISCLAIMER = "Fiktives Testdokument – alle Namen und Zahlen sind erfunden."
NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
MONEY_RE = re.compile(
    rf"(?P<mio>\d+,\d{{1,3}})\s*Mio\.?\s*(?:€|Euro|EUR)"
    rf"|(?P<t>{NUM})\s*T€"
    rf"|(?:EUR|€)\s*(?P<pre>{NUM})(?:,(?:\d\d|--|-))?"
    rf"|(?P<post>{NUM})(?:,(?:\d\d|--|-))?\s*(?:Euro|EUR|€)")
CAT_RE = re.compile(r"(?:Maßnahmenart|MA)\s*:?\s*(\d)\b|^(\d)\. (?:Ausbildungsvorbereitung|Ausbildung und|"
                    r"Qualifizierung zur|Weiterbildung des)", re.M)

errors: list[str] = []


def err(msg):
    errors.append(msg)


def as_int(s):
    return int(s.replace(".", ""))


def monies(text):
    out = []
    for m in MONEY_RE.finditer(text):
        if m.group("mio"):
            out.append((m.start(), int(Decimal(m.group("mio").replace(",", ".")) * 1_000_000)))
        elif m.group("t"):
            out.append((m.start(), as_int(m.group("t")) * 1000))
        else:
            out.append((m.start(), as_int(m.group("pre") or m.group("post"))))
    return out


def plain_numbers(text):
    return [as_int(x) for x in re.findall(NUM, text)]


def pct(a, b):
    return float((Decimal(b - a) * 100 / Decimal(a)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


RECORD_RE = {
    "S1": re.compile(r"^- ", re.M), "S2": re.compile(r", Träger: "), "S3": re.compile(r"^\| (?!Maßnahme \||---)", re.M),
    "S4": re.compile(r"das Projekt „"), "S5": re.compile(r"^\* \*\*", re.M), "S6": re.compile(r"^\d+\s+\|", re.M),
    "S7": re.compile(r"^Projekt: ", re.M),
}


def window(text, pos, style):
    rest = text[pos:]
    if style == "S4":
        cut = min([i for i in (rest.find("; "), rest.find(" sowie das Projekt"), rest.find(".\n") + 1) if i > 0] or [400])
    elif style == "S7":
        cut = rest.find("\n\n")
    else:
        cut = rest.find("\n")
    return rest[:cut if cut > 0 else 400]


def find_name(text, name, style):
    """position of a project name as a record (not as a prefix of a longer name)"""
    pats = {"S4": f"„{name}“", "S7": f"Projekt: {name}\n", "S5": f"**{name}**"}
    if style in pats:
        i = text.find(pats[style])
        return i if i < 0 else i + (1 if style == "S4" else 9 if style == "S7" else 2)
    for m in re.finditer(re.escape(name), text):
        after = text[m.end():m.end() + 2]
        if after[:1] in (" ", "\n", ",", "|") and not re.match(r" [A-ZÄÖÜ][a-zäöüß]", after + "x"):
            return m.start()
    i = text.find(name)
    return i


def check_agreement(doc, text, parsed_budget):
    st = doc["style"]
    ms = monies(text)
    if not ms or ms[0][1] != doc["budget"]:
        err(f"{doc['file']}: first money {ms[:1]} != budget {doc['budget']}")
    parsed_budget[doc["file"]] = ms[0][1] if ms else None
    if doc["budget_as_written"] not in text:
        err(f"{doc['file']}: budget notation missing")
    n_rec = len(RECORD_RE[st].findall(text))
    if n_rec != len(doc["projects"]):
        err(f"{doc['file']}: {n_rec} project records in text, {len(doc['projects'])} in facts")
    if not 4 <= len(doc["projects"]) <= 10:
        err(f"{doc['file']}: project count out of range")
    if f"Regierungspräsidium {doc['regierungsbezirk']}" not in text:
        err(f"{doc['file']}: Regierungsbezirk missing")
    kindword = {"Landkreis": "Landkreis", "kreisfreie Stadt": "kreisfreie Stadt",
                "Sonderstatusstadt": "Sonderstatusstadt"}[doc["district_kind"]]
    if kindword not in text:
        err(f"{doc['file']}: kind word missing")
    for p in doc["projects"]:
        pos = find_name(text, p["name"], st)
        if pos < 0:
            err(f"{doc['file']}: project {p['name']} missing")
            continue
        w = window(text, pos, st)
        if p["traeger"] not in w:
            err(f"{doc['file']}: Träger {p['traeger']} not with {p['name']}: {w!r}")
        wm = [v for _, v in monies(w)]
        if p["amount"]:
            if not wm or wm[0] != p["amount"]:
                err(f"{doc['file']}: amount {p['amount']} of {p['name']} parsed as {wm}")
        elif wm:
            err(f"{doc['file']}: {p['name']} has no amount in facts but text shows {wm}")
        if p["renamed_from"] and not ("bisher" in w and p["renamed_from"] in w):
            err(f"{doc['file']}: rename of {p['name']} not written")
        if p["target_phrase"] and p["target_phrase"] not in w:
            err(f"{doc['file']}: target phrase of {p['name']} missing")
        cats = [m for m in CAT_RE.finditer(text[:pos])]
        if not cats or int(cats[-1].group(1) or cats[-1].group(2)) != p["category"]:
            err(f"{doc['file']}: category of {p['name']} wrong")
    if doc["style"] in ("S3", "S6", "S7"):
        if sum(p["amount"] for p in doc["projects"]) != doc["budget"]:
            err(f"{doc['file']}: amounts do not sum to budget")


def main(outdir):
    out = Path(outdir)
    man = json.loads((out / "expected.json").read_text(encoding="utf-8"))
    texts = {}
    for f in sorted(p.name for p in out.iterdir()):
        if f in ("expected.json", "questions.jsonl"):
            continue
        if not f.endswith((".txt", ".md")):
            err(f"unexpected file type {f}")
        texts[f] = (out / f).read_text(encoding="utf-8")
        if texts[f].splitlines()[0] != DISCLAIMER:
            err(f"{f}: first line is not the disclaimer")
    docs = {d["file"]: d for d in man["documents"]}
    if set(docs) != set(texts):
        err(f"manifest/doc mismatch: {set(docs) ^ set(texts)}")
    budget = {}
    for f, d in docs.items():
        t = texts[f]
        if d["kind"] == "Zielvereinbarung":
            check_agreement(d, t, budget)
            if d["split"] != ("held-out" if d["style"] in man["held_out_styles"] else "dev"):
                err(f"{f}: split wrong")
        elif d["kind"] in ("Mittelabruf", "Zwischennachweis"):
            vals = [v for _, v in monies(t)]
            for k in ("budget", "drawn_total", "remaining", "previously_drawn", "this_draw", "spent"):
                if d.get(k) is not None and d[k] not in vals:
                    err(f"{f}: {k}={d[k]} not in text {vals}")
            if vals[0] - d["drawn_total"] != d["remaining"]:
                err(f"{f}: arithmetic")
        elif d["kind"] == "Kooperationsvereinbarung":
            for p in d["partners"]:
                if p["name"] not in t or any(du not in t for du in p["duties"]):
                    err(f"{f}: partner/duties {p['name']}")
            for k in ("chair", "rhythm", "term_start", "term_end", "notice"):
                if d[k] not in t:
                    err(f"{f}: {k} not in text")
            if str(d["notice_value"]) + " " + d["notice_unit"] not in t:
                err(f"{f}: notice value")
        elif d["kind"] == "Änderungsvereinbarung":
            for k, v in d.items():
                if k in ("old_project", "new_project", "new_traeger", "from_project", "to_project", "project",
                         "old_traeger", "new_end", "date") and v not in t:
                    err(f"{f}: {k}={v} not in text")
            vals = [v for _, v in monies(t)]
            for k in ("from_old", "from_new", "to_old", "to_new", "budget_unchanged"):
                if k in d and d[k] not in vals:
                    err(f"{f}: {k}={d[k]} not in {vals}")
    # distinct families
    zv = [d for d in docs.values() if d["kind"] == "Zielvereinbarung"]
    if len(zv) != 52 or len({d["district"] for d in zv}) != 26:
        err("need 52 agreements of 26 districts")
    for dist in {d["district"] for d in zv}:
        if len({d["style"] for d in zv if d["district"] == dist}) != 1:
            err(f"{dist}: style changes between years")
    tr = {}
    for d in zv:
        for p in d["projects"]:
            tr.setdefault((p["traeger"], d["year"]), set()).add(d["district"])
    for t in man["shared_traeger"]:
        for y in (2024, 2025):
            if not 2 <= len(tr.get((t, y), ())) <= 4:
                err(f"shared Träger {t} {y}: {len(tr.get((t, y), ()))} districts")

    by = {(d["district"], d["year"]): d for d in zv}
    checks = {c["id"]: c for c in man["question_checks"]}
    qs = [json.loads(l) for l in (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = set()
    for q in qs:
        qid, e = q["id"], q["expect"]
        if qid in ids:
            err(f"dup id {qid}")
        ids.add(qid)
        c = checks[qid]
        for f in e["docs"] + c["scope"]:
            if f not in texts:
                err(f"{qid}: unknown doc {f}")
        split = "held-out" if any(docs[f]["split"] == "held-out" for f in c["scope"]) else "dev"
        if split != q["split"] or man["split"]["questions"][qid] != split:
            err(f"{qid}: split")
        if e["abstain"]:
            if e["numbers"] or e["all_of"]:
                err(f"{qid}: abstain with expectations")
            continue
        if not (e["numbers"] or e["all_of"]):
            err(f"{qid}: no expectation")
        alltext = "\n".join(texts[f] for f in e["docs"]).lower()
        for s in e["all_of"]:
            if s.lower() not in alltext:
                err(f"{qid}: all_of {s!r} not in its docs")
        for s in e["none_of"]:
            if s in e["all_of"]:
                err(f"{qid}: none_of overlaps all_of")
        dv = c["deriv"]
        nums = e["numbers"]
        if dv is None:
            if nums:
                err(f"{qid}: numbers without derivation")
            continue
        t = dv["type"]
        if t == "budget":
            want = [budget[dv["doc"]]]
        elif t == "budgets":
            want = [budget[f] for f in dv["docs"]]
        elif t in ("change", "pct"):
            a, b = budget[dv["from"]], budget[dv["to"]]
            want = [abs(b - a), abs(pct(a, b))] if t == "change" else [abs(pct(a, b))]
        elif t == "sum":
            want = [sum(budget[f] for f in dv["docs"])]
        elif t == "max":
            mx = max(dv["docs"], key=lambda f: budget[f])
            want = [budget[mx]] if mx == dv["winner"] else ["winner mismatch"]
        elif t == "count_projects":
            want = [len(RECORD_RE[docs[dv["doc"]]["style"]].findall(texts[dv["doc"]]))]
        elif t == "project_amount":
            st = docs[dv["doc"]]["style"]
            w = window(texts[dv["doc"]], find_name(texts[dv["doc"]], dv["project"], st), st)
            want = [monies(w)[0][1]]
        elif t == "literal":
            raw = "\n".join(texts[f] for f in e["docs"])
            vals = [v for _, v in monies(raw)] + plain_numbers(raw)
            want = [n for n in nums if n in vals] if all(n in vals for n in nums) else ["not literal"]
        elif t == "rhythm":
            want = [{"vierteljährlich (4 Sitzungen im Jahr)": 4, "2 Sitzungen im Kalenderjahr (Frühjahr und Herbst)": 2,
                     "alle 2 Monate": 6}[docs[dv["doc"]]["rhythm"]]]
        elif t in ("tag", "traeger"):
            key = "target_group" if t == "tag" else "traeger"
            val = dv["tag"] if t == "tag" else dv["traeger"]
            got = sorted(d["district"] for d in zv if d["year"] == dv["year"]
                         and any(p[key] == val for p in d["projects"])
                         and (dv.get("group") is None or d["district"] in dv["group"]))
            if dv.get("districts") is not None and got != sorted(dv["districts"]):
                err(f"{qid}: district set differs")
            names = {d["district"]: d for d in zv}
            hit_files = sorted(by[(g, dv["year"])]["file"] for g in got)
            if hit_files != sorted(e["docs"]):
                err(f"{qid}: docs are not exactly the hits")
            want = nums
        elif t == "count_tag":
            want = [sum(1 for d in zv if d["year"] == dv["year"] and
                        any(p["target_group"] == dv["tag"] for p in d["projects"]))]
        elif t == "count_cat":
            want = [sum(1 for d in zv if d["year"] == dv["year"] and
                        any(p["category"] == dv["category"] for p in d["projects"]))]
        elif t == "count_up":
            want = [sum(1 for (dist, y), d in by.items() if y == 2025 and budget[d["file"]] >
                        budget[by[(dist, 2024)]["file"]])]
        elif t == "count_up_rb":
            want = [sum(1 for (dist, y), d in by.items() if y == 2025 and d["regierungsbezirk"] == dv["rb"]
                        and budget[d["file"]] > budget[by[(dist, 2024)]["file"]])]
        elif t == "count_up_group":
            want = [sum(1 for g in dv["districts"] if budget[by[(g, 2025)]["file"]] > budget[by[(g, 2024)]["file"]])]
        elif t == "count_cat_group":
            want = [sum(1 for g in dv["group"] if any(p["category"] == dv["category"]
                                                      for p in by[(g, dv["year"])]["projects"]))]
        elif t == "down":
            want = nums
        elif t == "top":
            r = sorted((d for d in zv if d["year"] == 2025), key=lambda d: -budget[d["file"]])[:dv["n"]]
            want = [budget[d["file"]] for d in r]
        elif t == "min24":
            want = [min(budget[d["file"]] for d in zv if d["year"] == 2024)]
        else:
            want = ["unknown derivation"]
        if list(want) != list(nums):
            err(f"{qid}: numbers {nums} != re-derived {want}")
    if errors:
        print("\n".join(errors[:80]))
        print(f"FAILED: {len(errors)} problems")
        sys.exit(1)
    kinds = {}
    for q in qs:
        kinds.setdefault((q["kind"], q["split"]), 0)
        kinds[(q["kind"], q["split"])] += 1
    print(f"OK: {len(texts)} documents, {len(qs)} questions; all facts and expectations match the text")
    for k in sorted(kinds):
        print(f"  {k[0]:<13} {k[1]:<9} {kinds[k]}")


if __name__ == "__main__":
    main(sys.argv[1])
