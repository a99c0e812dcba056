"""What every hostile request's answer is checked for, and the data of another user it must not touch.

Used by tests/api/test_hostile_requests.py: the exact status, the documented error shape with the
status's own code, a body that stays small, and the other user's object versions and items, compared
after each request with what they were before the first.
"""

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from emulated_aws.api_gateway import OTHER_USER
from handlers import contract
from handlers.api.errors import ApiError
from handlers.api.identity import MAX_USER_ID_CHARS
from handlers.api.uploads import MAX_FILE_NAME_CHARS, MAX_KEY_BYTES
from tests.api.api_deployment import Answer, SeededImage, call, seed_image, versions
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment

# Every 4xx the API answers, by status: the code its body carries (handlers.api.errors).
ERROR_CODES: Final = {cls.status: cls.code for cls in ApiError.__subclasses__()}
# "A few KB" at most for any error body, whatever the request (tests/api/test_bounded_answers.py).
BODY_LIMIT_BYTES: Final = 2048
# The characters a name may not hold, restated from Unicode's categories (the API reads a table).
REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def answer_to(event: object) -> Answer:
    """The API's answer, checked for what every answer owes: an error's shape, code and size."""
    answer = call(event)
    if answer.status >= 400:
        assert isinstance(answer.body, dict) and set(answer.body) == {"error", "message"}, answer.body
        assert isinstance(answer.body["message"], str)
        expected_code = ERROR_CODES.get(answer.status, "internal")
        assert answer.body["error"] == expected_code, answer.body
        assert len(answer.raw["body"].encode("utf-8")) <= BODY_LIMIT_BYTES
    return answer


@dataclass(frozen=True)
class OtherUser:
    """Another user's images, and what of theirs existed once they were seeded (every version, marker, item)."""

    images: tuple[SeededImage, ...]
    seeded: tuple[Any, ...]

    @classmethod
    def seed(cls, aws: Deployment) -> "OtherUser":
        images = tuple(seed_image(aws, f"theirs-{n}.jpg", user=OTHER_USER, upload_id=f"up{n}") for n in range(2))
        return cls(images, snapshot(aws, images))

    def assert_untouched(self, aws: Deployment) -> None:
        """Nothing of theirs changed since they were seeded (so since before any request of a test)."""
        assert snapshot(aws, self.images) == self.seeded


def snapshot(aws: Deployment, images: tuple[SeededImage, ...]) -> tuple[Any, ...]:
    """Every version and delete marker under the other user's prefixes, and each of their items."""
    uploads = versions(aws, UPLOAD_BUCKET, f"{contract.UPLOAD_PREFIX}{OTHER_USER}/")
    renditions = versions(aws, PROCESSED_BUCKET, f"{contract.RENDITION_PREFIX}{OTHER_USER}/")
    items = aws.dynamodb.batch_get_item(
        RequestItems={
            TABLE: {
                "Keys": [{contract.TABLE_HASH_KEY: {"S": image.image_id}} for image in images],
                "ConsistentRead": True,
            }
        }
    )["Responses"][TABLE]
    by_id = sorted(json.dumps(item, sort_keys=True) for item in items)
    return uploads, renditions, by_id


def file_name_is_acceptable(name: str, user: str) -> bool:
    """The file name rule, restated from its parts: length, no path, plain text, the key's size."""
    if not 0 < len(name) <= MAX_FILE_NAME_CHARS or name in (".", "..") or "/" in name or "\\" in name:
        return False
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in name) or "${filename}" in name:
        return False
    key = f"{contract.UPLOAD_PREFIX}{user}/{'0' * 32}/{name}"
    return len(key.encode("utf-8")) <= MAX_KEY_BYTES


def user_id_is_acceptable(value: object) -> bool:
    """The sub rule, restated: one plain-text key part of at most 128 characters."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_USER_ID_CHARS or value in (".", ".."):
        return False
    return "/" not in value and not any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in value)
