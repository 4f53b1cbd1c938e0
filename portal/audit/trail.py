"""Who did it: the audit-log rows services write, and the actor they name.

Two ways, both in the service's own transaction (if the write rolls back, so does its row):

1. Saves of registered models: django-auditlog writes a row per save and names the actor its middleware found on
   the request. A service is also run by Celery tasks, management commands and staff acting for someone else, so
   it names its actor itself with `acting(user)`:

       with transaction.atomic(), acting(user):
           complaint.save(update_fields=[...])      # the audit row names `user`

2. Everything auditlog cannot see (`.update()`, bulk writes, deletes of many rows, a job queued) or where the
   event matters more than the field diff: the service writes its own row with `record(...)`:

       audit.record(plan, actor=user, event="innovation_plans.plan.published", changes={"status": [old, new]})

   - `actor` is the user a request passed down (`user=request.user`), a `SystemActor` naming the task or
     command (`audit.system("command:import_plan")`), or for a citizen without a login the channel they used
     (`audit.citizen("web")`, with the tracking code in `data`); `None` is an unnamed system write, recorded as
     "system".
   - `event` names what happened ("<app>.<thing>.<verb>"), so the trail reads without diffing fields.
   - The row carries the organization of `obj` (portal.models.AuditTaggedByOrganization), so staff see it in
     their own organization's audit list (portal.admin.ScopedLogEntryAdmin).

Where writes may happen (tests/portal/test_layers.py checks it): views, staff pages, webhooks, the API and the
admin never save rows themselves; they call a service. The admin's plain create/change/delete of reference data
(categories, assets, service types, tax years...) goes through portal.services.save_row / delete_row, which every
project ModelAdmin inherits from portal.admin.mixins.ServiceSavesMixin. Not audited, because nobody decides them:
the bookkeeping of the shared machinery itself (background-job progress, outbox delivery states, private-file
renames, an API key's last-used stamp).
"""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

from auditlog.context import auditlog_value, set_extra_data
from auditlog.models import LogEntry

# A task, a command or a citizen acting in an `acting(...)` block: the rows django-auditlog writes for saves inside
# it carry the name in their data ("actor"), as `record` does (models add it in get_additional_data).
_named_actor = ContextVar("audit_named_actor", default=None)


def named_actor() -> str | None:
    return _named_actor.get()


@contextlib.contextmanager
def acting(user):
    """Audit rows written inside the block name `user`: a signed-in user as the row's user; a system or citizen
    actor by name in the row's data (nothing changes for `user=None`). The request's address is kept; the outer
    actor comes back after."""
    if user is None or not getattr(user, "is_authenticated", False):
        named = is_system(user) or isinstance(user, CitizenActor)
        token = _named_actor.set(actor_name(user)) if named and user is not None else None
        try:
            yield
        finally:
            if token is not None:
                _named_actor.reset(token)
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


Action = LogEntry.Action


@dataclass(frozen=True)
class SystemActor:
    """Who did a write that no person made: a Celery task, a management command, the demo loader.

    Services accept it wherever they take `user=`; it passes `portal.access.permissions.require` (the system is trusted)
    and is named in the audit row."""

    name: str
    is_authenticated = False
    is_superuser = False
    is_system_actor = True
    pk = None

    def __str__(self):
        return f"system:{self.name}"


def system(name: str) -> SystemActor:
    return SystemActor(name=name)


@dataclass(frozen=True)
class CitizenActor:
    """A citizen acting without a login (filing, rating, sending documents, cancelling a booking): named by the
    channel they used ("citizen:web", "citizen:open311", "citizen:line"); the service puts the tracking code or
    ticket in the row's data. Not trusted: `portal.access.permissions.require` refuses it like any anonymous user."""

    channel: str
    is_authenticated = False
    is_superuser = False
    is_system_actor = False
    pk = None

    def get_username(self):
        return f"citizen:{self.channel}"

    __str__ = get_username


def citizen(channel: str) -> CitizenActor:
    return CitizenActor(channel=channel)


def is_system(actor) -> bool:
    return actor is None or getattr(actor, "is_system_actor", False)


def person(actor):
    """The user to store on a row's own "by" column (recorded_by, uploaded_by...): None for the system."""
    return None if is_system(actor) or not getattr(actor, "is_authenticated", False) else actor


def actor_name(actor) -> str:
    if actor is None:
        return "system"
    if is_system(actor):
        return str(actor)
    return actor.get_username()


def _organization_id(obj):
    from portal.access.tenancy import organization_id_of

    try:
        return organization_id_of(obj) if hasattr(type(obj), "organization_path") else None
    except Exception:  # a path through a row already deleted: the row is still recorded, untagged
        return None


def _entry(obj, *, actor, event: str, action, changes, data) -> LogEntry:
    from django.contrib.contenttypes.models import ContentType

    from portal.audit import events

    if not events.is_registered(event):
        raise ValueError(f"audit event {event!r} is not registered (portal.audit.events, the app's audit_events)")
    additional = {"organization_id": _organization_id(obj), "event": event, "actor": actor_name(actor)}
    if data:
        additional.update(data)
    return LogEntry(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None, object_repr=str(obj)[:200], action=action,
        changes=changes or {}, actor=person(actor), additional_data=additional)


def record(obj, *, actor, event: str, action=Action.UPDATE, changes: dict | None = None,
           data: dict | None = None) -> LogEntry:
    """Write the audit row of one service write on `obj` (call it inside the service's transaction). `event` is a
    registered name (portal.audit.events); a write with a permission to check is best an
    `portal.audit.actions.AuditedAction`, which calls this."""
    entry = _entry(obj, actor=actor, event=event, action=action, changes=changes, data=data)
    entry.save()
    return entry


def record_many(objs, *, actor, event: str, action=Action.UPDATE, changes: dict | None = None,
                data: dict | None = None) -> None:
    """The same row for each of `objs` (a list of reports shown, rows changed by one `.update()`), in one INSERT."""
    entries = [_entry(obj, actor=actor, event=event, action=action, changes=changes, data=data) for obj in objs]
    for entry in entries:
        redact_secrets(LogEntry, entry)  # bulk_create sends no pre_save
    LogEntry.objects.bulk_create(entries)


def request_context(model, action=Action.CREATE) -> dict:
    """The who and where django-auditlog would put on a row it writes now for `model` (the request's actor, address
    and correlation id; `enabled` False inside auditlog's `disable_auditlog()`), for a row written in raw SQL
    (e-service's single-statement booking). Its own pre_save receivers fill an unsaved entry, as for its rows."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models.signals import pre_save

    entry = LogEntry(content_type_id=ContentType.objects.get_for_model(model).pk, action=action, cid=get_cid())
    pre_save.send(sender=LogEntry, instance=entry, raw=False, using=connection.alias, update_fields=None)
    return {"enabled": not auditlog_disabled.get(), "content_type": entry.content_type_id, "action": entry.action,
            "actor_id": entry.actor_id, "actor_email": entry.actor_email, "remote_addr": entry.remote_addr,
            "remote_port": entry.remote_port, "cid": entry.cid}


def redact_secrets(sender, instance, **kwargs):
    """pre_save of every audit row, whoever writes it (django-auditlog's receivers, `record`, a data migration's
    model): a secret field's values become set/not-set, so the log says that a secret changed, never what it is."""
    from portal.outputs.crypto import REDACTED, redact_changes, secret_field_names

    model = instance.content_type.model_class() if instance.content_type_id else None
    names = secret_field_names(model) if model is not None else frozenset()
    if not names:
        return
    instance.changes = redact_changes(instance.changes, names)
    if instance.changes_text:
        instance.changes_text = ""  # a free-text copy of the diff: nothing in it can be trusted to be clean
    if isinstance(instance.serialized_data, dict) and isinstance(instance.serialized_data.get("fields"), dict):
        fields = instance.serialized_data["fields"]
        for name in names & fields.keys():
            fields[name] = REDACTED if fields[name] else fields[name]
