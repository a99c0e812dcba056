"""Names derived from the upload key: the item's id, the upload's owner, rendition keys."""

import pytest

from handlers.edge.events import normalize_sequencer
from handlers.edge.keys import InvalidUploadKey, UploadKey, image_id_for, parse_upload_key, version_token


def test_upload_key_names_user_and_file() -> None:
    assert parse_upload_key("uploads/user-42/summer holiday+1.jpg") == UploadKey("user-42", "summer holiday+1.jpg")


@pytest.mark.parametrize(
    "key", ["uploads/photo.jpg", "uploads//photo.jpg", "uploads/u1/album/photo.jpg", "uploads/../photo.jpg"]
)
def test_key_not_shaped_user_then_file_is_invalid(key: str) -> None:
    with pytest.raises(InvalidUploadKey):
        parse_upload_key(key)


def test_image_id_is_the_same_for_every_version_of_a_key() -> None:
    assert image_id_for("uploads/u1/a.jpg") == image_id_for("uploads/u1/a.jpg") != image_id_for("uploads/u1/b.jpg")


def test_plain_version_ids_are_used_as_they_are() -> None:
    assert version_token("3HL4kqtJlcpXroDTDmJ.rmSp", normalize_sequencer("1")) == "3HL4kqtJlcpXroDTDmJ.rmSp"


def test_version_ids_with_slashes_become_a_path_safe_token() -> None:
    token = version_token("a/b+c", normalize_sequencer("1"))
    assert token.isalnum() and len(token) == 32


def test_unversioned_uploads_are_told_apart_by_sequencer() -> None:
    first, second = (version_token(None, normalize_sequencer(s)) for s in ("0A", "0B"))
    assert first != second
    assert version_token("null", normalize_sequencer("0A")) == first
