"""What may be published: only public data with the open classification (the thai-gdc data governance
categories). Keyed on the Category and Classification members, not on their stored values."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
