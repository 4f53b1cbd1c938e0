"""The audit trail written by services: one explicit row per write, in the writer's transaction, naming who did it.

    from portal import audit

    @transaction.atomic
    def publish_plan(*, plan, user):
        ...
        audit.record(plan, actor=user, event="innovation_plans.plan.published", changes={"status": [old, new]})

django-auditlog (registered models) records field changes made by `save()` and takes the request's user from its
middleware. It sees nothing of `.update()` and bulk writes, and has no user in a Celery task or a management
command. A service therefore writes its own row, whatever way it changed the data:

- `actor` is the user a request passed down (`user=request.user`), or a `SystemActor` naming the task or command
  (`audit.system("command:import_plan")`); `None` is an unnamed system write and is recorded as "system".
- `event` names what happened ("<app>.<thing>.<verb>"), so the trail can be read without diffing fields.
- The row carries the organization of `obj` (see portal.models.AuditTaggedByOrganization), so staff see it in
  their own organization's audit list (portal.admin.ScopedLogEntryAdmin).

Rows go through `LogEntry.objects.create` in the caller's transaction: if the write rolls back, so does its row.
"""

from dataclasses import dataclass

from auditlog.models import LogEntry

Action = LogEntry.Action


@dataclass(frozen=True)
class SystemActor:
    """Who did a write that no person made: a Celery task, a management command, the demo loader.

    Services accept it wherever they take `user=`; it passes `portal.permissions.require` (the system is trusted)
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
    from .tenancy import organization_id_of

    try:
        return organization_id_of(obj) if hasattr(type(obj), "organization_path") else None
    except Exception:  # a path through a row already deleted: the row is still recorded, untagged
        return None


def record(obj, *, actor, event: str, action=Action.UPDATE, changes: dict | None = None,
           data: dict | None = None) -> LogEntry:
    """Write the audit row of one service write on `obj` (call it inside the service's transaction)."""
    from django.contrib.contenttypes.models import ContentType

    additional = {"organization_id": _organization_id(obj), "event": event, "actor": actor_name(actor)}
    if data:
        additional.update(data)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None, object_repr=str(obj)[:200], action=action,
        changes=changes or {}, actor=person(actor), additional_data=additional)


def rows_for(obj, event: str | None = None):
    """The explicit service rows written for `obj` (newest first), optionally of one event."""
    from django.contrib.contenttypes.models import ContentType

    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk),
                                   additional_data__has_key="event")
    if event is not None:
        rows = rows.filter(additional_data__event=event)
    return rows.order_by("-timestamp", "-pk")
