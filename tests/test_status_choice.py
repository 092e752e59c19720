"""Which enhanced status a DSN recipient gets: its Status field or the status in its diagnostic.

The choice follows Sisimai's (lib/Sisimai/SMTP/Status.pm ``prefer`` and ``find``, combined in
lib/Sisimai/Fact.pm): the Status field is kept unless it is vague, differs in class from the
reply code, or is one of the few codes the diagnostic usually makes more precise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bouncectl.sources.messages import reader
from bouncectl.usecases.explaining import explain
from tests.test_messages_robust import report as robust_report

# (Status field, status in the diagnostic, reply code, chosen)
CHOICES = [
    # one of them missing
    (None, "5.1.1", 550, "5.1.1"),
    ("5.1.1", None, 550, "5.1.1"),
    (None, None, None, None),
    # the same
    ("5.7.1", "5.7.1", 550, "5.7.1"),
    # the classes differ: the one of the reply code's class
    ("4.4.7", "5.1.1", 421, "4.4.7"),
    ("4.2.2", "5.2.2", 552, "5.2.2"),
    ("5.2.2", "4.2.2", 452, "4.2.2"),
    # a vague field (X.0.0) gives way to a precise text, not to another vague one
    ("5.0.0", "5.1.1", 550, "5.1.1"),
    ("4.0.0", "4.2.2", 452, "4.2.2"),
    ("5.0.0", "5.0.0", 550, "5.0.0"),
    # a field with a zero (X.Y.0, X.0.Z) gives way to a text without one
    ("5.2.0", "5.2.2", 552, "5.2.2"),
    ("5.7.0", "5.7.1", 550, "5.7.1"),
    ("5.2.0", "5.7.0", 550, "5.2.0"),
    # a vague text keeps the field
    ("5.2.1", "5.0.0", 550, "5.2.1"),
    # a precise field is kept against another precise text
    ("5.2.2", "5.7.1", 550, "5.2.2"),
    ("5.1.2", "5.4.4", 550, "5.1.2"),
    ("5.4.6", "5.7.1", 554, "5.4.6"),
    # 4.4.7 (the time ran out) and 5.3.Z (the reporting system) give way to the text
    ("4.4.7", "4.2.2", 452, "4.2.2"),
    ("5.3.4", "5.2.3", 552, "5.2.3"),
    # 5.1.1 gives way to a text without a zero, not to one with a zero
    ("5.1.1", "5.7.1", 550, "5.7.1"),
    ("5.1.1", "5.7.0", 550, "5.1.1"),
    # 5.1.3 gives way to a policy refusal only
    ("5.1.3", "5.7.1", 553, "5.7.1"),
    ("5.1.3", "5.1.1", 553, "5.1.3"),
    # no reply code: the classes are not compared
    ("5.2.2", "4.2.2", None, "5.2.2"),
]


@pytest.mark.parametrize(("field", "text", "reply", "chosen"), CHOICES)
def test_the_status_chosen_between_the_field_and_the_diagnostic(field, text, reply, chosen):
    assert reader._pick_status(field, text, reply) == chosen


# (diagnostic, status found in it)
IN_TEXT = [
    ("550 5.1.1 no such user", "5.1.1"),
    ("550 5.0.0 rejected: 5.7.1 policy", "5.7.1"),
    ("451 4.4.7 waited too long, then 4.2.2 mailbox full", "4.2.2"),
    ("550 5.0.0 rejected", "5.0.0"),
    ("host said 4.0.0 and 4.4.7", "4.4.7"),
    ("no status here", None),
]


@pytest.mark.parametrize(("text", "found"), IN_TEXT)
def test_the_status_of_a_diagnostic_is_its_first_precise_one(text, found):
    assert reader._status_in(text) == found


def report(status: str, diagnostic: str) -> str:
    return robust_report(fields=(
        "Reporting-MTA: dns; mx.example.net\n"
        "\n"
        "Final-Recipient: rfc822; someone@example.com\n"
        "Action: failed\n"
        f"Status: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
    ))


# (Status field, Diagnostic-Code, the row's status)
REPORTS = [
    ("5.2.2", "552 5.7.1 over the limit of this mailbox", "5.2.2"),
    ("4.4.7", "421 5.1.1 <someone@example.com> gave up", "4.4.7"),
    ("5.1.1", "550 5.7.0 <someone@example.com> refused", "5.1.1"),
    ("5.1.2", "550 5.4.4 unable to route", "5.1.2"),
    ("5.0.0", "550 5.1.1 <someone@example.com> no such user", "5.1.1"),
    ("5.1.1", "550 5.7.1 <someone@example.com> refused by policy", "5.7.1"),
]


@pytest.mark.parametrize(("status", "diagnostic", "chosen"), REPORTS)
def test_a_report_keeps_its_status_field_unless_the_diagnostic_says_more(tmp_path: Path, status, diagnostic,
                                                                          chosen):
    path = tmp_path / "report.eml"
    path.write_text(report(status, diagnostic))
    (row,) = list(explain([str(path)]))
    assert row["enhanced_status"] == chosen
