"""Reads that may be a moment old go to the read replica (`DATABASE_REPLICA_URL`, alias "replica"); everything else
stays on the primary ("default").

A read goes to the replica only when all of these hold:
- the code asked for it: `with replica_reads():` or a view wrapped in `anonymous_replica_reads` (the anonymous
  open-data catalogue and its CKAN API, the auditor's cross-organization summary and plan report downloads);
- the replica is configured (without `DATABASE_REPLICA_URL` there is no alias and no router: nothing changes);
- the primary connection is not inside a transaction (a read that decides a write is made inside one);
- the model is not one whose staleness would be wrong for the person asking (sessions, logins, the login lockout,
  staff memberships: who may see what is always read from the primary);
- the read does not build a value kept in the shared cache: `portal.machinery.cache.Memo` loaders run under
  `primary()`, so a lagging replica never puts an old value there for every node.

Every write goes to the primary, and so does any read outside `replica_reads()`, even of a row that was read from
the replica (its `_state.db` is not followed).
"""

import functools
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
# Apps whose rows are never read from the replica: a session or login just written must be found at once.
PRIMARY_ONLY = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})
# Models whose rows decide who sees what: a revoked role must not linger on a lagging replica.
PRIMARY_ONLY_MODELS = frozenset({"portal.membership"})

_replica_reads: ContextVar[bool] = ContextVar("portal_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads():
    """Reads inside may come from the replica (see the module's rules)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextmanager
def primary():
    """Reads inside come from the primary, even within `replica_reads()` (what goes into the shared cache)."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def anonymous_replica_reads(view):
    """A view whose reads may come from the replica for visitors who are not signed in (a signed-in person, who
    may just have changed something, reads the primary). Read-only views only: when the replica cannot be reached,
    the view runs again on the primary."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            with replica_reads():
                return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if not replica_configured():
                raise
            log.warning("read replica unreachable: %s read from the primary", request.path, exc_info=True)
            connections[REPLICA].close()
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """DATABASE_ROUTERS entry, set only when DATABASE_REPLICA_URL is."""

    def db_for_read(self, model, **hints):
        if (_replica_reads.get() and model._meta.app_label not in PRIMARY_ONLY
                and model._meta.label_lower not in PRIMARY_ONLY_MODELS and replica_configured()
                and not connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication
