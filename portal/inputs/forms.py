"""Form fields that read what Thai people type (BE dates, Thai digits), and forms that never lose input."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.inputs.uploads import bound_batch


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


# --- forms that never lose what was typed or chosen ----------------------------------------------------------------

class KeptFilesWidget(forms.FileInput):
    """A file input plus the files already received and kept for this form (hidden tokens, a thumbnail or the
    name, and a remove control). Renders portal/widgets/kept_files.html; static/js/forms.js adds the buttons."""

    template_name = "portal/widgets/kept_files.html"

    def __init__(self, attrs=None, *, multiple=True):
        self.allow_multiple_selected = multiple
        super().__init__(attrs)
        self.source = None  # the KeptFilesField this copy belongs to (set per form instance)

    def value_from_datadict(self, data, files, name):
        new = files.getlist(name) if hasattr(files, "getlist") else [files.get(name)]
        if not self.allow_multiple_selected:
            new = new[-1:]
        getlist = data.getlist if hasattr(data, "getlist") else (lambda key: [data[key]] if key in data else [])
        return {"new": [f for f in new if f], "kept": getlist(f"{name}__kept"), "drop": getlist(f"{name}__drop")}

    def value_omitted_from_data(self, data, files, name):
        return False

    def use_required_attribute(self, initial):
        return False  # a kept file satisfies "required"; the server says what is missing

    def format_value(self, value):
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        items, lost = self.source.items_to_show() if self.source is not None else ([], [])
        context["widget"].update({"kept": items, "lost": lost, "multiple": self.allow_multiple_selected,
                                  "max_files": getattr(self.source, "max_files", 1)})
        return context


class KeptFilesField(forms.Field):
    """Files that survive form errors. `check(upload) -> portal.inputs.uploads.CheckedFile` runs on every new file (and
    raises ValidationError for a bad one), after the limits of all new files together (portal.inputs.uploads.bound_batch;
    `images=True` adds the declared pixels); files that pass are kept in portal.inputs.tempuploads when the form is shown
    again, so the citizen never chooses them twice. Cleans to a list of CheckedFile (kept and new together).

    Needs the request (KeepInputMixin passes it); without one it takes new files only, like a plain file field."""

    widget = KeptFilesWidget
    default_error_messages = {
        "required": _("กรุณาแนบไฟล์"),
        "too_many": _("แนบได้ไม่เกิน %(n)s ไฟล์"),
        "file": "%(name)s: %(error)s",  # the file name, then the check's own (translated) message
    }

    def __init__(self, *, purpose: str, check, max_files: int = 1, images: bool = False, **kwargs):
        self.purpose, self.check, self.max_files, self.images = purpose, check, max_files, images
        kwargs.setdefault("widget", KeptFilesWidget(multiple=max_files > 1))
        super().__init__(**kwargs)
        self.widget.source = self
        self.request = None
        self._reset()

    def _reset(self):
        self.kept = []  # tempuploads.Kept from earlier posts of this session
        self.pending = []  # new CheckedFile that passed their checks, not yet stashed
        self.lost = []  # names of good files that could not be kept (stash refused)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.source = result
        result._reset()
        return result

    def clean(self, value):
        from portal.inputs import tempuploads

        value = value or {"new": [], "kept": [], "drop": []}
        self._reset()
        drop = set(value["drop"])
        if self.request is not None:
            if drop:
                tempuploads.discard(self.request, drop)
            seen = set()
            for token in value["kept"]:
                if token in drop or token in seen:
                    continue
                seen.add(token)
                kept = tempuploads.find(self.request, token, purpose=self.purpose)
                if kept is not None and len(self.kept) < self.max_files:
                    self.kept.append(kept)
        errors = []
        try:
            bound_batch(value["new"], images=self.images)  # the request's new files together, before any is read
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        for upload in value["new"]:
            if len(self.kept) + len(self.pending) >= self.max_files:
                errors.append(ValidationError(self.error_messages["too_many"], code="too_many",
                                              params={"n": self.max_files}))
                break
            try:
                self.pending.append(self.check(upload))
            except ValidationError as exc:
                name = os.path.basename(getattr(upload, "name", "") or "")
                for message in exc.messages:
                    errors.append(ValidationError(self.error_messages["file"], code=exc.code or "invalid",
                                                  params={"name": name, "error": message}))
        if errors:
            raise ValidationError(errors)
        files = [k.checked() for k in self.kept] + list(self.pending)
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files

    def items_to_show(self):
        """The kept files to show with the form again: files that passed their checks on this post are stashed
        now (a form is shown again only after an error or a refusal)."""
        from portal.inputs import tempuploads

        if self.pending and self.request is not None:
            for checked in self.pending:
                kept = tempuploads.stash(self.request, checked, purpose=self.purpose)
                if kept is None:
                    self.lost.append(checked.name)
                else:
                    self.kept.append(kept)
            self.pending = []
        return list(self.kept), list(self.lost)

    def kept_tokens(self) -> list[str]:
        return [k.token for k in self.kept]


class KeepInputMixin:
    """For citizen forms: chosen files survive errors (KeptFilesField, with `request=`), and a long text is never
    cut at its maximum: the browser's maxlength goes, a live counter shows "1,234 / 4,000" (static/js/forms.js)
    and going over is an error that keeps the text."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.keep_input()

    def keep_input(self) -> None:
        """Wire the form's fields; a form that adds fields in its own __init__ calls it again afterwards."""
        for field in self.fields.values():
            if isinstance(field, KeptFilesField):
                field.request = self.request
            elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) and field.max_length:
                count_characters(field)

    def release_uploads(self) -> None:
        """After the form's data was saved: its kept files are no longer needed."""
        from portal.inputs import tempuploads

        if self.request is None:
            return
        tokens = [t for f in self.fields.values() if isinstance(f, KeptFilesField) for t in f.kept_tokens()]
        if tokens:
            tempuploads.discard(self.request, tokens)


def count_characters(field: forms.CharField) -> None:
    """A textarea that counts instead of cutting (see KeepInputMixin)."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-maxlength"] = str(field.max_length)
    field.error_messages["max_length"] = _(
        "ข้อความยาว %(show_value)s ตัวอักษร เกินกำหนด %(limit_value)s ตัวอักษร กรุณาตัดให้สั้นลง (ข้อความที่พิมพ์ยังอยู่)")
