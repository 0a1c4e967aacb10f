"""Plain data passed between the pipeline stages (read → extract → evaluate → render).

Submodules hold one family each: :mod:`.vocab` the shared lists, :mod:`.app` what the APK says, :mod:`.code` what
its DEX code does, :mod:`.policy` what its privacy policy admits, :mod:`.report` what a scan concluded,
:mod:`.options` what a scan was asked to do and :mod:`.batch` a batch run read back from its database. The most used
names are re-exported here.
"""

from apkscan.model.app import AppFacts, Component, DeclaredPermission, InputFacts, PermissionRequest, Signer
from apkscan.model.options import ScanOptions
from apkscan.model.report import Finding, PermissionVerdict, ReferenceView, Report, RulesInfo, Summary
from apkscan.model.vocab import (
    CATEGORIES,
    JURISDICTIONS,
    RISK_ORDER,
    SEVERITY_ORDER,
    VERDICT_RANK,
    VERIFICATION,
    risk_rank,
    severity_rank,
)

__all__ = [
    "CATEGORIES",
    "JURISDICTIONS",
    "RISK_ORDER",
    "SEVERITY_ORDER",
    "VERDICT_RANK",
    "VERIFICATION",
    "AppFacts",
    "Component",
    "DeclaredPermission",
    "Finding",
    "InputFacts",
    "PermissionRequest",
    "PermissionVerdict",
    "ReferenceView",
    "Report",
    "RulesInfo",
    "ScanOptions",
    "Signer",
    "Summary",
    "risk_rank",
    "severity_rank",
]
