"""The specs of the lender checks' data files: lending vocabulary, red flags, look-alike letters, brands, libraries
and data senders.

Why a module of their own: these six files feed the checks of issue 12 ("know the lender") and are edited by people
who know a market's loan slang or a bank's name, not Python; their shape is checked by the same mechanism as every
data file (:mod:`apkscan.knowledge.schema`) and registered in :data:`apkscan.knowledge.specs.DATA_FILES`, so the
data README documents them and every mistake of a file is reported at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apkscan.knowledge.schema import OPT_TEXT, TAG, TEXT, Array, Field, Keyed, Num, Str, Table, optional
from apkscan.model.vocab import RED_FLAG_KINDS, SDK_KINDS, TERM_LANGS, TERM_MATCHES, TEXT_PLACES

_LOWER = Str(nonempty=True, pattern=r"[^A-Z]+", hint="lower case (terms are matched case-insensitively)")
_DEX_CLASS = Str(pattern=r"L[^;\s]+;", hint="a DEX class descriptor like Ljava/net/HttpURLConnection;")
_PREFIX = Str(pattern=r"[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)*\.", hint="a Java package prefix ending with '.'")


def _term_fields(extra: Mapping[str, Field]) -> dict[str, Field]:
    return {
        "text": Field(_LOWER, doc="the word or phrase, lower case"),
        "lang": Field(Str(choices=TERM_LANGS)),
        "match": optional(Str(choices=TERM_MATCHES), "word (default), prefix (word start) or substring (anywhere)"),
        "places": optional(Array(Str(choices=TEXT_PLACES)), "where the term counts; absent = everywhere"),
        "note": OPT_TEXT,
        **extra,
    }


def _unsure_below_yes(decision: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if decision["unsure"] >= decision["yes"]:
        yield "unsure", "must be below yes"


LENDING = Table(
    {
        "decision": Field(
            Table({"yes": Field(Num(minimum=0)), "unsure": Field(Num(minimum=0))}, rules=(_unsure_below_yes,)),
            doc="score thresholds: at least `yes` is a lender, at least `unsure` is unsure",
        ),
        "places": Field(
            Keyed(Num(minimum=0.01), ids=TEXT_PLACES, complete=True, id_name="place"),
            doc="multiplier of a term's weight per place it is found in",
        ),
        "sdk_kind": optional(
            Array(Table({"kind": Field(Str(choices=SDK_KINDS)), "weight": Field(Num())})),
            "SDK kinds (sdks.toml) that lenders embed far more often than other apps",
        ),
        "term": Field(
            Array(
                Table(_term_fields({"weight": optional(Num(), "3 = says 'loan' by itself; negative = not a lender")})),
                nonempty=True,
            ),
            doc="the lending vocabulary",
        ),
    }
)
PROMISES = Table(
    {
        "flag": Field(
            Array(
                Table(
                    _term_fields(
                        {
                            "id": Field(Str(choices=RED_FLAG_KINDS), doc="the kind of promise"),
                            "source": Field(Str(nonempty=True), doc="where the red flag comes from"),
                        }
                    )
                ),
                nonempty=True,
            ),
            doc="marketing red flags, each a phrase of one kind",
        )
    }
)
CONFUSABLES = Table(
    {
        "source": Field(Str(nonempty=True)),
        "verification": TAG,
        "note": OPT_TEXT,
        "letters": Field(
            Keyed(
                Str(pattern=r"[A-Za-z0-9]", hint="one ASCII letter or digit"),
                id_pattern=r".",
                id_hint="one character",
                id_name="letter",
            ),
            doc="a letter of another script -> the ASCII letter it looks like",
        ),
    }
)


def _brand_has_a_name(brand: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    if not (brand.get("acronyms") or brand.get("names")):
        yield "", "needs acronyms or names"


BRANDS = Table(
    {
        "brand": Field(
            Array(
                Table(
                    {
                        "id": Field(Str(pattern=r"[a-z0-9_-]+", hint="lower-case letters, digits, _ and -")),
                        "name": TEXT,
                        "country": Field(Str(nonempty=True)),
                        "kind": Field(Str(nonempty=True), doc="bank, wallet, lender..."),
                        "acronyms": optional(Array(Str(nonempty=True)), "matched as whole words, upper case"),
                        "names": optional(Array(_LOWER), "matched as whole words (Chinese, Hindi: anywhere)"),
                        "signers": optional(
                            Array(Str(pattern=r"[0-9a-f]{64}", hint="a certificate SHA-256, lower-case hex")),
                            "the brand's known release certificates",
                        ),
                        "source": Field(Str(nonempty=True), doc="the brand's official site"),
                        "verification": TAG,
                    },
                    rules=(_brand_has_a_name,),
                ),
                nonempty=True,
                unique="id",
            )
        )
    }
)
LIBRARIES = Table(
    {
        "library": Field(
            Array(Table({"prefix": Field(_PREFIX), "name": TEXT, "source": TEXT}), nonempty=True, unique="prefix"),
            doc="open-source libraries left out of an app's own code when families are compared",
        )
    }
)
SENDERS = Table(
    {
        "sender": Field(
            Array(
                Table({"class": Field(_DEX_CLASS), "name": TEXT, "note": OPT_TEXT, "source": TEXT}),
                nonempty=True,
            ),
            doc="APIs that send data off the phone (any overload)",
        )
    }
)
