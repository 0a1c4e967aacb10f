"""Errors raised while reading an input file.

One exception type with a one-line, user-facing message: the CLI prints it as is and exits 3, and the batch
runner records it as the file's error row. Nothing below the read layer should let a raw zipfile/androguard
exception escape.
"""


class InputError(Exception):
    """The input could not be read as an APK or bundle; ``str(err)`` is the one-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def one_line(err: BaseException) -> str:
    """``Type: message`` on one line, short enough for a table cell and a log line (hostile input makes odd ones)."""
    text = " ".join(str(err).split())
    name = type(err).__name__
    return (f"{name}: {text}" if text else name)[:500]
