"""``apkscan batch DIR``: audit a whole folder in parallel, resumably, into one database and index page.

Wiring only; the work is in :mod:`apkscan.batch.runner`. Exit codes: 0 the batch ran (even when some files failed:
they are rows in the report, not a failure of the command) · 1 the batch itself could not run (workers cannot start,
OUTDIR cannot be written or is in use by another batch) · 2 usage error (including an OUTDIR database that is not
apkscan's) · 130 interrupted by Ctrl-C (what finished is kept).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apkscan.batch.executor import ExecutorError, available_executors, default_jobs
from apkscan.batch.lock import BusyError
from apkscan.batch.progress import Progress
from apkscan.batch.runner import BatchConfig, run_batch
from apkscan.batch.store import StoreError
from apkscan.cli.shared import EXIT_USAGE, make_options, scan_options
from apkscan.knowledge.rules import RuleTableError

EXIT_FAILED, EXIT_INTERRUPTED = 1, 130


def _check_folders(directory: Path, outdir: Path) -> None:
    root, out = directory.resolve(), outdir.resolve()
    if out == root or out in root.parents:
        raise click.BadParameter(
            f"{outdir} is {directory} or contains it; choose an output folder outside it "
            "(or inside it: that subfolder is then not scanned)",
            param_hint="-o/--outdir",
        )
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{outdir} exists and is not a folder", param_hint="-o/--outdir")


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, exists=True, file_okay=False))
@scan_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help=f"Worker processes (default: the number of cores, {default_jobs()} here).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds one file may take before its worker is killed and the file recorded as failed.",
)
@click.option(
    "--max-memory",
    "max_memory",
    type=click.IntRange(min=64),
    default=4096,
    show_default=True,
    help="Address-space limit per worker, in MB; a file that needs more is recorded as failed.",
)
@click.option(
    "--resume/--no-resume",
    default=True,
    show_default=True,
    help="Skip files already scanned into OUTDIR with this apkscan version, rule table and options.",
)
@click.option(
    "--executor",
    "executor",
    type=click.Choice(available_executors()),
    default="local",
    show_default=True,
    help="Where scans run: worker processes on this machine, or a Dask cluster (pip install 'apkscan[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --executor dask: a running Dask scheduler (tcp://HOST:PORT); without it a local cluster of --jobs "
    "workers is started.",
)
def batch(
    directory: Path,
    outdir: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    max_memory: int,
    resume: bool,
    executor: str,
    scheduler: str | None,
    lang: str | None,
    jurisdictions: tuple[str, ...],
    rules_path: Path | None,
    **scan_extra: object,
) -> None:
    """Scan every APK and bundle under DIR (found by content, not name) and write one report per app, plus
    OUTDIR/index.html, summary.csv, results.jsonl and the SQLite database apkscan.sqlite."""
    _check_folders(directory, outdir)
    if scheduler and executor != "dask":
        raise click.BadParameter("a scheduler address needs --executor dask", param_hint="--scheduler")
    options = make_options(lang, jurisdictions, rules_path, **scan_extra)
    config = BatchConfig(
        root=directory,
        outdir=outdir,
        options=options,
        rules_path=rules_path,
        formats=formats,
        jobs=jobs,
        timeout=timeout,
        max_memory_mb=max_memory,
        resume=resume,
        executor=executor,
        executor_options={"scheduler": scheduler} if scheduler else {},
    )
    tty = sys.stderr.isatty()
    try:
        result = run_batch(config, lambda total: Progress(total, sys.stderr, tty), _say)
    except (StoreError, ExecutorError, BusyError, OSError) as err:
        click.echo(f"apkscan: error: {err}", err=True)
        sys.exit(EXIT_USAGE if isinstance(err, StoreError) else EXIT_FAILED)
    except RuleTableError as err:
        raise click.UsageError(f"rule table: {err}") from None
    except KeyboardInterrupt:
        click.echo("apkscan: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(f"index: {result.outputs[0]}")
    click.echo(result.summary_line())
    if result.interrupted:
        sys.exit(EXIT_INTERRUPTED)


def _say(message: str) -> None:
    click.echo(f"apkscan: {message}", err=True)
