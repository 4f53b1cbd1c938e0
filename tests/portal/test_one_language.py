"""One language at a time: no catalogue msgid and no template holds Thai glued to its English ("ไทย / English").

Thai is the msgid; English lives in each app's catalogue (<app>/locale/en/LC_MESSAGES/django.po). The scan covers
every app, the new ones too."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "staticfiles", "tests", ".git", "benchmarks"}
# Thai text, then " / ", then English words (two Latin letters or more, no Thai after the slash).
GLUED = re.compile(r"[\u0e00-\u0e7f][^/\n]{0,200}? / (?![^\n]*[\u0e00-\u0e7f])[^\n]*[A-Za-z]{2,}")


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


def test_the_scan_finds_a_glued_string():
    assert GLUED.search("รับเรื่องแล้ว / submitted")
    assert GLUED.search("ตามเอกสาร / stated")
    assert not GLUED.search("องค์ประกอบ / ยุทธศาสตร์")
    assert not GLUED.search("ถนน/ทางเท้าชำรุด")
    assert not GLUED.search("หมู่ 2 / 16.4321")


def test_no_glued_thai_english_in_catalogues():
    assert glued_in_catalogues() == []


def test_no_glued_thai_english_in_templates():
    assert glued_in_templates() == []
