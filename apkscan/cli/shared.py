"""Options and helpers shared by the CLI commands (``scan`` and ``batch`` take the same scan options)."""

from __future__ import annotations

import locale
import os
from pathlib import Path

import click

from apkscan.knowledge.rules import RuleTable, RuleTableError, load_rules
from apkscan.model import JURISDICTIONS
from apkscan.model.options import ScanOptions
from apkscan.model.vocab import LANGUAGES as LANGS
from apkscan.render import FORMATS

EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 1, 2, 3


def split_choices(allowed: tuple[str, ...] | None):
    """A click callback for comma-separated, repeatable choices (``--format html,json``); ``None`` allows any."""

    def callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(v.strip() for raw in value for v in raw.split(",") if v.strip()))
        bad = [v for v in items if allowed is not None and v not in allowed]
        if bad:
            raise click.BadParameter(f"{', '.join(bad)} (choose from {', '.join(allowed or ())})")
        return items

    return callback


def load_rules_or_exit(path: Path | None) -> RuleTable:
    try:
        return load_rules(path)
    except RuleTableError as err:
        raise click.UsageError(f"rule table: {err}") from None


def scan_options(func):
    """Options shared by ``scan`` and ``batch``: output folder, formats, language, rules cited."""
    decorators = [
        click.option(
            "-o",
            "--outdir",
            type=click.Path(path_type=Path, file_okay=False),
            default=Path("reports"),
            show_default=True,
            help="Folder for the reports.",
        ),
        click.option(
            "--format",
            "formats",
            multiple=True,
            default=("html,json",),
            show_default=True,
            callback=split_choices(FORMATS),
            help="Report formats, comma-separated.",
        ),
        click.option(
            "--lang", type=click.Choice(LANGS), default=None, help="Report language (default: from the locale)."
        ),
        click.option(
            "--jurisdiction",
            "jurisdictions",
            multiple=True,
            default=("all",),
            show_default=True,
            callback=split_choices(("all", *JURISDICTIONS)),
            help="Whose rules to cite, comma-separated.",
        ),
        click.option(
            "--code/--no-code",
            default=True,
            show_default=True,
            help="Look for call sites of sensitive APIs in the DEX code.",
        ),
        click.option(
            "--fetch-policy",
            is_flag=True,
            default=False,
            help="Download the privacy-policy URLs the app names (http/https, public addresses only, 10 s, 5 MiB cap).",
        ),
        click.option(
            "--rules",
            "rules_path",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Use this rule table (TOML) instead of the bundled one.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def make_options(lang: str | None, jurisdictions: tuple[str, ...], rules_path: Path | None, **extra) -> ScanOptions:
    return ScanOptions(lang=lang or default_lang(), jurisdictions=jurisdictions, rules_path=rules_path, **extra)


def default_lang() -> str:
    """zh for a Chinese locale, else en (LC_ALL/LC_MESSAGES/LANG, as gettext reads them)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"
