"""One declarative way to check every data file apkscan reads, and to report all of a file's mistakes at once.

Why this module exists: the TOML files in ``apkscan/data/`` are edited by people who read laws, privacy policies and
SDK documentation, not Python, and users pass their own rule tables and lexicons. A typo must never load silently
(an SDK entry with ``harvest`` for ``harvests`` would harvest nothing), and a file with five mistakes should say so
once, not in five runs. So each file's shape is written as data — a :class:`Table` of :class:`Field` objects, nested
tables, arrays of tables, tables keyed by free ids (:class:`Keyed`), choices taken from :mod:`apkscan.model.vocab`,
references to ids defined elsewhere in the same file — and :func:`check` walks a parsed document against it,
collecting every problem as ``<dotted.key>: <problem>``. :func:`load_document` adds the file name, so each line reads
``<file>: <dotted.key>: <problem>``.

Adding a data file is a spec (usually a few lines in :mod:`apkscan.knowledge.specs`) plus one call::

    PET = Table({"name": TEXT, "kind": Field(Str(choices=("cat", "dog"))), "born": optional(Str(date=True))})
    PETS = Table({"pet": Field(Array(PET, nonempty=True, unique="name"))})
    doc, raw = load_document(path, PETS)   # raises DataFileError listing every problem

Rules that a per-key spec cannot say (a conditional verdict needs its condition; a packer needs at least one marker)
are plain functions attached to a :class:`Table` (``rules=``); they return ``(key, problem)`` pairs and their problems
are reported with the others.
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from apkscan.model.vocab import VERIFICATION

_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a number",
    dict: "a table",
    list: "an array",
}
_MAX_CHOICES_SHOWN = 20

#: A path inside a document: table keys and array indexes, e.g. ("permissions", "android.permission.X", "references", 0)
KeyPath = tuple[str | int, ...]


# ------------------------------------------------------------------------------------------------------ errors


@dataclass(frozen=True)
class Problem:
    """One mistake: where (a dotted key, already formatted) and what is wrong."""

    key: str
    message: str

    def line(self, file: str) -> str:
        return f"{file}: {self.key}: {self.message}" if self.key else f"{file}: {self.message}"


class DataFileError(ValueError):
    """A data file that cannot be used. ``str()`` is one line per problem: ``<file>: <dotted.key>: <problem>``.

    It is a ``ValueError`` so that callers written before the unified loaders (which raised ``ValueError``) still work.
    """

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(p.line(file) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, key: str = "") -> DataFileError:
        return cls(file, [Problem(key, _one_line(message))])


class RuleTableError(DataFileError):
    """A rule table, advice file or other knowledge file that cannot be used (the name predates the other files;
    the complaint data errors subclass it so one ``except`` catches every data-file problem)."""


def _one_line(message: str) -> str:
    return " ".join(message.split())


def key_path(base: str, *parts: str | int) -> str:
    """Extend the already-printed path ``base`` with raw keys and array indexes, quoting keys that are not bare TOML
    keys: ``permissions.'android.permission.X'.references[0]``."""
    out = base
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            seg = part if _BARE_KEY.fullmatch(part) else f"'{part}'"
            out = f"{out}.{seg}" if out else seg
    return out


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _choices(values: Iterable[str]) -> str:
    values = list(values)
    shown = ", ".join(values[:_MAX_CHOICES_SHOWN])
    return shown + (f", … ({len(values)} in all)" if len(values) > _MAX_CHOICES_SHOWN else "")


class _Context:
    """What a check needs besides the value: the whole document (for references) and where problems go."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, at: KeyPath, message: str) -> None:
        """Record a problem; the dotted key is formatted only here, so checking a clean file builds no strings."""
        self.problems.append(Problem(key_path("", *at), message))

    def table_at(self, dotted: str) -> Mapping[str, Any] | None:
        node = self.root
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        return node if isinstance(node, Mapping) else None


class Spec(Protocol):
    """Anything that can check one value (a string, a table, an array...)."""

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None: ...

    def describe(self) -> str: ...


# ------------------------------------------------------------------------------------------------------ leaf specs


@dataclass(frozen=True)
class Str:
    """A string. ``choices`` a fixed vocabulary; ``ref`` the dotted name of a table of this document whose keys it
    must name (e.g. ``"sources"``); ``pattern`` a regular expression the whole string must match (``hint`` says in
    words what that means); ``regex`` the string is itself a regular expression that must compile; ``date`` an ISO
    date of the form YYYY, YYYY-MM or YYYY-MM-DD (or empty)."""

    nonempty: bool = False
    choices: tuple[str, ...] | None = None
    ref: str | None = None
    pattern: str | None = None
    hint: str = ""
    regex: bool = False
    date: bool = False
    full_date: bool = False

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, str):
            ctx.add(at, f"expected a string, got {_type_name(value)}")
        elif self.nonempty and not value.strip():
            ctx.add(at, "must not be empty")
        elif self.choices is not None and value not in self.choices:
            ctx.add(at, f"{value!r} is not one of {_choices(self.choices)}")
        elif self.date and value and not _DATE.fullmatch(value):
            ctx.add(at, f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        elif self.full_date and not (_DATE.fullmatch(value) and len(value) == 10):
            ctx.add(at, f"{value!r} must be a full date YYYY-MM-DD")
        elif self.pattern is not None and not _compiled(self.pattern).fullmatch(value):  # type: ignore[union-attr]
            ctx.add(at, f"{value!r} is not {self.hint or 'of the form ' + self.pattern}")
        elif self.regex and (error := _regex_error(value)):
            ctx.add(at, f"bad pattern {value!r}: {error}")
        elif self.ref is not None:
            target = ctx.table_at(self.ref)
            if target is not None and value not in target:
                ctx.add(at, f"{value!r} is not {_article(_singular(self.ref))} defined in [{self.ref}]")

    def describe(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(f"`{c}`" for c in self.choices)
        if self.ref is not None:
            return f"an id from `[{self.ref}]`"
        if self.full_date:
            return "a date YYYY-MM-DD"
        if self.date:
            return "a date (YYYY, YYYY-MM or YYYY-MM-DD, or empty)"
        if self.regex:
            return "a regular expression"
        if self.hint:
            return f"a string: {self.hint}"
        return "a non-empty string" if self.nonempty else "a string"


@lru_cache(maxsize=256)
def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    return None if pattern is None else re.compile(pattern)


def _regex_error(value: str) -> str | None:
    try:
        re.compile(value)
    except re.error as err:
        return str(err)
    return None


def _singular(table: str) -> str:
    name = table.rsplit(".", 1)[-1]
    return name[:-3] + "y" if name.endswith("ies") else name[:-1] if name.endswith("s") else name


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


@dataclass(frozen=True)
class Int:
    """An integer (``true``/``false`` are not integers here), optionally with a minimum."""

    minimum: int | None = None

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            ctx.add(at, f"expected an integer, got {_type_name(value)}")
        elif self.minimum is not None and value < self.minimum:
            ctx.add(at, f"{value!r} is below {self.minimum}")

    def describe(self) -> str:
        return "an integer" + (f" ≥ {self.minimum}" if self.minimum is not None else "")


@dataclass(frozen=True)
class Num:
    """A finite number; a TOML integer is accepted too (people editing data write ``36`` for ``36.0``)."""

    minimum: float | None = None

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            ctx.add(at, f"expected a number, got {_type_name(value)}")
        elif not math.isfinite(value):
            ctx.add(at, "must be a finite number")
        elif self.minimum is not None and value < self.minimum:
            ctx.add(at, f"{value!r} is below {self.minimum!r}")

    def describe(self) -> str:
        return "a number" + (f" ≥ {self.minimum}" if self.minimum is not None else "")


@dataclass(frozen=True)
class Bool:
    """``true`` or ``false``."""

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, bool):
            ctx.add(at, f"expected true or false, got {_type_name(value)}")

    def describe(self) -> str:
        return "true or false"


# ------------------------------------------------------------------------------------------------------ containers


@dataclass(frozen=True)
class Array:
    """An array whose every item matches ``item``. ``unique`` names the key of table items (or ``"."`` for plain
    values) that must not repeat, e.g. the ``id`` of each ``[[sdk]]``."""

    item: Spec
    nonempty: bool = False
    unique: str | None = None

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, list):
            ctx.add(at, f"expected an array, got {_type_name(value)}")
            return
        if self.nonempty and not value:
            ctx.add(at, "must have at least one item")
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            self.item.check(item, (*at, i), ctx)
            if self.unique is not None:
                ident = item if self.unique == "." else item.get(self.unique) if isinstance(item, dict) else None
                if isinstance(ident, str | int) and not isinstance(ident, bool):
                    if ident in seen:
                        dup = (*at, i) if self.unique == "." else (*at, i, self.unique)
                        ctx.add(dup, f"duplicate {ident!r} (already at [{seen[ident]}])")
                    else:
                        seen[ident] = i

    def describe(self) -> str:
        return f"an array of {_plural(self.item.describe())}"


def _plural(text: str) -> str:
    for single, many in (("a table", "tables"), ("a string", "strings"), ("a non-empty string", "non-empty strings")):
        if text.startswith(single):
            return many + text[len(single) :]
    return f"({text})"


@dataclass(frozen=True)
class Field:
    """One key of a :class:`Table`: what its value must be, whether it is required, and what it means (``doc`` is
    shown in the generated schema of ``apkscan/data/README.md``)."""

    spec: Spec
    required: bool = True
    doc: str = ""


#: A table-level rule: given the table, the (key, problem) pairs it finds; key is a key of the table, a tuple of keys
#: and indexes below it (``("values", 1, "from")``) or "" for the table itself. It runs even when
#: other keys of the table are wrong, so a file's report is complete; it may fail with KeyError or TypeError on a
#: value the spec has already rejected.
TableRule = Callable[[Mapping[str, Any]], Iterable[tuple[str | KeyPath, str]]]


@dataclass(frozen=True)
class Table:
    """A TOML table with a fixed set of keys: unknown keys and missing required keys are errors."""

    fields: Mapping[str, Field]
    rules: tuple[TableRule, ...] = ()
    doc: str = ""

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, dict):
            ctx.add(at, f"expected a table, got {_type_name(value)}")
            return
        before = len(ctx.problems)
        for key in value:
            if key not in self.fields:
                ctx.add((*at, key), f"unknown key (expected one of: {_choices(self.fields)})")
        for key, fld in self.fields.items():
            if key in value:
                fld.spec.check(value[key], (*at, key), ctx)
            elif fld.required:
                ctx.add((*at, key), "missing required key")
        for rule in self.rules:
            try:
                found = list(rule(value))
            except (KeyError, TypeError, AttributeError):
                if len(ctx.problems) == before:
                    raise  # a rule that fails on a table the spec accepted is a bug, not a data problem
                continue  # the rule met a value the spec already rejected
            for key, problem in found:
                parts = key if isinstance(key, tuple) else (key,) if key else ()
                ctx.add((*at, *parts), problem)

    def describe(self) -> str:
        return f"a table ({self.doc})" if self.doc else "a table"


@dataclass(frozen=True)
class Keyed:
    """A table of entries keyed by ids, e.g. ``[sources.<id>]``: every value matches ``value``.

    ``ids`` limits the ids to a vocabulary; with ``complete`` every id of it must be present. ``known`` gives some
    ids their own spec (a ui.toml section whose entries are the data categories). ``id_pattern``/``id_hint``
    constrain free ids.
    """

    value: Spec
    ids: tuple[str, ...] | None = None
    complete: bool = False
    known: Mapping[str, Spec] = field(default_factory=dict)
    id_pattern: str | None = r"\S+"
    id_hint: str = "non-empty and without spaces"
    id_name: str = "id"  # what an id is, for the generated documentation ("section", "category")

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        if not isinstance(value, dict):
            ctx.add(at, f"expected a table, got {_type_name(value)}")
            return
        id_re = _compiled(self.id_pattern)
        for ident, entry in value.items():
            here = (*at, ident)
            if self.ids is not None and ident not in self.ids and ident not in self.known:
                ctx.add(here, f"unknown id (expected one of: {_choices(self.ids)})")
                continue
            if id_re is not None and not id_re.fullmatch(ident):
                ctx.add(here, f"ids must be {self.id_hint}")
                continue
            self.known.get(ident, self.value).check(entry, here, ctx)
        if self.complete and self.ids is not None:
            for ident in self.ids:
                if ident not in value:
                    ctx.add((*at, ident), f"missing (every id of {_choices(self.ids)} needs an entry)")

    def describe(self) -> str:
        keys = ("one of " if not self.complete else "each of ") + ", ".join(f"`{i}`" for i in self.ids or ())
        if isinstance(self.value, Table | Keyed):
            return "a table keyed by " + (keys if self.ids else self.id_name)
        return f"a table mapping {keys if self.ids else self.id_name + 's'} to {self.value.describe()}"


@dataclass(frozen=True)
class OneOf:
    """The first alternative whose type matches decides (e.g. a citation id *or* a citation written out)."""

    options: tuple[Spec, ...]

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        for option in self.options:
            if _accepts_type(option, value):
                option.check(value, at, ctx)
                return
        ctx.add(at, f"expected {' or '.join(o.describe() for o in self.options)}, got {_type_name(value)}")

    def describe(self) -> str:
        return " or ".join(o.describe() for o in self.options)


@dataclass(frozen=True)
class Switch:
    """A spec chosen by looking at the value (a ui.toml entry ``{en, zh}`` or a nested section of entries)."""

    choose: Callable[[Any], Spec]
    text: str

    def check(self, value: Any, at: KeyPath, ctx: _Context) -> None:
        self.choose(value).check(value, at, ctx)

    def describe(self) -> str:
        return self.text


_PYTHON_TYPES: dict[type, tuple[type, ...]] = {
    Str: (str,),
    Int: (int,),
    Num: (int, float),
    Bool: (bool,),
    Array: (list,),
    Table: (dict,),
    Keyed: (dict,),
}


def _accepts_type(spec: Spec, value: Any) -> bool:
    wanted = _PYTHON_TYPES.get(type(spec), ())
    return isinstance(value, wanted) and (wanted == (bool,) or not isinstance(value, bool))


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` a format string fills (``{{`` is a literal brace); a malformed string yields a marker name."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError:
        return frozenset({"<malformed braces>"})


# ------------------------------------------------------------------------------------------------------ shorthands

TEXT = Field(Str(nonempty=True))
OPT_TEXT = Field(Str(), required=False)


def optional(spec: Spec, doc: str = "") -> Field:
    return Field(spec, required=False, doc=doc)


#: The verification tag every source, citation, channel, SDK, packer and cap carries (see apkscan/data/README.md).
TAG = Field(Str(choices=VERIFICATION), doc="how sure we are: verified, secondary or memory")


def text_pair(prefix: str, fld: Field = TEXT, doc: str = "") -> dict[str, Field]:
    """``<prefix>_en`` and ``<prefix>_zh``: every borrower-facing string exists in English and Chinese."""
    return {
        f"{prefix}_en": Field(fld.spec, fld.required, doc or fld.doc),
        f"{prefix}_zh": Field(fld.spec, fld.required, doc or fld.doc),
    }


#: The ``[meta]`` table of a data file: its name, version and when it was last reviewed.
META = Table(
    {
        "name": Field(Str(nonempty=True), doc="shown in reports"),
        "version": Field(Str(nonempty=True), doc="shown in reports and stored in the batch database"),
        "updated": Field(Str(date=True), doc="when the table was last reviewed"),
        **text_pair("description", OPT_TEXT),
    }
)


# ------------------------------------------------------------------------------------------------------ entry points


def check(doc: Any, spec: Spec) -> list[Problem]:
    """Every problem of a parsed document, in file order as far as the spec allows."""
    ctx = _Context(doc)
    spec.check(doc, (), ctx)
    return ctx.problems


def parse_toml(raw: bytes, label: str) -> dict[str, Any]:
    """Parse TOML bytes; a file that is not UTF-8 or not TOML raises :class:`DataFileError` naming ``label``."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError.single(label, f"not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError.single(label, f"TOML syntax error: {exc}") from None


def read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataFileError.single(label, f"cannot read file: {exc.strerror or exc}") from None


def validate(doc: Any, spec: Spec, label: str, error: type[DataFileError] = DataFileError) -> None:
    """Raise ``error`` listing every problem of ``doc`` (already parsed) against ``spec``."""
    problems = check(doc, spec)
    if problems:
        raise error(label, problems)


def load_document(
    path: Path, spec: Spec, label: str | None = None, error: type[DataFileError] = DataFileError
) -> tuple[dict[str, Any], bytes]:
    """Read, parse and check one file; return the document and its bytes (for a digest). ``label`` is the name
    errors use (defaults to the path as given)."""
    name = str(path) if label is None else label
    try:
        raw = read_bytes(path, name)
        doc = parse_toml(raw, name)
    except DataFileError as exc:
        raise error(exc.file, exc.problems) from None
    validate(doc, spec, name, error)
    return doc, raw
