"""Options and helpers shared by the CLI commands (``scan`` and ``batch`` take the same scan options)."""

from __future__ import annotations

import locale
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from apkscan.knowledge.rules import RuleTable, RuleTableError, load_rules
from apkscan.model import JURISDICTIONS
from apkscan.model.options import ScanOptions
from apkscan.model.vocab import LANGUAGES as LANGS
from apkscan.render import FORMATS

EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])


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


def outdir_option(what: str) -> Callable[[F], F]:
    """``-o/--outdir``: where a command writes (default ``reports/``); ``what`` says what lands there."""
    return click.option(
        "-o",
        "--outdir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("reports"),
        show_default=True,
        help=f"Folder for {what}.",
    )


def formats_option(allowed: tuple[str, ...], default: str) -> Callable[[F], F]:
    """``--format a,b``: comma-separated, repeatable, checked against ``allowed``."""
    return click.option(
        "--format",
        "formats",
        multiple=True,
        default=(default,),
        show_default=True,
        callback=split_choices(allowed),
        help="Formats, comma-separated.",
    )


def lang_option(what: str = "the output") -> Callable[[F], F]:
    """``--lang zh|en``: the language words are written in (default: from the locale)."""
    return click.option("--lang", type=click.Choice(LANGS), default=None, help=f"Language of {what} (default: locale).")


def rules_option() -> Callable[[F], F]:
    """``--rules FILE``: the user's own rule table instead of the packaged one."""
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="Use this rule table (TOML) instead of the bundled one.",
    )


def policy_option() -> Callable[[F], F]:
    """``--policy FILE``: the app's privacy policy, repeatable."""
    return click.option(
        "--policy",
        "policy_paths",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="The app's privacy policy (HTML, text or Markdown); repeatable.",
    )


def scan_options(func):
    """Options shared by ``scan`` and ``batch``: output folder, formats, language, rules cited."""
    decorators = [
        outdir_option("the reports"),
        formats_option(FORMATS, "html,json"),
        lang_option("the reports"),
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
        rules_option(),
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
