"""Read one policy sentence: which data it admits or denies collecting, and what else it says.

The hard part is scope. "We do not sell your contacts" mentions contacts and a negation but denies nothing about
collecting them; "我们不会读取您的短信" does deny it. So a category mention is attached to the nearest collection verb
of its clause, and only a negation sitting right before that verb (same clause, no new subject in between) turns
admission into denial. Consent conditions ("除非…否则不会", "without your consent") keep it an admission, and a
purpose restriction ("will not use your contacts for marketing") makes the sentence say nothing about collection.
Scans run lazily: most sentences of a policy mention no data category and cost only a handful of searches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from apkscan.knowledge.lexicon import Lexicon
from apkscan.knowledge.matcher import normalize

Span = tuple[int, int]
Mention = tuple[int, int, str]
_ADDRESSED = re.compile(
    r"(?:^|\W)(?:you|your device'?s? settings)(?: can| may| could| are able to| should)\b|您可以|你可以|用户可以"
)
# The lender speaking. A sentence where it speaks with no collection verb says something else about the data (protects
# it, keeps it, deletes it): not a list entry; a clause where it speaks is not an SDK's.
LENDER_SUBJECT = re.compile(r"我们|我司|本公司|(?:^|\W)(?:we|us|our)(?!\w)")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
CONDITION_REACH = 40  # a consent condition this close to a negated verb makes the statement conditional


@dataclass(frozen=True)
class Reading:
    """What one sentence says. ``collects`` maps a category to the purposes stated with it."""

    collects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    denies: frozenset[str] = frozenset()
    # collected only by being listed (a heading, a bare entry, an item under a lead-in), with no verb of its own:
    # a policy's explicit denial of the same category outweighs such a mention (see ``analysis._Tally``)
    listed: frozenset[str] = frozenset()
    sharing: bool = False
    recipients: tuple[str, ...] = ()
    contacts_contacted: bool = False
    debt: bool = False
    pre_consent: bool = False
    refusal: str | None = None  # "allowed" | "blocked"


# What may follow a whole list item: a joiner, punctuation or the end ("Phone," but not "phone number")
_ITEM_END = re.compile(r"\s*(?:$|[,，、;；.。:：)）/|]|(?:and|or|&|和|及|与|或)(?![a-z]))")
# The label of a line: "- Storage: …", "7.Storage:This permission…", "存储权限：…" (group 1 is the label)
_LABEL = re.compile(r"[\W\d]{0,8}?([^\W\d][^:：。.!?;；]{0,30}?)\s*[:：]")
_ITEM_BEFORE = re.compile(r"(?:^|[,，、;；:：(（/|*\-]|(?<![a-z])(?:and|or|your|the|to|access|&)|和|及|与|或)\s*\Z")
_SLASH = re.compile(r"\s*/\s*")
# between an item and its passive predicate: "[contacts] is not [required]", "[SMS] will never be [read]"
_PASSIVE = re.compile(
    r"\s*(?:is|are|was|were|will|shall|would|can|may)(?:\s+(?:not|never|n't))?(?:\s+be)?\s*"
    r"|\s*(?:isn't|aren't|won't be)\s*"
)
_QUOTED = re.compile(r"「[^」]{0,40}」|“[^”]{0,40}”|『[^』]{0,40}』")


def _in_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` sits inside an unclosed parenthesis: a remark on the item before it."""
    opened = max(text.rfind("(", 0, pos), text.rfind("（", 0, pos))
    return opened >= 0 and max(text.rfind(")", opened, pos), text.rfind("）", opened, pos)) < 0


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def _masked(mention: Mention, look_alikes: list[Mention]) -> bool:
    """A look-alike masks mentions of its own category only: "selfie photo" is no gallery photo, but it is the
    camera."""
    return _overlaps(mention[:2], [k[:2] for k in look_alikes if k[2] == mention[2]])


def _longest_first(found: list[Mention]) -> list[Mention]:
    """Drop mentions overlapping a longer one: "人脸照片" is camera, not photos."""
    kept: list[Mention] = []
    for m in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
        if not _overlaps(m[:2], [k[:2] for k in kept]):
            kept.append(m)
    return sorted(kept)


class _Sentence:
    """A normalized sentence, its spans (computed on first use) and the scope rules that work on them."""

    def __init__(self, text: str, lex: Lexicon, under_permissions: bool = False) -> None:
        """``under_permissions``: the sentence stands under a lead-in or heading about permissions."""
        base = lex.simplify(normalize(text))
        self.under_permissions = under_permissions
        for pattern, repl, requires in lex.rewrites:
            if requires in base:  # a cheap substring test spares most sentences the regex
                base = pattern.sub(repl, base)
        self.lex = lex
        self.base = base

    @cached_property
    def look_alikes(self) -> list[Mention]:
        """Phrases that only look like a category's terms ("联系我们", "SMS verification code"), with that category."""
        return self.lex.exclude.mentions(self.base)

    @cached_property
    def label(self) -> re.Match[str] | None:
        """The label of the line, if it has one ("- Storage: …", "存储权限：…")."""
        return _LABEL.match(self.base)

    @cached_property
    def mentions(self) -> list[Mention]:
        found = self.lex.terms.mentions(self.base)
        named = _longest_first([m for m in found if not _masked(m, self.look_alikes)]) if found else []
        return self._with_list_items(self._with_context_terms(named))

    def _with_context_terms(self, named: list[Mention]) -> list[Mention]:
        """Add words that name a category only with context ("photos", "图片": as often the borrower's ID card or
        receipt as the gallery). They count with other data ("contacts, photos, location"), where permissions, the
        device or a reading verb are spoken of ("access to your photos", "the photos on your phone",
        "读取手机中的图片"), in a denial ("we never collect photos"), and as a line's label ("Photos: …"). The camera
        and storage vouch for them only as items of one list ("camera and photos"): "存储权限，用于保存图片" speaks
        of pictures the app writes, and pictures right after a writing verb never count."""
        lex, base = self.lex, self.base
        found = [
            m
            for m in lex.context_terms.mentions(base)
            if not _masked(m, self.look_alikes)
            and not _overlaps(m[:2], [k[:2] for k in named])
            and not lex.written_before.search(base, max(0, m[0] - 24), m[0])  # "保存图片": the app writes them
        ]
        if not found:
            return named
        label = self.label
        if not (
            any(c not in lex.listed_neighbours.get(f[2], ()) for f in found for _, _, c in named)
            or any(self._coordinated(f, m, slash=True) for f in found for m in named)
            or self.under_permissions
            or lex.negation.search(base)
            or lex.permission_list.search(base)
            or lex.context.search(base)
            or lex.list_terms.mentions(base)  # "Photos/Media/Files"
            or (label and any(label.start(1) <= s and e <= label.end(1) for s, e, _ in found))
        ):
            return named
        return _longest_first(named + found)

    def _with_list_items(self, named: list[Mention]) -> list[Mention]:
        """Add permission-group words ("Phone", "Storage", "Media") where they name a permission: as items of a
        list of permissions with other data terms ("we request Camera, Phone, Storage and Location"), or as the
        label of a line about a permission ("- Storage: to save your statements", "7.Storage:This permission…").
        Elsewhere "phone" or "storage" says nothing (a phone number, data storage)."""
        lex, base, label = self.lex, self.base, self.label
        if not (named or label):
            return named  # most sentences: no scan more
        weak = [
            m
            for m in lex.list_terms.mentions(base)
            if not _overlaps(m[:2], [k[:2] for k in named])
            and not _masked(m, self.look_alikes)
            and _ITEM_END.match(base, m[1])  # a whole item: "phone," is one, "phone number" is not
        ]
        if not weak or not (self.under_permissions or lex.permission_list.search(base)):
            return named
        added = [w for w in weak if label and w[:2] == label.span(1)]
        # an item of a list starts after a joiner: "social media accounts" is no item "accounts"
        weak = [w for w in weak if w not in added and _ITEM_BEFORE.search(base, max(0, w[0] - 12), w[0])]
        while weak and named:
            items = named + added
            joined = [w for w in weak if any(self._coordinated(w, m) for m in items)]
            if not joined:
                break
            added += joined
            weak = [w for w in weak if w not in joined]
        return sorted(named + added) if added else named

    def _coordinated(self, one: Mention, other: Mention, slash: bool = False) -> bool:
        """Two items of one list, in either order: only a coordination ("," "and" "、"), or with ``slash`` a "/",
        stands between them ("camera and photos", "Photos / Storage")."""
        lo, hi = (one[1], other[0]) if one[1] <= other[0] else (other[1], one[0])
        if hi < lo:
            return False
        return bool(
            self.lex.coordination.fullmatch(self.base, lo, hi) or (slash and _SLASH.fullmatch(self.base, lo, hi))
        )

    @cached_property
    def verbs(self) -> list[Span]:
        found = self.lex.collect.spans(self.base)
        if not found:
            return []
        blocked = [k[:2] for k in self.look_alikes] + self.lex.not_collect.spans(self.base)
        blocked += [m[:2] for m in self.mentions]
        blocked += self.lex.withdrawal.spans(self.base)  # "您可以在设置中关闭通讯录权限" collects nothing
        blocked += [m.span() for m in _QUOTED.finditer(self.base)]  # a quoted name: "「查询所有应用包」"
        return [v for v in found if not _overlaps(v, blocked)]

    @cached_property
    def bare_entry(self) -> bool:
        """Names data with no verb of any kind, no negation and nothing addressed to the user: in a privacy policy
        such a piece is an entry of a list or table of what is collected ("网络信息(IP地址…)、设备信息(IMEI…)",
        "Location Data | Your general location"), whatever lead-in or heading the reader could not see."""
        lex, base = self.lex, self.base
        inert = [m[:2] for m in self.mentions] + lex.not_collect.spans(base)
        return not (
            # a collection verb of its own, even in a look-alike; one inside a data term ("存储权限") or a table
            # header ("使用目的") does not count
            any(not _overlaps(v, inert) for v in lex.collect.spans(base))
            or lex.negation.search(base)
            or lex.withdrawal.search(base)
            or _ADDRESSED.search(base)
            or LENDER_SUBJECT.search(base)
            or lex.finite_verb.search(base)  # "Photos you import are stored on your device" is a sentence
        )

    @cached_property
    def negations(self) -> list[Span]:
        """Negations, minus look-alikes ("不限于") and the user's own ("如您不授权" is a refusal, not a denial)."""
        lex, base = self.lex, self.base
        found = lex.negation.spans(base)
        if not found:
            return []
        blocked = lex.not_negation.spans(base)
        return [
            n for n in found if not _overlaps(n, blocked) and not lex.user_subject.search(base, max(0, n[0] - 12), n[0])
        ]

    @cached_property
    def conditions(self) -> list[Span]:
        return self.lex.conditional.spans(self.base)

    @cached_property
    def _clauses(self) -> tuple[list[int], list[int], list[int]]:
        clause = self.lex.clause.spans(self.base)
        scope = sorted(clause + self.lex.negation_scope.spans(self.base))
        return [e for _, e in clause], [s for s, _ in clause], [e for _, e in scope]

    # ------------------------------------------------------------------ scope helpers
    def clause_of(self, pos: int) -> Span:
        ends, starts, _ = self._clauses
        i = bisect_right(ends, pos)
        j = bisect_right(starts, pos)
        return (ends[i - 1] if i else 0), (starts[j] if j < len(starts) else len(self.base))

    def negated_at(self, pos: int, window: int | None = None) -> bool:
        """A negation right before ``pos``: same comma-free stretch, close, and no new subject in between."""
        if not self.negations:
            return False
        scope_ends = self._clauses[2]
        i = bisect_right(scope_ends, pos)
        lo = scope_ends[i - 1] if i else 0
        if window is None:
            window = 12 if pos and _CJK.match(self.base, pos - 1) else 32
        lo = max(lo, pos - window)
        return any(
            lo <= s and e <= pos and not self.lex.new_subject.search(self.base, e, pos) for s, e in self.negations
        )

    def _coordinated_before(self, spans: list[Span], pos: int) -> Span | None:
        """The span just before ``pos`` when only a coordination ("," "or" "、") stands between them."""
        earlier = [sp for sp in spans if sp[1] <= pos]
        if earlier and self.lex.coordination.fullmatch(self.base, earlier[-1][1], pos):
            return earlier[-1]
        return None

    def verb_negated(self, verb: Span) -> bool:
        """A negation before this verb or before the verbs it is coordinated with: "we do not access, read or
        upload your contacts" denies all three, though a comma stands between the negation and "upload"."""
        if self.negated_at(verb[0]):
            return True
        chain = self.lex.chained_before.search(self.base, max(0, verb[0] - 60), verb[0])
        if chain and chain.start() < verb[0]:
            lo = chain.start()
            if self.negated_at(lo) or any(lo <= s < verb[0] for s, _ in self.negations):
                return True
        previous = self._coordinated_before(self.verbs, verb[0])
        return previous is not None and self.verb_negated(previous)

    def denied_other_verb(self, lo: int, hi: int) -> bool:
        """A negated verb of another kind (share, sell, disclose) between a collection verb and its item takes the
        item as its own object."""
        return any(self.negated_at(s) for s, e in self.lex.sharing.spans(self.base) if lo <= s and e <= hi)

    def item_negated(self, start: int) -> bool:
        """A negation right before this data item or before the first item of its list: "no contacts, call logs or
        photos are accessed" denies all three."""
        cjk = _CJK.match(self.base, start) is not None
        if self.negated_at(start, window=8 if cjk else 12):  # "not your SMS"
            return True
        if not cjk and self.lex.negated_modifiers.search(self.base, max(0, start - 60), start):
            return True  # "no personal, financial, or location data is collected"
        examples = self.lex.examples_before.search(self.base, max(0, start - 12), start)
        if examples and self.negated_at(examples.start(), window=12 if cjk else 32):  # "no data such as SMS"
            return True
        previous = self._coordinated_before([m[:2] for m in self.mentions], start)
        return previous is not None and self.item_negated(previous[0])

    def conditional_near(self, pos: int) -> bool:
        return any(abs(s - pos) <= CONDITION_REACH for s, _ in self.conditions)

    def restricted_after(self, pos: int) -> bool:
        """The denied verb at ``pos`` is limited to a purpose ("not used for marketing"), so it denies nothing. A
        negation between them starts a clause of its own: "does not access your contacts, and the data is never
        used for marketing" still denies the contacts."""
        end = self.clause_of(pos)[1]
        for m in self.lex.restriction.finditer(self.base, pos):
            if m.start() > end:
                return False
            if _in_brackets(self.base, m.start()):
                continue  # "no device identifiers (beyond what third-party services collect)" limits that item only
            return not any(pos < n < m.start() for n, _ in self.negations)
        return False

    @cached_property
    def exclusions(self) -> list[Span]:
        return self.lex.exclusion.spans(self.base)

    def excepted_after(self, start: int, end: int) -> bool:
        """A denied item with an exception right after it admits part of it: "SMS (other than OTP)", "no SMS except
        bank alerts". An exception that only names a look-alike of the item ("contacts except emergency contacts")
        admits nothing."""
        category = next((c for s, _, c in self.mentions if s == start), None)
        for s, e in self.exclusions:
            if end <= s <= end + 3:
                if self.lex.vague_exception.search(self.base, s, e):
                    return False
                return not any(c == category and s <= k < e for k, _, c in self.look_alikes)
        return False

    def declared_apart(self, start: int, end: int, verb: Span) -> bool:
        """A permission's constant in a table cell of its own is declared, whatever the lender denies doing with
        other data in another cell: "| WRITE_EXTERNAL_STORAGE | To store transactions locally | We do NOT upload
        data anywhere |"."""
        if "_" not in self.base[start:end]:  # READ_SMS, not "SMS"
            return False
        lo, hi = (verb[1], start) if verb[1] <= start else (start, verb[0])
        if "|" not in self.base[lo:hi]:
            return False
        cell_lo = self.base.rfind("|", 0, verb[0]) + 1
        cell_hi = self.base.find("|", verb[1])
        cell_hi = len(self.base) if cell_hi < 0 else cell_hi
        if not LENDER_SUBJECT.search(self.base, cell_lo, cell_hi):
            return False  # "| READ_SMS | Not used |": a cell without a subject of its own speaks of the row's item
        category = next(c for s, _, c in self.mentions if s == start)
        # the other cell denies this very category: "| READ_SMS | We do not read your SMS |"
        return not any(c == category and cell_lo <= s < cell_hi for s, _, c in self.mentions)

    def excluded(self, start: int) -> bool:
        return any(s <= start < e for s, e in self.exclusions)

    def verb_for(self, start: int, end: int) -> tuple[Span | None, bool]:
        """Nearest collection verb in the mention's clause (preceding first), else in the sentence (cross=True)."""
        lo, hi = self.clause_of(start)
        before = [v for v in self.verbs if lo <= v[0] and v[1] <= start]
        after = [v for v in self.verbs if end <= v[0] < hi]
        if before or after:
            return (before[-1] if before else after[0]), False
        before = [v for v in self.verbs if v[1] <= start]
        after = [v for v in self.verbs if v[0] >= end]
        if before or after:
            return (before[-1] if before else after[0]), True
        return None, False

    # ------------------------------------------------------------------ polarity
    def polarity(self, start: int, end: int) -> str | None:
        """ "collects", "denies" or None (the sentence says nothing about collecting this mention)."""
        verb, cross = self.verb_for(start, end)
        if verb is None:
            return None
        # Across clauses only a negation right before the item counts: "…, but never your SMS".
        negated = self.verb_negated(verb) or (
            cross and self.negated_at(start, window=12 if _CJK.match(self.base, start) is None else 3)
        )
        if self.excluded(start):
            negated = not negated
        if negated:
            if (
                self.conditional_near(verb[0])
                or self.excepted_after(start, end)
                or self.declared_apart(start, end, verb)
            ):
                return "collects"
            return None if self.restricted_after(verb[0]) else "denies"
        if verb[1] <= start and self.denied_other_verb(verb[1], start):
            return None  # "we collect your name and never share your location": says nothing about location
        if verb[1] <= start and self.item_negated(start) and not self.verb_negated(verb):
            return "denies"  # "we collect your location and not your SMS"
        if verb[0] >= end and self.item_negated(start) and not self.conditional_near(start):
            return "denies"  # "no app usage data or activity logs are collected", "不会有短信被读取"
        if verb[1] <= start and self.passive_denial_after(end):
            return "denies"  # "access to your contacts is not required": the item's own predicate denies
        return "collects"

    def passive_denial_after(self, end: int) -> bool:
        """The item is the subject of a negated passive predicate in its clause: "[access to] contacts is not
        required", "[reading of] SMS messages are never performed"."""
        hi = self.clause_of(end)[1]
        after = next((v for v in self.verbs if end <= v[0] < hi), None)
        return (
            after is not None
            and _PASSIVE.fullmatch(self.base, end, after[0]) is not None
            and self.verb_negated(after)
            and not self.conditional_near(after[0])
        )

    def lead_polarity(self) -> str | None:
        """Polarity a lead-in line gives to the verb-less items under it ("我们不会收集以下信息：")."""
        if not self.verbs:
            return None
        verb = self.verbs[-1]
        if self.verb_negated(verb) and not self.conditional_near(verb[0]):
            return "denies"
        return "collects"

    def purposes(self) -> tuple[str, ...]:
        found = self.lex.purposes.mentions(self.base)
        return tuple(dict.fromkeys(name for start, _, name in found if not self.negated_at(start)))

    def affirmed(self, spans: list[Span]) -> bool:
        return any(not self.negated_at(s) or self.conditional_near(s) for s, _ in spans)


def is_bare_entry(text: str, lex: Lexicon) -> bool:
    """Names data with no verb, negation or speaker: an entry of a list or table (see ``_Sentence.bare_entry``)."""
    s = _Sentence(text, lex)
    return bool(s.mentions) and s.bare_entry


def has_collection_verb(text: str, lex: Lexicon) -> bool:
    """A collection verb of its own, not a table header's ("使用目的") nor a data term's ("存储权限")."""
    return bool(_Sentence(text, lex).verbs)


def categories_mentioned(text: str, lex: Lexicon) -> tuple[str, ...]:
    """Categories a piece of text names (look-alikes removed), in order, whatever it says about them."""
    return tuple(dict.fromkeys(cat for _, _, cat in _Sentence(text, lex).mentions))


class SentenceReader:
    """Reads sentences against one lexicon; caches the reading of leads, which repeat."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._leads: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._permission_heads: dict[str, bool] = {}

    def _lead(self, lead: str) -> tuple[str | None, tuple[str, ...]]:
        if lead not in self._leads:
            s = _Sentence(lead, self.lex)
            # items under a definition are examples of what personal data means, not what is collected
            if self.lex.definition.search(s.base):
                polarity: str | None = "defines"
            elif self.lex.negated_lead.search(s.base):
                polarity = "denies"  # "We do NOT:", whatever verb an earlier sentence of the lead has
            else:
                polarity = s.lead_polarity()
            if polarity is None and self.lex.collection_heading.search(s.base):
                polarity = "collects"  # "2.1 Information You Provide", "Permissions": a heading, not a sentence
            self._leads[lead] = (polarity, s.purposes())
        return self._leads[lead]

    def _names_permissions(self, heading: str) -> bool:
        """Whether a lead-in or heading speaks of permissions ("Permissions we request", "所需权限")."""
        if not heading:
            return False
        if heading not in self._permission_heads:
            found = self.lex.permission_list.search(self.lex.simplify(normalize(heading)))
            self._permission_heads[heading] = found is not None
        return self._permission_heads[heading]

    def read_continuation(self, text: str, before: str) -> Reading | None:
        """A sentence that points back ("This may include…", "这包括但不限于…") names the data of the sentence
        before: its items take that sentence's verb and negation, whatever verb-like nouns they hold ("使用模式").
        None when the sentence before says nothing about collecting."""
        polarity, purposes = self._lead(before)
        if polarity is None:
            return None
        prior = _Sentence(before, self.lex)
        if polarity != "defines" and prior.verbs:
            # the main verb is the first one: "我们不会收集…与您使用本软件相关的任何个人数据" denies
            main = prior.verbs[0]
            polarity = "denies" if prior.verb_negated(main) and not prior.conditional_near(main[0]) else "collects"
        named = tuple(dict.fromkeys(cat for _, _, cat in _Sentence(text, self.lex).mentions))
        if polarity == "collects":
            return Reading(collects={cat: purposes for cat in named})
        return Reading(denies=frozenset(named)) if polarity == "denies" else Reading()

    def read(self, text: str, lead: str = "", section: str = "") -> Reading:
        lex = self.lex
        s = _Sentence(text, lex, self._names_permissions(lead) or self._names_permissions(section))
        if not lex.flag_trigger.search(s.base):
            collects, denies, listed = self._categories(s, lead, borrow=True)
            return Reading(collects=collects, denies=denies, listed=listed)
        contacting = lex.contacting.spans(s.base)
        contacted = bool(contacting) and s.affirmed(contacting)
        sharing_spans = lex.sharing.spans(s.base)
        collects, denies, listed = self._categories(s, lead, borrow=not (contacted or sharing_spans))
        if sharing_spans:
            sharing = s.affirmed(sharing_spans)
        else:
            sharing = bool(lex.third_party.search(s.base)) and s.affirmed(s.verbs)
        return Reading(
            collects=collects,
            denies=denies,
            listed=listed,
            sharing=sharing,
            recipients=tuple(dict.fromkeys(n for _, _, n in lex.recipients.mentions(s.base))) if sharing else (),
            contacts_contacted=contacted,
            debt=contacted and bool(lex.debt.search(s.base) or lex.debt.search(normalize(section))),
            pre_consent=bool(lex.pre_consent.search(s.base)) and s.affirmed(s.verbs),
            refusal=self._refusal(s),
        )

    def _categories(
        self, s: _Sentence, lead: str, borrow: bool
    ) -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
        if not s.mentions or self.lex.definition.search(s.base):
            return {}, frozenset(), frozenset()  # definitions ("敏感个人信息：指…短信内容") state no practice
        # A verb-less item borrows its lead's verb ("我们会收集以下信息：" + "通讯录"), unless it has a verb of
        # another kind (selling, contacting) or a negation of its own: then the lead's verb is not its verb.
        entry = not s.verbs and not s.negations and s.bare_entry
        borrow = borrow and bool(lead) and not s.verbs and not s.negations
        collects: dict[str, None] = {}
        denies: set[str] = set()
        purposes: tuple[str, ...] | None = None
        # An item with a verb but no negation or subject of its own continues a denying lead-in: "We do NOT:" +
        # "- Access your contacts", "The app does not request:" + "- Location access".
        continues_denial = (
            bool(lead)
            and bool(s.verbs)
            and not s.negations
            and not self.lex.new_subject.search(s.base)
            and self._lead(lead)[0] == "denies"
        )
        labelled = self.lex.purpose_label.search(s.base)
        crossed = self.lex.denied_mark.search(s.base) is not None  # "- ❌ Contacts or address book information"
        for start, end, cat in s.mentions:
            status = s.polarity(start, end)
            if crossed or (status == "collects" and continues_denial):
                status = "denies"
            if status is None and borrow:
                status, lead_purposes = self._lead(lead)
                purposes = lead_purposes if status else purposes
            if status == "defines":
                continue
            if status is None and entry:
                status = "collects"  # a bare list or table entry of a policy lists collected data
            elif status is None and labelled is not None and start < labelled.end() and not s.negations:
                status = "collects"  # "Location: to confirm you are in the country"
            elif status is None and not s.verbs and s.item_negated(start) and not self.lex.other_verb.search(s.base):
                status = "denies"  # a verb-less entry that negates its item: "No contact access"
            if status == "collects":
                collects[cat] = None
            elif status == "denies":
                denies.add(cat)
        if not collects:
            return {}, frozenset(denies), frozenset()
        stated = tuple(dict.fromkeys(s.purposes() + (purposes or ())))
        listed = frozenset(collects) if not s.verbs else frozenset()
        return {cat: stated for cat in collects}, frozenset(denies - set(collects)), listed

    def _refusal(self, s: _Sentence) -> str | None:
        lex = self.lex
        if not lex.refusal_context.search(s.base):
            return None
        if lex.refusal_blocked.search(s.base):
            cats = {cat for _, _, cat in s.mentions}
            if cats & lex.non_necessary or (
                not cats and lex.generic_permission.search(s.base) and not lex.necessary_items.search(s.base)
            ):
                return "blocked"
            return None
        return "allowed" if lex.refusal_allowed.search(s.base) else None
