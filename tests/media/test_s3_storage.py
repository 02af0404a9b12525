"""Uploads on S3-compatible storage: a local S3 server on 127.0.0.1 stands in for the real one."""

import io

import boto3
import pytest
from django.core.files.images import ImageFile
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images.views.serve import generate_image_url

from media.models import HubImage

BUCKET = "hub-media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_images_and_renditions_live_in_the_bucket_and_are_served_from_it(client, s3):
    image = HubImage.objects.create(title="Trạm y tế", file=ImageFile(io.BytesIO(_png()), name="tram.png"))

    response = client.get(generate_image_url(image, "fill-160x100"))

    served = PILImage.open(io.BytesIO(b"".join(response.streaming_content)))
    assert response.status_code == 200 and served.size == (160, 100)
    assert f"original_images/{image.file.name.split('/')[-1]}" in keys(s3)
    assert [key for key in keys(s3) if key.startswith("images/") and "fill-160x100" in key]


@pytest.mark.django_db
def test_the_same_name_uploaded_twice_never_overwrites(s3):
    first = HubImage.objects.create(title="Một", file=ImageFile(io.BytesIO(_png()), name="anh.png"))
    second = HubImage.objects.create(title="Hai", file=ImageFile(io.BytesIO(_png()), name="anh.png"))

    assert first.file.name != second.file.name
    assert len([key for key in keys(s3) if key.startswith("original_images/anh")]) == 2
