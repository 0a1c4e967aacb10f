"""The shared vocabularies: one definition of each list that data files, evaluation and reports agree on.

Data files are validated against these tuples, the evaluation sorts by them and the reports show them in this
order, so a category, verdict or severity spelled differently anywhere is a validation error, not a silent miss.
"""

from __future__ import annotations

#: Languages reports are written in.
LANGUAGES: tuple[str, ...] = ("en", "zh")
#: Severities of findings, from least to most serious (sorting and ``--fail-on`` use this order).
SEVERITY_ORDER: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
#: Overall risk of an app, from least to most serious.
RISK_ORDER: tuple[str, ...] = ("low", "medium", "high", "critical")
#: Data categories: the shared vocabulary of the rule table, the API list, the policy lexicon and the reports.
CATEGORIES: tuple[str, ...] = (
    "contacts",
    "sms",
    "call_log",
    "photos_media",
    "storage",
    "location",
    "phone_identity",
    "installed_apps",
    "accounts",
    "calendar",
    "camera",
    "microphone",
    "sensors",
    "overlay_accessibility",
    "network",
    "other",
)
#: Verdicts for a lending app, from harmless to forbidden (sorting and "worst verdict" use this order).
VERDICT_RANK: dict[str, int] = {"needed": 0, "unknown": 1, "conditional": 2, "unrelated": 3, "prohibited": 4}
#: Verdicts a rule table may give (``unknown`` is what a permission without a rule gets).
RULE_VERDICTS: tuple[str, ...] = ("needed", "conditional", "prohibited", "unrelated")
#: Jurisdictions whose rules the table cites (``google-play`` is a store policy, not a country).
JURISDICTIONS: tuple[str, ...] = ("google-play", "cn", "in", "ke", "ng", "id", "ph")
#: How sure we are of a cited fact: read in the official text, from a secondary source, or still to be checked.
VERIFICATION: tuple[str, ...] = ("verified", "secondary", "memory")
#: What a privacy policy says about a data category.
POLICY_STATUSES: tuple[str, ...] = ("collects", "denies", "silent")
#: Kinds of third-party SDK in ``sdks.toml``.
SDK_KINDS: tuple[str, ...] = ("risk_control", "advertising", "analytics", "push", "kyc_face", "payments", "other")
#: Kinds of supporting string the code scan reports.
STRING_KINDS: tuple[str, ...] = ("upload_endpoint", "content_uri", "policy_url", "url")
#: How a DEX file was read.
DEX_PARSERS: tuple[str, ...] = ("fast", "androguard-fallback", "failed")
#: What the code scan says about one requested permission ("" = no code scan).
CODE_STATUSES: tuple[str, ...] = ("used", "sdk_only", "no_use_found", "unknown_packed", "unknown")


def severity_rank(severity: str) -> int:
    """Rank a severity so findings can be sorted and compared with ``--fail-on``."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 0


def risk_rank(risk: str) -> int:
    """Rank an overall risk level; unknown values sort below ``low``."""
    return RISK_ORDER.index(risk) if risk in RISK_ORDER else -1
