"""``apkscan serve``: the web front end on this machine (``apkscan[web]``), served by uvicorn.

The web stack is imported only when the command runs, so ``apkscan --help`` stays fast and ``apkscan serve``
without the extra says in one line what to install. Exit codes: 0 stopped · 1 cannot run (the extra is missing, the
port is taken, the data folder cannot be used) · 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apkscan.cli.shared import load_rules_or_exit, rules_option

INSTALL = "apkscan serve needs the web extra: pip install 'apkscan[web]'"


def _banner(host: str, port: int, token: str | None, generated: bool, config: object) -> None:
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    say = lambda line="": click.echo(line, err=True)  # noqa: E731
    if token is None:
        say(f"apkscan serve: open {url} (only this machine can connect)")
    else:
        rule = "!" * 78
        say(rule)
        say(f"apkscan serve is listening on {host}:{port}: OTHER MACHINES CAN CONNECT.")
        say("It holds borrowers' APKs, complaints and evidence. Every request must carry the access token:")
        say(f"  browsers: open {url}?token={token}")
        say(f"  programs: Authorization: Bearer {token}")
        if generated:
            say("(a new token was generated for this start; give --token to keep one)")
        say("Use it only on a network you trust, or behind an HTTPS reverse proxy.")
        say(rule)
    retention = getattr(config, "retention_days", 30)
    data = getattr(config, "data", "")
    say(f"data: {data} (uploads and evidence are deleted after {retention:g} days); Ctrl-C stops")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (others need a token).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("apkscan-data"),
    show_default=True,
    help="Folder for the store (apkscan.sqlite), uploads, evidence and complaints.",
)
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True, help="Scans at once.")
@click.option("--max-upload", type=click.IntRange(min=1), default=200, show_default=True, help="Upload cap, MB.")
@click.option(
    "--retention",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Days after which uploads, evidence and complaints are deleted.",
)
@click.option("--token", default=None, help="Access token every request must carry (required off loopback).")
@click.option(
    "--fetch-policy",
    is_flag=True,
    default=False,
    help="Let scans download the privacy-policy URLs an app names (public addresses only, as scan --fetch-policy).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True, help="Seconds per job."
)
@click.option("--max-memory", type=click.IntRange(min=256), default=4096, show_default=True, help="MB per worker.")
@rules_option()
def serve(host: str, port: int, data: Path, jobs: int, max_upload: int, retention: float, token: str | None,
          fetch_policy: bool, timeout: float, max_memory: int, rules_path: Path | None) -> None:  # fmt: skip
    """Serve the web front end: upload an APK in a browser, get the verdict, the report and a complaint pack."""
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        click.echo(f"apkscan: error: {INSTALL}", err=True)
        sys.exit(1)
    from apkscan.web.app import create_app
    from apkscan.web.config import ServeConfig, access_token

    if token is not None and len(token) < 16:
        raise click.BadParameter("use at least 16 characters", param_hint="--token")
    token, generated = access_token(host, token)
    rules = load_rules_or_exit(rules_path)
    config = ServeConfig(host, port, data, jobs, max_upload, retention, token, fetch_policy, timeout, max_memory,
                         rules_path)  # fmt: skip
    try:
        app = create_app(config, rules)
    except OSError as err:
        click.echo(f"apkscan: error: {data}: {err.strerror or err}", err=True)
        sys.exit(1)
    _banner(host, port, token, generated, config)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
    )
    server.run()
    if not server.started:
        sys.exit(1)
