"""Functions run side by side, one AWS call at a time, in an order the test chooses: races made deterministic.

Each actor (the image function on one event, the API on one request, the reprocessing function on one
task) runs in a thread of its own, but only one runs at a time. A botocore ``before-call`` hook on the
functions' own clients parks the calling actor just before each request; ``step`` lets one actor make
the call it is parked at and run on to its next one (or to its end). Whatever order of calls two real
invocations could produce, some sequence of steps produces it, with moto answering in that order.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

# A stuck actor fails the test instead of hanging it.
_WAIT_S: Final = 60.0
_HOOK: Final = "lockstep"


@dataclass
class Actor:
    name: str
    run: Callable[[], object]
    thread: threading.Thread | None = None
    # The operation (e.g. "PutItem") the actor is about to call; None before it starts and once done.
    parked_before: str | None = None
    done: bool = False
    result: object = None
    error: BaseException | None = None
    calls: list[str] = field(default_factory=list)


class Stuck(AssertionError):
    """An actor neither reached its next call nor finished in time."""


class Lockstep:
    """Use as a context manager around the actors' runs; every actor is finished on the way out."""

    def __init__(self, clients: Iterable[Any]) -> None:
        self._clients = list(clients)
        self._actors: dict[str, Actor] = {}
        self._turn: str | None = None
        self._condition = threading.Condition()
        self._local = threading.local()
        # (actor, operation) for every request made, in the order they were made.
        self.trace: list[tuple[str, str]] = []

    def __enter__(self) -> "Lockstep":
        for client in self._clients:
            client.meta.events.register("before-call", self._before_call, unique_id=_HOOK)
        return self

    def __exit__(self, *_: object) -> None:
        try:
            self.finish_all()
        finally:
            for client in self._clients:
                client.meta.events.unregister("before-call", unique_id=_HOOK)

    def add(self, name: str, run: Callable[[], object]) -> Actor:
        actor = Actor(name, run)
        self._actors[name] = actor
        return actor

    def actor(self, name: str) -> Actor:
        return self._actors[name]

    def step(self, name: str) -> bool:
        """Let ``name`` make the call it waits at and run to its next one; False if it had finished."""
        actor = self._actors[name]
        if actor.done:
            return False
        with self._condition:
            if actor.thread is None:
                actor.thread = threading.Thread(target=self._body, args=(actor,), name=name, daemon=True)
                actor.thread.start()
            self._turn = name
            self._condition.notify_all()
            if not self._condition.wait_for(lambda: self._turn is None, _WAIT_S):
                raise Stuck(f"{name} neither reached its next call nor finished")
        return True

    def run_until(self, name: str, before: str, occurrence: int = 1) -> None:
        """Step ``name`` until it waits to make its ``occurrence``-th ``before`` call (e.g. "PutItem")."""
        seen = 0
        while self.step(name):
            if self._actors[name].parked_before == before:
                seen += 1
                if seen == occurrence:
                    return
        raise AssertionError(f"{name} finished without making {before} call number {occurrence}")

    def finish(self, name: str) -> object:
        """Run ``name`` to its end; return what it returned (re-raising what it raised)."""
        while self.step(name):
            pass
        actor = self._actors[name]
        if actor.error is not None:
            raise actor.error
        return actor.result

    def finish_all(self) -> None:
        for name in list(self._actors):
            while self.step(name):
                pass

    def _body(self, actor: Actor) -> None:
        self._local.name = actor.name
        with self._condition:
            self._condition.wait_for(lambda: self._turn == actor.name)
        try:
            actor.result = actor.run()
        except BaseException as exc:  # the test decides whether it is a failure
            actor.error = exc
        finally:
            with self._condition:
                actor.done, actor.parked_before = True, None
                self._turn = None
                self._condition.notify_all()

    def _before_call(self, model: Any, **_: Any) -> None:
        name = getattr(self._local, "name", None)
        if name is None:  # the test's own calls, or another thread's
            return
        actor = self._actors[name]
        with self._condition:
            actor.parked_before = model.name
            self._turn = None
            self._condition.notify_all()
            if not self._condition.wait_for(lambda: self._turn == name, _WAIT_S):
                raise Stuck(f"{name} was never let make its {model.name} call")
            actor.parked_before = None
            actor.calls.append(model.name)
            self.trace.append((name, model.name))
        # None: botocore goes on to send the request (a value here would stand in for the answer).
