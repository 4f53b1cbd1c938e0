from django import template

from portal import registry

register = template.Library()


@register.inclusion_tag("admin/staff_notices.html", takes_context=True)
def staff_notices(context):
    """What needs the staff member's attention across the service apps (the admin index)."""
    request = context.get("request")
    return {"notices": registry.staff_notices(request) if request is not None else []}


@register.inclusion_tag("admin/staff_home.html", takes_context=True)
def staff_home(context):
    """Each role's own work on the admin index: its queue, its reports, its set-up checklist."""
    request = context.get("request")
    return {"panels": registry.staff_home(request) if request is not None else []}
