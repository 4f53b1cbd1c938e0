from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ข้อมูลหลัก")

    def ready(self):
        from portal import checks  # noqa: F401  (registers the tenancy system check)
        from portal.admin import dates

        dates.install()

        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from portal.audit.trail import redact_secrets

        pre_save.connect(redact_secrets, sender=LogEntry, dispatch_uid="portal-redact-secrets")
