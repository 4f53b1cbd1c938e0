"""One language at a time: no catalogue msgid, no template and no string in the Python sources holds Thai glued to
its English ("ไทย / English").

Thai is the msgid; English lives in each app's catalogue (<app>/locale/en/LC_MESSAGES/django.po). The scan covers
every app, the new ones too."""

import ast
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "staticfiles", "tests", ".git", "benchmarks"}
# Thai text, then " / ", then English (a word of two Latin letters or more, or "e.g."; no Thai after the slash).
GLUED = re.compile(r"[\u0e00-\u0e7f][^/\n]{0,200}? / (?:(?![^\n]*[\u0e00-\u0e7f])[^\n]*(?:[A-Za-z]{2,}|[A-Za-z]\.[A-Za-z])|e\.g\.)")


def _files(pattern):
    return [p for p in ROOT.rglob(pattern) if not SKIP & set(p.relative_to(ROOT).parts)]


def glued_in_catalogues():
    found = []
    for po_path in _files("django.po"):
        for entry in polib.pofile(str(po_path)):
            if not entry.obsolete and GLUED.search(entry.msgid):
                found.append(f"{po_path.relative_to(ROOT)}: {entry.msgid[:90]}")
    return found


def glued_in_templates():
    found = []
    for path in _files("*.html") + _files("*.txt"):
        if "templates" not in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = re.sub(r"\{[{%#].*?[%}#]\}", " ", line)  # template tags are not text
            text = re.sub(r"content:[^;]*;", " ", text)  # CSS generated content ("หน้า 1 / 3")
            if GLUED.search(text):
                found.append(f"{path.relative_to(ROOT)}:{number}: {text.strip()[:90]}")
    return found


def python_strings(source: str):
    """(line, text) of every string literal in a Python source, read as the parser joins them: adjacent literals
    ("ไทย " "/ English") are one string, and an f-string counts by its literal parts."""
    seen, found = set(), []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            text = "{}".join(part.value for part in node.values if isinstance(part, ast.Constant))
            seen.update(id(part) for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in seen:
            text = node.value
        else:
            continue
        found.append((node.lineno, text))
    yield from sorted(found, key=lambda item: item[0])


def glued_in_python(root=ROOT):
    """Strings in the project's Python code (user-facing or not: messages, help, report headings, demo data).
    Migrations are history: they record the labels as they were and are not shown to anyone."""
    found = []
    for path in [p for p in root.rglob("*.py") if not (SKIP | {"migrations"}) & set(p.relative_to(root).parts)]:
        for number, text in python_strings(path.read_text(encoding="utf-8")):
            if GLUED.search(text):
                found.append(f"{path.relative_to(root)}:{number}: {text.strip()[:90]}")
    return found


def test_the_scan_finds_a_glued_string():
    assert GLUED.search("รับเรื่องแล้ว / submitted")
    assert GLUED.search("ตามเอกสาร / stated")
    assert not GLUED.search("องค์ประกอบ / ยุทธศาสตร์")
    assert not GLUED.search("ถนน/ทางเท้าชำรุด")
    assert not GLUED.search("หมู่ 2 / 16.4321")
    assert GLUED.search("เช่น 2566 / e.g. 2566")
    assert GLUED.search('เช่น "รวม 3 กิจกรรม" / e.g. "รวม 3 กิจกรรม"')  # the English gloss of a Thai example


def test_the_python_scan_finds_a_glued_string(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "models.py").write_text(
        'from django.utils.translation import gettext_lazy as _\n'
        'a = _("เช่น 2566")  # fine: Thai alone\n'
        'b = ("ทุจริต", "Corruption / misconduct")  # fine: two strings, one language each\n'
        'c = f"ปี / years: {a}"\n'
        'd = _("""ยาว\n หลายบรรทัด / a long one""")\n'
        'e = (f"นำเข้าแล้ว ({a}) "\n     f"/ already imported")\n', encoding="utf-8")
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text('x = "ชื่อ / name"\n', encoding="utf-8")
    assert glued_in_python(tmp_path) == ["app/models.py:4: ปี / years:", "app/models.py:5: ยาว\n หลายบรรทัด / a long one",
                                         "app/models.py:7: นำเข้าแล้ว ({}) / already imported"]


def test_no_glued_thai_english_in_catalogues():
    assert glued_in_catalogues() == []


def test_no_glued_thai_english_in_templates():
    assert glued_in_templates() == []


def test_no_glued_thai_english_in_python_sources():
    assert glued_in_python() == []
