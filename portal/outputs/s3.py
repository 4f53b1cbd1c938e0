"""S3-compatible object storage (MinIO, a Thai cloud's S3, Amazon S3) through django-storages, for the files every
web node and worker must see alike. Used only when settings name the buckets (AWS_STORAGE_BUCKET_NAME and
AWS_PRIVATE_BUCKET_NAME, see portal/settings.py and the README); the embedded default never imports this module.

- `PublicS3Storage` (STORAGES["default"]): public media (organization logos, citizens' complaint photos). Objects
  are read by anyone through MEDIA_URL: the front proxy's /media/ (docker-compose.yml's nginx) or the public
  address of the bucket. The bucket allows anonymous GetObject and nothing else.
- `PrivateS3Storage` (STORAGES["private"], behind portal.outputs.files.private_storage): a bucket with no public
  access at all. A private object is read through the portal's permission-checked views, which stream it or
  answer with a presigned URL that expires after PRIVATE_FILES_URL_SECONDS (settings.PRIVATE_FILES_SERVE).
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PublicS3Storage(S3Storage):
    """Public media in the public bucket; URLs under MEDIA_URL, never signed (they go into public pages)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(self._normalize_name(clean_name(name)))


class PrivateS3Storage(S3Storage):
    """Private files in the private bucket. `url()` is refused like the local folder's: a link to a private file
    is made only by `signed_url`, after a view checked the permission."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("private files have no URL; serve them with portal.outputs.files.serve_private")

    def signed_url(self, name, *, seconds: int, response_headers: dict) -> str:
        return super().url(name, parameters=dict(response_headers), expire=seconds)

    def delete_older_than(self, root: str, cutoff: float) -> int:
        """Delete the objects under `root/` last modified before `cutoff` (a Unix time), from the listing's dates
        (no request per object but the delete)."""
        prefix = self._normalize_name(clean_name(root)).rstrip("/") + "/"
        stale = [{"Key": item.key} for item in self.bucket.objects.filter(Prefix=prefix)
                 if item.last_modified.timestamp() < cutoff]
        for start in range(0, len(stale), 1000):  # DeleteObjects takes at most 1,000 keys
            self.bucket.delete_objects(Delete={"Objects": stale[start:start + 1000], "Quiet": True})
        return len(stale)
