"""How a config key is declared once, on the field it fills, and read from raw config.

A section of the stack config is a frozen dataclass made with ``@section`` whose fields are
declared with ``key(...)``: the key's name, README type, default, help text and typed parser
sit on the field the value lands in. mypy checks that the parser returns the field's type
(``key`` is a PEP 681 field specifier returning the parser's type), and parsing, the README
table and the error messages are derived from these declarations by ``key_fields`` and
``read_section``.
"""

from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields, is_dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Final, Generic, TypeVar, cast, dataclass_transform

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

PROJECT: Final = "imagepipe"
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
S = TypeVar("S", bound="DataclassInstance")
_KEY: Final = "config_key"  # where a field's metadata holds its Key


class ConfigError(ValueError):
    """A config value is missing or not allowed. The message names the key and what is allowed."""

    def __init__(self, key: str, problem: str, at: str = "") -> None:
        """``at``: where inside a list or object value the problem is (``[2]``)."""
        super().__init__(f"{PROJECT}:{key}{at} {problem}")
        self.key = key


class Listed(IntEnum):
    """Where the README's table lists a key: in section order, unless pulled to the top or the end."""

    FIRST = 0
    IN_SECTION_ORDER = 1
    LAST = 2


@dataclass(frozen=True)
class Key(Generic[T_co]):
    """One config key: its name, how it is read, its default and how the README describes it."""

    name: str
    """As set in Pulumi.<stack>.yaml, without the project's namespace (``memoryMb``)."""
    type: str
    """The README's type column (``int``, ``list of objects``)."""
    default: str | None
    """The raw text read when the key is not set; None: the key is required."""
    meaning: str
    """The help text: the README's meaning column and the "is required (...)" message."""
    parse: Callable[[str, str], T_co]
    """(key name, raw text) -> the field's value, or ConfigError naming the key."""
    shown_default: str | None = None
    """The README's default column when the default text is too long to show."""
    listed: Listed = Listed.IN_SECTION_ORDER

    def read(self, raw: Mapping[str, str]) -> T_co:
        """This key's value from raw config (name without namespace -> text), or its default."""
        value = raw.get(self.name, self.default)
        if value is None:
            problem = f"is required ({self.meaning}); set it with `pulumi config set {self.name} ...`"
            raise ConfigError(self.name, problem)
        return self.parse(self.name, value)


def key(
    name: str,
    type: str,
    default: str | None,
    meaning: str,
    parse: Callable[[str, str], T],
    /,
    *,
    shown_default: str | None = None,
    listed: Listed = Listed.IN_SECTION_ORDER,
) -> T:
    """Declare a section field as filled from config key ``name`` (see ``Key`` for the arguments).

    Typed as returning the parser's result, so ``memory_mb: int = key(..., parse_int)`` type-checks
    only when the parser returns an int. (The arguments are positional-only: a field specifier's
    ``default`` keyword would tell type checkers the field had a default value; it does not.)
    """
    declared = Key(name, type, default, meaning, parse, shown_default, listed)
    # The class body receives a dataclasses.Field carrying the Key, typed as T the way
    # dataclasses.field is; @section makes the field a required __init__ argument, so T is
    # what the attribute holds on every instance.
    return cast(T, field(metadata={_KEY: declared}))


@dataclass_transform(frozen_default=True, field_specifiers=(key,))
def section(cls: type[S]) -> type[S]:
    """A frozen dataclass whose fields are keys (``key(...)``), sections, or given by the caller."""
    return dataclass(frozen=True)(cls)


@dataclass(frozen=True)
class KeyField:
    """A declared key and the section field it fills."""

    key: Key[object]
    section: type
    attribute: str


# dataclasses' introspection is typed loosely (Field[Any], metadata Mapping[Any, Any], a field's
# type as Any); these three functions turn what it says back into typed values.


def _fields(cls: "type[DataclassInstance]") -> "tuple[Field[object], ...]":
    return fields(cls)


def _declared_key(f: "Field[object]") -> Key[object] | None:
    found: object = f.metadata.get(_KEY)
    return found if isinstance(found, Key) else None


def _section_type(f: "Field[object]") -> "type[DataclassInstance] | None":
    declared: object = f.type
    return declared if isinstance(declared, type) and is_dataclass(declared) else None


def key_fields(root: "type[DataclassInstance]") -> tuple[KeyField, ...]:
    """Every key declared on ``root`` and on the sections it holds, in field order."""
    found: list[KeyField] = []
    for f in _fields(root):
        if (declared := _declared_key(f)) is not None:
            found.append(KeyField(declared, root, f.name))
        elif (inner := _section_type(f)) is not None:
            found.extend(key_fields(inner))
    return tuple(found)


def read_section(cls: type[S], raw: Mapping[str, str], **given: str) -> S:
    """Build ``cls`` from raw config: each key field read by its key, each section field likewise,
    any other field from ``given``. Keys are read in field order, so the first bad one is reported."""
    values: dict[str, object] = {}
    for f in _fields(cls):
        if (declared := _declared_key(f)) is not None:
            values[f.name] = declared.read(raw)
        elif (inner := _section_type(f)) is not None:
            values[f.name] = read_section(inner, raw, **given)
        elif f.name in given:
            values[f.name] = given[f.name]
        else:
            raise TypeError(f"{cls.__name__}.{f.name} is neither a key, a section, nor given")
    return _construct(cls, values)


def _construct(cls: type[S], values: Mapping[str, object]) -> S:
    # The one place values go through `object`: the dataclass's generated __init__ takes them by
    # field name. Each was produced by the key declared on that very field, whose parser mypy
    # checked against the field's type; tests/infra/test_config.py checks the values at run time.
    return cls(**values)
