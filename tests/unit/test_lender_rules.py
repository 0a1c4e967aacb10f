"""The lender rules as a table: lending decision and harvest reading in, harassment finding, risk and headline out."""

from __future__ import annotations

import pytest

from apkscan.evaluate.findings import derive_findings, summarise
from apkscan.evaluate.lender_findings import apply_harvest
from apkscan.evaluate.verdicts import judge_permissions
from apkscan.knowledge.rules import load_rules
from apkscan.model.lender import AccessReading, HarvestReading, LendingVerdict
from tests.factories import app

SPY = ("INTERNET", "READ_CONTACTS", "READ_SMS")


def harvest(reading: str, complete: bool = True, contacts: str = "bulk") -> HarvestReading:
    cats = () if reading == "no_contacts_code" else (AccessReading("contacts", contacts, 1, False, contacts == "bulk"),)
    return HarvestReading(reading, complete, reading == "harvests", (), cats)


def judged(permissions, lending: str = "yes", reading: HarvestReading | None = None):
    facts = app(permissions)
    verdicts = judge_permissions(facts, load_rules(), None)
    findings = apply_harvest(derive_findings(facts, verdicts), reading)
    summary = summarise(verdicts, findings, [], LendingVerdict(lending, 0.0), reading)
    return {f.id for f in findings}, summary


@pytest.mark.parametrize(
    ("reading", "kept", "risk", "headline"),
    [
        (None, True, "critical", "headline.over_harassment"),  # no code scan: the permissions decide
        (harvest("unknown", complete=False), True, "critical", "headline.over_harassment"),  # packed
        (harvest("harvests"), True, "critical", "headline.over_harassment"),
        (harvest("looks_up", contacts="lookup"), False, "high", "headline.over_code_looks_up"),
        (harvest("enumerates"), False, "high", "headline.over_code_enumerates"),
        (harvest("no_contacts_code"), False, "high", "headline.over_code_no_contacts_code"),
    ],
)
def test_the_harassment_finding_follows_complete_code_evidence(reading, kept, risk, headline):
    ids, summary = judged(SPY, "yes", reading)
    assert ("contact-harassment" in ids) is kept and summary.harassment_risk is kept
    assert "over-collection:contacts" in ids, "the capability stays reported"
    assert summary.risk == risk and summary.headline.key == headline


@pytest.mark.parametrize(("lending", "risk"), [("yes", "high"), ("unsure", "high"), ("no", "low")])
def test_lending_rules_do_not_raise_the_risk_of_an_app_that_does_not_lend(lending, risk):
    ids, summary = judged(("INTERNET", "READ_CONTACTS"), lending, harvest("no_contacts_code"))
    assert "over-collection:contacts" in ids and summary.risk == risk
    assert (summary.reasons[0].key == "reason.not_lender") is (lending == "no")


def test_a_harvesting_non_lender_is_still_critical():
    _, summary = judged(SPY, "no", harvest("harvests"))
    assert summary.risk == "critical" and summary.reasons[0].key == "reason.not_lender"
