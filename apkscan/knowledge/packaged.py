"""Where apkscan's shipped data lives: the TOML files and JSON Schemas in ``apkscan/data/``.

One function per question, so every loader, the report reader, the ``schema`` command and the tests find the same
file the same way (a zip-safe ``importlib.resources`` path) and a JSON Schema is parsed once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

#: Shipped JSON Schemas by short name.
SCHEMAS = {"report": "report-1.schema.json", "diff": "diff-1.schema.json"}


def data_file(name: str) -> Path:
    """A file shipped in ``apkscan/data/`` (``rules.toml``, ``schema/report-1.schema.json``…)."""
    return Path(str(resources.files("apkscan").joinpath("data", *name.split("/"))))


def schema_text(name: str) -> str:
    """A shipped JSON Schema as text, by short name (``report``, ``diff``)."""
    return data_file(f"schema/{SCHEMAS[name]}").read_text(encoding="utf-8")


@cache
def json_schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema, parsed once."""
    doc: dict[str, Any] = json.loads(schema_text(name))
    return doc
