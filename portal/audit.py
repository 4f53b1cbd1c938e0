"""Who did it: the actor of the audit-log rows a service writes.

django-auditlog writes a row in the same transaction as each save of a registered model and names the actor its
middleware found on the request. A service is also run by Celery tasks and management commands, and by staff
acting for someone else, so it names its actor itself with `acting(user)`:

    with transaction.atomic(), acting(user):
        complaint.save(update_fields=[...])      # the audit row names `user`
"""

import contextlib

from auditlog.context import auditlog_value, set_extra_data


@contextlib.contextmanager
def acting(user):
    """Audit rows written inside the block name `user` (nothing changes for `user=None`, the system actor, which
    the caller names in the row's data). The request's address is kept; the outer actor comes back after."""
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    # Always a block of its own (nesting is safe, see below): the data a finished request left behind can look
    # like a current actor but no longer has its receiver connected.
    previous = auditlog_value.get(None)
    extra = {k: v for k, v in (previous or {}).items() if k != "signal_duid"}
    try:
        with set_extra_data({**extra, "actor": user}):
            yield
    finally:
        # auditlog's context manager leaves its data behind: the outer block (the request) needs its own back to
        # disconnect its receiver when it ends, and outside any block a stale actor must not look current.
        auditlog_value.set(previous if previous is not None else {})
