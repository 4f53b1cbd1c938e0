import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _templates():
    """The names of every template the engine's loaders can find (the project's, the apps', the admin's)."""
    from pathlib import Path

    from django.template import engines

    names = set()
    for loader in engines["django"].engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for folder in inner.get_dirs():
                names.update(str(path.relative_to(folder)) for path in Path(folder).rglob("*.html"))
    return sorted(names)


def _freeze_start_up() -> None:
    """What start-up loaded lives as long as the process: moved out of the garbage collector's sight, so a full
    collection (every few requests on a busy page) scans what requests made, not the 150,000 objects of Django, the
    apps and their compiled templates; each one paused a request for 20-100 ms before (BENCHMARKS.md, "Pauses of
    the garbage collector")."""
    import gc

    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module now, not during the first requests)
    if not settings.DEBUG:  # the cached loader keeps them (about 230 templates, 0.2 s once per worker)
        for name in _templates():
            try:
                engines["django"].get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment only valid where it is included
                pass
    gc.collect()
    gc.freeze()


_freeze_start_up()
