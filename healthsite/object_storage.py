"""Where uploaded files are kept: the local media folder, or an S3-compatible bucket.

One machine keeps them in MEDIA_ROOT, served by nginx (deploy/nginx/healthsite.conf). Past
one machine every app server must see the same files, so setting AWS_STORAGE_BUCKET_NAME
switches Django's default storage to django-storages' S3 backend (AWS S3, MinIO, Cloudflare
R2, DigitalOcean Spaces...). The variables are listed in docs/settings.md.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Uploaded names are random (uuid4) and never overwritten, but nothing stops a file being
# put back under its old name (a restore from an older backup): a day, not "immutable".
MEDIA_CACHE_CONTROL = "public, max-age=86400"


def media_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """STORAGES["default"] for the environment: a bucket when AWS_STORAGE_BUCKET_NAME is
    set, else the media folder."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return FILE_SYSTEM
    access_key = environ.get("AWS_ACCESS_KEY_ID", "")
    secret_key = environ.get("AWS_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        # Without both, boto3 would quietly look for other credentials (an instance role).
        missing = "AWS_SECRET_ACCESS_KEY" if access_key else "AWS_ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"{missing} is not set: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
            "neither to use the machine's own credentials (an instance role)."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            # A CDN or the bucket's public host name; page URLs point there.
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Pages link to files by plain URLs, which the page cache and a CDN can keep:
            # the bucket lets anyone read (docs/scaling.md), so no signed, expiring links.
            "querystring_auth": False,
            "default_acl": None,
            # As on the local disk: a name already taken gets a suffix, never overwritten.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
