"""The JSON report contract, as the tests hold every report to it.

The shipped schema lets unknown fields through (consumers must ignore what they do not know); the tests use a strict
copy that refuses any field the schema does not describe, so a field added to the model without documenting it in
the schema fails here first.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from apkscan.knowledge.packaged import json_schema as schema


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _strict(v) for k, v in node.items()}
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@cache
def strict_validator() -> Draft202012Validator:
    doc = _strict(copy.deepcopy(schema("report")))
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc)


def report_errors(doc: dict[str, Any]) -> list[str]:
    """Every violation of the strict schema, as ``path: message`` lines."""
    errors = strict_validator().iter_errors(doc)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}" for e in errors]


def written_reports(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every apkscan JSON report under ``folder``: ``*.json`` files and the lines of ``results.jsonl`` files."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in folder.rglob("*.json"):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("schema") == "apkscan.report/1":
            found.append((str(path), doc))
    for path in folder.rglob("results.jsonl"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found.append((f"{path}:{n}", json.loads(line)))
    return found
