"""The manifest a job reads: bucket, URL-encoded key and version id per line, as S3 Batch Operations parses it."""

import csv
import io
from urllib.parse import unquote, unquote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from emulated_aws.batch_operations import read_manifest
from reprocess.manifest import build_manifest, encode_key, manifest_csv
from reprocess.selection import Original

BUCKET = "imagepipe-dev-uploads-0a1b2c3"


def original(key: str, version: str = "v1") -> Original:
    return Original(BUCKET, key, version, "completed", None)


def test_each_original_is_one_line_of_bucket_encoded_key_and_version() -> None:
    originals = [original("uploads/u/photo.jpg", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"), original("uploads/u/a b+c.jpg")]
    assert manifest_csv(originals) == (
        f"{BUCKET},uploads/u/photo.jpg,3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY\n{BUCKET},uploads/u/a%20b%2Bc.jpg,v1\n"
    )


def test_a_key_that_would_break_a_line_or_a_column_stays_inside_its_field() -> None:
    assert encode_key('uploads/u/a,b\n"c"\r.jpg') == "uploads/u/a%2Cb%0A%22c%22%0D.jpg"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_every_key_reads_back_the_same_under_either_url_decoding(name: str) -> None:
    key = f"uploads/u/{name}"
    encoded = encode_key(key)
    # Batch Operations passes the field as written; the function decodes it with unquote_plus
    assert unquote_plus(encoded) == unquote(encoded) == key
    (row,) = csv.reader(io.StringIO(manifest_csv([original(key)])))
    assert row == [BUCKET, encoded, "v1"]


def test_the_emulated_batch_operations_reads_the_lines_back() -> None:
    (line,) = read_manifest(manifest_csv([original("uploads/u/Café ☀.jpg", "v9")]))
    assert (line.bucket, line.key, line.version_id) == (BUCKET, "uploads/u/Caf%C3%A9%20%E2%98%80.jpg", "v9")


def test_the_same_selection_gives_the_same_manifest_object() -> None:
    originals = [original("uploads/u/a.jpg"), original("uploads/u/b.jpg")]
    first, again = build_manifest(originals), build_manifest(list(originals))
    assert first.key("manifests/", "dev", "fp") == again.key("manifests/", "dev", "fp")
    assert first.key("manifests/", "dev", "fp") == f"manifests/dev/fp/{first.digest[:16]}.csv"
    assert build_manifest(originals[:1]).key("manifests/", "dev", "fp") != first.key("manifests/", "dev", "fp")
    assert first.lines == 2
