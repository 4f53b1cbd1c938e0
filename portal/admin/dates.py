"""Every date and time staff see in the admin is Buddhist era and local time, like the public pages.

Django's admin formats dates with the `th` locale, which writes Christian-era years (2026 where staff expect 2569),
and its date inputs take ISO dates. `install()` (called from PortalConfig.ready) routes the admin's display helpers
through `be_display`, and makes admin forms use the BE date field and input for date columns.
"""

import datetime as dt

from django.db import models

from portal.thai import be_display


def _admin_date_field():
    from portal.inputs.forms import BEDateField

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

    from portal.inputs.forms import BEDateInput

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
