"""``apkscan rules``: print the rule table, what a lending app may request and why."""

from __future__ import annotations

from pathlib import Path

import click

from apkscan.cli.shared import LANGS, default_lang, load_rules_or_exit
from apkscan.knowledge.rules import VERDICTS
from apkscan.model import JURISDICTIONS


@click.command("rules")
@click.option("--category", help="Only this data category (e.g. contacts).")
@click.option("--verdict", type=click.Choice(VERDICTS), help="Only this verdict.")
@click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help="Only rules citing this jurisdiction.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--lang", type=click.Choice(LANGS), default=None)
def rules_command(
    category: str | None, verdict: str | None, jurisdiction: str | None, rules_path: Path | None, lang: str | None
) -> None:
    """Print the rule table: what a lending app may request, and why."""
    table = load_rules_or_exit(rules_path)
    lang = lang or default_lang()
    if category and category not in table.categories:
        raise click.BadParameter(
            f"unknown category {category!r} (choose from {', '.join(table.categories)})", param_hint="--category"
        )
    click.echo(f"# {table.name} {table.version} (sha256 {table.sha256[:16]}…)")
    for rule in table.permissions.values():
        refs = rule.references_for([jurisdiction] if jurisdiction else None)
        if (
            (category and rule.category != category)
            or (verdict and rule.verdict != verdict)
            or (jurisdiction and not refs)
        ):
            continue
        cites = ", ".join(sorted({r.jurisdiction for r in refs}))
        click.echo(f"{rule.name}\t{rule.category}\t{rule.verdict}\t{rule.severity}\t{cites}")
        click.echo(f"    {rule.reason.get(lang)}")
