"""Code families: group apps whose own code is the same or nearly so, whatever their names and keys.

Re-skins -- the same code under a new package name, label and signing key, shipped once the old app
is reported -- are found by comparing the feature sets of :mod:`apkscan.extract.code.signature`.
Comparing every pair of 1,000 apps' full sets would dominate a batch, so each set is reduced to a
fixed-size MinHash sketch and candidate pairs come from locality-sensitive hashing:

* **sketch** -- one-permutation MinHash (Li, Owen & Zhang, 2012): each feature is hashed once
  (BLAKE2b, 64 bits), its low bits choose one of :data:`BINS` bins and each bin keeps its smallest
  value; empty bins (small apps) are filled by rotation densification (Shrivastava & Li, 2014) so that
  two sketches compare bin by bin. The share of equal bins estimates the Jaccard similarity of the
  two feature sets (standard error about ``sqrt(J(1-J)/BINS)``, 0.04 at J = 0.5);
* **banding** -- :data:`BANDS` bands of :data:`ROWS` bins; apps with an identical band land in the
  same bucket. A pair at similarity J shares at least one band with probability
  ``1 - (1 - J**ROWS)**BANDS``: 0.996 at J = 0.5 (the threshold), 0.93 at J = 0.4, 0.04 at J = 0.1;
* **grouping** -- apps sharing a bucket are compared (each pair once, and not at all once they are
  already linked) and linked when at or above :data:`THRESHOLD` (union-find, so two versions that
  each differ from a third by 30 % still meet through it). A bucket larger than :data:`MAX_PAIRWISE`
  is compared against one representative per group, to bound the cost of a huge family.

The threshold is measured (tests/bench/bench_families.py): re-skins and updates of the samples are at
0.82-0.93, apps that embed part of another's code at 0.21-0.23, unrelated apps below 0.35.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apkscan.model.lender import FamilySketch

BINS = 128
ROWS = 3
BANDS = BINS // ROWS  # 42 bands of 3 bins (the last 2 bins only count in the similarity)
THRESHOLD = 0.5
#: Apps with fewer own-code features (packed apps, stubs) are never grouped: there is nothing to compare.
MIN_FEATURES = 8
#: Buckets up to this size are compared pair by pair; larger ones against one representative per group.
MAX_PAIRWISE = 64
_SHIFT = (BINS - 1).bit_length()
_EMPTY = (1 << 64) - 1
_STEP = 1 << (64 - _SHIFT)  # densified values are offset by multiples of this: above any real bin value


@dataclass(frozen=True, slots=True)
class FamilySignature:
    """A MinHash sketch of an app's own-code features (``features`` = size of the set).

    A small set (at most :data:`BINS` features) also keeps its feature hashes: there the sketch is
    mostly densified copies and its estimate is poor (0.52 for an exact 0.33 on two 10-feature
    samples), while the exact Jaccard costs no more than the sketch.
    """

    bins: tuple[int, ...]
    features: int
    hashes: tuple[int, ...] = ()

    def to_hex(self) -> str:
        """Compact text form for a database column (16 hex digits per value)."""
        return (
            f"{self.features:x}:"
            + "".join(f"{b:016x}" for b in self.bins)
            + ":"
            + "".join(f"{h:016x}" for h in self.hashes)
        )

    @classmethod
    def from_hex(cls, text: str) -> FamilySignature:
        count, body, small = (text.split(":") + ["", ""])[:3]
        if len(body) != 16 * BINS or len(small) % 16:
            raise ValueError(f"a family signature has {BINS} bins of 16 hex digits")
        return cls(
            tuple(int(body[i : i + 16], 16) for i in range(0, len(body), 16)),
            int(count, 16),
            tuple(int(small[i : i + 16], 16) for i in range(0, len(small), 16)),
        )


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    members: tuple[str, ...]  # keys as given (e.g. SHA-256 of the APKs), sorted


def sketch(features: Iterable[str]) -> FamilySignature:
    """One-permutation MinHash with rotation densification."""
    bins = [_EMPTY] * BINS
    mask = BINS - 1
    hashes = {
        int.from_bytes(hashlib.blake2b(f.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        for f in features
    }
    count = len(hashes)
    for h in hashes:
        b = h & mask
        v = h >> _SHIFT
        if v < bins[b]:
            bins[b] = v
    if count and _EMPTY in bins:
        filled = list(bins)
        for i in range(BINS):
            if bins[i] != _EMPTY:
                continue
            for distance in range(1, BINS):
                j = (i + distance) % BINS
                if bins[j] != _EMPTY:
                    filled[i] = bins[j] + distance * _STEP
                    break
        bins = filled
    return FamilySignature(tuple(bins), count, tuple(sorted(hashes)) if count <= BINS else ())


def similarity(a: FamilySignature, b: FamilySignature) -> float:
    """Estimated Jaccard similarity of the two feature sets (0 when either is empty)."""
    if not a.features or not b.features:
        return 0.0
    if a.hashes and b.hashes:
        small_a, small_b = set(a.hashes), set(b.hashes)
        return len(small_a & small_b) / len(small_a | small_b)
    estimate = sum(x == y for x, y in zip(a.bins, b.bins, strict=True)) / BINS
    # |A∩B| <= min(|A|,|B|) and |A∪B| >= max(|A|,|B|) bound the similarity of sets of unequal size
    return min(estimate, min(a.features, b.features) / max(a.features, b.features))


def group_families(signatures: Mapping[str, FamilySignature], threshold: float = THRESHOLD) -> list[Family]:
    """Families of the given apps (every app is in exactly one; most are alone), largest first."""
    keys = sorted(signatures)
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    buckets: dict[tuple[int, tuple[int, ...]], list[str]] = {}
    for key in keys:
        sig = signatures[key]
        if sig.features < MIN_FEATURES:
            continue
        for band in range(BANDS):
            buckets.setdefault((band, sig.bins[band * ROWS : (band + 1) * ROWS]), []).append(key)
    compared: set[tuple[str, str]] = set()

    def link(a: str, b: str) -> None:
        if find(a) == find(b) or (a, b) in compared:
            return
        compared.add((a, b))
        if similarity(signatures[a], signatures[b]) >= threshold:
            parent[find(b)] = find(a)

    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_PAIRWISE:
            # every pair, except those already linked: a family's members join in one comparison each
            for i, key in enumerate(members):
                for other in members[:i]:
                    link(other, key)
            continue
        reps: list[str] = []  # a huge bucket: compare with one representative per group found so far
        for key in members:
            for rep in reps:
                link(rep, key)
                if find(rep) == find(key):
                    break
            else:
                reps.append(key)
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(find(key), []).append(key)
    firsts = [min(m) for m in groups.values()]
    width = 12  # ids stay short, and stay distinct when keys share a prefix (crafted hashes, test keys)
    while len({f[:width] for f in firsts}) < len(firsts) and width < max(map(len, firsts)):
        width += 4
    families = [
        Family(f"family-{first[:width]}", tuple(sorted(m))) for first, m in zip(firsts, groups.values(), strict=True)
    ]
    return sorted(families, key=lambda f: (-len(f.members), f.id))


def family_of(families: Iterable[Family]) -> dict[str, str]:
    """Member key -> family id."""
    return {member: fam.id for fam in families for member in fam.members}


def family_sketch(features: Iterable[str], classes: int) -> FamilySketch:
    """The report's ``family`` block: the sketch of the own-code features in its compact text form."""
    sig = sketch(features)
    return FamilySketch(sig.features, classes, sig.to_hex())


def signature_of(family: FamilySketch) -> FamilySignature | None:
    """The sketch of a report back as a signature; None when it is malformed (a report from a stranger)."""
    try:
        return FamilySignature.from_hex(family.sketch)
    except ValueError:
        return None
