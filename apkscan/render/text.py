"""Small helpers for showing hostile text: file names and strings that came from an APK or a stranger's folder."""

from __future__ import annotations


def printable(text: str) -> str:
    """Show control characters of hostile file names (newline, escape…) as ``\\n``-style escapes, on one line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
