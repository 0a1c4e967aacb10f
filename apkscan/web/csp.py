"""The Content-Security-Policy every response carries, with the hashes of the only inline code a page may run.

Pages are self-contained (the report renderers inline their CSS and a small table-sorting script), so the policy
cannot say ``'self'`` and be done; and ``'unsafe-inline'`` would let any markup that slipped past escaping run.
Instead the policy lists the SHA-256 of each inline block *as apkscan's templates write it*, computed here from the
templates themselves: a ``<script>`` an upload managed to smuggle into a page would have another hash and not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from apkscan.render.templating import environment, stylesheet

_BLOCK = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1>", re.S | re.I)


def source_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_blocks(html: str) -> list[tuple[str, str]]:
    """Every inline ``(tag, content)`` of a page: what the browser will hash and compare with the policy."""
    return [(m.group(1).lower(), m.group(2)) for m in _BLOCK.finditer(html)]


@cache
def _report_blocks() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Scripts and styles of the report and complaint pages, as the shared templates write them."""
    macros = environment().get_template("macros.html.j2").module
    script = inline_blocks(str(macros.sort_script()))  # type: ignore[attr-defined]
    styles = (stylesheet(), stylesheet() + stylesheet("complaint.css"))
    return tuple(content for _, content in script), styles


def policy(page_styles: tuple[str, ...] = (), page_scripts: tuple[str, ...] = ()) -> str:
    """The header value: nothing from elsewhere, only these inline blocks, forms only to this server, no framing."""
    scripts, styles = _report_blocks()
    script_src = " ".join(dict.fromkeys(source_hash(s) for s in (*scripts, *page_scripts)))
    style_src = " ".join(dict.fromkeys(source_hash(s) for s in (*styles, *page_styles)))
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        "img-src 'self' data:; "
        "form-action 'self'; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )
