from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ข้อมูลหลัก")

    def ready(self):
        from portal import checks  # noqa: F401  (registers the tenancy system check)
        from portal.admin import dates

        dates.install()

        from portal.audit import events
        from portal.registry import service_apps

        for config in service_apps():
            events.register_all(config.audit_events)

        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from portal.audit.trail import redact_secrets

        pre_save.connect(redact_secrets, sender=LogEntry, dispatch_uid="portal-redact-secrets")

        from portal.web import front_door

        front_door.connect()
