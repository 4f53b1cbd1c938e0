import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Notification tasks live in a sub-package, not portal/tasks.py.
app.autodiscover_tasks(["portal.notifications"])
# Background jobs (portal.machinery.jobs): the runner and the sweep.
app.autodiscover_tasks(["portal.machinery"], related_name="jobs")
# The sweep of files kept across form errors (portal.inputs.tempuploads).
app.autodiscover_tasks(["portal.inputs"], related_name="tempuploads")
