"""``apkscan schema``: print the JSON Schema of the report (the contract integrators check against)."""

from __future__ import annotations

import click

from apkscan.knowledge.packaged import SCHEMAS, schema_text
from apkscan.render.schema_doc import markdown_table


@click.command("schema")
@click.argument("name", type=click.Choice(tuple(SCHEMAS)), default="report")
@click.option("--markdown", is_flag=True, help="Print the field table that README.md shows instead.")
def schema_command(name: str, markdown: bool) -> None:
    """Print the JSON Schema of the JSON report (apkscan.report/1) or of the diff (apkscan.diff/1)."""
    click.echo(markdown_table(name) if markdown else schema_text(name), nl=False)
