"""Load, validate and precompile the privacy-policy lexicon (apkscan/data/policy_lexicon.toml).

The vocabulary that decides what a policy admits is data, not code, so that a user who meets a new phrasing can add it
without touching the engine. Everything is compiled into regular expressions once per lexicon; the analyser then
runs a fixed, small number of scans per sentence (about half a second for a dense 100-page policy).

The file is checked against :data:`apkscan.knowledge.specs.LEXICON` before compiling, so a misspelt table
(``[colect]``) or key is an error naming the file and key, not a word list that silently matches nothing. Category
display names are not part of the lexicon: they live in ``rules.toml`` (``[categories]``), and the rules a policy
finding cites live in ``rules.toml`` too (``[policy_findings]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from apkscan.knowledge.matcher import NEVER, TermIndex, Vocab, alternation, build_vocab, normalize, term_key
from apkscan.knowledge.packaged import data_file
from apkscan.knowledge.schema import DataFileError, Problem, load_document, parse_toml, read_bytes, validate
from apkscan.knowledge.specs import LEXICON, RULES
from apkscan.model.vocab import CATEGORIES as CATEGORY_IDS

__all__ = ["CATEGORY_IDS", "Lexicon", "LexiconError", "load_lexicon", "normalize"]

_PHRASE_KEYS = {"zh", "en", "regex"}
_PACKAGED_LABEL = "apkscan/data/policy_lexicon.toml"


class LexiconError(DataFileError):
    """The lexicon file is malformed; ``str()`` has one line per problem naming the file and the key."""


@dataclass(frozen=True)
class Lexicon:
    """Every word list of the TOML, compiled. Field names follow the TOML tables (see the file's comments)."""

    source: str
    categories: tuple[str, ...]
    terms: TermIndex
    exclude: TermIndex  # look-alikes, per category
    list_terms: TermIndex  # permission-group words ("Phone", "Storage") that count only inside a permission list
    context_terms: TermIndex  # words ("photos", "图片") that name a category only with context (see ``context``)
    permission_list: Vocab  # what makes a list of data a list of permissions ("permissions", "权限", "access to")
    context: Vocab  # what places a context term on the device ("on your phone", "读取", "手机中")
    collect: Vocab
    not_collect: Vocab
    negation: Vocab
    user_subject: Vocab
    definition: Vocab
    not_negation: Vocab
    conditional: Vocab
    restriction: Vocab
    exclusion: Vocab
    vague_exception: Vocab  # an exception that refers back or to the user's own uploads admits nothing
    rewrites: tuple[tuple[re.Pattern[str], str, str], ...]  # (pattern, replacement, text it requires)
    clause: Vocab
    negation_scope: Vocab
    new_subject: Vocab
    finite_verb: Vocab  # makes an English piece a sentence about the data, not a list entry
    anaphora: Vocab  # "This may include…": the sentence continues the one before, with its verb and negation
    purpose_label: Vocab  # "Location: to confirm you are in the country": the label is collected for that purpose
    coordination: re.Pattern[str]  # between coordinated verbs or items ("access, read or upload")
    chained_before: re.Pattern[str]  # other verbs chained before a verb: "not [sell, share or ]use your contacts"
    other_verb: re.Pattern[str]  # a verb that is not collection: storing, sharing, selling ("we do not store images")
    examples_before: re.Pattern[str]  # ends right before a first example: "no personal data [such as ]contacts"
    written_before: re.Pattern[str]  # ends right before a picture the app writes: "[保存]图片", "[download ]images"
    negated_modifiers: re.Pattern[str]  # ends right before an item: "[no personal, financial, or ]location data"
    purposes: TermIndex
    sharing: Vocab
    third_party: Vocab
    recipients: TermIndex
    contacting: Vocab  # a verb reaching one of the borrower's contacts, with its target
    flag_trigger: Vocab  # any word that can start a sharing, contacting, consent or refusal statement
    debt: Vocab
    pre_consent: Vocab
    refusal_context: Vocab
    refusal_allowed: Vocab
    refusal_blocked: Vocab
    necessary_items: Vocab
    generic_permission: Vocab
    non_necessary: frozenset[str]
    equivalents: Mapping[str, frozenset[str]]
    embedded_strong: Vocab
    embedded_weak: Vocab
    url_keywords: tuple[str, ...]
    url_ignore_hosts: frozenset[str]
    # Reading structure (see [script], [structure] and [third_party_lists] in the TOML).
    char_map: Mapping[int, str] = field(default_factory=dict)  # traditional -> simplified Chinese, per character
    words: Mapping[str, str] = field(default_factory=dict)  # Taiwan/Hong Kong words (after char_map) -> mainland ones
    words_re: re.Pattern[str] | None = None  # any key of ``words``, longest first
    lead_in: Vocab = NEVER  # a sentence ending in one of these introduces a list, like a colon does
    negated_lead: Vocab = NEVER  # a lead-in ending on a bare negation ("We do NOT:") denies its items' verbs
    denied_mark: Vocab = NEVER  # a cross mark before a list item denies what it names ("- ❌ Contacts")
    collection_heading: Vocab = NEVER  # a section heading whose verb-less items are collected ("Data we collect")
    sdk_name: Vocab = NEVER  # an SDK or plug-in named as such ("…SDK", "…推送", "…统计")
    sdk_alias: Vocab = NEVER  # any name sdks.toml's SDKs go by in policies ("同盾", "credolab"), as a word list
    sdk_header: Vocab = NEVER  # table headers and section titles of third-party SDK lists
    sdk_name_key: Vocab = NEVER  # keys whose value is the SDK's own name ("SDK名称：")
    sdk_company_key: Vocab = NEVER  # keys whose value is the company behind an SDK ("第三方名称：")
    sdk_data_key: Vocab = NEVER  # keys whose value is the data an SDK collects ("收集个人信息类型：")
    company: Vocab = NEVER  # company suffixes ("有限公司", "Ltd")
    withdrawal: Vocab = NEVER  # telling the user how to turn a permission off: its verbs are not collection
    sdk_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # sdks.toml id -> names in policies
    # category -> categories whose mention vouches for its context terms only as an item of the same list
    listed_neighbours: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def simplify(self, text: str) -> str:
        """Normalized text read as simplified Chinese, which the word lists are written in: characters through
        ``char_map``, then Taiwan and Hong Kong words through ``words`` (簡訊 is 短信, 資訊 is 信息, 網路 is 网络)."""
        text = text.translate(self.char_map)
        if self.words_re is None:
            return text
        return self.words_re.sub(lambda m: self.words[m.group(0)], text)


class _Compiler:
    """Turns the merged TOML into patterns, reporting the exact key of any mistake."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, key: str, why: str) -> None:
        """Note a problem the schema cannot see (a phrase under two categories, a pattern that breaks once joined);
        :meth:`build` reports them all at the end."""
        self.problems.append(Problem(key, why))

    def table(self, key: str) -> Mapping[str, Any]:
        """A table of the (already validated) document; missing tables are empty."""
        node: Any = self.data
        for part in key.split("."):
            node = node.get(part, {})
        return node

    def items(self, node: Mapping[str, Any], key: str) -> tuple[list[tuple[str, bool]], list[str]]:
        """(literal phrases with an is-English flag, raw regexes) of a phrase set, validated."""
        literals: list[tuple[str, bool]] = []
        raws: list[str] = []
        for lang, items in node.items():
            if lang not in _PHRASE_KEYS:
                continue
            for item in items:
                if lang == "regex":
                    raws.append(item)  # the schema has compiled it already
                else:
                    literals.append((item, lang == "en"))
        return literals, raws

    def vocab(
        self, literals: list[tuple[str, bool]], raws: list[str], key: str, suffix: str = "", extra: tuple[str, ...] = ()
    ) -> Vocab:
        try:
            return build_vocab(literals, raws, suffix, extra)
        except re.error as err:
            self.fail(key, f"bad pattern: {err}")
            return NEVER

    def pattern(self, key: str) -> Vocab:
        return self.vocab(*self.items(self.table(key), key), key)

    def group(self, key: str) -> TermIndex:
        return self.index(self.table(key), key)

    def regex(self, key: str, name: str, default: str) -> Vocab:
        return self.vocab([], [self.table(key).get(name, default)], f"{key}.{name}")

    def _joiner(self) -> str:
        return self.table("boundaries").get("coordination", r"\s*(?:,|or|and|、|或)\s*")

    def coordination(self, chained: str) -> re.Pattern[str]:
        """What may stand between two coordinated verbs or items: a joiner ("," "or" "、"), optionally with other
        verbs chained in ("collect, store or use"), so a negation before the first reaches the last."""
        joiner = self._joiner()
        return re.compile(f"(?:{joiner})(?:(?:{chained})(?:{joiner}))*")

    def ending(self, pattern: str) -> re.Pattern[str]:
        """A pattern that must end where the searched stretch ends: what stands right before a verb or an item."""
        return re.compile(f"(?:{pattern})\\Z")

    def before(self, name: str) -> re.Pattern[str]:
        """A [boundaries] pattern that ends right before an item ("no personal data [such as ]SMS")."""
        return self.ending(self.table("boundaries").get(name, "(?!)"))

    def strings(self, key: str, name: str) -> list[str]:
        return self.table(key).get(name, [])

    def index(self, tables: Mapping[str, Mapping[str, Any]], key: str) -> TermIndex:
        """One scan for several named phrase sets (categories, purposes, recipients); a phrase names one set."""
        owner: dict[str, str] = {}
        literals: list[tuple[str, bool]] = []
        raw: list[tuple[str, re.Pattern[str]]] = []
        all_raws: list[str] = []
        for name, node in tables.items():
            lits, raws = self.items(node, f"{key}.{name}")
            for phrase, _ in lits:
                first = owner.setdefault(term_key(normalize(phrase).strip()), name)
                if first != name:
                    self.fail(f"{key}.{name}", f"{phrase!r} is already listed under {first}")
            literals += lits
            if raws:
                self.vocab([], raws, f"{key}.{name}.regex")  # validates, naming the key of a bad pattern
                raw.append((name, re.compile("|".join(f"(?:{r})" for r in raws))))
                all_raws += raws
        return TermIndex(self.vocab(literals, [], key), owner, tuple(raw), self.vocab([], all_raws, f"{key}.regex"))

    def categories(self) -> tuple[TermIndex, TermIndex, TermIndex, TermIndex]:
        """One index over every category's terms, and one over the phrases that only look like a category's terms
        (a look-alike masks its own category only: "selfie photo" is no gallery photo, but it is the camera).
        Android permission names a policy quotes ("READ_SMS", "ACCESS_NETWORK_STATE") come from the rule table, so a
        permission means the same category in a policy as in the manifest."""
        cats = self.table("categories")
        nodes = {cat: cats.get(cat, {}) for cat in CATEGORY_IDS}
        named = _permission_names()
        terms = {
            cat: {**n.get("terms", {}), "en": [*n.get("terms", {}).get("en", []), *named.get(cat, [])]}
            for cat, n in nodes.items()
        }
        index = self.index(terms, "categories")
        return (
            index,
            self.index({cat: n.get("exclude", {}) for cat, n in nodes.items()}, "categories.exclude"),
            self.index({cat: n.get("list_terms", {}) for cat, n in nodes.items()}, "categories.list_terms"),
            self.index({cat: n.get("context_terms", {}) for cat, n in nodes.items()}, "categories.context_terms"),
        )

    def rewrites(self) -> tuple[tuple[re.Pattern[str], str, str], ...]:
        return tuple(
            (re.compile(rule["pattern"]), rule["replacement"], rule.get("requires", ""))
            for rule in self.data.get("rewrite", [])
        )

    def contacting(self) -> Vocab:
        """Active "verb … target" within a clause, plus full patterns where {target} is the target list."""
        verbs = self.items(self.table("contacting.verbs"), "contacting.verbs")
        targets = alternation(*self.items(self.table("contacting.targets"), "contacting.targets"))
        if not targets or not any(verbs):
            return NEVER
        patterns = tuple(p.replace("{target}", targets) for p in self.strings("contacting", "patterns"))
        # no comma between verb and target: "email, phone numbers, next-of-kin details" lists data, it contacts no one
        return self.vocab(*verbs, "contacting", suffix=f"[^,，。；;:：]{{0,30}}?(?:{targets})", extra=patterns)

    def flag_trigger(self) -> Vocab:
        """The union of the word lists behind the policy-level flags: one scan tells whether a sentence can say
        anything about sharing, contacting, consent or refusal, so most sentences skip five scans."""
        literals: list[tuple[str, bool]] = []
        raws: list[str] = []
        for key in (
            "sharing",
            "third_party",
            "contacting.verbs",
            "contacting.targets",
            "pre_consent",
            "refusal.context",
        ):
            lits, rs = self.items(self.table(key), key)
            literals += lits
            raws += rs
        return self.vocab(literals, raws, "flag_trigger")

    def words(self, char_map: Mapping[int, str]) -> dict[str, str]:
        pairs = (w.partition("=") for w in self.strings("script", "words"))
        return {normalize(a).translate(char_map): normalize(b) for a, _, b in pairs}

    def char_map(self) -> dict[int, str]:
        pairs = "".join(self.strings("script", "traditional"))  # the spec checks they come in pairs
        return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs) - 1, 2) if pairs[i] != pairs[i + 1]}

    def sdk_aliases(self) -> dict[str, tuple[str, ...]]:
        aliases = self.table("third_party_lists.aliases")
        return {sdk_id: tuple(normalize(n).replace(" ", "") for n in names) for sdk_id, names in aliases.items()}

    def equivalents(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for group in self.table("equivalents").get("groups", []):
            for cat in group:
                out[cat] = out.get(cat, frozenset()) | (frozenset(group) - {cat})
        return out

    def build(self) -> Lexicon:
        terms, exclude, list_terms, context_terms = self.categories()
        other_verbs = self.table("boundaries").get("chained_verbs", "(?!)")  # storing, sharing, selling…
        lexicon = Lexicon(
            source=self.source,
            categories=CATEGORY_IDS,
            terms=terms,
            exclude=exclude,
            list_terms=list_terms,
            context_terms=context_terms,
            permission_list=self.pattern("structure.permission_list"),
            context=self.pattern("structure.context"),
            collect=self.pattern("collect"),
            not_collect=self.pattern("not_collect"),
            negation=self.pattern("negation"),
            user_subject=self.pattern("user_subject"),
            definition=self.pattern("definition"),
            not_negation=self.pattern("not_negation"),
            conditional=self.pattern("conditional"),
            restriction=self.pattern("restriction"),
            exclusion=self.pattern("exclusion"),
            vague_exception=self.pattern("vague_exception"),
            rewrites=self.rewrites(),
            clause=self.regex("boundaries", "clause", r"[，；：。！？;:!?]"),
            negation_scope=self.regex("boundaries", "negation_scope", ","),
            new_subject=self.regex("boundaries", "new_subject", "(?!)"),
            finite_verb=self.regex("boundaries", "finite_verb", "(?!)"),
            anaphora=self.regex("boundaries", "anaphora", "(?!)"),
            purpose_label=self.regex("boundaries", "purpose_label", "(?!)"),
            coordination=self.coordination(other_verbs),
            other_verb=re.compile(f"(?<![a-z])(?:{other_verbs})(?![a-z])"),
            # other verbs with their joiners right before a collection verb: "not [sell, share or ]use"
            chained_before=self.ending(f"(?:(?:{other_verbs})(?:{self._joiner()}))+"),
            negated_modifiers=self.before("negated_modifiers"),
            examples_before=self.before("examples"),
            written_before=self.before("written"),
            purposes=self.group("purposes"),
            sharing=self.pattern("sharing"),
            third_party=self.pattern("third_party"),
            recipients=self.group("recipients"),
            contacting=self.contacting(),
            flag_trigger=self.flag_trigger(),
            debt=self.pattern("debt"),
            pre_consent=self.pattern("pre_consent"),
            refusal_context=self.pattern("refusal.context"),
            refusal_allowed=self.pattern("refusal.allowed"),
            refusal_blocked=self.pattern("refusal.blocked"),
            necessary_items=self.pattern("refusal.necessary_items"),
            generic_permission=self.pattern("refusal.generic_permission"),
            non_necessary=frozenset(self.strings("refusal", "non_necessary")),
            equivalents=self.equivalents(),
            embedded_strong=self.pattern("embedded.strong"),
            embedded_weak=self.pattern("embedded.weak"),
            url_keywords=tuple(k.lower() for k in self.strings("urls", "keywords")),
            url_ignore_hosts=frozenset(h.lower() for h in self.strings("urls", "ignore_hosts")),
            char_map=(char_map := self.char_map()),
            words=(words := self.words(char_map)),
            words_re=re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None,
            lead_in=self.pattern("structure.lead_in"),
            negated_lead=self.pattern("structure.negated_lead"),
            denied_mark=self.pattern("structure.denied_mark"),
            collection_heading=self.pattern("structure.collection_heading"),
            sdk_name=self.pattern("third_party_lists.sdk_name"),
            sdk_alias=self.vocab(
                [(n, n.isascii()) for names in self.table("third_party_lists.aliases").values() for n in names],
                [],
                "third_party_lists.aliases",
            ),
            sdk_header=self.pattern("third_party_lists.header"),
            sdk_name_key=self.pattern("third_party_lists.name_key"),
            sdk_company_key=self.pattern("third_party_lists.company_key"),
            sdk_data_key=self.pattern("third_party_lists.data_key"),
            company=self.pattern("third_party_lists.company"),
            withdrawal=self.pattern("withdrawal"),
            sdk_aliases=self.sdk_aliases(),
            listed_neighbours={
                cat: frozenset(node.get("listed_neighbours", ()))
                for cat, node in self.table("categories").items()
                if node.get("listed_neighbours")
            },
        )
        if self.problems:
            raise LexiconError(self.source, self.problems)
        return lexicon


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """User files extend the packaged lexicon: tables merge, lists append, scalars replace."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def _read(path: Path, label: str) -> dict[str, Any]:
    """Parse and check one lexicon file on its own, so that errors name the file that has them."""
    try:
        doc = parse_toml(read_bytes(path, label), label)
        validate(doc, LEXICON, label)
    except DataFileError as exc:
        raise LexiconError(exc.file, exc.problems) from None
    return doc


def _packaged_path() -> Path:
    return data_file("policy_lexicon.toml")


@lru_cache(maxsize=1)
def _permission_names() -> dict[str, list[str]]:
    """Per category, the rule table's permission names (as phrases) that cannot be ordinary words: those with an
    underscore ("read_call_log"), so "CAMERA" or "INTERNET" in prose is left to the category terms. The "other"
    category (vibration, wake locks) names no personal data a policy would admit to collecting."""
    rules, _ = load_document(data_file("rules.toml"), RULES, "apkscan/data/rules.toml")
    names: dict[str, list[str]] = {}
    for name, rule in rules.get("permissions", {}).items():
        short = name.rpartition(".")[2].lower()
        if "_" in short and rule.get("category") not in (None, "other"):
            names.setdefault(rule["category"], []).append(short)
    return {cat: list(dict.fromkeys(found)) for cat, found in names.items()}


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _Compiler(_read(_packaged_path(), _PACKAGED_LABEL), _PACKAGED_LABEL).build()


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The packaged lexicon, or the packaged one extended by ``path`` (replaced if that file sets replace = true)."""
    if path is None:
        return _default_lexicon()
    extra = _read(Path(path), str(path))
    data = extra if extra.pop("replace", False) else _merge(_read(_packaged_path(), _PACKAGED_LABEL), extra)
    return _Compiler(data, str(path)).build()
