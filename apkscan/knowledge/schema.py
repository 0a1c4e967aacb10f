"""The shape of the rule-table and advice files, written as data, and the few lines that check a document against it.

Why this module exists: ``rules.toml`` and ``advice.toml`` are edited by people who read laws, not Python, and users
may pass their own rule table. A mistake there must stop the run with one line that says which file and which key
is wrong, rather than surface later as a ``KeyError`` deep in a report. Keeping the schema as tables (one ``Field``
per key) makes the contract easy to review next to the data, and keeps every error message in the same form:
``<file>: <dotted.key>: <problem>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apkscan.model.vocab import CATEGORIES, JURISDICTIONS, RULE_VERDICTS, SEVERITY_ORDER, VERIFICATION

VERDICTS = RULE_VERDICTS
SEVERITIES = SEVERITY_ORDER
JURISDICTION_IDS = JURISDICTIONS
CATEGORY_IDS = CATEGORIES
# Android protection levels as the table labels them; "special" = a special app access the user grants in Settings.
PROTECTIONS = (
    "normal",
    "dangerous",
    "signature",
    "signatureOrSystem",
    "privileged",
    "appop",
    "special",
    "internal",
    "removed",
)

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


class RuleTableError(ValueError):
    """A rule table or advice file that cannot be used; the message is one line naming the file and the key."""


class SchemaError(ValueError):
    """A problem found inside a parsed document; the loader adds the file name and re-raises ``RuleTableError``."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Field:
    """What one key may hold. ``items`` is the spec of each table in an array of tables."""

    type: type
    required: bool = True
    choices: tuple[str, ...] | None = None
    nonempty: bool = False
    date: bool = False
    minimum: int | float | None = None
    items: Mapping[str, Field] | None = None


TEXT = Field(str, nonempty=True)
OPT_TEXT = Field(str, required=False)
TAG = Field(str, choices=VERIFICATION)
SDK = Field(int, required=False, minimum=1)


def text_pair(prefix: str, field: Field = TEXT) -> dict[str, Field]:
    """``<prefix>_en`` and ``<prefix>_zh``: every borrower-facing string exists in English and Chinese."""
    return {f"{prefix}_en": field, f"{prefix}_zh": field}


META = {"name": TEXT, "version": TEXT, "updated": Field(str, date=True), **text_pair("description", OPT_TEXT)}
CATEGORY = {"en": TEXT, "zh": TEXT, **text_pair("what"), "sensitive": Field(bool)}
CHANNEL = {**text_pair("name"), "contact": OPT_TEXT, **text_pair("purpose"), "verification": TAG}
JURISDICTION = {**text_pair("name"), "channels": Field(list, required=False, items=CHANNEL)}
SOURCE = {
    "jurisdiction": Field(str, choices=JURISDICTION_IDS),
    **text_pair("title"),
    "date": Field(str, date=True),
    "url": OPT_TEXT,
    "verification": TAG,
}
REFERENCE = {"source": TEXT, "article": OPT_TEXT, **text_pair("note"), "verification": TAG}
PERMISSION = {
    "category": TEXT,
    "protection": Field(str, choices=PROTECTIONS),
    "verdict": Field(str, choices=VERDICTS),
    "severity": Field(str, choices=SEVERITIES),
    **text_pair("reason"),
    **text_pair("alternative", OPT_TEXT),
    **text_pair("condition", OPT_TEXT),
    "no_effect_from_target_sdk": SDK,
    "api_added": SDK,
    "references": Field(list, required=False, items=REFERENCE),
}
RULES_TOP = {
    "meta": Field(dict),
    "categories": Field(dict),
    "jurisdictions": Field(dict, required=False),
    "sources": Field(dict, required=False),
    "permissions": Field(dict),
}

_ITEM = {"en": TEXT, "zh": TEXT}
SITUATION = {
    **text_pair("problem"),
    **text_pair("laws"),
    **text_pair("where"),
    **text_pair("keep"),
    "jurisdiction": Field(str, choices=JURISDICTION_IDS),
}
CONTRAST = {**text_pair("topic"), **text_pair("lawful"), **text_pair("unlawful")}
ADVICE_TOP = {
    "background": Field(list, required=False, items=_ITEM),
    "red_flags": Field(list, items=_ITEM),
    "evidence_to_keep": Field(list, items=_ITEM),
    "steps": Field(list, items=_ITEM),
    "situations": Field(list, items=SITUATION),
    "lawful_vs_unlawful": Field(list, required=False, items=CONTRAST),
}


def key_path(base: str, *parts: str | int) -> str:
    """Extend the already-printed path ``base`` with raw keys and array indexes, quoting keys that contain dots:
    ``permissions.'android.permission.X'.references[0].source``."""
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


def _value_problem(value: Any, field: Field) -> str | None:
    """Return what is wrong with one value, or None. Checks run from the most to the least basic.

    A ``float`` field also takes a TOML integer (``36`` for ``36.0``): people editing data write whole numbers."""
    accepted: tuple[type, ...] = (int, float) if field.type is float else (field.type,)
    if not isinstance(value, accepted) or (field.type in (int, float) and isinstance(value, bool)):
        return f"expected {_TYPE_NAMES[field.type]}, got {_type_name(value)}"
    checks = (
        (field.nonempty and isinstance(value, str) and not value.strip(), "must not be empty"),
        (
            field.choices is not None and value not in field.choices,
            f"{value!r} is not one of {', '.join(field.choices or ())}",
        ),
        (
            field.date and value != "" and not _DATE.fullmatch(value),
            f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            field.minimum is not None and isinstance(value, int | float) and value < field.minimum,
            f"{value!r} is below {field.minimum}",
        ),
    )
    return next((problem for failed, problem in checks if failed), None)


def check_table(table: Any, spec: Mapping[str, Field], where: str) -> None:
    """Check one TOML table against ``spec``: no unknown keys, no missing required keys, right types and values."""
    if not isinstance(table, dict):
        raise SchemaError(where, f"expected a table, got {_type_name(table)}")
    for key in table:
        if key not in spec:
            raise SchemaError(key_path(where, key), f"unknown key (expected one of: {', '.join(spec)})")
    for key, field in spec.items():
        if key not in table:
            if field.required:
                raise SchemaError(key_path(where, key), "missing required key")
            continue
        problem = _value_problem(table[key], field)
        if problem:
            raise SchemaError(key_path(where, key), problem)
        if field.items is not None:
            for i, item in enumerate(table[key]):
                check_table(item, field.items, key_path(where, key, i))


def check_named_tables(
    section: Any, spec: Mapping[str, Field], where: str, allowed_ids: tuple[str, ...] | None = None
) -> None:
    """Check a table of tables such as ``[categories.<id>]``; ``allowed_ids`` limits the ids when they are fixed."""
    for name, table in section.items():
        if allowed_ids is not None and name not in allowed_ids:
            raise SchemaError(key_path(where, name), f"unknown id (expected one of: {', '.join(allowed_ids)})")
        if not name.strip() or any(ch.isspace() for ch in name):
            raise SchemaError(key_path(where, name), "ids must be non-empty and contain no spaces")
        check_table(table, spec, key_path(where, name))


def check_rules_document(doc: dict[str, Any]) -> None:
    """Validate a parsed rule table, structure first, then the links between sections."""
    check_table(doc, RULES_TOP, "")
    check_table(doc["meta"], META, "meta")
    sections = (
        ("categories", CATEGORY, CATEGORY_IDS),
        ("jurisdictions", JURISDICTION, JURISDICTION_IDS),
        ("sources", SOURCE, None),
        ("permissions", PERMISSION, None),
    )
    for name, spec, ids in sections:
        check_named_tables(doc.get(name, {}), spec, name, ids)
    _check_links(doc)


def _check_links(doc: dict[str, Any]) -> None:
    """Cross-references: categories and sources must exist; a conditional verdict must say its condition."""
    categories, sources = doc["categories"], doc.get("sources", {})
    for name, perm in doc["permissions"].items():
        where = key_path("permissions", name)
        if perm["category"] not in categories:
            raise SchemaError(
                key_path(where, "category"), f"{perm['category']!r} is not a category defined in [categories]"
            )
        if perm["verdict"] == "conditional":
            for key in ("condition_en", "condition_zh"):
                if not perm.get(key, "").strip():
                    raise SchemaError(key_path(where, key), "required (non-empty) when verdict is 'conditional'")
        for i, reference in enumerate(perm.get("references", [])):
            if reference["source"] not in sources:
                raise SchemaError(
                    key_path(where, "references", i, "source"),
                    f"{reference['source']!r} is not a source defined in [sources]",
                )


def check_advice_document(doc: dict[str, Any]) -> None:
    """Validate a parsed advice file (lists of bilingual items and situations)."""
    check_table(doc, ADVICE_TOP, "")
