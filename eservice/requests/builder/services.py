"""Writes of the form builder: every edit goes to the draft (the service type's own fields); publishing freezes it
as a new version (eservice.requests.services.publish_version)."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from portal import thai
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.machinery import changes

from ...models import (
    FieldKind,
    FormField,
    FormVersion,
    RequiredDocument,
    ServiceType,
    choice_lines,
)
from ..services import publish_version


def variable_name(label: str, taken=()) -> str:
    """A variable name (the field's code: Open311 attribute, export column) made from its Thai label: the words
    romanized (PyThaiNLP, Royal Institute system) and joined by "_", e.g. ที่อยู่ที่ขอติดตั้ง -> thiyu_thi_kho_tittang.
    Made unique among `taken` with _2, _3, ..."""
    from django.utils.text import slugify
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    words = [romanize(w) if any("\u0e00" <= ch <= "\u0e7f" for ch in w) else w
             for w in word_tokenize(thai.to_arabic_digits(label or ""), keep_whitespace=False)]
    base = slugify("_".join(w for w in words if w.strip())).replace("-", "_").strip("_")[:34] or "field"
    if base[0].isdigit():
        base = f"f_{base}"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _field_choices(labels: list[str], old_pairs: list[tuple[str, str]], english: list[str] = ()) -> str:
    """Choice rows as staff typed them (Thai labels, and beside each its English or nothing) -> the stored lines
    `code|Thai|English`, keeping each old choice's code so answers already filed still read right; a new label gets
    a code made from it."""
    codes_by_label = {label: code for code, label in old_pairs}
    english = list(english) + [""] * max(0, len(labels) - len(english))
    taken, rows = set(), []
    for label, label_en in zip(labels, english, strict=False):
        label, label_en = label.strip().replace("|", "/"), label_en.strip().replace("|", "/")[:200]
        if not label:
            continue
        code = codes_by_label.get(label) or variable_name(label, taken | set(codes_by_label.values()))
        if code in taken:
            code = variable_name(label, taken)
        taken.add(code)
        rows.append(f"{code}|{label}|{label_en}" if label_en else f"{code}|{label}")
    return "\n".join(rows)


def _builder_audit(service_type, actor, event, **data):
    audit.record(service_type, actor=actor, event=f"eservice.form.{event}", data=data)


def _next_order(service_type) -> int:
    return (service_type.fields.aggregate(n=Max("order"))["n"] or 0) + 10


@transaction.atomic
def add_field(*, service_type: ServiceType, label_th: str, kind: str, actor) -> FormField:
    """A new draft field from its label and type alone: the variable name is made from the label."""
    require(actor, "change", service_type)
    label_th = (label_th or "").strip()
    if not label_th:
        raise ValidationError({"label_th": _("กรุณาพิมพ์ชื่อช่อง")})
    if kind not in FieldKind.values:
        raise ValidationError({"kind": _("เลือกชนิดของช่อง")})
    taken = set(service_type.fields.values_list("code", flat=True))
    field = FormField(service_type=service_type, label_th=label_th[:200], kind=kind,
                      code=variable_name(label_th, taken), order=_next_order(service_type))
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        field.choices = _field_choices([_("ตัวเลือกที่ 1"), _("ตัวเลือกที่ 2")], [])
    field.save()
    _builder_audit(service_type, actor, "field_added", code=field.code)
    return field


@transaction.atomic
def update_field(*, field: FormField, actor, label_th: str, label_en: str = "", kind: str, required: bool,
                 help_th: str = "", help_en: str = "", choice_labels: list[str] = (), choice_english: list[str] = (),
                 allow_other: bool = False, code: str | None = None) -> FormField:
    require(actor, "change", field.service_type)
    errors = {}
    label_th = (label_th or "").strip()
    if not label_th:
        errors["label_th"] = _("กรุณาพิมพ์ชื่อช่อง")
    if kind not in FieldKind.values:
        errors["kind"] = _("เลือกชนิดของช่อง")
    code = (code or "").strip() or field.code
    others = set(field.service_type.fields.exclude(pk=field.pk).values_list("code", flat=True))
    if code != field.code:
        import re

        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code):
            errors["code"] = _("ชื่อตัวแปรใช้ได้เฉพาะ a–z ตัวเลข และ _ ขึ้นต้นด้วยตัวอักษร")
        elif code in others:
            errors["code"] = _("มีช่องอื่นใช้ชื่อตัวแปรนี้แล้ว")
    choices = ""
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        choices = _field_choices(list(choice_labels), field.choice_pairs(), list(choice_english))
        if not choices:
            errors["choices"] = _("ช่องแบบเลือกต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ")
    if errors:
        raise ValidationError(errors)
    field.label_th, field.label_en, field.kind, field.required = label_th[:200], label_en.strip()[:200], kind, required
    field.help_th, field.help_en, field.choices, field.code = help_th.strip()[:300], help_en.strip()[:300], choices, code
    field.allow_other = allow_other and bool(choices)
    field.save()
    _builder_audit(field.service_type, actor, "field_changed", code=field.code)
    return field


@transaction.atomic
def move_field(*, field: FormField, up: bool, actor) -> None:
    """One place up or down; orders are renumbered 10, 20, ... so they stay distinct."""
    require(actor, "change", field.service_type)
    fields = list(field.service_type.fields.select_for_update().order_by("order", "pk"))
    index = next(i for i, f in enumerate(fields) if f.pk == field.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
    for n, f in enumerate(fields):
        if f.order != n * 10:
            FormField.objects.filter(pk=f.pk).update(order=n * 10)
    _builder_audit(field.service_type, actor, "field_moved", code=field.code, up=up)


@transaction.atomic
def duplicate_field(*, field: FormField, actor) -> FormField:
    """A copy right below the original, with its own variable name."""
    require(actor, "change", field.service_type)
    service_type = field.service_type
    FormField.objects.filter(service_type=service_type, order__gt=field.order).update(order=F("order") + 10)
    taken = set(service_type.fields.values_list("code", flat=True))
    copy = FormField(service_type=service_type, code=variable_name(field.label_th, taken), kind=field.kind,
                     label_th=field.label_th, label_en=field.label_en, required=field.required,
                     help_th=field.help_th, help_en=field.help_en, choices=field.choices, allow_other=field.allow_other,
                     order=field.order + 5)
    copy.save()
    _builder_audit(service_type, actor, "field_duplicated", code=field.code, copy=copy.code)
    return copy


@transaction.atomic
def remove_field(*, field: FormField, actor) -> None:
    """Off the draft; requests already filed keep the field in their own version."""
    require(actor, "change", field.service_type)
    code, service_type = field.code, field.service_type
    field.delete()
    _builder_audit(service_type, actor, "field_removed", code=code)


@transaction.atomic
def publish_draft(*, service_type: ServiceType, actor) -> FormVersion:
    """The draft becomes the live form for new requests (requests already filed keep their version)."""
    previous = service_type.current_version_id
    version = publish_version(service_type=service_type, actor=actor)
    if version.pk != previous:  # publishing an unchanged draft is no new version
        _builder_audit(service_type, actor, "published", version=version.number)
    return version


@transaction.atomic
def roll_back(*, service_type: ServiceType, version: FormVersion, actor) -> FormVersion:
    """An earlier version's form becomes the draft again and is published as the next version (the history
    stays whole: nothing is deleted, the earlier version is not reused)."""
    require(actor, "change", service_type)
    if version.service_type_id != service_type.pk:
        raise ValidationError(_("ฉบับนี้ไม่ใช่ของบริการนี้"))
    definition = version.definition
    service_type.fields.all().delete()
    FormField.objects.bulk_create([
        FormField(service_type=service_type, order=n * 10, code=f["code"], kind=f["kind"],
                  label_th=f["label_th"], label_en=f.get("label_en", ""), required=f.get("required", False),
                  help_th=f.get("help_th", ""), help_en=f.get("help_en", ""), allow_other=f.get("allow_other", False),
                  choices=choice_lines(f))
        for n, f in enumerate(sorted(definition.get("fields", []), key=lambda f: f.get("order", 0)))])
    service_type.documents.all().delete()
    RequiredDocument.objects.bulk_create([
        RequiredDocument(service_type=service_type, order=n * 10, **d)
        for n, d in enumerate(definition.get("documents", []))])
    updates = {k: definition[k] for k in ("name_th", "name_en", "processing_days") if k in definition}
    if "fee" in definition:
        from decimal import Decimal

        updates["fee"] = Decimal(definition["fee"])
    if updates:
        ServiceType.objects.filter(pk=service_type.pk).update(**updates)
        changes.announce(ServiceType, [service_type.organization_id])
        for k, v in updates.items():
            setattr(service_type, k, v)
    new = publish_version(service_type=service_type, actor=actor)
    _builder_audit(service_type, actor, "rolled_back", to_version=version.number, version=new.number)
    return new
