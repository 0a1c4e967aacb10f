"""The README's table of JSON report fields, generated from the shipped JSON Schema so the two cannot drift apart.

``apkscan schema report --markdown`` prints it; a test checks that README.md holds exactly this table.
"""

from __future__ import annotations

from apkscan.knowledge.packaged import json_schema


def markdown_table(name: str) -> str:
    """``| field | meaning |`` rows for the top-level properties, from their descriptions."""
    doc = json_schema(name)
    rows = ["| field | meaning |", "|---|---|"]
    for field, spec in doc["properties"].items():
        rows.append(f"| `{field}` | {spec.get('description', '')} |")
    return "\n".join(rows) + "\n"
