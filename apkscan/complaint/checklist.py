"""Which evidence each of the four situations asks for, and what the borrower's folder already holds.

Why ids only: the complaint's "what to keep" wording lives with the lead's templates; this module answers the
factual question (for each situation and each requirement, which accepted kinds are present) so the complaint can
say "you still need your repayment records" in either language. The situation -> requirement -> kinds mapping is
data (``[situations]`` in ``apkscan/data/evidence_kinds.toml``), following the situations of the borrower guidance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from apkscan.complaint.evidence import EvidenceInventory
from apkscan.complaint.evidence_data import EvidenceKinds, load_evidence_kinds


@dataclass(frozen=True)
class RequirementCheck:
    id: str  # e.g. "repayment-records"
    kinds: tuple[str, ...]  # kinds that meet it
    present: tuple[str, ...]  # those found in the folder

    @property
    def met(self) -> bool:
        return bool(self.present)


@dataclass(frozen=True)
class SituationCheck:
    id: str  # e.g. "usury-upfront-deduction"
    jurisdiction: str
    requirements: tuple[RequirementCheck, ...]

    @property
    def present(self) -> tuple[str, ...]:
        """Kinds found that count for this situation."""
        return tuple(dict.fromkeys(k for r in self.requirements for k in r.present))

    @property
    def missing(self) -> tuple[str, ...]:
        """Ids of the requirements nothing in the folder meets."""
        return tuple(r.id for r in self.requirements if not r.met)

    @property
    def complete(self) -> bool:
        return not self.missing


def checklist(
    evidence: EvidenceInventory | Iterable[str],
    kinds: EvidenceKinds | None = None,
    situations: Iterable[str] | None = None,
) -> tuple[SituationCheck, ...]:
    """Check an inventory (or a collection of kind ids) against the situations, in data order.

    ``situations`` limits the result to those ids (unknown ids raise ``KeyError``: they are programming errors).
    """
    kinds = kinds or load_evidence_kinds()
    have = set(evidence.kinds if isinstance(evidence, EvidenceInventory) else evidence)
    chosen = kinds.situations
    if situations is not None:
        by_id = {s.id: s for s in kinds.situations}
        chosen = tuple(by_id[sid] for sid in situations)
    return tuple(
        SituationCheck(
            s.id,
            s.jurisdiction,
            tuple(RequirementCheck(r.id, r.kinds, tuple(k for k in r.kinds if k in have)) for r in s.requirements),
        )
        for s in chosen
    )
