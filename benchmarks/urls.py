"""Portal URLs plus `/__bare/...` baselines: plain Django views doing the least the real page must do."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

_BODY = None


def bare_same_bytes(request):
    """Returns the bytes the organization home page returned, with no template, query or session work."""
    global _BODY
    if _BODY is None:
        _BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
    return HttpResponse(_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bare/same-bytes", bare_same_bytes)] + portal_urlpatterns
