"""Form fields that read what Thai people type: BE dates, Thai digits."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import thai


class BEDateInput(forms.TextInput):
    """Text input showing dd/mm/yyyy in the Buddhist era (the browser's date picker would show CE)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "วว/ดด/ปปปป", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "year"):
            return f"{value.day:02d}/{value.month:02d}/{thai.be_year(value.year)}"
        return value


class BEDateField(forms.DateField):
    widget = BEDateInput
    default_error_messages = {"invalid": _("รูปแบบวันที่ต้องเป็น วว/ดด/ปปปป (พ.ศ.)")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return thai.parse_be_date(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class ThaiDigitsIntegerField(forms.IntegerField):
    """Integer field that accepts ๐–๙ and thousands separators."""

    def to_python(self, value):
        if isinstance(value, str):
            value = thai.to_arabic_digits(value).replace(",", "").strip()
        return super().to_python(value)


class ThaiDigitsDecimalField(forms.DecimalField):
    def to_python(self, value):
        if isinstance(value, str):
            value = thai.to_arabic_digits(value).replace(",", "").strip()
        return super().to_python(value)


def apply_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
