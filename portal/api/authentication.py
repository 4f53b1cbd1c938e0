"""The API's HTTP Basic login (DEFAULT_AUTHENTICATION_CLASSES). In its own module: DRF imports it while it is still
loading its views."""

from rest_framework import authentication, exceptions


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's, except that a username or password with a NUL is a wrong login (401): PostgreSQL refuses NUL in a
    query, so looking it up (the lockout check, then the user) would be a 500. Forms refuse NUL the same way
    (portal.web.middleware.TextInputMiddleware); a header does not pass through them."""

    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed()
        return super().authenticate_credentials(userid, password, request)


def axes_lockout_parameters(request_or_attempt, credentials=None):
    """django-axes' AXES_LOCKOUT_PARAMETERS: what a login failure is counted against.

    Always the pair (username, client address), the address as `portal.inputs.ratelimit.client_ip` reads it behind
    TRUSTED_PROXY_DEPTH proxies (AXES_CLIENT_IP_CALLABLE). From an address that never signed in as this user,
    also the username alone, so guessing one password from many addresses is bounded too. From an address that
    signed in as this user before (axes' AccessLog), only the pair: a flood from elsewhere never locks the
    user out where they usually work."""
    from axes.helpers import get_client_username
    from axes.models import AccessBase, AccessLog

    if isinstance(request_or_attempt, AccessBase):
        username, address = request_or_attempt.username, request_or_attempt.ip_address
    else:
        username = get_client_username(request_or_attempt, credentials)
        address = getattr(request_or_attempt, "axes_ip_address", None)
    pair = ["username", "ip_address"]
    if not username or not address or AccessLog.objects.filter(username=username, ip_address=address).exists():
        return [pair]
    return [pair, "username"]
