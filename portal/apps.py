from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ข้อมูลหลัก")

    def ready(self):
        from portal import checks  # noqa: F401  (registers the tenancy system check)
        from portal.admin import dates

        dates.install()
