"""A dataset's states and what it takes to publish one: the transitions in one table (portal.machinery.workflow),
the thai-gdc fields required before publishing, and the data governance rule (only public data with the open
classification). Keyed on the Category and Classification members, not on their stored values."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.machinery.workflow import TransitionNotAllowed, Workflow

__all__ = ["State", "WORKFLOW", "TransitionNotAllowed", "check", "check_publishable", "is_public_category",
           "missing_for_publish", "REQUIRED_FOR_PUBLISH"]


class State(models.TextChoices):
    DRAFT = "draft", gettext_lazy("ฉบับร่าง")
    PUBLISHED = "published", gettext_lazy("เผยแพร่")


# A draft is published; a published dataset is taken back to draft (unpublished) to be corrected or withdrawn.
WORKFLOW = Workflow(State, {
    State.DRAFT: [State.PUBLISHED],
    State.PUBLISHED: [State.DRAFT],
})

# thai-gdc's required fields (ckan_dataset.json), in the order the dataset screen shows them, and the free text its
# "other" choices ask for.
REQUIRED_FOR_PUBLISH = ("data_type", "objective", "update_frequency_unit", "update_frequency_interval",
                        "geo_coverage", "data_format", "data_category", "license_id", "data_source", "maintainer",
                        "maintainer_email")
# The optional choice fields ask for their free text too, when they are filled in with "other".
OTHER_TEXT = {"data_type": ("ข้อมูลประเภทอื่นๆ", "data_type_other"), "objective": ("อื่นๆ", "objective_other"),
              "update_frequency_unit": ("อื่นๆ", "update_frequency_unit_other"),
              "geo_coverage": ("อื่นๆ", "geo_coverage_other"), "data_format": ("อื่นๆ", "data_format_other"),
              "license_id": ("อื่นๆ", "license_id_other"), "data_language": ("อื่นๆ", "data_language_other"),
              "data_support": ("อื่นๆ", "data_support_other"), "data_collect": ("อื่นๆ", "data_collect_other")}


def check(source, target):
    """The transition from `source` to `target`, or TransitionNotAllowed (a ValidationError) with a Thai message."""
    return WORKFLOW.check(source, target)


def missing_for_publish(dataset) -> list[tuple[str, str]]:
    """(field name, label) of every thai-gdc field the dataset still needs before it can be published, in the
    screen's order (empty: ready). The names let a form point at the fields."""
    meta = type(dataset)._meta
    missing = []
    for name in REQUIRED_FOR_PUBLISH + tuple(n for n in OTHER_TEXT if n not in REQUIRED_FOR_PUBLISH):
        value = getattr(dataset, name)
        empty = value in (None, "", []) or (isinstance(value, str) and not value.strip())
        if empty and name in REQUIRED_FOR_PUBLISH:
            missing.append((name, str(meta.get_field(name).verbose_name)))
        other = OTHER_TEXT.get(name)
        if other:
            choice, other_name = other
            chosen = choice in value if isinstance(value, list) else value == choice
            if chosen and not (getattr(dataset, other_name) or "").strip():
                missing.append((other_name, str(meta.get_field(other_name).verbose_name)))
    return missing


def is_public_category(dataset) -> bool:
    model = type(dataset)
    return (dataset.data_category == model.Category.PUBLIC
            and dataset.data_classification == model.Classification.OPEN)


def check_publishable(dataset) -> None:
    """ValidationError (on the field at fault) unless `dataset` may be public: checked when it is published
    (services.set_state) and whenever a published dataset is saved through a form (Dataset.clean), so relabelling
    it restricted is refused until it is unpublished."""
    model = type(dataset)
    if dataset.data_category != model.Category.PUBLIC:
        raise ValidationError({"data_category": _("เผยแพร่ได้เฉพาะข้อมูลสาธารณะ ชุดข้อมูลนี้เป็น “%(category)s” "
                                                  "(ถ้าจะเปลี่ยนหมวดหมู่ ให้ยกเลิกการเผยแพร่ก่อน)")
                               % {"category": dataset.get_data_category_display()}})
    if not is_public_category(dataset):
        raise ValidationError({"data_classification": _(
            "เผยแพร่ได้เฉพาะข้อมูลชั้น “เปิดเผย” ชุดข้อมูลนี้เป็น “%(level)s” (ถ้าจะเปลี่ยนชั้น ให้ยกเลิกการเผยแพร่ก่อน)")
            % {"level": dataset.get_data_classification_display()}})
