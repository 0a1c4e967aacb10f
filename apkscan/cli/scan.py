"""``apkscan scan PATH``: scan one APK or bundle and write its reports.

Exit codes: 0 scanned · 1 a finding reached --fail-on · 2 usage error · 3 the input is not a readable APK.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apkscan.cli.shared import EXIT_FINDINGS, EXIT_INPUT, load_rules_or_exit, make_options, policy_option, scan_options
from apkscan.model import SEVERITY_ORDER, severity_rank
from apkscan.read.errors import InputError


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@scan_options
@policy_option()
@click.option(
    "--fail-on", type=click.Choice(SEVERITY_ORDER), default=None, help="Exit 1 when a finding reaches this severity."
)
def scan(
    path: Path,
    outdir: Path,
    formats: tuple[str, ...],
    lang: str | None,
    jurisdictions: tuple[str, ...],
    rules_path: Path | None,
    code: bool,
    fetch_policy: bool,
    policy_paths: tuple[Path, ...],
    fail_on: str | None,
) -> None:
    """Scan one APK or split bundle (.xapk, .apks, .apkm) and write its reports."""
    from apkscan.api import scan_file  # imported here: androguard costs ~0.5 s that --help and rules need not pay
    from apkscan.render.i18n import say
    from apkscan.render.output import write_reports

    rules = load_rules_or_exit(rules_path)
    options = make_options(
        lang, jurisdictions, rules_path, code=code, fetch_policy=fetch_policy, policy_paths=policy_paths
    )
    try:
        report = scan_file(path, options, rules)
    except InputError as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    warn = lambda line: click.echo(f"apkscan: warning: {line}", err=True)  # noqa: E731
    for written in write_reports(report, outdir, formats, rules, skipped=warn):
        click.echo(str(written))
    s = report.summary
    click.echo(
        f"{report.app.package if report.app else report.input.name}: {s.risk} risk — {say(s.headline, options.lang)}"
    )
    for error in report.errors:
        click.echo(f"apkscan: warning: {error}", err=True)
    if fail_on and any(severity_rank(f.severity) >= severity_rank(fail_on) for f in report.findings):
        sys.exit(EXIT_FINDINGS)
