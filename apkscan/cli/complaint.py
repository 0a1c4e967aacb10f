"""``apkscan complaint APP``: from a scan (or a JSON report) to a complaint document, its letters and an evidence pack.

Exit codes as ``scan``: 0 written · 2 usage error (bad loan figures, schedule, evidence folder, channel) · 3 the input
is neither a readable APK nor an apkscan JSON report. Bad input is refused before anything is written.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from apkscan.cli.shared import (
    EXIT_INPUT,
    EXIT_USAGE,
    default_lang,
    formats_option,
    lang_option,
    load_rules_or_exit,
    outdir_option,
    policy_option,
    rules_option,
    split_choices,
)
from apkscan.model.vocab import JURISDICTIONS

COMPLAINT_FORMATS = ("pdf", "html")


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise click.BadParameter(f"must be more than 0, got {value:g}")
    return value


@click.command("complaint")
@click.argument("app", type=click.Path(path_type=Path, dir_okay=False))
@outdir_option("the complaint, its letters and the evidence pack")
@lang_option("the complaint")
@click.option(
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    callback=split_choices(JURISDICTIONS),
    help="Whose rules to cite and whose offices to write to (default: cn + google-play in Chinese, "
    "google-play in English).",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    callback=split_choices(None),
    help="Write to these channels (ids from channels.toml; default: those that fit the findings).",
)
@click.option(
    "--evidence",
    "evidence_dir",
    type=click.Path(path_type=Path),
    help="Folder of your evidence (screenshots, recordings, chats, contract, transfers…).",
)
@policy_option()
@rules_option()
@click.option("--contract-amount", type=float, callback=_positive, help="Loan amount written in the contract.")
@click.option("--received", type=float, callback=_positive, help="Money you actually received.")
@click.option("--repay", type=float, callback=_positive, help="Total you repaid (or must repay).")
@click.option("--days", type=click.IntRange(min=1), help="Days between receiving and repaying.")
@click.option(
    "--schedule",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV of date,amount (received negative, repayments positive) for an instalment loan.",
)
@click.option(
    "--loan-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the loan (decides which caps applied; default: the schedule's first date or today).",
)
@formats_option(COMPLAINT_FORMATS, "pdf,html")
def complaint(app: Path, outdir: Path, lang: str | None, jurisdictions: tuple[str, ...], channels: tuple[str, ...],
              evidence_dir: Path | None, policy_paths: tuple[Path, ...], rules_path: Path | None,
              contract_amount: float | None, received: float | None, repay: float | None, days: int | None,
              schedule: Path | None, loan_date: object, formats: tuple[str, ...]) -> None:  # fmt: skip
    """Write a complaint about APP (an APK, a bundle, or a JSON report from apkscan scan/batch): a short
    document with the app's identity, what it can do that it must not, the loan's real cost, your evidence and
    ready-to-send letters, as PDF and HTML, plus an evidence pack (zip with manifest and SHA256SUMS)."""
    from apkscan.api import write_complaint
    from apkscan.complaint.document import ComplaintRequest, LoanFigures
    from apkscan.complaint.errors import ComplaintInputError
    from apkscan.knowledge.rules import RuleTableError
    from apkscan.model import ScanOptions
    from apkscan.read.errors import InputError

    lang = lang or default_lang()
    if evidence_dir is not None and not evidence_dir.is_dir():
        raise click.BadParameter(f"{evidence_dir} is not a folder", param_hint="--evidence")
    rules = load_rules_or_exit(rules_path)
    loan_day = loan_date.date() if isinstance(loan_date, date) and hasattr(loan_date, "date") else None
    figures = LoanFigures(contract_amount, received, repay, days, schedule, loan_day)
    request = ComplaintRequest(lang, jurisdictions, channels, figures, evidence_dir)
    options = ScanOptions(lang=lang, rules_path=rules_path, policy_paths=policy_paths)
    try:
        result = write_complaint(app, request, outdir, formats, options, rules)
    except InputError as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    except (ComplaintInputError, RuleTableError) as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_USAGE)
    for path in result.files.values():
        click.echo(str(path))
    click.echo(f"manifest.json SHA-256 {result.manifest_sha256}")
    for warning in result.warnings:
        click.echo(f"apkscan: warning: {warning}", err=True)
