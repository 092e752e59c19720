"""Saved lists (SPEC rule 2.4): named contact filters, evaluated when read, so they stay current."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import as_json, write_log

from bouncectl.usecases.filtering import MAX_WINDOW_DAYS


def bounce(address: str, when: str, status: str = "5.1.1", text: str = "550 5.1.1 User unknown") -> list:
    return ["nov", address, "bounce", when, "", "550", status, text]


FIRST = [
    bounce("ann@example.com", "2026-11-03T09:00:00Z"),
    bounce("bob@example.net", "2026-11-03T09:00:00Z"),
    bounce("cy@example.com", "2026-11-03T09:00:00Z", "5.1.2", "550 5.1.2 Host unknown"),
    ["nov", "dee@example.com", "delivered", "2026-11-03T09:00:00Z", "", "250", "", ""],
]


@pytest.fixture
def loaded(bc, tmp_path):
    assert bc("import", write_log(tmp_path / "first.csv", FIRST)).exit_code == 0
    return bc


def emails(result) -> list[str]:
    return [row["email"] for row in as_json(result)]


def test_a_list_stays_current_after_new_imports(loaded, tmp_path):
    bc = loaded
    result = bc("lists", "create", "unknown-at-example", "--hard-bounce-reason", "userunknown", "--domain", "example.com")
    assert result.exit_code == 0, result.stderr
    assert "1 contacts match now" in result.stderr
    assert emails(bc("lists", "show", "unknown-at-example", "--format", "json")) == ["ann@example.com"]

    later = [bounce("eve@example.com", "2026-12-01T09:00:00Z"), bounce("dee@example.com", "2026-12-02T09:00:00Z")]
    assert bc("import", write_log(tmp_path / "later.csv", later)).exit_code == 0
    assert emails(bc("lists", "show", "unknown-at-example", "--format", "json")) == [
        "ann@example.com", "dee@example.com", "eve@example.com"]

    # A reactivated contact leaves a list of hard-bounced contacts.
    bc("lists", "create", "hard", "--status", "hard_bounced")
    assert "ann@example.com" in emails(bc("lists", "show", "hard", "--format", "json"))
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    assert bc("unbounce", "ann@example.com", "--confirm", "--as", "alice").exit_code == 0
    assert "ann@example.com" not in emails(bc("lists", "show", "hard", "--format", "json"))


def test_lists_shows_every_list_with_its_count_now(loaded, tmp_path):
    bc = loaded
    bc("lists", "create", "hosts", "--hard-bounce-reason", "hostunknown")
    bc("lists", "create", "everyone")
    listed = as_json(bc("lists", "--format", "json"))
    assert [(r["name"], r["filters"], r["contacts"]) for r in listed] == [
        ("everyone", "(every contact)", 4),
        ("hosts", "hard_bounce_reason=hostunknown", 1),
    ]
    assert bc("import", write_log(tmp_path / "more.csv", [bounce("x@example.org", "2026-12-01T00:00:00Z",
                                                                     "5.1.2", "Host unknown")])).exit_code == 0
    assert {r["name"]: r["contacts"] for r in as_json(bc("lists", "--format", "json"))} == {"everyone": 5, "hosts": 2}
    table = bc("lists")
    assert table.exit_code == 0 and "hostunknown" in table.stdout


def test_bounced_since_a_date_and_a_window(bc, tmp_path):
    now = datetime.now(UTC)
    recent = (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = (now - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [bounce("recent@example.com", recent), bounce("old@example.com", old)]
    assert bc("import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    assert bc("lists", "create", "month", "--bounced-since", "30d").exit_code == 0
    assert bc("lists", "create", "quarter", "--bounced-since", "13w").exit_code == 0
    since = (now - timedelta(days=10)).strftime("%Y-%m-%d")
    assert bc("lists", "create", "fixed", "--bounced-since", since).exit_code == 0
    assert emails(bc("lists", "show", "month", "--format", "json")) == ["recent@example.com"]
    assert emails(bc("lists", "show", "quarter", "--format", "json")) == ["old@example.com", "recent@example.com"]
    assert emails(bc("lists", "show", "fixed", "--format", "json")) == ["recent@example.com"]
    stored = {r["name"]: r["filters"] for r in as_json(bc("lists", "--format", "json"))}
    assert stored["month"] == "bounced_since=30d"  # a window is kept as a window


@pytest.mark.parametrize(("since", "code"), [
    ("36600d", 0), ("5228w", 0), ("36601d", 2), ("5229w", 2), ("1989-12-31", 2), ("in 3 days", 2),
])
def test_the_bounced_since_bounds_the_readme_gives(bc, since, code):
    if since == "in 3 days":
        since = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d")
    result = bc("lists", "create", "bounded", "--bounced-since", since)
    assert result.exit_code == code, result.stderr
    names = [r["name"] for r in as_json(bc("lists", "--format", "json"))]
    assert names == (["bounded"] if code == 0 else [])  # a refused window saves no list
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"at most {MAX_WINDOW_DAYS:,} days" in readme and "`--bounced-since`" in readme



@pytest.mark.parametrize(("since", "why"), [
    ("1989-12-31", "is before 1990"), ("2999-01-01", "is in the future"), ("last tuesday", "neither a date nor a window"),
])
def test_a_refused_bounced_since_date_says_why(bc, since, why):
    result = bc("lists", "create", "bounded", "--bounced-since", since)
    assert result.exit_code == 2
    assert why in result.stderr

def test_export_to_csv_and_json(loaded, tmp_path):
    bc = loaded
    bc("lists", "create", "unknown", "--hard-bounce-reason", "userunknown")
    result = bc("lists", "export", "unknown", "--csv", tmp_path / "unknown.csv")
    assert result.exit_code == 0, result.stderr
    assert "wrote 2 contacts" in result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "unknown.csv").read_text())))
    assert [r["email"] for r in rows] == ["ann@example.com", "bob@example.net"]
    assert list(rows[0]) == ["email", "status", "hard_bounce_reason", "hard_bounced_at", "bounces", "last_event_at"]
    result = bc("lists", "export", "unknown", "--json", "-")
    assert [r["hard_bounce_reason"] for r in json.loads(result.stdout)] == ["userunknown", "userunknown"]


def test_missing_lists_and_name_clashes(loaded, tmp_path):
    bc = loaded
    for args in (("show", "nope"), ("delete", "nope"), ("export", "nope", "--csv", tmp_path / "nope.csv")):
        result = bc("lists", *args)
        assert result.exit_code == 1
        assert "no saved list 'nope'" in result.stderr
    assert not (tmp_path / "nope.csv").exists()
    assert bc("lists", "create", "a", "--domain", "example.com").exit_code == 0
    clash = bc("lists", "create", "a", "--domain", "example.net")
    assert clash.exit_code == 1 and "exists" in clash.stderr
    assert emails(bc("lists", "show", "a", "--format", "json")) == ["ann@example.com", "cy@example.com",
                                                                    "dee@example.com"]
    assert bc("lists", "create", "a", "--domain", "example.net", "--replace").exit_code == 0
    assert emails(bc("lists", "show", "a", "--format", "json")) == ["bob@example.net"]
    assert bc("lists", "delete", "a").exit_code == 0
    assert as_json(bc("lists", "--format", "json")) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("create", "x", "--bounced-since", "last tuesday"), 2),  # a usage mistake (issue 14)
        (("create", "x", "--status", "zombie"), 2),
        (("export", "x"), 2),
    ],
    ids=["bad date", "bad status", "no export target"],
)
def test_bad_arguments(loaded, args, code):
    result = loaded("lists", *args)
    assert result.exit_code == code
    assert as_json(loaded("lists", "--format", "json")) == []
