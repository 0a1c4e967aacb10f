"""Command line: argument parsing and wiring only; the work is in :mod:`apkscan.api`.

Exit codes: 0 scanned · 1 a finding reached --fail-on · 2 usage error · 3 the input is not a readable APK.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apkscan import __version__
from apkscan.cli_batch import batch
from apkscan.cli_options import EXIT_FINDINGS, EXIT_INPUT, load_rules_or_exit, make_options, scan_options
from apkscan.cli_policy import policy
from apkscan.evaluate.rules import VERDICTS
from apkscan.i18n import LANGS, default_lang
from apkscan.model import JURISDICTIONS, SEVERITY_ORDER, severity_rank
from apkscan.read.errors import InputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apkscan")
def main() -> None:
    """Audit Android loan apps for over-collection of personal data."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@scan_options
@click.option("--policy", "policy_paths", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The app's privacy policy (HTML, text or Markdown); repeatable.")
@click.option("--fail-on", type=click.Choice(SEVERITY_ORDER), default=None,
              help="Exit 1 when a finding reaches this severity.")
def scan(path: Path, outdir: Path, formats: tuple[str, ...], lang: str | None, jurisdictions: tuple[str, ...],
         rules_path: Path | None, code: bool, fetch_policy: bool, policy_paths: tuple[Path, ...],
         fail_on: str | None) -> None:
    """Scan one APK or split bundle (.xapk, .apks, .apkm) and write its reports."""
    from apkscan.api import scan_file  # imported here: androguard costs ~0.5 s that --help and rules need not pay
    from apkscan.render.output import write_reports

    rules = load_rules_or_exit(rules_path)
    options = make_options(lang, jurisdictions, rules_path, code=code, fetch_policy=fetch_policy,
                           policy_paths=policy_paths)
    try:
        report = scan_file(path, options, rules)
    except InputError as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    for written in write_reports(report, outdir, formats, rules):
        click.echo(str(written))
    s = report.summary
    click.echo(f"{report.app.package if report.app else report.input.name}: {s.risk} risk — {s.headline}")
    for error in report.errors:
        click.echo(f"apkscan: warning: {error}", err=True)
    if fail_on and any(severity_rank(f.severity) >= severity_rank(fail_on) for f in report.findings):
        sys.exit(EXIT_FINDINGS)


@main.command("rules")
@click.option("--category", help="Only this data category (e.g. contacts).")
@click.option("--verdict", type=click.Choice(VERDICTS), help="Only this verdict.")
@click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help="Only rules citing this jurisdiction.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--lang", type=click.Choice(LANGS), default=None)
def rules_command(category: str | None, verdict: str | None, jurisdiction: str | None, rules_path: Path | None,
                  lang: str | None) -> None:
    """Print the rule table: what a lending app may request, and why."""
    table = load_rules_or_exit(rules_path)
    lang = lang or default_lang()
    if category and category not in table.categories:
        raise click.BadParameter(f"unknown category {category!r} (choose from {', '.join(table.categories)})",
                                 param_hint="--category")
    click.echo(f"# {table.name} {table.version} (sha256 {table.sha256[:16]}…)")
    for rule in table.permissions.values():
        refs = rule.references_for([jurisdiction] if jurisdiction else None)
        if (category and rule.category != category) or (verdict and rule.verdict != verdict) or (
            jurisdiction and not refs
        ):
            continue
        cites = ", ".join(sorted({r.jurisdiction for r in refs}))
        click.echo(f"{rule.name}\t{rule.category}\t{rule.verdict}\t{rule.severity}\t{cites}")
        click.echo(f"    {rule.reason.get(lang)}")


main.add_command(batch)
main.add_command(policy)

if __name__ == "__main__":  # pragma: no cover
    main()
