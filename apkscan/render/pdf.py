"""HTML to PDF with WeasyPrint, the real HTML/CSS-to-PDF engine of the Python world (Pango lays out the text).

Why WeasyPrint: it implements CSS paged media (``@page`` margins, running footers, page counters, ``break-before``),
so one template prints the same from a browser and to PDF; it embeds subsets of the fonts it uses, so Chinese comes
out as real, searchable text; and it is a pip dependency (plus Pango, present on common Linux systems). It is an
extra (``apkscan[pdf]``): without it apkscan still writes HTML and says in one line what to install.

Fonts: WeasyPrint finds fonts through fontconfig. A document with Chinese text needs a font that covers it; Debian's
``fonts-noto-cjk`` (Noto Sans/Serif CJK, from the distribution's signed archive, SIL Open Font License) is the one
apkscan's CSS names and CI installs. When fontconfig lists no Chinese font, the PDF is refused with that one line
instead of being written with empty boxes. Nothing is ever fetched: the pages are self-contained and any URL the
engine asks for is refused.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from functools import cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
INSTALL_PDF = "PDF needs WeasyPrint: pip install 'apkscan[pdf]' (HTML is written anyway)"
INSTALL_FONT = "PDF with Chinese text needs a Chinese font: apt-get install fonts-noto-cjk (HTML is written anyway)"


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made on this machine; ``str()`` is the one line saying what to install."""


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"apkscan pages are self-contained; refusing to fetch {url[:80]}")


@cache
def has_cjk_font() -> bool | None:
    """True/False when fontconfig can tell whether a Chinese font is installed; None when it cannot."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.strip())


def html_to_pdf(html: str) -> bytes:
    """Render one self-contained HTML page to PDF bytes; :class:`PdfUnavailable` when this machine cannot."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:  # OSError: WeasyPrint installed but Pango missing
        raise PdfUnavailable(INSTALL_PDF if isinstance(err, ImportError) else f"{INSTALL_PDF} ({err})") from None
    if _CJK.search(html) and has_cjk_font() is False:
        raise PdfUnavailable(INSTALL_FONT)
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
