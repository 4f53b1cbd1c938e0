import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _freeze_start_up() -> None:
    """What start-up loaded lives as long as the process: moved out of the garbage collector's sight, so a full
    collection (every few requests on a busy page) scans what requests made, not the 150,000 objects of Django and
    the apps; each one paused a request for about 100 ms before (BENCHMARKS.md, "Pauses of the garbage collector")."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module now, not during the first requests)
    gc.collect()
    gc.freeze()


_freeze_start_up()
