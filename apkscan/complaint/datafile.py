"""Where the complaint library's data files are: shipped inside the package, in ``apkscan/data/``.

Reading and checking them is :func:`apkscan.knowledge.schema.load_document` with their specs from
:mod:`apkscan.knowledge.complaint_specs`, like every other data file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def packaged(name: str) -> Path:
    """A data file shipped inside the package (``apkscan/data/<name>``)."""
    return Path(str(resources.files("apkscan").joinpath("data", name)))
