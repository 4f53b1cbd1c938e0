"""The WSGI start-up (what gunicorn loads in each worker) imports every view, compiles every template and leaves the
objects it made frozen out of the garbage collector's sight: a full collection of the 150,000 objects of Django,
the apps and their templates paused a request for 20-100 ms every few requests (BENCHMARKS.md, "Pauses of the
garbage collector")."""

import os
import subprocess
import sys

from django.conf import settings

CHECK = (
    "import gc, sys\n"
    "import portal.wsgi\n"
    "import portal.web.views  # a view module: imported at start-up with the URL conf\n"
    "from django.template import engines\n"
    "frozen = gc.get_freeze_count()\n"
    "compiled = len(engines['django'].engine.template_loaders[0].get_template_cache)\n"
    "print(frozen, sum(1 for o in gc.get_objects()), compiled)\n"
)


FERNET_KEY = "c3RhcnQtdXAtdGVzdC1vbmx5LWtleS1uby1kYXRhISE="


def test_the_wsgi_module_freezes_what_start_up_made():
    # production mode, as gunicorn runs it (the cached template loader; throwaway keys)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "0",
           "SECRET_KEY": "start-up-test-only-0123456789abcdefghijklmnopqrstuvwxyz", "ALLOWED_HOSTS": "localhost",
           "PERSONAL_ID_HASH_KEY": "start-up-test-only", "FIELD_ENCRYPTION_KEYS": FERNET_KEY}
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.split()
    frozen, still_seen, compiled = (int(n) for n in out)
    assert frozen > 100_000, "Django, the apps, every view module and the compiled templates"
    assert compiled > 200, "every template compiled at start-up, not by the first requests"
    assert still_seen < frozen // 10, "what the collector still scans is a small remainder"
