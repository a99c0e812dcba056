"""Which originals a job re-renders, read from the metadata table page by page (moto's DynamoDB)."""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from handlers import contract
from handlers.contract import ImageStatus
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS
from reprocess.selection import Original, select
from tests.handler import images
from tests.handler.deployment import TABLE, UPLOAD_BUCKET, Deployment

CURRENT = rendering_fingerprint(DEFAULT_RENDITIONS)


@pytest.fixture
def table(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Items of every kind, by file name -> version id: current, stale (other renditions), rejected, failed,
    and one of another user."""
    versions = {}
    for name in ("current.jpg", "broken.jpg"):
        upload = aws.upload(name, images.jpeg((400, 300)) if name == "current.jpg" else images.truncated_jpeg())
        aws.invoke(upload.event())
        versions[name] = upload.version_id
    other = aws.upload("theirs.jpg", images.jpeg((400, 300)), user="someone-else")
    aws.invoke(other.event())
    versions["theirs.jpg"] = other.version_id
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps([{"name": "thumbnail", "width": 150, "height": 150}]))
    stale = aws.upload("stale.jpg", images.jpeg((400, 300)))
    aws.invoke(stale.event())
    versions["stale.jpg"] = stale.version_id
    failed = aws.upload("failed.jpg", images.jpeg((400, 300)))
    aws.dynamodb.update_item(
        TableName=TABLE,
        Key={contract.TABLE_HASH_KEY: {"S": failed.image_id}},
        UpdateExpression="SET #s = :s, source_bucket = :b, source_key = :k, source_version_id = :v",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":s": {"S": ImageStatus.FAILED.value},
            ":b": {"S": UPLOAD_BUCKET},
            ":k": {"S": failed.key},
            ":v": {"S": failed.version_id},
        },
    )
    versions["failed.jpg"] = failed.version_id
    return versions


def keys(originals: tuple[Original, ...]) -> list[str]:
    return [o.key.rsplit("/", 1)[1] for o in originals]


def test_a_full_run_takes_the_recorded_version_of_every_original(aws: Deployment, table: dict[str, str]) -> None:
    selection = select(aws.dynamodb, TABLE, fingerprint=CURRENT)
    # in key order (uploads/someone-else/ before uploads/user-42/): the same table, the same manifest
    assert keys(selection.originals) == ["theirs.jpg", "broken.jpg", "current.jpg", "failed.jpg", "stale.jpg"]
    assert {o.key.rsplit("/", 1)[1]: o.version_id for o in selection.originals} == table
    assert {o.bucket for o in selection.originals} == {UPLOAD_BUCKET}
    # the current ones are counted as such: the function answers them in one read, without writing
    assert (selection.items, selection.current, selection.left_out) == (5, 2, {})


def test_stale_only_leaves_out_current_images_and_rejected_uploads(aws: Deployment, table: dict[str, str]) -> None:
    selection = select(aws.dynamodb, TABLE, fingerprint=CURRENT, stale_only=True)
    assert keys(selection.originals) == ["failed.jpg", "stale.jpg"]
    assert selection.left_out == {"completed": 2, "rejected": 1}


def test_one_users_images_are_read_through_the_user_index(aws: Deployment, table: dict[str, str]) -> None:
    stale = rendering_fingerprint(())  # nothing is current under it
    selection = select(aws.dynamodb, TABLE, fingerprint=stale, user="someone-else")
    assert keys(selection.originals) == ["theirs.jpg"]


class SmallPages:
    """A DynamoDB client whose paginators ask for two items a page, and that counts the pages read."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.pages: list[int] = []

    def get_paginator(self, operation: str) -> Any:
        real, pages = self._client.get_paginator(operation), self.pages

        class Paginator:
            def paginate(self, **request: Any) -> Iterator[dict[str, Any]]:
                for page in real.paginate(**request, PaginationConfig={"PageSize": 2}):
                    pages.append(len(page["Items"]))
                    yield page

        return Paginator()


def test_every_page_of_the_table_is_read(aws: Deployment) -> None:
    # GIVEN seven items, and pages of two
    for n in range(7):
        aws.invoke(aws.upload(f"{n}.jpg", images.jpeg((64, 48))).event())
    client = SmallPages(aws.dynamodb)
    # WHEN every item is selected
    selection = select(client, TABLE, fingerprint="another")
    # THEN all seven are, from four pages
    assert len(selection.originals) == 7
    assert client.pages == [2, 2, 2, 1]
