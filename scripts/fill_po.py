"""Fill English msgstr for bilingual "ไทย / English" msgids, and from a small table for pure-Thai ones.

Usage: python scripts/fill_po.py path/to/en/LC_MESSAGES/django.po [more.po ...]
Existing translations are kept; fuzzy flags from makemessages are cleared where we fill.
"""

import re
import sys

import polib

THAI = re.compile(r"[\u0E00-\u0E7F]")

# Pure-Thai strings of the shared templates (apps keep their own in their .po files).
TABLE = {
    "ไทย": "ไทย",
    "คำขอไม่ถูกต้อง": "Bad request",
    "กลับหน้าแรก": "Back to the home page",
    "ไม่มีสิทธิ์เข้าถึง": "You do not have access to this page",
    "ไม่พบหน้าที่ต้องการ": "Page not found",
    "พอร์ทัลองค์กรปกครองส่วนท้องถิ่น": "Local Government Portal",
    "ข้ามไปเนื้อหา": "Skip to content",
    "พอร์ทัลท้องถิ่น": "Local Portal",
    "เลือกภาษา": "Choose language",
    "ซอฟต์แวร์โอเพนซอร์สสำหรับองค์กรปกครองส่วนท้องถิ่น": "Open-source software for Thai local government",
    "บริการออนไลน์ขององค์กรปกครองส่วนท้องถิ่น": "Online services of local government",
    "เลือกเทศบาลหรือ อบต. ของท่านเพื่อยื่นคำร้อง แจ้งเรื่องร้องเรียน ดูแผนงาน และข้อมูลเปิด":
        "Choose your municipality or SAO to file a request, report a complaint, see plans and open data",
    "ค้นหา": "Search",
    "ค้นหาชื่อ อำเภอ หรือจังหวัด": "Search by name, district or province",
    "อำเภอ": "District ",
    "จังหวัด": "Province ",
    "ไม่พบองค์กรที่ค้นหา": "No organization matches your search",
    "องค์กรทั้งหมด": "All organizations",
    "บริการออนไลน์": "Online services",
    "ติดต่อ": "Contact",
    "ที่อยู่": "Address",
    "โทรศัพท์": "Phone",
    "อีเมล": "E-mail",
    "เว็บไซต์": "Website",
    "รูปแบบวันที่ต้องเป็น วว/ดด/ปปปป (พ.ศ.)": "Date must be dd/mm/yyyy (Buddhist era)",
    "มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่ / Too many requests, please wait and try again.":
        "Too many requests, please wait and try again.",
}


def english_of(msgid: str) -> str | None:
    if msgid in TABLE:
        return TABLE[msgid]
    if " / " in msgid:
        english = msgid.rsplit(" / ", 1)[1].strip()
        if english and not THAI.search(english):
            return english[0].upper() + english[1:]
    return None


def main(paths):
    for path in paths:
        po = polib.pofile(path)
        filled = 0
        for entry in po:
            if entry.msgstr and "fuzzy" not in entry.flags:
                continue
            english = english_of(entry.msgid)
            if english:
                entry.msgstr = english
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                filled += 1
        po.save(path)
        missing = [e.msgid for e in po if not e.msgstr and THAI.search(e.msgid)]
        print(f"{path}: filled {filled}, still untranslated {len(missing)}")
        for m in missing:
            print("   ", m)


if __name__ == "__main__":
    main(sys.argv[1:])
