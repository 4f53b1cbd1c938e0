"""An action: one write that carries its own permission check and audit row (the shape of Wagtail's `BaseAction`).

    class SupersedeBill(AuditedAction):
        event = "taxpay.bill.superseded"     # registered in the app's audit_events
        permission = "change"                # checked on `obj` in its own organization

        def write(self):
            ...                               # the rows; return the changes for the audit row
            return {"status": ["issued", "superseded"]}

    SupersedeBill(bill, actor=user).execute()

`execute()` runs in one transaction: the permission check (`portal.access.permissions.require`; a system actor
from a task or a command is not checked, it names itself), the write under `acting(actor)` so django-auditlog's
own rows name the same actor, the registered event's row (`portal.audit.trail.record`), and the notifications,
queued to be sent after commit (nothing is sent when the write rolls back).
"""

from django.db import transaction

from portal.access.permissions import require
from portal.audit import trail


class AuditedAction:
    event: str = ""
    permission: str | None = None  # "view", "add", "change", "delete"; None: the caller decided (say why)
    audit_action = trail.Action.UPDATE

    def __init__(self, obj, *, actor, data: dict | None = None):
        self.obj, self.actor, self.data = obj, actor, data

    def check(self) -> None:
        if self.permission is not None:
            require(self.actor, self.permission, self.obj)

    def write(self) -> dict | None:
        """Write the rows; return the changes to record (or None)."""
        return None

    def notifications(self) -> list:
        """Callables to run once the transaction has committed (e.g. portal.notifications.services.notify)."""
        return []

    def execute(self):
        with transaction.atomic(), trail.acting(trail.person(self.actor)):
            self.check()
            changes = self.write()
            trail.record(self.obj, actor=self.actor, event=self.event, action=self.audit_action, changes=changes,
                         data=self.data)
            for send in self.notifications():
                transaction.on_commit(send)
        return self.obj
