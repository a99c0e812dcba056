"""One rule for the characters of file names and user ids, the same on every Python.

Python 3.11 (here) ships Unicode 14.0.0; Lambda's python3.12 ships 15.0.0. The rule is a table derived
from 14.0.0 (``handlers.api.unicode_14``), so both decide alike: a character assigned only in 15.0
(U+1FAE8 SHAKING FACE) is refused on both, and never allowed here but refused there.
"""

import json
import unicodedata

import pytest

from emulated_aws.api_gateway import post_images, proxy_event, upload_request
from handlers import contract
from handlers.api.plain_text import REFUSED_CATEGORIES, is_allowed_character, refused_character
from handlers.api.unicode_14 import ALLOWED_RANGES, UNICODE_VERSION
from tests.api.api_deployment import call
from tests.api.unicode_table import render_module
from tests.handler.deployment import Deployment


@pytest.mark.skipif(
    unicodedata.unidata_version != UNICODE_VERSION, reason=f"derives the table from Unicode {UNICODE_VERSION}"
)
def test_the_table_is_exactly_what_unicode_14_allows() -> None:
    # Rebuild with: python -m tests.api.unicode_table > handlers/api/unicode_14.py
    namespace: dict[str, object] = {}
    exec(render_module(), namespace)  # the module as it would be generated now
    assert namespace["ALLOWED_RANGES"] == ALLOWED_RANGES


def test_no_character_the_table_allows_is_of_a_refused_category_in_the_running_database() -> None:
    # On a newer Python (Lambda's 3.12: Unicode 15.0.0) this still holds: a newer database assigns
    # more characters, it does not turn an assigned character into a control or a separator.
    allowed = [cp for cp in range(0x110000) if is_allowed_character(chr(cp))]
    assert all(unicodedata.category(chr(cp)) not in REFUSED_CATEGORIES for cp in allowed)
    # Unicode 14.0 counts 144,697 characters, graphic and format (https://www.unicode.org/versions/
    # Unicode14.0.0/); less its 163 format characters and the two separators.
    assert len(allowed) == 144_697 - 163 - 2


@pytest.mark.parametrize(
    ("character", "why"),
    [
        ("\u202e", "U+202E, a format character"),  # RIGHT-TO-LEFT OVERRIDE: photo\u202egpj.exe
        ("\u200b", "U+200B, a format character"),  # ZERO WIDTH SPACE
        ("\ufeff", "U+FEFF, a format character"),  # BYTE ORDER MARK
        ("\u061c", "U+061C, a format character"),  # ARABIC LETTER MARK
        ("\u0085", "U+0085, a control character"),  # NEXT LINE
        ("\x00", "U+0000, a control character"),
        ("\ud800", "U+D800, a surrogate"),
        ("\ue000", "U+E000, a private-use character"),
        ("\U000f0000", "U+F0000, a private-use character"),
        ("\u2028", "U+2028, a line separator"),
        ("\u2029", "U+2029, a paragraph separator"),
        ("\ufffe", "U+FFFE, unassigned in Unicode 14.0.0"),
        ("\uffff", "U+FFFF, unassigned in Unicode 14.0.0"),
        ("\U0001fae8", "U+1FAE8, unassigned in Unicode 14.0.0"),  # SHAKING FACE, assigned in 15.0
        ("\U000e0080", "U+E0080, unassigned in Unicode 14.0.0"),
    ],
)
def test_file_name_with_a_refused_character_is_400_naming_it(aws: Deployment, character: str, why: str) -> None:
    # GIVEN a name that hides the character between ordinary ones (JSON escapes carry even a lone surrogate)
    body = json.dumps(upload_request(file_name=f"photo{character}gpj.exe"))
    # WHEN the upload is asked for
    answer = call(post_images(body))
    # THEN 400 says which character and why, without echoing it
    assert (answer.status, answer.body) == (
        400,
        {"error": "bad_request", "message": f"file_name must be plain text; it holds {why}"},
    )


@pytest.mark.parametrize(
    "file_name",
    [
        "été à Zürich.jpg",
        "\N{GRINNING FACE} party.png",
        "東京タワー.webp",
        "Ελλάδα 2024.gif",
        "a\u00a0b.jpg",
        "x\u3000y.jpg",
    ],
)
def test_file_names_of_letters_symbols_and_spaces_of_any_script_are_accepted(aws: Deployment, file_name: str) -> None:
    answer = call(post_images(upload_request(file_name=file_name)))
    assert answer.status == 201
    assert answer.body["upload"]["fields"]["key"].endswith(f"/{file_name}")


@pytest.mark.parametrize("sub", ["user\u202e42", "user\u200b42", "user\u202842", "user\ue00042", "user\U0001fae8"])
def test_user_id_follows_the_same_rule_so_such_a_sub_is_401(aws: Deployment, sub: str) -> None:
    answer = call(proxy_event("GET", contract.API_IMAGES_PATH, claims={"sub": sub}))
    assert (answer.status, answer.error) == (401, "unauthorized")


def test_the_rule_names_the_first_refused_character() -> None:
    assert refused_character("a\u2028b\u202ec") == "U+2028, a line separator"
    assert refused_character("plain name.jpg") is None
