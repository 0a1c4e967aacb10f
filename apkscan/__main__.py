"""``python -m apkscan`` runs the CLI."""

from apkscan.cli import main

main()
