"""Read a privacy policy (HTML, plain text or Markdown) into headed text blocks.

Policies reach apkscan as files the borrower saved, as files packed inside an APK and as pages fetched on request.
All three end here, so this module owns the two risky steps: guessing the encoding (Chinese policies are often GBK or
GB18030, not UTF-8) and parsing hostile HTML (lxml with network, DTD loading and entity expansion switched off).
The result keeps the nearest heading of every block so that a finding can say which section it quotes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from apkscan.read.policy.decode import PolicyInputError, check_not_binary, decode_text
from apkscan.read.policy.markup import TEXT_BUDGET, Block, LineParser, classify, parse_html

__all__ = [
    "TEXT_BUDGET",
    "Block",
    "PolicyDocument",
    "PolicyInputError",
    "decode_policy_bytes",
    "read_policy_bytes",
    "read_policy_file",
]

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
PARTIAL_BYTES = 4 * MIB  # of an over-size file we read only this much: the text budget is reached before it ends


@dataclass(frozen=True)
class PolicyDocument:
    source: str
    kind: str  # "html" | "text" | "markdown"
    encoding: str
    sha256: str
    size: int
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------- API
def _decode_checked(data: bytes, source: str, hint: str | None, truncated: bool) -> tuple[str, str, list[str]]:
    if not data.strip():
        raise PolicyInputError(f"{source}: empty file, no policy text")
    text, codec, warnings = decode_text(data, source, hint, truncated)
    check_not_binary(text, source)
    return unicodedata.normalize("NFC", text.lstrip("\ufeff")), codec, warnings


def decode_policy_bytes(data: bytes, source: str) -> str:
    """Just the decoded text (markup included), for a quick "is this a policy at all?" look."""
    return _decode_checked(data, source, None, False)[0]


def read_policy_bytes(
    data: bytes, source: str, *, kind: str | None = None, encoding: str | None = None, truncated_from: int | None = None
) -> PolicyDocument:
    """Decode, classify and parse policy bytes.

    ``kind``/``encoding`` are hints (e.g. from an HTTP Content-Type); ``truncated_from`` is the real size when the
    caller cut the data at a size cap, so that the document records both the cut and the original size.
    """
    truncated = truncated_from is not None
    text, codec, warnings = _decode_checked(data, source, encoding and encoding.lower(), truncated)
    kind = classify(text, source, kind)
    parsed = parse_html(text) if kind == "html" else LineParser(kind == "markdown").parse(text)
    blocks = parsed.blocks
    if truncated:
        warnings.append(
            f"policy is {(truncated_from or 0) / MIB:.1f} MiB, over the size cap; only its first "
            f"{len(data) / MIB:.1f} MiB were read"
        )
    if parsed.full:
        warnings.append(f"policy text is longer than {TEXT_BUDGET:,} characters; only the first part was analysed")
    if not blocks:
        warnings.append("no readable text found in the policy")
    digest = hashlib.sha256(data).hexdigest()
    return PolicyDocument(source, kind, codec, digest, truncated_from or len(data), tuple(blocks), tuple(warnings))


def read_policy_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> PolicyDocument:
    """Read a policy file. A file over ``max_bytes`` is analysed from its beginning (at most PARTIAL_BYTES) with a
    warning: a partial analysis of a bloated page is more use to a borrower than a refusal. Empty or binary files
    raise PolicyInputError."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            data = fh.read(max_bytes if size <= max_bytes else min(max_bytes, PARTIAL_BYTES))
    except FileNotFoundError:
        raise PolicyInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PolicyInputError(f"{path}: is a directory, not a policy file") from None
    except OSError as err:
        raise PolicyInputError(f"{path}: cannot read ({err.strerror or err})") from None
    if size == 0 or not data:
        raise PolicyInputError(f"{path}: empty file, no policy text")
    truncated = size if size > max_bytes else None
    doc = read_policy_bytes(data, str(path), truncated_from=truncated)
    if truncated:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(MIB), b""):
                digest.update(chunk)
        doc = PolicyDocument(doc.source, doc.kind, doc.encoding, digest.hexdigest(), size, doc.blocks, doc.warnings)
    return doc
