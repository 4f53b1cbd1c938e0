"""Every write that matters, one module per topic: keyword-only functions in a transaction, the audit row in it,
notifications through the outbox.

- `filing`: filing a complaint (web, LINE, Open311, staff on someone's behalf), the citizen's notifications
- `handling`: status, replies, routing and corrections, duplicates, ratings, personal data, asset scans
- `protected`: the corruption channel (passphrases, reports, every staff read recorded)
- `chat`: the LINE chat between a citizen's messages
- `categories`: the standard categories switched on and off (the set-up wizard)

Callers use `complaints.services.<name>`: everything is re-exported here. The cached categories' directory is a
read: `complaints.selectors.category_directory` / `public_category`.
"""

from .categories import set_standard_categories
from .chat import lock_line_conversation, save_line_draft, start_line_conversation, stop_line_updates
from .filing import check_location, reporter_contacts, send_tracking_details, submit_complaint
from .handling import (
    EDITABLE,
    UNCHANGED,
    add_reply,
    anonymize,
    assign,
    change_status,
    edit,
    mark_duplicate,
    rate,
    record_scan,
)
from .protected import (
    ReadProtected,
    check_passphrase,
    log_protected_list_read,
    log_protected_read,
    new_passphrase,
    normalise_passphrase,
    submit_corruption_report,
)

__all__ = [
    "set_standard_categories",
    "EDITABLE", "UNCHANGED", "ReadProtected", "add_reply", "anonymize", "assign", "change_status", "check_location",
    "check_passphrase", "edit", "lock_line_conversation", "log_protected_list_read", "log_protected_read",
    "mark_duplicate", "new_passphrase", "normalise_passphrase", "rate", "record_scan", "reporter_contacts",
    "save_line_draft", "send_tracking_details", "start_line_conversation", "stop_line_updates",
    "submit_complaint", "submit_corruption_report",
]
