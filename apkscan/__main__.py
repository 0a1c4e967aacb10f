"""``python -m apkscan`` runs the CLI.

Guarded, because processes started with ``spawn`` or a fork server (Dask workers, sandboxes) import the parent's
main module again, and must not run the CLI a second time.
"""

from apkscan.cli import main

if __name__ == "__main__":
    main()
