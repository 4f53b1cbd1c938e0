"""Public ids: rows inserted under a fresh random code, with the rare collision settled by the unique index."""

import re
from collections.abc import Callable

from django.db import IntegrityError, transaction

ATTEMPTS = 8


def insert_with_code(instance, *, field: str = "tracking_code", make_code: Callable[[], str], then=None) -> None:
    """INSERT `instance` under a fresh code from `make_code()`, retried with a new code when the unique index on
    `field` refuses it; `then()` (photos, the outbox row, ...) runs in the same transaction.

    A plain insert with no `then` and no open transaction is a single INSERT (no BEGIN/COMMIT, no savepoint);
    otherwise it is wrapped in `transaction.atomic()` (a savepoint only when a caller's transaction is open), so a
    collision rolls back the whole attempt. Any other integrity error is raised as it is."""
    model = type(instance)
    atomic = then is not None or transaction.get_connection().in_atomic_block
    for _attempt in range(ATTEMPTS):
        code = make_code()
        setattr(instance, field, code)
        try:
            if atomic:
                with transaction.atomic():
                    instance.save(force_insert=True)
                    if then is not None:
                        then()
            else:
                instance.save(force_insert=True)
            return
        except IntegrityError:
            instance.pk = None
            instance._state.adding = True
            if model._default_manager.filter(**{field: code}).exists():
                continue
            raise
    raise RuntimeError(f"no free {model.__name__}.{field} after {ATTEMPTS} attempts")


TRACKING_CODE_RE = re.compile(r"[A-Z0-9-]{1,24}")
# PREFIX-YYYY-XXXXXX typed without (some of) its hyphens: "ky25687f3k9q", "KY 2568 7F3K9Q".
_UNHYPHENATED_RE = re.compile(r"([A-Z]{1,8})-?([0-9]{4})-?([A-Z0-9]{6})")
_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212_./]+")


def clean_tracking_code(code) -> str:
    """The tracking code as printed, from what a citizen typed: any case, spaces, Thai digits, dashes of any kind
    or none at all ("ky ๒๕๖๘ 7f3k9q" -> "KY-2568-7F3K9Q"). "" unless it then looks like a tracking code (anything
    else, NUL bytes included, must not reach the database: PostgreSQL refuses NUL with an error, not a miss)."""
    from portal.thai import to_arabic_digits

    code = to_arabic_digits((code or "").strip()).upper()
    compact = _SEPARATORS_RE.sub("-", code).strip("-")
    parts = _UNHYPHENATED_RE.fullmatch(compact.replace("-", ""))
    if parts:
        return "-".join(parts.groups())
    return compact if TRACKING_CODE_RE.fullmatch(compact) else ""
