"""The whole life of one image through the API and the pipeline, in moto.

POST /images, upload with the presigned POST, the image processor on S3's ObjectCreated event,
GET the image and its renditions, find it in the listing, DELETE it, DELETE it again.

moto's in-process mock answers ``requests`` as well as boto3, so the upload is a real multipart
POST of the returned fields and the renditions are fetched through their presigned URLs. moto
enforces none of a POST policy or signature: test_uploads.py asserts the policy itself.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from emulated_aws.api_gateway import USER, delete_image, get_image, list_images, post_images, upload_request
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS
from handlers.key_layout import rendition_prefix
from tests.api.api_deployment import call, is_tombstone_of, item, versions
from tests.handler import images
from tests.handler.deployment import PROCESSED_BUCKET, UPLOAD_BUCKET, Deployment, Upload

SIGNATURES = {"jpeg": b"\xff\xd8\xff", "webp": b"RIFF"}


@dataclass(frozen=True)
class Uploaded:
    image_id: str
    key: str


def upload_through_the_api(aws: Deployment, data: bytes, file_name: str = "photo.jpg") -> Uploaded:
    """POST /images, then POST the file to S3 with the returned form fields, as a browser would."""
    answer = call(post_images(upload_request(file_name, "image/jpeg", len(data))))
    assert answer.status == 201
    upload = answer.body["upload"]
    response = requests.post(
        upload["url"], data=upload["fields"], files={"file": (file_name, data, "image/jpeg")}, timeout=10
    )
    assert response.status_code == 204, response.text
    return Uploaded(answer.body["image_id"], upload["fields"]["key"])


def process(aws: Deployment, key: str) -> None:
    """The image processor on the ObjectCreated event S3 would send for the object now at ``key``."""
    head = aws.s3.head_object(Bucket=UPLOAD_BUCKET, Key=key)
    upload = Upload(key, head["VersionId"], head["ContentLength"], aws.sequencers.next(), datetime.now(UTC))
    aws.invoke(upload.event())


def download(url: str) -> bytes:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    return response.content


def test_image_goes_from_upload_to_renditions_to_nothing(aws: Deployment) -> None:
    # GIVEN a photo uploaded through the API's presigned POST
    data = images.jpeg((1200, 600))
    uploaded = upload_through_the_api(aws, data)
    stored = aws.s3.head_object(Bucket=UPLOAD_BUCKET, Key=uploaded.key)
    assert (stored["ContentType"], stored["ContentLength"]) == ("image/jpeg", len(data))

    # WHEN the pipeline processes it
    process(aws, uploaded.key)

    # THEN GET /images/{id} shows it completed, with renditions that download through their URLs
    detail = call(get_image(uploaded.image_id))
    assert detail.status == 200
    body: dict[str, Any] = detail.body
    assert (body["image_id"], body["file_name"], body["status"]) == (uploaded.image_id, "photo.jpg", "completed")
    assert (body["width"], body["height"], body["size_bytes"], body["format"]) == (1200, 600, len(data), "JPEG")
    assert body["renditions"]
    assert body["fingerprint"] == rendering_fingerprint(DEFAULT_RENDITIONS)  # what made them: the defaults
    for rendition in body["renditions"]:
        content = download(rendition["url"])
        assert len(content) == rendition["bytes"]
        assert content.startswith(SIGNATURES[rendition["format"]])

    # AND the listing holds it, as the same summary
    listed = call(list_images()).body["images"]
    summary = {k: v for k, v in body.items() if k not in ("reason", "fingerprint", "renditions")}
    assert listed == [summary]

    # WHEN its owner deletes it
    assert call(delete_image(uploaded.image_id)).status == 204

    # THEN no version of the original, no rendition and no image item is left (only its tombstone), and
    # the listing is empty
    assert versions(aws, UPLOAD_BUCKET, uploaded.key) == []
    assert versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, uploaded.image_id)) == []
    assert is_tombstone_of(item(aws, uploaded.image_id))
    assert call(list_images()).body == {"images": [], "cursor": None}
    assert call(get_image(uploaded.image_id)).status == 404

    # AND deleting it again is harmless
    assert call(delete_image(uploaded.image_id)).status == 204
