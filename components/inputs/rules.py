"""Rules a value must meet beyond its type, each saying in words what it allows.

A rule is declared once, beside the component field it guards, and reused wherever the same value
arrives another way (the program's stack config reports a broken rule against its own key).
"""

import re
from collections.abc import Callable
from typing import Final

from components.inputs.errors import Violation


class Rule:
    """``allowed`` completes "must be ...": ``a whole number from 128 to 10240``; ``plural`` says the same of
    many (``email addresses like ...``) for the rule on a list of them."""

    def __init__(self, allowed: str, accepts: Callable[[object], bool], plural: str | None = None) -> None:
        self.allowed = allowed
        self.plural = plural or plural_of(allowed)
        self._accepts = accepts

    def accepts(self, value: object) -> bool:
        try:
            self.check(value)
        except Violation:
            return False
        return True

    def check(self, value: object) -> None:
        """Raise Violation unless the value meets the rule."""
        if not self._accepts(value):
            raise Violation(self.allowed, value)

    def __repr__(self) -> str:
        return f"Rule({self.allowed!r})"


class Each(Rule):
    """Every item of a list meets ``item``; a violation names the item's index."""

    def __init__(self, item: Rule) -> None:
        super().__init__(f"a list of {item.plural}", lambda _: True)
        self.item = item

    def check(self, value: object) -> None:
        if not isinstance(value, list | tuple):
            raise Violation(self.allowed, value)
        for index, element in enumerate(value):
            try:
                self.item.check(element)
            except Violation as exc:
                raise exc.below(f"[{index}]") from None


class AllOf(Rule):
    """Every rule holds; the first that breaks is reported."""

    def __init__(self, *rules: Rule) -> None:
        super().__init__(", ".join(r.allowed for r in rules), lambda _: True)
        self.rules = rules

    def check(self, value: object) -> None:
        for rule in self.rules:
            rule.check(value)


# Words that end a noun phrase: what follows qualifies it ("a subnet ID like ...", "a whole number from ...").
_QUALIFIERS: Final = re.compile(r" (like|from|of|in|with|or|to) ")


def plural_of(allowed: str) -> str:
    """``a subnet ID like subnet-0...`` -> ``subnet IDs like subnet-0...``: the article dropped and the noun
    before the first qualifier made plural (for the allowed text of a list of such values)."""
    for article in ("a ", "an "):
        if allowed.startswith(article):
            phrase = allowed[len(article) :]
            break
    else:
        return allowed
    found = _QUALIFIERS.search(phrase)
    noun, rest = (phrase[: found.start()], phrase[found.start() :]) if found else (phrase, "")
    ending = "es" if noun.endswith(("s", "sh", "ch", "x")) else "s"
    return f"{noun}{ending}{rest}"


def whole(lo: int | None = None, hi: int | None = None) -> Rule:
    """A whole number, from lo to hi (either bound may be open)."""
    if lo is not None and hi is not None:
        text = f"a whole number from {lo} to {hi}"
    elif lo is not None:
        text = f"a whole number of at least {lo}"
    elif hi is not None:
        text = f"a whole number of at most {hi}"
    else:
        text = "a whole number"

    def accepts(value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return (lo is None or value >= lo) and (hi is None or value <= hi)

    return Rule(text, accepts)


def at_least(lo: float) -> Rule:
    """A number (whole or not) of at least lo."""
    return Rule(
        f"a number of at least {lo:g}",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= lo,
    )


def number(lo: float, hi: float) -> Rule:
    """A number (whole or not) from lo to hi."""
    return Rule(
        f"a number from {lo:g} to {hi:g}",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= hi,
    )


def one_of(*allowed: object, noun: str = "") -> Rule:
    """Exactly one of the given values (``noun`` names them, e.g. ``a CloudWatch Logs retention``)."""
    listed = ", ".join(str(a) for a in allowed)
    text = f"{noun} ({listed})" if noun else f"one of {listed}"
    return Rule(text, lambda v: not isinstance(v, bool) and v in allowed)


class Matches(Rule):
    """A string that matches ``pattern`` in full."""

    def __init__(self, pattern: str, allowed: str, plural: str | None = None) -> None:
        compiled = re.compile(pattern)
        super().__init__(allowed, lambda v: isinstance(v, str) and compiled.fullmatch(v) is not None, plural)
        self.pattern = pattern


def matches(pattern: str, allowed: str, plural: str | None = None) -> Matches:
    """A string that matches ``pattern`` in full; ``allowed`` says what that is, with an example."""
    return Matches(pattern, allowed, plural)


def each(item: Rule) -> Rule:
    return Each(item)


def all_of(*rules: Rule) -> Rule:
    return AllOf(*rules)


def non_empty(rule: Rule | None = None) -> Rule:
    """A list with at least one item (each meeting ``rule`` when given)."""
    inner = each(rule) if rule is not None else None
    text = f"a non-empty list of {rule.plural}" if rule is not None else "a non-empty list"

    class _NonEmpty(Rule):
        def check(self, value: object) -> None:
            if not isinstance(value, list | tuple) or not value:
                raise Violation(self.allowed, value)
            if inner is not None:
                inner.check(value)

    return _NonEmpty(text, lambda _: True)


def unique(rule: Rule) -> Rule:
    """A list meeting ``rule`` without repeats."""

    class _Unique(Rule):
        def check(self, value: object) -> None:
            rule.check(value)
            if isinstance(value, list | tuple):
                seen: list[object] = []
                for index, item in enumerate(value):
                    if item in seen:
                        raise Violation(f"{rule.allowed} without repeats", item, f"[{index}]")
                    seen.append(item)

    return _Unique(rule.allowed, lambda _: True)


# Addresses SNS email subscriptions take; a pragmatic subset of RFC 5322 (no quoted local parts).
email: Final = matches(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "an email address like oncall@example.com",
    "email addresses like oncall@example.com",
)
# E.164, as SNS SMS requires: a plus, a country code that does not start with 0, at most 15 digits.
# https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html
e164: Final = matches(
    r"\+[1-9][0-9]{6,14}",
    "a phone number in E.164 form like +15551234567",
    "phone numbers in E.164 form like +15551234567",
)
