"""What changed between two versions of an app (``apkscan diff``): the comparison core is :mod:`.core`."""

from .core import (
    HEADLINES,
    SIGNER_RELATIONS,
    FindingChange,
    PermissionChange,
    PolicyChange,
    ReportDiff,
    SdkChange,
    Side,
    SignerChange,
    diff_reports,
)

__all__ = [
    "HEADLINES",
    "SIGNER_RELATIONS",
    "FindingChange",
    "PermissionChange",
    "PolicyChange",
    "ReportDiff",
    "SdkChange",
    "Side",
    "SignerChange",
    "diff_reports",
]
