"""Evidence kinds, their folder-name synonyms and extensions, and the situation checklist, from data.

Why data: the synonyms borrowers use for their folders ("录音", "Call recordings", "通话录音") and what each situation
asks them to keep are knowledge, not code; translators and lawyers extend them without touching Python. The file
is checked against :data:`apkscan.knowledge.complaint_specs.EVIDENCE_KINDS`, which also refuses a synonym or extension
claimed by two kinds, so classification never depends on dictionary order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from apkscan.complaint.errors import EvidenceDataError
from apkscan.knowledge.complaint_specs import EVIDENCE_KINDS, folder_key
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import load_document

__all__ = [
    "EvidenceKinds",
    "Requirement",
    "Situation",
    "default_evidence_kinds_path",
    "folder_key",
    "load_evidence_kinds",
]


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


def default_evidence_kinds_path() -> Path:
    return data_file("evidence_kinds.toml")


def load_evidence_kinds(path: str | Path | None = None) -> EvidenceKinds:
    """Load and validate the evidence-kinds file (``None``: the packaged one). Raises :class:`EvidenceDataError`."""
    file = default_evidence_kinds_path() if path is None else Path(path)
    doc, _ = load_document(file, EVIDENCE_KINDS, error=EvidenceDataError)
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
