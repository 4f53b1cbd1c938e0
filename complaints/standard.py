"""The standard complaint categories the app knows: the demo's, and what the set-up wizard offers an organization.
(code, Thai name, English name, department code, working days to resolve, shown to citizens, protected channel)."""

DEFAULT_CATEGORIES = [
    ("street_light", "ไฟฟ้าสาธารณะดับ/ชำรุด", "Street light out", "works", 3, True, False),
    ("water_supply", "น้ำประปาไม่ไหล", "No tap water", "works", 2, True, False),
    ("road", "ถนน/ทางเท้าชำรุด", "Damaged road or footpath", "works", 15, True, False),
    ("garbage", "ขยะ/สิ่งปฏิกูล", "Garbage", "health", 3, True, False),
    ("loudspeaker", "หอกระจายข่าว/เสียงตามสายชำรุด", "Village loudspeaker fault", "clerk", 5, True, False),
    ("drain", "ท่อระบายน้ำอุดตัน/น้ำท่วมขัง", "Drains", "works", 7, True, False),
    ("animal", "สัตว์จรจัด/สัตว์มีพิษ", "Animals", "health", 5, True, False),
    ("nuisance", "เหตุเดือดร้อนรำคาญ", "Nuisance", "health", 10, True, False),
    ("other", "เรื่องอื่น ๆ", "Other", "clerk", 15, True, False),
    ("corruption", "ทุจริตและประพฤติมิชอบ", "Corruption / misconduct", "legal", 30, False, True),
]
