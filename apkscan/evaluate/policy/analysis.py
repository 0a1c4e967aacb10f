"""What a privacy policy admits, per data category, with the sentences that say so.

This is the policy half of the policy-versus-app comparison (the other half is
:mod:`apkscan.evaluate.policy.consistency`).
Every statement keeps its quotes (sentence, section, source, index) because the borrower's strongest evidence is the
lender's own words; the per-sentence reading lives in :mod:`apkscan.evaluate.policy.clauses` and the vocabulary in
``apkscan/data/policy_lexicon.toml``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from apkscan.evaluate.policy.clauses import (
    LENDER_SUBJECT,
    Reading,
    SentenceReader,
    categories_mentioned,
    is_bare_entry,
)
from apkscan.evaluate.policy.third_party import SdkListReader, sdks_named
from apkscan.extract.policy.sentences import Sentence, script_profile, split_sentences, without_numbering
from apkscan.knowledge.lexicon import Lexicon, load_lexicon
from apkscan.knowledge.matcher import normalize
from apkscan.model.policy import CategoryStatement, PolicyAnalysis, Quote
from apkscan.read.policy.file import PolicyDocument
from apkscan.read.policy.markup import outline_depth

__all__ = ["CategoryStatement", "PolicyAnalysis", "Quote", "analyse_policy", "load_lexicon"]

MAX_QUOTES = 5  # per statement; enough evidence for a complaint without flooding the report
MAX_SENTENCES = 10_000  # ~250 pages; beyond this a "policy" is junk padding and would only slow the scan down


@dataclass
class _Tally:
    """Evidence gathered sentence by sentence, turned into one PolicyAnalysis at the end."""

    collects: dict[str, list[Quote]] = field(default_factory=dict)
    stated: set[str] = field(default_factory=set)  # categories some sentence collects with a verb of its own
    purposes: dict[str, dict[str, None]] = field(default_factory=dict)
    denies: dict[str, list[Quote]] = field(default_factory=dict)
    sharing: list[Quote] = field(default_factory=list)
    recipients: dict[str, None] = field(default_factory=dict)
    contacted: list[Quote] = field(default_factory=list)
    contacted_debt: list[Quote] = field(default_factory=list)
    pre_consent: list[Quote] = field(default_factory=list)
    refusal: dict[str, list[Quote]] = field(default_factory=lambda: {"allowed": [], "blocked": []})

    def add(self, reading: Reading, quote: Quote) -> None:
        for cat, purposes in reading.collects.items():
            self.collects.setdefault(cat, []).append(quote)
            if cat not in reading.listed:
                self.stated.add(cat)
            self.purposes.setdefault(cat, {}).update(dict.fromkeys(purposes))
        for cat in reading.denies:
            self.denies.setdefault(cat, []).append(quote)
        if reading.sharing:
            self.sharing.append(quote)
            self.recipients.update(dict.fromkeys(reading.recipients))
        if reading.contacts_contacted:
            (self.contacted_debt if reading.debt else self.contacted).append(quote)
        if reading.pre_consent:
            self.pre_consent.append(quote)
        if reading.refusal:
            self.refusal[reading.refusal].append(quote)

    def statements(self, lex: Lexicon, warnings: list[str]) -> dict[str, CategoryStatement]:
        out = {}
        for cat in lex.categories:
            admits, denials = self.collects.get(cat, []), self.denies.get(cat, [])
            if admits and denials and cat not in self.stated:
                admits = []  # "Contact Data:" as a heading, then "The app does not access your contacts"
            if admits and denials:
                warnings.append(
                    f"the policy both admits and denies collecting {cat.replace('_', ' ')} "
                    f"(sentences {admits[0].index} and {denials[0].index}); treated as admitted"
                )
            if admits:
                out[cat] = CategoryStatement(cat, "collects", tuple(self.purposes[cat]), tuple(admits[:MAX_QUOTES]))
            elif denials:
                out[cat] = CategoryStatement(cat, "denies", (), tuple(denials[:MAX_QUOTES]))
            else:
                out[cat] = CategoryStatement(cat, "silent")
        return out


def _sdk_subject(text: str, lex: Lexicon) -> tuple[str, str, str] | None:
    """The SDK that is the subject of the collection, if any ("…，友盟+SDK需要收集您的设备Mac地址", "The Firebase SDK
    collects…", "如您使用高德提供的地图服务，高德地图SDK需要收集…"): named in the clause of a collection verb, right
    before it, with no "we" in that clause and not as the means of our collection ("我们通过友盟SDK收集"). Returns
    the name, what comes before the SDK's clause, which stays the app's ("我们收集您的位置信息用于风控，…"), and the
    SDK's clause itself."""
    base = lex.simplify(normalize(text))
    for verb in lex.collect.finditer(base):
        start = max(base.rfind(mark, 0, verb.start()) for mark in ",，;；。") + 1
        name = lex.sdk_name.search(base, start, verb.start()) or lex.sdk_alias.search(base, start, verb.start())
        if name is None or LENDER_SUBJECT.search(_OUR_PARTNER.sub(" ", base[start : verb.start()])):
            continue  # "our partner Tongdun may collect…" is the partner speaking, not us
        if not _SUBJECT_GAP.fullmatch(base, name.end(), verb.start()):
            continue  # the SDK is not the subject: "终端用户对集成某SDK的产品的使用情况"
        if _INSTRUMENT.search(base, start, name.start()):
            return None
        # the name's pattern may reach back over the app's own words when table cells are only spaced apart
        # ("READ_PHONE_STATE 获取用户设备的IMEI 友盟SDK需要…"): the name starts after the last verb or data term
        inside = [m.end() for m in lex.collect.matches(base, name.start(), name.end())]
        inside += [e for s, e, _ in lex.terms.mentions(base) if name.start() <= s and e <= name.end()]
        first = max(inside, default=name.start())
        start = first if inside else start
        spelled = _AUXILIARY.sub("", _INTEGRATED.sub("", base[first : name.end()])).strip()
        if _GENERIC.fullmatch(spelled):
            continue  # "SDK需收集…": which SDK, the sentence does not say
        found = re.search(re.escape(spelled), text, re.IGNORECASE)  # the policy's own spelling
        return (found.group(0) if found else spelled), base[:start], base[start:]
    return None


# Between an SDK that is the subject and its verb: nothing but an auxiliary ("穿山甲SDK会收集", "X SDK may collect").
_SUBJECT_GAP = re.compile(
    r"[\s:：—–-]*(?:(?:也|还|将|会|可能|可|需|needs? to|will|may|might|can|also|would|does|only)\s*)*"
)
_OUR_PARTNER = re.compile(r"(?<!\w)our (?:partners?|third[- ]part(?:y|ies)|service providers?|vendors?)(?!\w)")
_INTEGRATED = re.compile(r"^.*(?:集成|接入|嵌入|使用)(?:的|了)?")  # "我们集成的友盟SDK" names 友盟SDK
_INSTRUMENT = re.compile(r"(?:通过|借助|经由|via|through|using|with)\s*$")  # "我们通过友盟SDK收集": ours
_AUXILIARY = re.compile(r"(?:也|还|将|会|可能|可|需要|需)+$")
_GENERIC = re.compile(r"(?:the |this |that |该|此|上述|相关)?(?:第三方)?sdks?", re.IGNORECASE)


_DEVICE = "phone_identity"
_LABEL_LENGTH = 60  # a label line, not a sentence


def _device_label(reading: Reading, label: Quote, following: str, lex: Lexicon) -> Reading:
    """A verb-less "Device information" label names the phone's identity only if the line under it does not say
    the device data is only the model and the system ("e) Device & technical information" + "Device type, operating
    system, app version"): the label and its items are read as one line, by the look-alike that reads "Device
    information: model, OS" on a single line."""
    head = lex.simplify(normalize(label.sentence.rstrip(":： ")))
    joined = f"{head}: {lex.simplify(normalize(following))}"
    if not any(cat == _DEVICE and start < len(head) for start, _, cat in lex.exclude.mentions(joined)):
        return reading
    collects = {c: p for c, p in reading.collects.items() if c != _DEVICE}
    return replace(reading, collects=collects, listed=reading.listed - {_DEVICE})


class _CollectionHeading:
    """The collection heading in force ("2. Information We Collect"), which verb-less items under it and under its
    numbered sub-sections ("2.2 Sensitive Personal Data") take as their lead-in. Any other heading ends it, unless
    it is numbered deeper than the collection heading."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.section: str | None = None
        self.current: tuple[str, int | None] | None = None  # (heading, depth of its numbering)

    def lead(self, section: str) -> str:
        if section != self.section:
            self.section = section
            depth = outline_depth(section) or None
            if section and self.lex.collection_heading.search(normalize(section)):
                self.current = (section, depth)
            elif not (self.current and self.current[1] and depth and depth > self.current[1]):
                self.current = None
        return self.current[0] if self.current else ""


_DATA_HEADING_LENGTH = 30


class _DataHeading:
    """A heading that only names data ("3. 通讯录", "Call logs") is the label of the lines under it: "Call logs" +
    "Used for fraud checks." says what "Call logs: Used for fraud checks." says. Lines that name data of their own
    are read as they are."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.section: str | None = None
        self.label = ""

    def of(self, section: str) -> str:
        if section != self.section:
            self.section = section
            label = without_numbering(section).strip().rstrip(":：")
            short = 0 < len(label) <= _DATA_HEADING_LENGTH and not label.endswith(("。", ".", "？", "?"))
            named = set(categories_mentioned(label, self.lex)) if short else set()
            # "Device information" over lines of model and OS names no identifier (see _device_label): not a label
            self.label = label if named - {_DEVICE} and is_bare_entry(label, self.lex) else ""
        return self.label


def _language(sentences: Sequence[Sentence], warnings: list[str]) -> str:
    verdict, _ = script_profile(" ".join(s.text for s in sentences[:4000]))
    if verdict.startswith("unknown"):
        script = verdict.partition(":")[2]
        warnings.append(
            f"policy language not supported (mostly {script}); apkscan reads Chinese and English only, "
            "so the categories below are likely incomplete"
        )
        return "unknown"
    return verdict


def analyse_policy(doc: PolicyDocument | Sequence[PolicyDocument], lexicon: Lexicon | None = None) -> PolicyAnalysis:
    """Analyse one policy, or several (e.g. a privacy policy and a user agreement) merged into one reading."""
    docs = [doc] if isinstance(doc, PolicyDocument) else list(doc)
    lex = lexicon or load_lexicon()

    def lead_in(text: str) -> bool:
        return bool(lex.lead_in.search(normalize(text)))

    heading = _CollectionHeading(lex)
    data_heading = _DataHeading(lex)
    reader = SentenceReader(lex)
    sdk_lists = SdkListReader(lex)
    tally = _Tally()
    warnings: list[str] = []
    everything: list[Sentence] = []
    for d in docs:
        warnings += [f"{d.source}: {w}" if len(docs) > 1 else w for w in d.warnings]
        sentences = split_sentences(d, lead_in)[: max(0, MAX_SENTENCES - len(everything))]
        everything += sentences
        previous: Sentence | None = None
        pending: tuple[Reading, Quote] | None = None  # a "Device information" label, read with its next line
        for s in sentences:
            quote = Quote(s.text, s.section, d.source, s.index)
            lead = s.lead or heading.lead(s.section)
            continued = None
            opening = lex.simplify(normalize(s.text[:60]))  # an anaphora opens the sentence: "This may include…"
            if previous is not None and previous.section == s.section and lex.anaphora.search(opening):
                continued = reader.read_continuation(s.text, previous.text)  # "This may include your IP address…"
            previous = s
            reading = continued or reader.read(s.text, lead, s.section)
            if (
                not (reading.collects or reading.denies)
                and (label := data_heading.of(s.section))
                and not categories_mentioned(s.text, lex)
            ):
                reading = reader.read(f"{label}：{s.text}", lead, s.section)  # "Call logs" / "Used for fraud checks."
            sdk_lists.permission_table(s.text, quote)  # "第三方:高德地图、友盟分析" under a permission
            if sdk_lists.feed(s, quote):
                reading = replace(reading, collects={}, denies=frozenset())  # the SDK's collection, not the app's
            elif reading.collects and (subject := _sdk_subject(s.text, lex)):
                sdk, before, clause = subject  # "友盟+SDK需要收集您的设备信息"
                ours = reader.read(before, lead, s.section).collects if before.strip() else {}
                # the SDK's clause may name what the app's part names too: "获取设备的IMEI 友盟SDK需要通过IMEI…"
                named = categories_mentioned(clause, lex)
                if theirs := [c for c in reading.collects if c not in ours or c in named]:
                    sdk_lists.add_prose(sdk, theirs, quote)
                kept = {c: p for c, p in reading.collects.items() if c in ours}
                reading = replace(reading, collects=kept, denies=frozenset(), listed=reading.listed & set(kept))
            if pending is not None:
                tally.add(_device_label(*pending, s.text, lex), pending[1])
                pending = None
            if _DEVICE in reading.listed and len(s.text) <= _LABEL_LENGTH:
                pending = (reading, quote)  # "e) Device & technical information", then its items
                continue
            tally.add(reading, quote)
        if pending is not None:
            tally.add(pending[0], pending[1])
        sdk_lists.end_document()
    if not everything:
        warnings.append("no sentences to analyse")
    elif len(everything) >= MAX_SENTENCES:
        warnings.append(f"only the first {MAX_SENTENCES:,} sentences were analysed")
    language = _language(everything, warnings) if everything else "unknown"
    categories = tally.statements(lex, warnings)
    blocked, allowed = tally.refusal["blocked"], tally.refusal["allowed"]
    refusal = False if blocked else True if allowed else None
    sha = docs[0].sha256 if len(docs) == 1 else hashlib.sha256("".join(d.sha256 for d in docs).encode()).hexdigest()
    return PolicyAnalysis(
        source=" + ".join(d.source for d in docs),
        language=language,
        sha256=sha,
        sentences_analysed=len(everything),
        categories=categories,
        sharing=tuple(tally.sharing[:MAX_QUOTES]),
        shared_with=tuple(tally.recipients),
        contacts_contacted=tuple((tally.contacted_debt + tally.contacted)[:MAX_QUOTES]),
        debt_collection_contact=bool(tally.contacted_debt),
        pre_consent_collection=tuple(tally.pre_consent[:MAX_QUOTES]),
        refusal_allowed=refusal,
        refusal_quotes=tuple((blocked or allowed)[:MAX_QUOTES]),
        warnings=tuple(warnings),
        third_party=sdk_lists.finish(),
        sdks_named=sdks_named((s.text for s in everything), lex),
    )
