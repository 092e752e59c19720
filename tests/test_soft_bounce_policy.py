"""The soft-bounce policy (SPEC rule 2.9): N consecutive soft-bounced sends with no delivery in
between, over at least D days, make a contact `suppressed` until a later delivery or a reactivation.
Events can arrive late and out of order; the settings are changed with `bouncectl config`."""

from __future__ import annotations

import pytest
from conftest import as_json, write_log

from bouncectl.ledger import status as policy

ADDRESS = "soft@example.com"


def soft(email_id: str, day: int, address: str = ADDRESS) -> list:
    return [email_id, address, "bounce", f"2026-10-{day:02d}T10:00:00Z", "soft", "452", "4.2.2", "Mailbox full"]


def delivered(email_id: str, day: int, address: str = ADDRESS) -> list:
    return [email_id, address, "delivered", f"2026-10-{day:02d}T10:00:00Z", "", "250", "", ""]


def hard(email_id: str, day: int, address: str = ADDRESS) -> list:
    return [email_id, address, "bounce", f"2026-10-{day:02d}T10:00:00Z", "", "550", "5.1.1", "550 5.1.1 User unknown"]


def load(bc, tmp_path, *files: list[list]) -> None:
    """Import each list of rows as its own file, in the order given."""
    for rows in files:
        path = write_log(tmp_path / f"log{len(list(tmp_path.glob('log*.csv')))}.csv", rows)
        result = bc("import", path)
        assert result.exit_code == 0, result.stderr


def status(bc, address: str = ADDRESS) -> str:
    rows = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    return rows[address]


def test_defaults_are_documented_and_used():
    assert (policy.DEFAULT_SOFT_BOUNCE_LIMIT, policy.DEFAULT_SOFT_BOUNCE_DAYS) == (5, 7)
    assert "Mailman" in policy.SoftBouncePolicy.__doc__


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([soft(f"e{i}", 1 + 2 * i) for i in range(5)], "suppressed", id="5 sends over 8 days"),
        pytest.param([soft(f"e{i}", 1 + 2 * i) for i in range(4)], "eligible", id="4 sends are under the limit"),
        pytest.param([soft(f"e{i}", 1 + i) for i in range(5)], "eligible", id="5 sends over 4 days are too quick"),
        pytest.param([soft(f"e{i}", 1 + 2 * i) for i in range(6)], "suppressed", id="6 sends"),
        pytest.param([soft("e0", 1 + 2 * i) for i in range(5)], "eligible", id="retries of one send count once"),
        pytest.param(
            [soft("e0", 1), soft("e1", 3), soft("e2", 5), delivered("e3", 6), soft("e4", 7), soft("e5", 9)],
            "eligible",
            id="a delivery in between resets the count",
        ),
        pytest.param(
            [soft("e0", 1), soft("e1", 3), delivered("e1", 4), *(soft(f"e{i}", 2 * i + 1) for i in range(2, 7))],
            "suppressed",
            id="the count restarts after the delivery",
        ),
        pytest.param([*(soft(f"e{i}", 1 + 2 * i) for i in range(5)), delivered("e9", 20)], "eligible",
                     id="a later delivery lifts the suppression"),
    ],
)
def test_threshold_span_and_reset(bc, tmp_path, rows, expected):
    load(bc, tmp_path, rows)
    assert status(bc) == expected


def test_suppressed_contacts_are_not_sent_with_reason_suppressed(bc, tmp_path):
    load(bc, tmp_path, [soft(f"e{i}", 1 + 2 * i) for i in range(5)] + [delivered("e0", 1, "fine@example.com")])
    planned = tmp_path / "planned.txt"
    planned.write_text(f"{ADDRESS}\nfine@example.com\n")
    result = bc("filter", planned, "--out", tmp_path / "send.txt", "--not-sent", tmp_path / "ns.csv")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "send.txt").read_text() == "fine@example.com\n"
    assert (tmp_path / "ns.csv").read_text() == f"email,not_sent_reason\n{ADDRESS},SUPPRESSED\n"


def test_soft_bounces_imported_newest_first_one_file_each(bc, tmp_path):
    rows = [soft(f"e{i}", 1 + 2 * i) for i in range(5)]
    load(bc, tmp_path, *([row] for row in reversed(rows)))
    assert status(bc) == "suppressed"


def test_a_late_delivery_inside_the_streak_breaks_it(bc, tmp_path):
    load(bc, tmp_path, [soft(f"e{i}", 1 + 2 * i) for i in range(5)])
    assert status(bc) == "suppressed"
    load(bc, tmp_path, [delivered("e9", 4)])  # arrives last, happened between the 2nd and 3rd bounce
    assert status(bc) == "eligible"


def test_a_late_delivery_older_than_the_streak_changes_nothing(bc, tmp_path):
    load(bc, tmp_path, [soft(f"e{i}", 10 + 2 * i) for i in range(5)])
    load(bc, tmp_path, [delivered("e9", 2)])
    assert status(bc) == "suppressed"


def test_old_soft_bounces_arriving_after_a_delivery_do_not_count(bc, tmp_path):
    load(bc, tmp_path, [delivered("e9", 20)])
    load(bc, tmp_path, [soft(f"e{i}", 1 + 2 * i) for i in range(5)])
    assert status(bc) == "eligible"
    load(bc, tmp_path, [soft(f"f{i}", 21 + 2 * i) for i in range(4)])
    assert status(bc) == "eligible"
    load(bc, tmp_path, [soft("f4", 30)])
    assert status(bc) == "suppressed"


def test_config_shows_defaults_and_changes_re_evaluate_contacts(bc, tmp_path):
    shown = as_json(bc("config", "--format", "json"))
    assert {(s["key"], s["value"]) for s in shown} == {("soft_bounce_limit", "5"), ("soft_bounce_days", "7")}
    load(bc, tmp_path, [soft(f"e{i}", 1 + 2 * i) for i in range(3)])  # 3 sends over 4 days
    assert status(bc) == "eligible"

    result = bc("config", "soft_bounce_limit", "3")
    assert result.exit_code == 0, result.stderr
    assert "1 now" not in result.stderr  # the span (4 days) is still under 7 days
    assert status(bc) == "eligible"
    result = bc("config", "soft_bounce_days", "4")
    assert result.exit_code == 0, result.stderr
    assert "1 now suppressed" in result.stderr
    assert status(bc) == "suppressed"
    assert bc("config", "soft_bounce_days").stdout.strip() == "4"

    assert bc("config", "soft_bounce_limit", "4").exit_code == 0
    assert status(bc) == "eligible"
    # New imports use the stored settings.
    load(bc, tmp_path, [soft("e3", 7)])
    assert status(bc) == "suppressed"


@pytest.mark.parametrize(
    ("key", "value"),
    [("soft_bounce_limit", "0"), ("soft_bounce_limit", "2.5"), ("soft_bounce_days", "-1"),
     ("soft_bounce_days", "nan"), ("soft_bounce_days", "week"), ("hard_bounce_limit", "3")],
)
def test_config_refuses_bad_values(bc, key, value):
    result = bc("config", "--", key, value)
    assert result.exit_code == 2  # a usage mistake (SPEC section 4)
    assert result.stderr.startswith("Error: ") and "\nhint: " in result.stderr
    assert {s["key"]: s["value"] for s in as_json(bc("config", "--format", "json"))} == {
        "soft_bounce_limit": "5", "soft_bounce_days": "7"}


def test_reactivation_resets_the_soft_bounce_count(bc, tmp_path):
    load(bc, tmp_path, [*(soft(f"e{i}", 1 + 2 * i) for i in range(5)), hard("e5", 12)])
    assert status(bc) == "hard_bounced"
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    result = bc("unbounce", ADDRESS, "--confirm", "--as", "alice")
    assert result.exit_code == 0, result.stderr
    # The five soft bounces came before the reactivation: they no longer count.
    assert status(bc) == "eligible"


@pytest.mark.parametrize(
    ("streak", "first", "last", "limit", "days", "expected"),
    [
        (5, "2026-10-01T00:00:00.000Z", "2026-10-08T00:00:00.000Z", 5, 7, "suppressed"),
        (5, "2026-10-01T00:00:00.000Z", "2026-10-07T23:59:59.000Z", 5, 7, "eligible"),
        (4, "2026-10-01T00:00:00.000Z", "2026-10-30T00:00:00.000Z", 5, 7, "eligible"),
        (2, "2026-10-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z", 2, 0, "suppressed"),
        (0, None, None, 1, 0, "eligible"),
    ],
)
def test_contact_status_rule(streak, first, last, limit, days, expected):
    assert policy.contact_status(
        hard_bounced_at=None, global_bounced_at=None, last_delivered_at=None, reactivated_at=None,
        soft_streak=streak, soft_streak_since=first, soft_streak_last=last,
        policy=policy.SoftBouncePolicy(limit, days),
    ) == expected
