from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxpayConfig(AppConfig):
    name = "taxpay"
    verbose_name = _("ชำระภาษี / Tax payment")
