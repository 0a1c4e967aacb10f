"""Evidence kinds, their folder-name synonyms and extensions, and the situation checklist, from data.

Why data: the synonyms borrowers use for their folders ("录音", "Call recordings", "通话录音") and what each situation
asks them to keep are knowledge, not code; translators and lawyers extend them without touching Python. The file
is validated with the same ``Field`` mechanism as the rule table, and a synonym or extension claimed by two kinds
is refused, so classification never depends on dictionary order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apkscan.complaint.datafile import packaged, read_checked
from apkscan.complaint.errors import EvidenceDataError
from apkscan.knowledge.schema import (
    JURISDICTION_IDS,
    META,
    TEXT,
    Field,
    SchemaError,
    check_named_tables,
    check_table,
    key_path,
)

_SEPARATORS = re.compile(r"[\s_.\-]+")
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")

KIND = {"folders": Field(list, required=False), "extensions": Field(list, required=False)}
REQUIREMENT = {"id": TEXT, "kinds": Field(list)}
SITUATION = {
    "jurisdiction": Field(str, choices=JURISDICTION_IDS),
    "requirements": Field(list, items=REQUIREMENT),
}
INDEX = {"names": Field(list)}
EVIDENCE_TOP = {"meta": Field(dict), "index": Field(dict), "kinds": Field(dict), "situations": Field(dict)}


def folder_key(name: str) -> str:
    """Normalise a folder name or synonym: NFKC (full-width letters), case-folded, separators collapsed to '-'."""
    return _SEPARATORS.sub("-", unicodedata.normalize("NFKC", name).casefold()).strip("-")


@dataclass(frozen=True)
class Requirement:
    id: str
    kinds: tuple[str, ...]  # any one of these kinds meets the requirement


@dataclass(frozen=True)
class Situation:
    id: str
    jurisdiction: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class EvidenceKinds:
    kinds: tuple[str, ...]  # in file order; "other" is always present
    folders: dict[str, str]  # folder_key(synonym) -> kind
    extensions: dict[str, str]  # lower-case extension without the dot -> kind
    index_names: tuple[str, ...]
    situations: tuple[Situation, ...]

    def kind_for_folder(self, name: str) -> str | None:
        return self.folders.get(folder_key(name))

    def kind_for_name(self, name: str) -> str | None:
        """The kind for a file name's extension, or None."""
        stem, dot, ext = name.rpartition(".")
        return self.extensions.get(ext.lower()) if dot and stem else None

    def resolve(self, word: str) -> str | None:
        """A kind named in an index file: its id or any folder synonym ("截图" -> "screenshot")."""
        word = word.strip()
        return word if word in self.kinds else self.kind_for_folder(word)


def _strings(value: Any, where: str) -> list[str]:
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(key_path(where, i), "expected a non-empty string")
    return value


def check_evidence_document(doc: dict[str, Any]) -> None:
    """Validate a parsed evidence-kinds document, including unique synonyms and known kinds in requirements."""
    check_table(doc, EVIDENCE_TOP, "")
    check_table(doc["meta"], META, "meta")
    check_table(doc["index"], INDEX, "index")
    _strings(doc["index"]["names"], "index.names")
    check_named_tables(doc["kinds"], KIND, "kinds")
    if "other" not in doc["kinds"]:
        raise SchemaError("kinds.other", "missing required kind (files nothing else matches)")
    owner: dict[tuple[str, str], str] = {}
    for kid, kind in doc["kinds"].items():
        for key in ("folders", "extensions"):
            for i, raw in enumerate(_strings(kind.get(key, []), key_path("kinds", kid, key))):
                where = key_path("kinds", kid, key, i)
                norm = folder_key(raw) if key == "folders" else raw
                if key == "extensions" and not _EXTENSION.fullmatch(raw):
                    raise SchemaError(where, f"{raw!r} must be lower-case letters or digits, without the dot")
                if (key, norm) in owner:
                    raise SchemaError(where, f"{raw!r} is already listed under kind {owner[key, norm]!r}")
                owner[key, norm] = kid
    check_named_tables(doc["situations"], SITUATION, "situations")
    for sid, situation in doc["situations"].items():
        for i, req in enumerate(situation["requirements"]):
            where = key_path("situations", sid, "requirements", i, "kinds")
            for j, kind in enumerate(_strings(req["kinds"], where)):
                if kind not in doc["kinds"]:
                    raise SchemaError(key_path(where, j), f"{kind!r} is not a kind defined in [kinds]")


def default_evidence_kinds_path() -> Path:
    return packaged("evidence_kinds.toml")


def load_evidence_kinds(path: str | Path | None = None) -> EvidenceKinds:
    """Load and validate the evidence-kinds file (``None``: the packaged one). Raises :class:`EvidenceDataError`."""
    file = default_evidence_kinds_path() if path is None else Path(path)
    doc, _ = read_checked(file, check_evidence_document, EvidenceDataError)
    kinds = doc["kinds"]
    return EvidenceKinds(
        kinds=tuple(kinds),
        folders={folder_key(name): kid for kid, k in kinds.items() for name in k.get("folders", [])},
        extensions={ext: kid for kid, k in kinds.items() for ext in k.get("extensions", [])},
        index_names=tuple(doc["index"]["names"]),
        situations=tuple(
            Situation(
                sid,
                s["jurisdiction"],
                tuple(Requirement(r["id"], tuple(r["kinds"])) for r in s["requirements"]),
            )
            for sid, s in doc["situations"].items()
        ),
    )
