"""What a scan found out about the lender itself: is it a lending app, what its code does with the address book, and
the compact sketch of its own code that groups re-skins into families.

Plain data only: the evaluation stage fills it (:mod:`apkscan.evaluate.lending`, :mod:`apkscan.evaluate.harvest`,
:mod:`apkscan.evaluate.families`), the JSON report writes it (``app.lending``, ``harvest``, ``family``) and the batch
stores its columns. :class:`AppText` is the input of the text checks and never written out.
"""

from __future__ import annotations

from dataclasses import dataclass

from apkscan.model.code import TextHit


@dataclass(frozen=True)
class LendingEvidence:
    """One word that makes the app look like a lender (or like something else, when ``weight`` is negative)."""

    term: str
    lang: str
    weight: float  # after the place multiplier
    where: str  # label | package | activity | resource | dex | sdk
    text: str  # the string it was found in, shortened around the word
    detail: str = ""  # DEX file and calling method, activity class, SDK kind, "after undoing look-alike letters"


@dataclass(frozen=True)
class LendingVerdict:
    """``decision``: yes | unsure | no. ``code_read`` is False when DEX strings and SDKs could not be searched."""

    decision: str
    score: float
    evidence: tuple[LendingEvidence, ...] = ()
    code_read: bool = True

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({e.lang for e in self.evidence if e.lang}))


@dataclass(frozen=True)
class AccessReading:
    """How the code reaches one data category: its most invasive access and where."""

    category: str
    access: str  # bulk | read | lookup | receiver | picker (model.vocab.API_ACCESS)
    sites: int
    sdk_only: bool
    iterates: bool  # a method reading it walks the cursor in a loop
    callers: tuple[str, ...] = ()  # a few caller descriptors
    uploads: tuple[str, ...] = ()  # upload endpoints naming this category


@dataclass(frozen=True)
class HarvestReading:
    """Harvesting versus looking up. ``harassment`` is one of :data:`apkscan.model.vocab.HARASSMENT_READINGS`:
    harvests (the address book read in bulk and a way to send it out), enumerates (read in bulk, no way out found),
    looks_up (only lookups, pickers or receivers), no_contacts_code, unknown (code hidden or not read)."""

    harassment: str
    code_complete: bool
    upload_path: bool
    upload_evidence: tuple[str, ...] = ()
    categories: tuple[AccessReading, ...] = ()

    def category(self, name: str) -> AccessReading | None:
        return next((c for c in self.categories if c.category == name), None)


@dataclass(frozen=True)
class FamilySketch:
    """A MinHash sketch of the app's own code (SDKs and libraries left out), for grouping re-skins.

    ``sketch`` is the compact text form of :class:`apkscan.evaluate.families.FamilySignature`.
    """

    features: int
    classes: int
    sketch: str


@dataclass(frozen=True)
class AppText:
    """Where an app describes itself: the input of the lending and promise checks (not part of the report)."""

    package: str = ""
    label: str = ""
    label_zh: str = ""
    activities: tuple[str, ...] = ()
    #: every string value of every locale (global string pool of each part)
    resource_strings: tuple[str, ...] = ()
    #: DEX strings holding a vocabulary needle, with their callers
    dex_texts: tuple[TextHit, ...] = ()
    #: third-party SDKs found in the code: (id, kind)
    sdks: tuple[tuple[str, str], ...] = ()
    #: False when the code was not read (``--no-code``) or could not be
    code_read: bool = True
