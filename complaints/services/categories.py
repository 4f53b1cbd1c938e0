"""The standard complaint categories an organization switches on and off (the set-up wizard's complaints step)."""

from django.db import transaction

from complaints.models import Category
from complaints.standard import DEFAULT_CATEGORIES
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.models import Department


@transaction.atomic
def set_standard_categories(*, organization, codes, actor) -> None:
    """The standard categories in `codes` on (created when new, with their department and working-day deadline),
    the other standard ones off; nothing is ever deleted."""
    picked = set(codes)
    departments = {d.code: d for d in Department.objects.filter(organization=organization)}
    existing = {c.code: c for c in Category.objects.filter(organization=organization)}
    with audit.acting(actor):
        for order, (code, th, en, dept, sla_days, public, protected) in enumerate(DEFAULT_CATEGORIES):
            category = existing.get(code)
            if category is None:
                if code not in picked:
                    continue
                category = Category(organization=organization, code=code, name_th=th, name_en=en,
                                    department=departments.get(dept), sla_days=sla_days, is_public=public,
                                    is_protected=protected, order=(order + 1) * 10)
                require(actor, "add", category)
                category.full_clean()
                category.save()
            elif category.is_active != (code in picked):
                require(actor, "change", category)
                category.is_active = code in picked
                category.save(update_fields=["is_active"])
