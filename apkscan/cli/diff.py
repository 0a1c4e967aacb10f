"""``apkscan diff OLD NEW``: what changed between two versions of an app (APKs, bundles or JSON reports).

Exit codes: 0 written · 2 usage error · 3 an input is neither a readable APK nor an apkscan JSON report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apkscan.cli.shared import EXIT_INPUT, default_lang, formats_option, lang_option, load_rules_or_exit, outdir_option
from apkscan.read.errors import InputError


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@outdir_option("the diff")
@formats_option(("html", "json"), "html,json")
@lang_option("the diff")
@click.option("--code/--no-code", default=True, show_default=True, help="Scan the DEX code of APK inputs.")
def diff(old: Path, new: Path, outdir: Path, formats: tuple[str, ...], lang: str | None, code: bool) -> None:
    """Compare two versions of an app, OLD first: permissions, data read by the code, SDKs, upload endpoints,
    privacy policy, findings and the signing key (with key-rotation lineage)."""
    from apkscan.api import diff_files
    from apkscan.model.options import ScanOptions
    from apkscan.render.i18n import say
    from apkscan.render.output import write_diff

    lang = lang or default_lang()
    rules = load_rules_or_exit(None)
    try:
        result = diff_files(old, new, ScanOptions(lang=lang, code=code), rules)
    except InputError as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    for written in write_diff(result, outdir, formats, lang, rules):
        click.echo(str(written))
    click.echo(say(result.headline, lang))
