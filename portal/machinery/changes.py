"""Which organizations' rows of a model changed: one notice, sent after the transaction commits.

Work kept per organization and derived from other rows (the open-data live datasets, the organization home's
service links) listens to `rows_changed` instead of re-deriving everything on a timer:

- `watch(Model)` turns every ORM save and delete of a row of `Model` into a notice (post_save / post_delete);
- a write that bypasses signals (`bulk_create`, `QuerySet.update()`, raw SQL) on a watched model announces itself:
  `announce(Model, organization_ids)` inside its transaction. Grep for `announce(` to find them.

The notice is sent after commit (`transaction.on_commit`), so a listener that re-reads the rows sees them, and a
rolled-back write sends nothing. A listener that fails is logged; the write it follows has already committed.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import signals
from django.dispatch import Signal

log = logging.getLogger(__name__)

# sender: the model class; organization_ids: a frozenset of organization primary keys. Sent after commit.
rows_changed = Signal()


def announce(model, organization_ids: Iterable[int | None]) -> None:
    """Tell the listeners, once the surrounding transaction commits, that rows of `model` changed for these
    organizations. Outside a transaction the notice goes at once."""
    ids = frozenset(i for i in organization_ids if i)
    if not ids:
        return
    transaction.on_commit(lambda: _send(model, ids))


def _send(model, ids):
    for receiver, error in rows_changed.send_robust(sender=model, organization_ids=ids):
        if error is not None:
            log.error("rows_changed listener %r failed for %s", receiver, model._meta.label,
                      exc_info=(type(error), error, error.__traceback__))


def organization_id_of(instance) -> int | None:
    """The organization a row belongs to (portal.access.tenancy.organization_id_of: along its model's
    `organization_path`, no query when the parent is loaded); None when the path cannot be followed (a parent
    already deleted: its own notice covers it)."""
    from portal.access import tenancy

    try:
        return tenancy.organization_id_of(instance)
    except Exception:  # noqa: BLE001 - the parent row is gone (cascade)
        return None


def _row_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        announce(sender._meta.concrete_model, [organization_id_of(instance)])


def _row_deleted(sender, instance, **kwargs):
    announce(sender._meta.concrete_model, [organization_id_of(instance)])


def watch(model) -> None:
    """Announce every save and delete of `model`'s rows, through the model or any proxy of it (a save through
    a proxy, e.g. a complaint saved as a corruption report, is announced as the model). Idempotent."""
    from django.apps import apps

    for each in [model, *(m for m in apps.get_models() if m._meta.proxy and m._meta.concrete_model is model)]:
        uid = f"portal-changes-{each._meta.label_lower}"
        signals.post_save.connect(_row_saved, sender=each, dispatch_uid=uid)
        signals.post_delete.connect(_row_deleted, sender=each, dispatch_uid=uid)
