"""Fetching the file a GeoReport client names by URL (`media_url`, or an attribute that takes a file's URL).

The portal downloads it once, while the request is filed, and the service app checks it as it checks an upload
(type by content, size, pixels). What cannot be fetched is refused with a 400 that says why; nothing is dropped
silently. The fetch is bounded: http(s) only, a connect and a read timeout, an overall deadline, the upload size
limit (Content-Length is judged before the body is read), at most three redirects, and addresses outside the public
internet (loopback, private networks, link-local ...) are refused unless OPEN311_MEDIA_ALLOW_PRIVATE is set, so a
client cannot make the portal reach into its own network. The address checked is the one connected to.
"""

import ipaddress
import os
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

MAX_REDIRECTS = 3


class MediaError(Exception):
    """Why a file could not be fetched (English, as the GeoReport error descriptions are)."""


def _limits():
    return (settings.OPEN311_MEDIA_TIMEOUT, settings.OPEN311_MEDIA_DEADLINE, settings.UPLOAD_MAX_BYTES,
            settings.OPEN311_MEDIA_ALLOW_PRIVATE)


def _address(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise MediaError(f"cannot resolve host {host!r}") from exc
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not allow_private and not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise MediaError(f"host {host!r} is not on the public internet")
    return addresses[0]


def _open(url: str, timeout: float, allow_private: bool):
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 (a malformed IPv6 host raises here)
    except ValueError as exc:
        raise MediaError("is not a valid URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaError("must be an http or https URL")
    if parts.username or parts.password:
        raise MediaError("must not carry a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise MediaError("has an invalid port") from exc
    address = _address(parts.hostname, port, allow_private)
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        # Connect to the address checked above, verify the certificate for the name in the URL.
        pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=parts.hostname,
                                           assert_hostname=parts.hostname, cert_reqs="CERT_REQUIRED", **options)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rsplit("@", 1)[-1]
    try:
        return pool.urlopen("GET", target, headers={"Host": host, "User-Agent": "thai-local-portal-open311"},
                            redirect=False, preload_content=False)
    except (urllib3.exceptions.HTTPError, ValueError, OSError) as exc:
        raise MediaError(f"could not be fetched ({type(exc).__name__})") from exc


def fetch(url: str) -> SimpleUploadedFile:
    """The file at `url` as an upload (not yet checked: the caller checks it as its uploads). Raises MediaError."""
    timeout, deadline_seconds, max_bytes, allow_private = _limits()
    deadline = time.monotonic() + deadline_seconds
    url = (url or "").strip()
    for _hop in range(MAX_REDIRECTS + 1):
        response = _open(url, timeout, allow_private)
        if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
            response.release_conn()
            url = urljoin(url, response.headers["Location"])
            continue
        break
    else:
        raise MediaError(f"more than {MAX_REDIRECTS} redirects")
    try:
        if response.status != 200:
            raise MediaError(f"answered HTTP {response.status}")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise MediaError(f"is larger than {max_bytes // (1024 * 1024)} MB")
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise MediaError(f"took longer than {deadline_seconds:.0f} seconds")
            try:
                chunk = response.read(64 * 1024)
            except urllib3.exceptions.HTTPError as exc:
                raise MediaError(f"could not be read ({type(exc).__name__})") from exc
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise MediaError(f"is larger than {max_bytes // (1024 * 1024)} MB")
            chunks.append(chunk)
    finally:
        response.release_conn()
    if not size:
        raise MediaError("is empty")
    name = os.path.basename(urlsplit(url).path) or "media"
    return SimpleUploadedFile(name[:100], b"".join(chunks),
                              content_type=response.headers.get("Content-Type", "application/octet-stream"))
