"""Every report format, fed hand-built reports: hostile values stay text, both languages render, round trips hold."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from apkscan.model.codec import from_plain, to_plain
from apkscan.model.text import Message, Text
from apkscan.read.report_json import report_from_dict
from apkscan.render.formats.report_json import report_dict
from apkscan.render.i18n import say
from apkscan.render.registry import RenderContext, formats, renderer
from tests.contract import report_errors
from tests.factories import app, finding, report

HOSTILE = "<script>alert(1)</script>[x](javascript:1)\n# h"
TEXT_FORMATS = [f for f in formats("report") if f != "pdf"]


@pytest.fixture(scope="module")
def hostile():
    return report(("INTERNET", "READ_CONTACTS", "READ_SMS"), app=app(("INTERNET", "READ_CONTACTS", "READ_SMS"),
                  label=HOSTILE, label_zh=HOSTILE, package="com.example.<b>"))  # fmt: skip


MARKUP_FORMATS = [f for f in TEXT_FORMATS if f in ("html", "md")]
DATA_FORMATS = [f for f in TEXT_FORMATS if f in ("json", "sarif")]


@pytest.mark.parametrize("fmt", MARKUP_FORMATS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_labels_never_become_markup(fmt, lang, hostile):
    out = renderer("report", fmt).render(hostile, RenderContext(lang)).decode("utf-8")
    assert "<script>alert(1)</script>" not in out
    if fmt == "html":
        assert "&lt;script&gt;alert(1)" in out
    else:  # Markdown: the bracket that would make a link and the heading marker are escaped
        assert r"\<script\>" in out and r"\# h" in out
        assert not re.search(r"(?<!\\)\]\(javascript", out)


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_data_formats_keep_hostile_values_exactly(fmt, hostile):
    doc = json.loads(renderer("report", fmt).render(hostile, RenderContext("en")))
    assert HOSTILE in json.dumps(doc, ensure_ascii=False).encode().decode("unicode_escape") or fmt == "sarif"
    if fmt == "json":
        assert doc["app"]["label"] == HOSTILE


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hand_built_report_matches_the_strict_schema_and_reads_back(lang, hostile):
    doc = json.loads(json.dumps(report_dict(hostile, lang)))
    assert report_errors(doc) == []
    assert report_from_dict(doc) == replace(hostile, lang=lang)


@pytest.mark.parametrize(
    ("words", "en", "zh"),
    [
        (Message("risk.high"), "High risk", "高风险"),
        (Text("a", "甲"), "a", "甲"),
        (Text("only english"), "only english", "only english"),
        ((Message("noun.sms"), Message("noun.call_log")), "your SMS messages and your call history", "短信和通话记录"),
        (
            Message("reason.prohibited", {"count": 3}),
            "3 permission(s) that lending apps are prohibited from using",
            None,
        ),
        ("plain", "plain", "plain"),
        (None, "", ""),
    ],
)
def test_say_writes_words_in_the_language_asked(words, en, zh):
    assert say(words, "en") == en
    if zh is not None:
        assert say(words, "zh") == zh


def test_findings_survive_the_codec_in_both_directions():
    f = finding(evidence=(Message("code.upload_endpoint", {"url": "https://x"}), "plain line"))
    plain = to_plain(f, lambda w: say(w, "zh"))
    assert plain["evidence"] == ["上传接口：https://x", "plain line"]
    assert from_plain(type(f), plain) == f
