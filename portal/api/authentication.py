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
