"""An S3-compatible server for the tests: moto's server mode, in a thread on a free port.

The site talks to it through django-storages and boto3 over HTTP, exactly as it would to a
bucket elsewhere; a test (or a process it starts) points at it with the same environment
variables production sets (healthsite/object_storage.py)."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped]  # no type hints, nor stubs pinned here
import pytest
from moto.server import ThreadedMotoServer

from healthsite.object_storage import media_storage

REGION = "eu-west-2"


@dataclass
class Bucket:
    name: str
    env: dict[str, str]
    client: Any

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> Bucket:
    """A new, empty bucket, and the environment that points the site at it."""
    name = f"healthsite-{uuid.uuid4().hex[:12]}"
    env = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "healthsite-test",
        "AWS_SECRET_ACCESS_KEY": "healthsite-test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    # Anyone may read, as docs/scaling.md sets the bucket up: pages link to plain URLs.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    return Bucket(name=name, env=env, client=client)


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


@pytest.fixture
def s3_bucket(s3_endpoint: str, settings: Any) -> Bucket:
    """A new bucket, made the site's default storage as AWS_STORAGE_BUCKET_NAME makes it."""
    bucket = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(bucket.env)}
    return bucket
