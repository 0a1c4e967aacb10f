"""Renderers behind one interface: what a format is, and how apkscan finds the one asked for.

A renderer turns one document — a scan ``report``, a ``complaint``, a ``diff`` — into the bytes of one file. Each
lives in its own module ``apkscan/render/formats/<kind>_<format>.py`` that defines ``RENDERER``; the formats a kind
offers are found by module name without importing them (so ``--help`` stays fast), and a format is imported only
when it is used. Adding a format is adding one module (as pip-audit's ``_format/`` or Datasette's output renderers
do); nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from apkscan.knowledge.rules import RuleTable, load_rules

KINDS = ("report", "complaint", "diff")


class FormatError(ValueError):
    """A format that does not exist for this kind of document, or cannot run here (a missing extra)."""


@dataclass(frozen=True)
class RenderContext:
    """What every renderer may need besides the document: the language to write in and the rule table."""

    lang: str
    rules_table: RuleTable | None = None

    @cached_property
    def rules(self) -> RuleTable:
        return self.rules_table or load_rules()


@dataclass(frozen=True)
class Renderer:
    """One output format of one kind of document."""

    kind: str  # report | complaint | diff
    name: str  # the format's name on the command line: html, json, md, sarif, pdf
    suffix: str  # file name suffix, with the dot
    media_type: str  # for the web front end's downloads
    render: Callable[[Any, RenderContext], bytes]


@cache
def formats(kind: str) -> tuple[str, ...]:
    """Names of the formats available for ``kind``, from the module names in ``render/formats/``."""
    import apkscan.render.formats as package

    prefix = f"{kind}_"
    return tuple(
        sorted(m.name[len(prefix) :] for m in pkgutil.iter_modules(package.__path__) if m.name.startswith(prefix))
    )


def renderer(kind: str, name: str) -> Renderer:
    """The renderer for ``kind`` in format ``name``; :class:`FormatError` when there is none."""
    if name not in formats(kind):
        raise FormatError(f"no {name!r} format for a {kind} (choose from {', '.join(formats(kind))})")
    module = importlib.import_module(f"apkscan.render.formats.{kind}_{name}")
    found: Renderer = module.RENDERER
    return found
