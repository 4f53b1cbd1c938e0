"""The open-data clerk's reads: stale datasets, a free URL name for a new dataset, the admin home's work."""

from django.db.models import Q

from ..models import Dataset


def stale_condition(qs, now=None) -> Q:
    """Dataset.is_stale() as a database condition: one clause per (unit, interval) pair in use, so counting the
    stale datasets of a large catalogue never loads them."""
    import datetime as dt

    from django.utils import timezone

    now = now or timezone.now()
    today = now.date()  # is_stale() ends the last update day in now's time zone
    condition = Q(pk__in=[])
    pairs = qs.order_by().values_list("update_frequency_unit", "update_frequency_interval").distinct()
    for unit, interval in pairs:
        period = Dataset(update_frequency_unit=unit, update_frequency_interval=interval).update_period()
        if period is None:
            continue
        condition |= Q(update_frequency_unit=unit, update_frequency_interval=interval) & (
            Q(last_updated_date__lt=today - dt.timedelta(days=period.days))
            | Q(last_updated_date__isnull=True, metadata_modified__lt=now - period))
    return condition


def stale_datasets_q(queryset=None, now=None):
    """Published datasets past their update frequency, as a queryset."""
    qs = (queryset if queryset is not None else Dataset.objects.all()).filter(state=Dataset.State.PUBLISHED)
    return qs.filter(stale_condition(qs, now))


def stale_datasets(queryset=None, now=None):
    """Published datasets past their update frequency, with their organization."""
    return list(stale_datasets_q(queryset, now).select_related("organization"))


def free_dataset_name(title: str, *, exclude=None) -> str:
    """A URL name (CKAN's `name`) made from a Thai title, for a clerk who leaves it empty: the words romanized
    (PyThaiNLP, Royal Institute system) and joined by "-", e.g. สถิติเรื่องร้องเรียน -> sathiti-rueang-rongrian;
    made unique across the installation with -2, -3, ..."""
    from django.utils.text import slugify
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    from portal.thai import to_arabic_digits

    words = [romanize(w) if any("\u0e00" <= ch <= "\u0e7f" for ch in w) else w
             for w in word_tokenize(to_arabic_digits(title or ""), keep_whitespace=False)]
    base = slugify("-".join(w for w in words if w.strip())).strip("-")[:80].strip("-") or "dataset"
    taken = set(Dataset.objects.filter(name__startswith=base).exclude(pk=exclude).values_list("name", flat=True))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def publishing_work(queryset, *, now=None, limit=10):
    """The open-data clerk's admin home: the drafts and the published datasets past their update frequency among
    `queryset` (already scoped to the person's organizations), the oldest change first, with their counts."""
    drafts = queryset.filter(state=Dataset.State.DRAFT).select_related("organization").order_by("metadata_modified")
    stale = stale_datasets_q(queryset, now).select_related("organization").order_by("metadata_modified")
    return {"drafts": list(drafts[:limit]), "draft_count": drafts.count(),
            "stale": list(stale[:limit]), "stale_count": stale.count()}
