"""Errors raised while reading an input file.

One exception type with a one-line, user-facing message: the CLI prints it as is and exits 3, and the batch
runner records it as the file's error row. Nothing below the read layer should let a raw zipfile/androguard
exception escape.

Hostile files choose the names that end up in these messages (zip member names, paths inside bundles), and a name
may hold a newline or a terminal escape; :func:`printable` turns such characters into ``\\x..`` escapes so that a
message stays one line and cannot rewrite a terminal or forge a log line.
"""

import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1, line/paragraph separators) escaped as ``\\xNN``/``\\uNNNN``."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class InputError(Exception):
    """The input could not be read as an APK or bundle; ``str(err)`` is the one-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        reason = printable(reason)
        super().__init__(f"{printable(path)}: {reason}")
        self.path = path
        self.reason = reason


def one_line(err: BaseException) -> str:
    """``Type: message`` on one line, short enough for a table cell and a log line (hostile input makes odd ones)."""
    text = printable(" ".join(str(err).split()))
    name = type(err).__name__
    return (f"{name}: {text}" if text else name)[:500]
