"""Command line: argument parsing and wiring only; the work is in :mod:`apkscan.api` and the packages below it.

One module per command (``scan``, ``batch``, ``diff``, ``complaint``, ``policy``, ``rules``, ``schema``, ``serve``);
:mod:`.shared` holds the options several commands take. Exit codes: 0 done · 1 a finding reached --fail-on (scan),
the batch could not run or the server could not start · 2 usage error · 3 the input is not a readable APK.
"""

from __future__ import annotations

import click

from apkscan import __version__
from apkscan.cli.batch import batch
from apkscan.cli.complaint import complaint
from apkscan.cli.diff import diff
from apkscan.cli.policy import policy
from apkscan.cli.rules import rules_command
from apkscan.cli.scan import scan
from apkscan.cli.schema import schema_command
from apkscan.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apkscan")
def main() -> None:
    """Audit Android loan apps for over-collection of personal data."""


for command in (scan, batch, diff, complaint, policy, rules_command, schema_command, serve):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
