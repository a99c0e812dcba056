"""Names derived from the upload key: the item's id, the upload's owner, rendition keys."""

import pytest

from handlers.edge.events import normalize_sequencer
from handlers.imaging.renditions import OutputFormat
from handlers.key_layout import (
    InvalidUploadKey,
    UploadKey,
    image_id_for,
    parse_upload_key,
    rendition_key,
    rendition_prefix,
    upload_key,
    version_token,
)


def test_upload_key_names_user_and_file() -> None:
    assert parse_upload_key("uploads/user-42/summer holiday+1.jpg") == UploadKey("user-42", "summer holiday+1.jpg")


def test_api_upload_key_names_user_upload_and_file() -> None:
    # GIVEN a key in the image API's shape: uploads/{user_id}/{upload_id}/{file name}
    key = "uploads/user-42/9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d/summer holiday+1.jpg"
    # THEN the file name is the last part and the middle part is the upload id
    assert parse_upload_key(key) == UploadKey("user-42", "summer holiday+1.jpg", "9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d")


def test_upload_key_is_read_back_by_parse_upload_key() -> None:
    key = upload_key("user-42", "0a1b", "photo.jpg")
    assert key == "uploads/user-42/0a1b/photo.jpg"
    assert parse_upload_key(key) == UploadKey("user-42", "photo.jpg", "0a1b")


@pytest.mark.parametrize(
    "key",
    [
        "uploads/photo.jpg",
        "uploads//photo.jpg",
        "uploads/u1/",
        "uploads/../photo.jpg",
        "uploads/u1/..",
        "uploads/./photo.jpg",
    ],
)
def test_key_not_shaped_user_then_file_is_invalid(key: str) -> None:
    with pytest.raises(InvalidUploadKey):
        parse_upload_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "uploads/u1/album/2024/photo.jpg",  # deeper than one upload folder
        "uploads/u1//photo.jpg",  # empty upload id
        "uploads/u1/0a1b/",  # empty file name
        "uploads//0a1b/photo.jpg",  # empty user id
        "uploads/u1/../photo.jpg",
        "uploads/u1/./photo.jpg",
        "uploads/u1/0a1b/..",
        "uploads/u1/0a1b/.",
        "uploads/../0a1b/photo.jpg",
        "uploads/./0a1b/photo.jpg",
    ],
)
def test_key_not_shaped_user_upload_then_file_is_invalid(key: str) -> None:
    with pytest.raises(InvalidUploadKey):
        parse_upload_key(key)


def test_every_rendition_of_an_upload_is_under_its_rendition_prefix() -> None:
    image_id = image_id_for("uploads/u1/0a1b/photo.jpg")
    prefix = rendition_prefix("u1", image_id)
    assert prefix == f"renditions/u1/{image_id}/"
    assert rendition_key("u1", image_id, "v1", "thumbnail", OutputFormat.WEBP) == f"{prefix}v1/thumbnail.webp"


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
