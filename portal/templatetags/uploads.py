from django import template

from portal.inputs.uploads import max_upload_bytes

register = template.Library()


@register.simple_tag
def upload_limit_mb():
    """{% upload_limit_mb as mb %}: the one upload size limit in whole MB, for the hint beside a file field."""
    return max_upload_bytes() // (1024 * 1024)
