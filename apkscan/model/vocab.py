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
#: The data categories most damaging to a borrower, worst first: headlines, complaints and batch summaries use it.
HARM_ORDER: tuple[str, ...] = (
    "contacts",
    "sms",
    "call_log",
    "photos_media",
    "location",
    "installed_apps",
    "phone_identity",
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
#: Is the app a lending app (``app.lending.decision``)?
LENDING_DECISIONS: tuple[str, ...] = ("yes", "unsure", "no")
#: Where an app describes itself: the places the lending vocabulary and the red flags are looked for.
TEXT_PLACES: tuple[str, ...] = ("label", "package", "activity", "resource", "dex")
#: Languages of the lending vocabulary and the red flags (the markets with most predatory apps).
TERM_LANGS: tuple[str, ...] = ("zh", "en", "id", "hi", "es", "sw")
#: How a vocabulary term is matched: whole word, word start, or anywhere (scripts without spaces).
TERM_MATCHES: tuple[str, ...] = ("word", "prefix", "substring")
#: Marketing red flags (``promise:<kind>`` findings).
RED_FLAG_KINDS: tuple[str, ...] = (
    "instant-approval",
    "blacklisted-ok",
    "no-credit-check",
    "ignores-overdue",
    "guaranteed-approval",
)
#: Loan terms an app's text can show (compared with loan_caps.toml facts: ``term:<fact-id>`` findings).
LOAN_TERM_KINDS: tuple[str, ...] = ("repayment_days", "daily_interest", "upfront_fee")
#: Reasons to doubt a label (``impersonation:<kind>`` findings).
IMPERSONATION_KINDS: tuple[str, ...] = ("mixed_script", "hidden_characters", "brand_claim")
#: What the code does with the address book (``harvest.harassment``), most to least alarming.
HARASSMENT_READINGS: tuple[str, ...] = ("harvests", "enumerates", "looks_up", "no_contacts_code", "unknown")
#: What the code scan says about one requested permission ("" = no code scan).
CODE_STATUSES: tuple[str, ...] = ("used", "sdk_only", "no_use_found", "unknown_packed", "unknown")


def severity_rank(severity: str) -> int:
    """Rank a severity so findings can be sorted and compared with ``--fail-on``."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 0


def risk_rank(risk: str) -> int:
    """Rank an overall risk level; unknown values sort below ``low``."""
    return RISK_ORDER.index(risk) if risk in RISK_ORDER else -1


#: Android protection levels as the rule table labels them; "special" = a special app access granted in Settings.
PROTECTIONS: tuple[str, ...] = (
    "normal",
    "dangerous",
    "signature",
    "signatureOrSystem",
    "privileged",
    "appop",
    "special",
    "internal",
    "removed",
)
#: The worst verdict of a data category an app uses: a rule verdict, ``unknown`` (no rule), or ``none`` (read in code
#: without any requested permission). The policy check chooses the severity of an undisclosed category by it.
CATEGORY_VERDICTS: tuple[str, ...] = (*VERDICT_RANK, "none")
#: Kinds of finding from confronting the privacy policy with the app (``policy_findings`` in ``rules.toml``).
POLICY_FINDING_KINDS: tuple[str, ...] = (
    "undisclosed",
    "contradiction",
    "admitted_over_collection",
    "contacts_debt_collection",
    "pre_consent",
    "no_refusal",
    "sdk_unlisted",
)
#: Kinds of entry in ``apis.toml``: a method call, a field read, or a constant string.
API_KINDS: tuple[str, ...] = ("method", "field", "string")
#: How much one use of an API reads (``access`` in apis.toml), most invasive first; see evaluate/harvest.py.
API_ACCESS: tuple[str, ...] = ("bulk", "read", "lookup", "receiver", "picker")

# ---- loan_caps.toml (the complaint library's caps per jurisdiction)
#: Jurisdictions of the caps file: apkscan's own plus two whose caps the complaint library also compares.
CAP_JURISDICTIONS: tuple[str, ...] = (*JURISDICTIONS, "pk", "mx")
#: What a cap fact limits, and the unit its ``limit`` must use (``None``: the fact carries no number).
CAP_KIND_UNITS: dict[str, tuple[str, ...] | None] = {
    "annual-rate-cap": ("percent-per-year", "times-parameter"),
    "monthly-rate-cap": ("percent-per-month",),
    "daily-rate-cap": ("percent-per-day",),
    "total-cost-cap": ("percent-of-base",),
    "short-term-ban": ("days",),
    "maximum-term": ("days",),
    "upfront-deduction": None,
    "disclosure": None,
    "no-rate-cap": None,
    "usury-ban": None,
    "other-duty": None,
}
#: Kinds of cap whose limit is a rate (they need a ``measure`` and are always on the amount received).
CAP_RATE_KINDS: tuple[str, ...] = ("annual-rate-cap", "monthly-rate-cap")
CAP_UNITS: tuple[str, ...] = (
    "percent-per-year",
    "percent-per-month",
    "percent-per-day",
    "percent-of-base",
    "days",
    "times-parameter",
)
CAP_MEASURES: tuple[str, ...] = ("nominal", "effective")
CAP_BASES: tuple[str, ...] = ("received", "contract")
#: Conditions apkscan cannot check; they travel with the result so the complaint can state them.
CAP_SCOPES: tuple[str, ...] = (
    "private-lenders",  # China's 4 x LPR binds private lenders, not licensed local lenders (Fa Shi [2020] No. 27)
    "bank-facilitated",  # loans facilitated for banks (NFRA 2025)
    "consumer-finance",  # consumer-finance companies
    "us",  # Google Play's rule for apps offered in the US
    "non-performing",  # Kenya's in duplum rule: loans that became non-performing
    "consumptive",  # Indonesia: consumptive (not productive) P2P loans
    "nano-loans",  # Pakistan: digital nano-loans by NBFCs
)
#: Why a numeric rule cannot be compared with the loan's figures.
CAP_NOT_COMPARABLE: tuple[str, ...] = (
    "needs-fee-breakdown",
    "late-fees-not-modelled",
    "overdue-not-modelled",
    "limit-not-quantified",
)

# ---- channels.toml and letters.toml (the complaint command)
#: Kinds of complaint channel; each kind gets its own letter.
CHANNEL_KINDS: tuple[str, ...] = (
    "platform",
    "financial_regulator",
    "pi_regulator",
    "telecom",
    "industry_body",
    "consumer",
    "police",
    "app_store",
    "legal",
)
#: Placeholders of a letter: facts the scan established (filled in) ...
LETTER_FACTS: tuple[str, ...] = (
    "app",
    "package",
    "version",
    "sha256",
    "signer",
    "size",
    "scanned_at",
    "tool",
    "rules",
    "manifest",
    "recipient",
    "contact",
)
#: ... blocks the renderer writes ...
LETTER_BLOCKS: tuple[str, ...] = ("points", "loan")
#: ... and blanks only the borrower can fill.
LETTER_BLANKS: tuple[str, ...] = (
    "name",
    "phone",
    "id_number",
    "loan_id",
    "loan_date",
    "lender",
    "address",
    "date",
    "where_got",
    "incidents",
    "deadline",
)
