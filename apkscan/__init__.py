"""apkscan: audit Android loan apps for over-collection of personal data.

The public library API lives in :mod:`apkscan.api`; the CLI in :mod:`apkscan.cli` is a thin layer over it.
"""

__version__ = "0.1.0"
