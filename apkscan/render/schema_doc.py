"""The README's table of JSON report fields, generated from the shipped JSON Schema so the two cannot drift apart.

``apkscan schema report --markdown`` prints it; a test checks that README.md holds exactly this table.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMAS = {"report": "report-1.schema.json", "diff": "diff-1.schema.json"}


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema by short name (``report``)."""
    return json.loads(files("apkscan").joinpath(f"data/schema/{SCHEMAS[name]}").read_text(encoding="utf-8"))


def schema_text(name: str) -> str:
    return files("apkscan").joinpath(f"data/schema/{SCHEMAS[name]}").read_text(encoding="utf-8")


def markdown_table(name: str) -> str:
    """``| field | meaning |`` rows for the top-level properties, from their descriptions."""
    doc = schema(name)
    rows = ["| field | meaning |", "|---|---|"]
    for field, spec in doc["properties"].items():
        rows.append(f"| `{field}` | {spec.get('description', '')} |")
    return "\n".join(rows) + "\n"
