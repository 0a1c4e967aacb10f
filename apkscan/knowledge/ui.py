"""Load the interface text (``apkscan/data/ui.toml``), checked: both languages, the same placeholders in each.

Why this module exists: a translation that drops ``{count}`` or renames it fails only when that sentence is written,
deep inside a report, and a section that names the data categories or verdicts must follow the shared vocabulary.
:data:`apkscan.knowledge.specs.UI` says both, and this loader applies it once per process; renderers look words up
in the returned catalogue (section → name → ``{"en": ..., "zh": ...}``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import load_document
from apkscan.knowledge.specs import UI

__all__ = ["Catalogue", "default_ui_path", "load_ui"]

#: section → name → {"en": ..., "zh": ...}
Catalogue = dict[str, dict[str, dict[str, str]]]


def default_ui_path() -> Path:
    return data_file("ui.toml")


@lru_cache(maxsize=1)
def _packaged() -> Catalogue:
    return load_document(default_ui_path(), UI, "apkscan/data/ui.toml")[0]


def load_ui(path: str | Path | None = None) -> Catalogue:
    """The checked interface text; ``None`` gives the packaged file (parsed once). Raises
    :class:`~apkscan.knowledge.schema.DataFileError` listing every problem."""
    if path is None:
        return _packaged()
    return load_document(Path(path), UI)[0]
