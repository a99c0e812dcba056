"""DELETE wins in every interleaving hypothesis tries: the two versions' events, a Batch Operations task and
another user's DELETE racing the owner's, call by call, from an image not processed yet or processed.

A DELETE that answered 500 (S3 kept showing new versions while it deleted) is retried, as its client would.
"""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulated_aws.api_gateway import OTHER_USER
from handlers import contract
from handlers.edge.errors import TransientError
from handlers.image_processor import aws_clients
from tests.api.api_deployment import Answer
from tests.deletion.lockstep import Lockstep
from tests.deletion.scene import (
    FEWER_RENDITIONS,
    another_version,
    api_upload,
    assert_deleted,
    delete_markers_as_s3_makes_them,
    deletes,
    function_clients,
    processes,
    reprocesses,
)
from tests.handler import images
from tests.handler.deployment import Deployment

ACTORS = ("first", "second", "task", "theirs", "delete")


@pytest.fixture
def markers_as_s3(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    delete_markers_as_s3_makes_them(monkeypatch, aws, aws_clients().s3)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    processed_first=st.booleans(),
    fewer_renditions=st.booleans(),
    schedule=st.lists(st.sampled_from(ACTORS), max_size=60),
    ending=st.permutations(ACTORS),
)
def test_a_deleted_image_never_comes_back_whatever_the_order_of_calls(
    aws: Deployment,
    markers_as_s3: None,
    monkeypatch: pytest.MonkeyPatch,
    processed_first: bool,
    fewer_renditions: bool,
    schedule: list[str],
    ending: list[str],
) -> None:
    # GIVEN an upload of a user of its own (every example starts from nothing of theirs), maybe processed,
    # maybe then the stack's renditions changed (the task re-renders, the second version removes some),
    # and a second version of it
    user = f"user-{uuid.uuid4().hex[:8]}"
    first = api_upload(aws, images.jpeg((320, 160)), user=user)
    monkeypatch.delenv(contract.ENV_RENDITIONS, raising=False)
    if processed_first:
        aws.invoke(first.event())
    if fewer_renditions:
        monkeypatch.setenv(contract.ENV_RENDITIONS, FEWER_RENDITIONS)
    second = another_version(aws, first, images.jpeg((400, 200)))
    events = {"first": first, "second": second}
    # WHEN both versions' events, a reprocess task, another user's DELETE and the owner's DELETE run, their
    # calls interleaved as the schedule says, then each to its end
    with Lockstep(function_clients()) as lockstep:
        lockstep.add("first", processes(aws, first))
        lockstep.add("second", processes(aws, second))
        lockstep.add("task", reprocesses(first))
        lockstep.add("theirs", deletes(first.image_id, user=OTHER_USER))
        lockstep.add("delete", deletes(first.image_id, user=user))
        for name in schedule:
            lockstep.step(name)
        for name in ending:
            while lockstep.step(name):
                pass
        # AND what failed is retried as its caller would: Lambda the events, the client a 500
        for name, upload in events.items():
            if isinstance(lockstep.actor(name).error, TransientError):
                lockstep.add(f"{name}-retried", processes(aws, upload))
                lockstep.finish(f"{name}-retried")
            assert lockstep.actor(name).error is None or isinstance(lockstep.actor(name).error, TransientError)
        answer = lockstep.actor("delete").result
        assert isinstance(answer, Answer) and answer.status in (204, 500)
        if answer.status == 500:
            lockstep.add("retried", deletes(first.image_id, user=user))
            retried = lockstep.finish("retried")
            assert isinstance(retried, Answer) and retried.status == 204
    # THEN GET is 404, the listing is empty, and nothing but the tombstone is left
    assert_deleted(aws, first, user)
