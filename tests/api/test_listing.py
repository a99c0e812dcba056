"""GET /images: the caller's images, newest first, a page at a time, and nobody else's."""

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

from emulated_aws.api_gateway import OTHER_USER, USER, list_images
from handlers.contract import ImageStatus
from tests.api.api_deployment import FIRST_UPLOAD, SeededImage, call, seed_image
from tests.handler.deployment import Deployment

SUMMARY_FIELDS = {"image_id", "file_name", "status", "uploaded_at", "size_bytes", "format", "width", "height"}


def seed_many(aws: Deployment, count: int, user: str = USER) -> list[SeededImage]:
    """``count`` images uploaded a minute apart, oldest first."""
    return [
        seed_image(aws, f"photo-{n}.jpg", user=user, uploaded_at=FIRST_UPLOAD + timedelta(minutes=n), versions=1)
        for n in range(count)
    ]


def every_page(limit: int, user: str = USER) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    query = {"limit": str(limit)}
    while True:
        answer = call(list_images(user=user, query=query))
        assert answer.status == 200
        pages.append(answer.body)
        if answer.body["cursor"] is None:
            return pages
        query = {"limit": str(limit), "cursor": answer.body["cursor"]}


def test_caller_without_images_gets_an_empty_list(aws: Deployment) -> None:
    answer = call(list_images())
    assert (answer.status, answer.body) == (200, {"images": [], "cursor": None})


def test_images_are_listed_newest_first_as_summaries(aws: Deployment) -> None:
    # GIVEN three images uploaded a minute apart
    seeded = seed_many(aws, 3)
    # WHEN the caller lists them
    answer = call(list_images())
    # THEN the newest comes first, each as the summary shape
    assert [i["image_id"] for i in answer.body["images"]] == [s.image_id for s in reversed(seeded)]
    newest = answer.body["images"][0]
    assert newest == {
        "image_id": seeded[2].image_id,
        "file_name": "photo-2.jpg",
        "status": "completed",
        "uploaded_at": seeded[2].uploaded_at,
        "size_bytes": 123_456,
        "format": "JPEG",
        "width": 2400,
        "height": 1200,
    }
    assert answer.body["cursor"] is None


def test_attributes_an_item_lacks_are_null_in_its_summary(aws: Deployment) -> None:
    # GIVEN an upload whose processing failed (no format, no dimensions)
    seed_image(aws, status=ImageStatus.FAILED)
    (summary,) = call(list_images()).body["images"]
    assert set(summary) == SUMMARY_FIELDS
    assert (summary["status"], summary["format"], summary["width"], summary["height"]) == ("failed", None, None, None)


def test_five_images_in_pages_of_two_are_three_pages_newest_first_without_duplicates(aws: Deployment) -> None:
    # GIVEN five images
    seeded = seed_many(aws, 5)
    # WHEN the caller pages through them two at a time
    pages = every_page(limit=2)
    # THEN three pages of 2, 2 and 1, newest first, each image once, and the last page has no cursor
    assert [len(p["images"]) for p in pages] == [2, 2, 1]
    listed = [i["image_id"] for p in pages for i in p["images"]]
    assert listed == [s.image_id for s in reversed(seeded)]
    assert [p["cursor"] is None for p in pages] == [False, False, True]


def test_default_page_is_twenty_images(aws: Deployment) -> None:
    seed_many(aws, 21)
    answer = call(list_images())
    assert len(answer.body["images"]) == 20
    assert answer.body["cursor"] is not None


def test_limit_of_one_hundred_is_allowed(aws: Deployment) -> None:
    seed_many(aws, 2)
    assert len(call(list_images(query={"limit": "100"})).body["images"]) == 2


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "2.5", "", " 5", "1e2"])
def test_limit_that_is_not_a_whole_number_from_1_to_100_is_400(aws: Deployment, limit: str) -> None:
    answer = call(list_images(query={"limit": limit}))
    assert (answer.status, answer.error) == (400, "bad_request")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "",
        "bm90IGpzb24",  # "not json"
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(json.dumps({"image_id": {"S": "x"}}).encode()).decode(),
        "A" * 4096,
    ],
    ids=["spaces", "empty", "not-json", "not-an-object", "wrong-keys", "too-long"],
)
def test_cursor_that_does_not_decode_is_400(aws: Deployment, cursor: str) -> None:
    answer = call(list_images(query={"cursor": cursor}))
    assert (answer.status, answer.error) == (400, "bad_request")


def test_another_users_cursor_is_400(aws: Deployment) -> None:
    # GIVEN user-77's cursor into their own listing
    seed_many(aws, 3, user=OTHER_USER)
    their_cursor = call(list_images(user=OTHER_USER, query={"limit": "1"})).body["cursor"]
    assert their_cursor is not None
    # WHEN user-42 presents it
    answer = call(list_images(query={"limit": "1", "cursor": their_cursor}))
    # THEN it is refused, not used to continue user-77's listing
    assert (answer.status, answer.error) == (400, "bad_request")


def test_a_cursor_rewritten_to_name_the_caller_lists_only_the_callers_images(aws: Deployment) -> None:
    # GIVEN user-77's cursor with its user id rewritten to user-42's
    seed_many(aws, 3, user=OTHER_USER)
    mine = seed_many(aws, 2)
    cursor = call(list_images(user=OTHER_USER, query={"limit": "1"})).body["cursor"]
    start = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    start["user_id"] = {"S": USER}
    forged = base64.urlsafe_b64encode(json.dumps(start).encode()).decode().rstrip("=")
    # WHEN user-42 pages on from it
    answer = call(list_images(query={"cursor": forged}))
    # THEN only user-42's images can ever come back (the key condition is the caller's sub)
    assert answer.status == 200
    assert {i["image_id"] for i in answer.body["images"]} <= {s.image_id for s in mine}


def test_listing_shows_only_the_callers_images(aws: Deployment) -> None:
    # GIVEN images of two users
    mine = seed_many(aws, 2)
    seed_many(aws, 3, user=OTHER_USER)
    # WHEN user-42 lists
    listed = [i["image_id"] for i in call(list_images()).body["images"]]
    # THEN only theirs
    assert sorted(listed) == sorted(s.image_id for s in mine)
