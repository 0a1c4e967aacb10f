"""Read one packaged TOML data file and validate it, turning every failure into a one-line error.

Why here and not in :mod:`apkscan.knowledge.rules`: the complaint data files (loan caps, evidence kinds) use the same
declarative ``Field`` schema as the rule table but raise their own ``RuleTableError`` subclasses. This is the small
read/parse/check step they share until the data-file schemas are gathered into one mechanism.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from apkscan.complaint.errors import one_line
from apkscan.knowledge.schema import RuleTableError, SchemaError


def packaged(name: str) -> Path:
    """A data file shipped inside the package (``apkscan/data/<name>``)."""
    return Path(str(resources.files("apkscan").joinpath("data", name)))


def read_checked(
    path: Path, check: Callable[[dict[str, Any]], None], error: type[RuleTableError]
) -> tuple[dict[str, Any], bytes]:
    """Return the parsed document and its bytes; raise ``error`` with ``<file>: <key>: <problem>`` on any problem."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{label}: cannot read file: {exc.strerror or exc}") from exc
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{label}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{label}: TOML syntax error: {one_line(str(exc))}") from exc
    try:
        check(doc)
    except SchemaError as exc:
        raise error(f"{label}: {one_line(str(exc))}") from exc
    return doc, raw
