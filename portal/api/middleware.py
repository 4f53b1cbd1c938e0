"""The API's own middleware."""

from django.urls import is_valid_path


class TrailingSlashMiddleware:
    """An API route asked for without its trailing slash is served as if it had one, where Django's APPEND_SLASH
    would answer 301: a client generated from the schema, or typed by hand, must not have to follow a redirect
    (which drops a POST's body). Pages other than the API keep the redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/api/") and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info, request.path = f"{path}/", f"{request.path}/"
        return self.get_response(request)
