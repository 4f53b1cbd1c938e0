from django import template
from django.core.exceptions import DisallowedHost
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_link(context):
    """<link rel="canonical"> on the host the citizen used: the organization's own host name, or the shared host
    with /<slug>/ (portal.web.hosts). Nothing on the 400 page of a host nobody registered."""
    request = context.get("request")
    if request is None:
        return ""
    try:
        return format_html('<link rel="canonical" href="{}">', request.build_absolute_uri(request.path))
    except DisallowedHost:
        return ""
