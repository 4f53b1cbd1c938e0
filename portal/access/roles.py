"""Staff roles. Kept apart from portal.models so an app's `apps.py` can name roles in its permission table
before the models are loaded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("ผู้ดูแลระบบขององค์กร")
    OFFICER = "officer", _("เจ้าหน้าที่")
    AUDITOR = "auditor", _("ผู้ตรวจสอบ")
    LEGAL_OFFICER = "legal_officer", _("นิติกร")
    EXECUTIVE = "executive", _("ผู้บริหาร")
    # Money (recording, correcting and voiding payments, statement imports) is finance staff's alone: an officer of
    # another department holds no right to it. Apps grant it per model; a model that does not name it gives nothing.
    FINANCE = "finance", _("เจ้าหน้าที่การเงิน")


ALL = frozenset({"view", "add", "change", "delete"})
EDIT = frozenset({"view", "add", "change"})
VIEW = frozenset({"view"})
NONE = frozenset()

# What most organization-owned records allow; an app copies it into its table and narrows it per model. The finance
# role is not in it: finance staff get only what an app's table names for them (fail closed).
STANDARD = {
    Role.ADMINISTRATOR: ALL,
    Role.OFFICER: EDIT,
    Role.AUDITOR: VIEW,
    Role.LEGAL_OFFICER: frozenset({"view", "change"}),
    Role.EXECUTIVE: VIEW,
}

# The roles that act on requests and complaints (assignees); the others read or handle the protected channel.
ACTING_ROLES = (Role.ADMINISTRATOR, Role.OFFICER)
