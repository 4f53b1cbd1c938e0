"""Public ids: rows inserted under a fresh random code, with the rare collision settled by the unique index."""

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
