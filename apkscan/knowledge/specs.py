"""The shape of every data file in ``apkscan/data/``, one spec each, written with :mod:`apkscan.knowledge.schema`.

Why one module: reviewers compare the contract with the data side by side, the README's schema section is generated
from :data:`DATA_FILES` (a test keeps them equal), and a new data file is registered here in a few lines. Shared
vocabularies (categories, jurisdictions, verification tags, severities...) come from :mod:`apkscan.model.vocab` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apkscan.knowledge.complaint_specs import CHANNELS, EVIDENCE_KINDS, LETTERS, LOAN_CAPS
from apkscan.knowledge.lender_specs import BRANDS, CONFUSABLES, LENDING, LIBRARIES, PROMISES, SENDERS
from apkscan.knowledge.schema import (
    META,
    OPT_TEXT,
    TAG,
    TEXT,
    Array,
    Bool,
    Field,
    Int,
    Keyed,
    OneOf,
    Spec,
    Str,
    Switch,
    Table,
    optional,
    placeholders,
    text_pair,
)
from apkscan.model.vocab import (
    API_ACCESS,
    API_KINDS,
    CATEGORIES,
    CATEGORY_VERDICTS,
    CODE_STATUSES,
    JURISDICTIONS,
    POLICY_FINDING_KINDS,
    POLICY_STATUSES,
    PROTECTIONS,
    RISK_ORDER,
    RULE_VERDICTS,
    SDK_KINDS,
    SEVERITY_ORDER,
    VERIFICATION,
)

DATE = Field(Str(date=True))
SEVERITY = Field(Str(choices=SEVERITY_ORDER))
#: "android.permission.READ_SMS", "com.google.android.gms.permission.AD_ID": dotted, upper-case last part.
PERMISSION_NAME = Str(pattern=r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\.[A-Z0-9_]+", hint="a full permission name")

# ------------------------------------------------------------------------------------------------------ rules.toml

_CONDITIONAL = ("condition_en", "condition_zh")


def _conditional_needs_condition(perm: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if perm["verdict"] == "conditional":
        for key in _CONDITIONAL:
            if not perm.get(key, "").strip():
                yield key, "required (non-empty) when verdict is 'conditional'"


def _one_note(citation: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    texts = [k for k in ("note_en", "note_zh") if k in citation]
    if "note" in citation and texts:
        yield texts[0], "give either note (an id in [notes]) or note_en and note_zh, not both"
    elif "note" not in citation and len(texts) < 2:
        missing = "note_zh" if texts == ["note_en"] else "note_en"
        yield missing, "missing required key (or give note = an id in [notes])"


CATEGORY = Table(
    {
        "en": Field(Str(nonempty=True), doc="display name (the one place category names are defined)"),
        "zh": TEXT,
        **text_pair("what", doc="what the data is, for a borrower"),
        "sensitive": Field(Bool(), doc="data a lender could abuse"),
    }
)
CHANNEL = Table(
    {
        **text_pair("name"),
        "contact": Field(Str(), required=False, doc="phone number, e-mail or site"),
        **text_pair("purpose"),
        "verification": TAG,
    }
)
# ``channels`` was where complaint channels lived before channels.toml; still accepted (and ignored) so that rule
# tables copied from older versions keep loading.
JURISDICTION = Table(
    {**text_pair("name"), "channels": optional(Array(CHANNEL), "ignored: channels are in channels.toml")}
)
SOURCE = Table(
    {
        "jurisdiction": Field(Str(choices=JURISDICTIONS)),
        **text_pair("title", doc="full title of the law, standard or policy"),
        **text_pair("short", OPT_TEXT, doc="short form for running text; the title when absent"),
        "date": Field(Str(date=True), doc="date of the text (or of its entry into force); empty when unknown"),
        "url": Field(
            Str(pattern=r"(https?://\S+)?", hint="an http(s) address (or empty)"),
            required=False,
            doc="where to read it; empty when there is no stable address",
        ),
        "verification": TAG,
    }
)
NOTE = Table({"en": TEXT, "zh": TEXT}, doc="a note cited from several sources (RBI 2022 and 2025 say the same)")
CITATION = Table(
    {
        "source": Field(Str(nonempty=True, ref="sources")),
        "article": Field(Str(), required=False, doc="article, paragraph or section; empty when not known"),
        "note": Field(Str(nonempty=True, ref="notes"), required=False, doc="a shared note, instead of note_en/zh"),
        **text_pair("note", Field(Str(nonempty=True), required=False), doc="what the source says about this data"),
        "verification": Field(
            Str(choices=VERIFICATION), doc="the citation's own tag: never more certain than its source's"
        ),
    },
    rules=(_one_note,),
    doc="a source, the article and what it says (a reference, written once and cited by id)",
)
#: A permission's or policy finding's reference: a citation id, or a citation written out in place.
REFERENCE = OneOf((Str(nonempty=True, ref="citations"), CITATION))
PERMISSION = Table(
    {
        "category": Field(Str(nonempty=True, ref="categories")),
        "protection": Field(Str(choices=PROTECTIONS)),
        "verdict": Field(Str(choices=RULE_VERDICTS), doc="for a lending app"),
        "severity": SEVERITY,
        **text_pair("reason", doc="why, for a borrower"),
        **text_pair("alternative", OPT_TEXT, doc="what a lawful lender uses instead"),
        **text_pair("condition", OPT_TEXT, doc="required when verdict is conditional"),
        "no_effect_from_target_sdk": optional(Int(minimum=1), "from this target API the permission grants nothing"),
        "api_added": optional(Int(minimum=1), "API level that introduced the permission"),
        "references": optional(Array(REFERENCE), "citation ids (or citations written out), in display order"),
    },
    rules=(_conditional_needs_condition,),
)
POLICY_FINDING = Table(
    {
        "severity": Field(Str(choices=SEVERITY_ORDER), doc="severity of the finding"),
        "severity_by_verdict": optional(
            Keyed(Str(choices=SEVERITY_ORDER), ids=CATEGORY_VERDICTS, complete=True),
            "severity by the worst verdict of the category (undisclosed collection)",
        ),
        "references": optional(Array(REFERENCE), "the rules the finding cites"),
    },
    doc="what one kind of privacy-policy finding cites, and how severe it is",
)
RULES = Table(
    {
        "meta": Field(META),
        "categories": Field(Keyed(CATEGORY, ids=CATEGORIES, id_name="category"), doc="the data categories"),
        "jurisdictions": optional(
            Keyed(JURISDICTION, ids=JURISDICTIONS, id_name="jurisdiction"), "whose rules are cited"
        ),
        "sources": optional(Keyed(SOURCE, id_name="source"), "laws, standards and store policies"),
        "notes": optional(Keyed(NOTE, id_name="note"), "notes cited from several sources"),
        "citations": optional(Keyed(CITATION, id_name="citation"), "references, written once"),
        "policy_findings": optional(
            Keyed(POLICY_FINDING, ids=POLICY_FINDING_KINDS, id_name="kind"), "what each policy finding cites"
        ),
        "permissions": Field(
            Keyed(
                PERMISSION,
                id_pattern=PERMISSION_NAME.pattern,
                id_hint="full permission names",
                id_name="permission",
            ),
            doc="one rule per permission, keyed by its full name",
        ),
    }
)

# ------------------------------------------------------------------------------------------------------ advice.toml

_ITEM = Table({"en": TEXT, "zh": TEXT})
SITUATION = Table(
    {
        **text_pair("problem"),
        **text_pair("laws"),
        **text_pair("where"),
        **text_pair("keep"),
        "jurisdiction": Field(Str(choices=JURISDICTIONS)),
    }
)
CONTRAST = Table({**text_pair("topic"), **text_pair("lawful"), **text_pair("unlawful")})
ADVICE = Table(
    {
        "background": optional(Array(_ITEM), "why lenders want the address book"),
        "red_flags": Field(Array(_ITEM), doc="warning signs before borrowing"),
        "evidence_to_keep": Field(Array(_ITEM)),
        "steps": Field(Array(_ITEM), doc="what to do when harassed"),
        "situations": Field(Array(SITUATION), doc="problem, law, where to go, what to keep"),
        "lawful_vs_unlawful": optional(Array(CONTRAST)),
    }
)

# ------------------------------------------------------------------------------------------------------ apis.toml

_DEX_CLASS = Str(pattern=r"L[^;\s]+;", hint="a DEX class descriptor like Landroid/telephony/TelephonyManager;")


def _api_kind_fields(api: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A string entry has a value; a method or field entry has a class and a name; never a mix."""
    needs, forbids = (
        (("value",), ("class", "name", "descriptor"))
        if api["kind"] == "string"
        else (("class", "name"), ("value", "match"))
    )
    for key in needs:
        if key not in api:
            yield key, f"required when kind is {api['kind']!r}"
    for key in forbids:
        if key in api:
            yield key, f"not used when kind is {api['kind']!r}"
    descriptor = api.get("descriptor", "")
    if api["kind"] == "method" and descriptor and not descriptor.startswith("("):
        yield "descriptor", "a method descriptor looks like (Ljava/lang/String;)V"


API = Table(
    {
        "kind": Field(Str(choices=API_KINDS)),
        "class": optional(_DEX_CLASS, "method/field: the declaring class"),
        "name": optional(Str(nonempty=True), "method/field name"),
        "descriptor": optional(Str(), "method proto (...)R or field type; empty = any"),
        "value": optional(Str(nonempty=True), "string: the constant"),
        "match": optional(Str(choices=("exact", "prefix")), "string: how the constant is compared (default exact)"),
        "category": Field(Str(choices=CATEGORIES)),
        "permission": optional(PERMISSION_NAME, "the permission it needs; absent when none"),
        "alt_permissions": optional(Array(PERMISSION_NAME), "other permissions that also grant it"),
        "note": OPT_TEXT,
        "source": Field(Str(nonempty=True), doc="where the API is documented"),
        "access": optional(
            Str(choices=API_ACCESS), "how much one use reads: bulk (a whole table), lookup (one record), receiver…"
        ),
    },
    rules=(_api_kind_fields,),
)
APIS = Table({"api": Field(Array(API, nonempty=True))})

# ------------------------------------------------------------------------------------------------------ sdks.toml

_ID = Str(pattern=r"[a-z0-9_]+", hint="lower-case letters, digits and _")
_SOURCE = Field(Str(nonempty=True), doc="public page that documents the entry")
_FIXTURE = optional(Bool(), "a fake entry for the sample APKs (not a real product)")
SDK = Table(
    {
        "id": Field(_ID),
        "name": TEXT,
        "prefixes": Field(
            Array(
                Str(pattern=r"[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)*\.", hint="a Java package prefix ending with '.'"),
                nonempty=True,
            )
        ),
        "kind": Field(Str(choices=SDK_KINDS)),
        "harvests": optional(Array(Str(choices=CATEGORIES)), "data categories it is documented to collect"),
        "source": _SOURCE,
        "verification": TAG,
        "fixture": _FIXTURE,
        "note": OPT_TEXT,
    }
)
SDKS = Table({"sdk": Field(Array(SDK, nonempty=True, unique="id"))})

# ------------------------------------------------------------------------------------------------------ packers.toml


def _packer_has_marker(packer: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if not (packer.get("classes") or packer.get("libs") or packer.get("files")):
        yield "", "needs at least one of classes, libs, files"


_NAMES = Array(Str(nonempty=True))
PACKER = Table(
    {
        "id": Field(_ID),
        "name": TEXT,
        "classes": optional(_NAMES, "Java class names; an entry ending with '.' is a package prefix"),
        "libs": optional(_NAMES, "file base names anywhere in the APK; x.so also matches versioned x-1.2.so"),
        "files": optional(_NAMES, "exact zip entry paths"),
        "source": _SOURCE,
        "verification": TAG,
        "fixture": _FIXTURE,
        "note": OPT_TEXT,
    },
    rules=(_packer_has_marker,),
)
PACKERS = Table({"packer": Field(Array(PACKER, nonempty=True, unique="id"))})

# ------------------------------------------------------------------------------------------ policy_lexicon.toml

_PHRASE_LIST = Array(Str(nonempty=True))
PHRASES = Table(
    {
        "zh": optional(_PHRASE_LIST, "literal Chinese phrases"),
        "en": optional(_PHRASE_LIST, "literal English phrases (word edges, plural s/es, space = '-' or nothing)"),
        "regex": optional(Array(Str(nonempty=True, regex=True)), "regular expressions on lower-cased text"),
    },
    doc="a phrase set",
)
_CATEGORY_LIST = Array(Str(choices=CATEGORIES))
LEXICON_CATEGORY = Table(
    {
        "terms": optional(PHRASES, "words for the category"),
        "exclude": optional(PHRASES, "look-alikes to ignore"),
        "list_terms": optional(
            PHRASES, "words that name the category only as an item of a permission list ('Phone', 'Storage')"
        ),
        "context_terms": optional(
            PHRASES, "words that name the category only with context: the device, a permission, other data ('photos')"
        ),
        "listed_neighbours": optional(
            _CATEGORY_LIST, "categories whose mention vouches for a context term only as an item of the same list"
        ),
    }
)
_PHRASE_SETS = (
    "collect",
    "not_collect",
    "negation",
    "not_negation",
    "conditional",
    "restriction",
    "exclusion",
    "vague_exception",
    "definition",
    "user_subject",
    "sharing",
    "third_party",
    "debt",
    "pre_consent",
    "withdrawal",
)


def _character_pairs(script: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if len("".join(script.get("traditional", []))) % 2:
        yield "traditional", "must be pairs of characters (traditional, simplified)"


def _word_pairs(script: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for pair in script.get("words", []):
        if pair.count("=") != 1 or pair.startswith("=") or pair.endswith("="):
            yield "words", f"{pair!r} must read 'word=word'"


LEXICON = Table(
    {
        "schema": optional(Int(minimum=1), "version of the lexicon format"),
        "replace": optional(Bool(), "user files: start from scratch instead of extending the packaged lexicon"),
        "categories": optional(Keyed(LEXICON_CATEGORY, ids=CATEGORIES, id_name="category"), "words per category"),
        **{name: optional(PHRASES) for name in _PHRASE_SETS},
        "rewrite": optional(
            Array(
                Table(
                    {
                        "pattern": Field(Str(nonempty=True, regex=True)),
                        "replacement": Field(Str()),
                        "requires": optional(Str(), "text the sentence must contain for the rule to run"),
                    }
                )
            ),
            "table cells rewritten into sentences",
        ),
        "boundaries": optional(
            Table(
                {
                    "clause": optional(Str(nonempty=True, regex=True)),
                    "negation_scope": optional(Str(nonempty=True, regex=True)),
                    "new_subject": optional(Str(nonempty=True, regex=True)),
                    "finite_verb": optional(
                        Str(nonempty=True, regex=True), "a verb that makes a piece a sentence, not a list entry"
                    ),
                    "anaphora": optional(
                        Str(nonempty=True, regex=True), "a sentence opening that points back to the sentence before"
                    ),
                    "purpose_label": optional(
                        Str(nonempty=True, regex=True), "a data label followed by what it is for ('Location: to …')"
                    ),
                    "coordination": optional(Str(nonempty=True, regex=True), "what joins coordinated verbs or items"),
                    "negated_modifiers": optional(
                        Str(nonempty=True, regex=True), "a negation and the modifiers it reaches across"
                    ),
                    "examples": optional(Str(nonempty=True, regex=True), "what introduces examples of a head noun"),
                    "written": optional(
                        Str(nonempty=True, regex=True), "a writing verb right before a context term ('保存', 'save')"
                    ),
                    "chained_verbs": optional(
                        Str(nonempty=True, regex=True), "other verbs that may stand inside a coordinated chain"
                    ),
                }
            )
        ),
        "purposes": optional(
            Keyed(PHRASES, id_pattern=r"[a-z_]+", id_hint="lower-case letters and _", id_name="purpose"),
            "purposes a policy states (names in ui.toml [purpose])",
        ),
        "recipients": optional(
            Keyed(PHRASES, id_pattern=r"[a-z_]+", id_hint="lower-case letters and _", id_name="recipient"),
            "whom data is shared with (names in ui.toml [recipient])",
        ),
        "contacting": optional(
            Table(
                {
                    "verbs": optional(PHRASES),
                    "targets": optional(PHRASES),
                    "patterns": optional(Array(Str(nonempty=True)), "whole regexes; {target} = the target list"),
                }
            )
        ),
        "refusal": optional(
            Table(
                {
                    **{
                        name: optional(PHRASES)
                        for name in ("context", "allowed", "blocked", "generic_permission", "necessary_items")
                    },
                    "non_necessary": optional(_CATEGORY_LIST, "categories a loan never needs"),
                }
            )
        ),
        "equivalents": optional(Table({"groups": optional(Array(_CATEGORY_LIST))})),
        "embedded": optional(Table({"strong": optional(PHRASES), "weak": optional(PHRASES)})),
        "script": optional(
            Table(
                {
                    "traditional": optional(Array(Str(nonempty=True)), "pairs of characters: traditional, simplified"),
                    "words": optional(Array(Str(nonempty=True)), "'word=word': Taiwan/Hong Kong words, read as these"),
                },
                rules=(_character_pairs, _word_pairs),
            ),
            "traditional Chinese is read through this character map",
        ),
        "structure": optional(
            Table(
                {
                    "lead_in": optional(PHRASES, "a sentence that introduces a list"),
                    "negated_lead": optional(PHRASES, "a lead-in that denies what the items under it do"),
                    "denied_mark": optional(PHRASES, "a mark before a list item that denies what it names"),
                    "collection_heading": optional(PHRASES, "a section heading under which items are collected"),
                    "permission_list": optional(PHRASES, "words that make a list of data a list of permissions"),
                    "context": optional(PHRASES, "words that make a context term name its data ('on your phone')"),
                }
            )
        ),
        "third_party_lists": optional(
            Table(
                {
                    "sdk_name": optional(PHRASES, "an SDK or plug-in named as such"),
                    "header": optional(PHRASES, "headers and titles of third-party SDK lists"),
                    "name_key": optional(PHRASES, "keys whose value is the SDK's own name, inside an entry"),
                    "company_key": optional(PHRASES, "keys whose value is the company behind an SDK"),
                    "data_key": optional(PHRASES, "keys whose value is the data an SDK collects"),
                    "company": optional(PHRASES, "company suffixes"),
                    "aliases": optional(
                        Keyed(
                            Array(Str(nonempty=True)),
                            id_pattern=r"[a-z0-9_]+",
                            id_hint="ids of sdks.toml",
                            id_name="sdk",
                        ),
                        "names an SDK goes by in policies, keyed by its id in sdks.toml",
                    ),
                }
            ),
            "how policies list the SDKs they embed",
        ),
        "urls": optional(
            Table(
                {"keywords": optional(Array(Str(nonempty=True))), "ignore_hosts": optional(Array(Str(nonempty=True)))}
            )
        ),
    }
)

# ------------------------------------------------------------------------------------------------------ ui.toml


def _same_placeholders(entry: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    en, zh = placeholders(entry["en"]), placeholders(entry["zh"])
    if en != zh:
        yield "zh", f"placeholders {sorted(zh)} differ from English {sorted(en)}"


UI_ENTRY = Table(
    {
        "en": Field(Str(), doc="English; {placeholders} are filled by the code"),
        "zh": Field(Str(), doc="Chinese, with the same {placeholders}"),
    },
    rules=(_same_placeholders,),
    doc="one string, written name = { en = ..., zh = ... }",
)


def _ui_node(value: Any) -> Spec:
    """``{ en = ..., zh = ... }`` is an entry; any other table is a nested section (``[complaint.unknown]``)."""
    return UI_ENTRY if not isinstance(value, dict) or {"en", "zh"} & value.keys() else _UI_SECTION


_UI_SECTION: Spec = Keyed(
    Switch(_ui_node, "an entry { en, zh } or a nested section"),
    id_pattern=r"[a-z0-9_-]+",
    id_hint="lower-case letters, digits, _ and -",
    id_name="name",
)


def _ui_names(ids: tuple[str, ...]) -> Keyed:
    return Keyed(UI_ENTRY, ids=ids, complete=True, id_name="name")


#: Sections that name the ids of a shared vocabulary must cover it exactly (a new category needs its noun).
UI = Keyed(
    _UI_SECTION,
    known={
        "noun": _ui_names(CATEGORIES),
        "verdict": _ui_names(CATEGORY_VERDICTS),
        "severity": _ui_names(SEVERITY_ORDER),
        "risk": _ui_names(RISK_ORDER),
        "code_status": _ui_names(CODE_STATUSES),
        "policy_status": _ui_names(POLICY_STATUSES),
    },
    id_pattern=r"[a-z0-9_]+",
    id_hint="lower-case letters, digits and _",
    id_name="section",
)

#: Every data file, by name in ``apkscan/data/``, with its spec (the README documents exactly these).
DATA_FILES: dict[str, Spec] = {
    "rules.toml": RULES,
    "advice.toml": ADVICE,
    "apis.toml": APIS,
    "sdks.toml": SDKS,
    "packers.toml": PACKERS,
    "policy_lexicon.toml": LEXICON,
    "ui.toml": UI,
    "loan_caps.toml": LOAN_CAPS,
    "evidence_kinds.toml": EVIDENCE_KINDS,
    "channels.toml": CHANNELS,
    "letters.toml": LETTERS,
    "lending.toml": LENDING,
    "promises.toml": PROMISES,
    "confusables.toml": CONFUSABLES,
    "brands.toml": BRANDS,
    "libraries.toml": LIBRARIES,
    "senders.toml": SENDERS,
}
