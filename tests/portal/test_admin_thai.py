"""Django admin in Thai: the messages Django's own Thai catalogue lacks or gets wrong come from the project's
catalogue (locale/th), for the server-rendered pages and for the admin's JavaScript (select boxes, action bar)."""

import json
import re

import polib
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

EXPECTED_JS = {
    "%(sel)s of %(cnt)s selected": "เลือก %(sel)s จาก %(cnt)s รายการ",
    "Choose all %s": "เลือก%sทั้งหมด",
    "Remove all %s": "เอา%sออกทั้งหมด",
    "Type into this box to filter down the list of selected %s.": "พิมพ์ในช่องนี้เพื่อกรองรายการ%sที่เลือกแล้ว",
}


def _catalog(client):
    body = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))


def test_admin_javascript_catalogue_is_thai(admin_client):
    catalog = _catalog(admin_client)
    for msgid, thai in EXPECTED_JS.items():
        value = catalog[msgid]
        assert (value[0] if isinstance(value, list) else value) == thai, msgid


def test_every_admin_message_has_thai(admin_client):
    """Every message of Django's admin (server and script catalogues) has a Thai translation with no English words
    left in it (key names such as Control, Command and Mac, and the placeholders, aside)."""
    import django

    base = django.__path__[0] + "/contrib/admin/locale/en/LC_MESSAGES/"
    allowed = re.compile(r"%\(\w+\)[sd]|%s|\{\w*\}|<[^>]+>|Control|Command|Mac|LogEntry")
    english = re.compile(r"[A-Za-z]{3,}")
    missing = []
    with translation.override("th"):
        for entry in polib.pofile(base + "django.po"):
            if entry.msgid_plural:
                text = (translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2) if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 2))
            else:
                text = (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt
                        else translation.gettext(entry.msgid))
            if english.search(allowed.sub("", text)):
                missing.append(("django", entry.msgid, text))
    catalog = _catalog(admin_client)
    for entry in polib.pofile(base + "djangojs.po"):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        value = catalog.get(key, entry.msgid)
        text = value[0] if isinstance(value, list) else value
        if english.search(allowed.sub("", text)):
            missing.append(("djangojs", entry.msgid, text))
    assert not missing, missing
    with translation.override("th"):
        assert translation.gettext("None available") == "ไม่มีรายการ"  # not "ไม่ว่าง" ("busy")
