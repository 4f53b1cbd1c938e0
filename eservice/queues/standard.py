"""The standard queues the app knows: the demo's, and what the set-up wizard offers an organization.
(code, Thai name, English name, department code, ticket letter)."""

QUEUES = [
    ("finance", "งานจัดเก็บรายได้ (ชำระภาษี)", "Revenue collection", "finance", "ก"),
    ("welfare", "งานสวัสดิการสังคม (เบี้ยยังชีพ)", "Social welfare (allowances)", "welfare", "ข"),
    ("registration", "งานทะเบียนและคำร้องทั่วไป", "Registration and general requests", "clerk", "ค"),
]
