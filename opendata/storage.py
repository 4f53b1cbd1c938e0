"""Where resource files live: the portal's private storage (no public URL); downloads go through the dataset
page, which checks that the dataset is published and counts the download."""

import uuid

from django.utils import timezone


def resource_storage():
    try:
        from portal.files import private_storage
    except ImportError:  # the shared private storage is not on this checkout yet
        from django.conf import settings
        from django.core.files.storage import FileSystemStorage

        root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or settings.BASE_DIR / "var" / "private"
        return FileSystemStorage(location=root, base_url=None)
    return private_storage


def resource_upload_to(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"opendata/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"
