"""``apkscan policy FILE…``: read a privacy policy on its own, for a borrower who only has the policy page."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from apkscan.model.policy import PolicyAnalysis

from apkscan.cli.shared import EXIT_INPUT, LANGS, default_lang
from apkscan.knowledge.rules import load_rules


@click.command("policy")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Language of the summary.")
def policy(files: tuple[Path, ...], as_json: bool, lang: str | None) -> None:
    """Say, per data category, whether a privacy policy admits, denies or is silent about collecting it."""
    from apkscan.evaluate.policy.analysis import analyse_policy
    from apkscan.read.policy.file import PolicyInputError, read_policy_file

    try:
        docs = [read_policy_file(f) for f in files]
    except PolicyInputError as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    analysis = analyse_policy(docs)
    if as_json:
        click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_summary(analysis, lang or default_lang())


def _print_summary(analysis: PolicyAnalysis, lang: str) -> None:
    from apkscan.render.i18n import name_of, t

    categories = load_rules().categories
    click.echo(f"{analysis.source} · {analysis.language} · {analysis.sentences_analysed} · {analysis.sha256[:16]}")
    for cat, statement in analysis.categories.items():
        if statement.status == "silent":
            continue
        name = categories[cat].name.get(lang) if cat in categories else cat
        purposes = ", ".join(name_of("purpose", p, lang) for p in statement.purposes)
        click.echo(f"{name}: {t('policy_status.' + statement.status, lang)}" + (f" ({purposes})" if purposes else ""))
        for quote in statement.quotes[:2]:
            click.echo(f"    “{quote.sentence}”" + (f" — {quote.section}" if quote.section else ""))
    for party in analysis.third_party:
        what = ", ".join(categories[c].name.get(lang) if c in categories else c for c in party.categories)
        who = f"{party.name} ({party.company})" if party.company else party.name
        click.echo(f"{t('html.policy_third_party', lang)}: {who}" + (f" — {what}" if what else ""))
    for quote in analysis.contacts_contacted:
        click.echo(f"{t('html.contacts_contacted', lang)}: “{quote.sentence}”")
    for warning in analysis.warnings:
        click.echo(f"apkscan: warning: {warning}", err=True)
