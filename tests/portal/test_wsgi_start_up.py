"""The WSGI start-up (what gunicorn loads in each worker) leaves the objects it made frozen out of the garbage
collector's sight: a full collection of the 150,000 objects of Django and the apps paused a request for about
100 ms every few requests (BENCHMARKS.md, "Pauses of the garbage collector")."""

import os
import subprocess
import sys

from django.conf import settings

CHECK = (
    "import gc, sys\n"
    "import portal.wsgi\n"
    "import portal.web.views  # a view module: imported at start-up with the URL conf\n"
    "frozen = gc.get_freeze_count()\n"
    "print(frozen, sum(1 for o in gc.get_objects()))\n"
)


def test_the_wsgi_module_freezes_what_start_up_made():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.split()
    frozen, still_seen = int(out[0]), int(out[1])
    assert frozen > 50_000, "Django, the apps and every view module"
    assert still_seen < frozen // 10, "what the collector still scans is a small remainder"
