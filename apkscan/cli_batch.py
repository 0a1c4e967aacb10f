"""``apkscan batch``: placeholder until the batch runner lands (issue 5)."""

from __future__ import annotations

import click


@click.command(hidden=True)
def batch() -> None:
    """Audit a whole folder (not yet available)."""
    raise click.UsageError("apkscan batch is not available yet")
