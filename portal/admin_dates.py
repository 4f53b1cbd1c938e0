"""Every date and time staff see in the admin is Buddhist era and local time, like the public pages.

Django's admin formats dates with the `th` locale, which writes Christian-era years (2026 where staff expect 2569),
and its date inputs take ISO dates. `install()` (called from PortalConfig.ready) routes the admin's display helpers
through `be_display`, and makes admin forms use the BE date field and input for date columns.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from . import thai

EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def be_display(value) -> str:
    """25 ต.ค. 2568 14:05 (English pages: 25 Oct 2568 14:05); aware datetimes in local time."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    if (get_language() or "th").startswith("en"):
        text = f"{value.day} {EN_MONTHS[value.month - 1]} {thai.be_year(value.year)}"
        return f"{text} {value:%H:%M}" if isinstance(value, dt.datetime) else text
    return thai.format_be_date(value)


def _admin_date_field():
    from .forms import BEDateField

    class AdminBEDateField(BEDateField):
        """dd/mm/yyyy in the Buddhist era; an ISO date (yyyy-mm-dd, which is Christian era by definition, as
        scripts and API clients send it) is read as such."""

        def to_python(self, value):
            if isinstance(value, str) and len(value.strip()) == 10 and value.strip()[4] == "-":
                try:
                    return dt.date.fromisoformat(value.strip())
                except ValueError:
                    pass
            return super().to_python(value)

    return AdminBEDateField


def install():
    from django.contrib.admin import helpers, options, utils
    from django.contrib.admin.templatetags import admin_list

    from .forms import BEDateInput

    original_field, original_value = utils.display_for_field, utils.display_for_value
    if getattr(original_field, "be_dates", False):
        return

    def display_for_field(value, field, empty_value_display, *args, **kwargs):
        if value is not None and isinstance(field, (models.DateField, models.DateTimeField)) and not field.flatchoices:
            return be_display(value)
        return original_field(value, field, empty_value_display, *args, **kwargs)

    def display_for_value(value, empty_value_display, *args, **kwargs):
        if isinstance(value, (dt.date, dt.datetime)):
            return be_display(value)
        return original_value(value, empty_value_display, *args, **kwargs)

    display_for_field.be_dates = True
    for module in (utils, helpers, admin_list):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
    be_date = {"form_class": _admin_date_field(), "widget": BEDateInput}
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = be_date
    from django.contrib import admin
    from django.contrib.admin import widgets

    for model_admin in admin.site._registry.values():  # instantiated before this app was ready
        current = model_admin.formfield_overrides.get(models.DateField, {})
        if current.get("widget") in (None, widgets.AdminDateWidget):  # Django's default, not an app's choice
            model_admin.formfield_overrides[models.DateField] = be_date
