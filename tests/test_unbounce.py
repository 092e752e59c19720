"""Reactivation ("unbounce") under SPEC rule 2.5: every guard, in order, the quota and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import as_json, write_log

from bouncectl.ledger.quota import month_of, monthly_quota
from bouncectl.ledger.reactivation import REACTIVATION_GUARDS
from bouncectl.store import Store
from bouncectl.usecases.reactivating import unbounce

# Later than now, within the day ahead that a source's clock may be off by (further is refused).
AHEAD = (datetime.now(UTC) + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")


def hard_bounce_rows(emails, when="2026-11-03T09:00:00Z", status="5.1.1", diagnostic="550 5.1.1 User unknown",
                     email_id="nov", bounce_type=""):
    return [[email_id, e, "bounce", when, bounce_type, "550", status, diagnostic] for e in emails]


def fillers(count, start=0):
    return [["nov", f"ok{i}@example.com", "delivered", "2026-11-03T09:00:00Z", "", "", "", ""]
            for i in range(start, start + count)]


def setup_store(bc, tmp_path, rows, *extra_import_args, user=True, domain=True):
    log = write_log(tmp_path / f"log{len(list(tmp_path.iterdir()))}.csv", rows)
    assert bc("import", log, *extra_import_args).exit_code == 0
    if domain:
        assert bc("domains", "add", "news.example.com").exit_code == 0
    if user:
        assert bc("users", "add", "alice", "--permission", "email").exit_code == 0


def attempt(bc, *args):
    result = bc("unbounce", "--as", "alice", "--format", "json", *args)
    return result, as_json_any(result)


def as_json_any(result):
    import json
    return json.loads(result.stdout) if result.stdout.strip() else []


def test_reactivation_of_a_hard_bounced_contact(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]))
    result, [outcome] = attempt(bc, "Dead@Example.com", "--confirm")
    assert result.exit_code == 0, result.stderr
    assert outcome["outcome"] == "reactivated" and outcome["code"] is None
    assert outcome["reason"] == "userunknown"
    contact = as_json(bc("contacts", "--format", "json"))[0]
    assert contact["status"] == "eligible"
    assert "quota left this month: 9" in result.stderr


GUARD_ORDER = [code.code for code in REACTIVATION_GUARDS]


def test_guards_are_checked_in_the_spec_order(bc, tmp_path, db):
    # One contact that fails every guard after NOT_BOUNCED: globally bounced, from a purchased list,
    # reactivated before, no domain, no permission, not confirmed, blocked for a policy reason, no quota left.
    assert GUARD_ORDER == ["COMPLAINT", "NOT_BOUNCED", "GLOBAL_BOUNCE", "THIRD_PARTY_LIST", "ALREADY_REACTIVATED",
                           "NO_SENDING_DOMAIN", "NO_PERMISSION", "NOT_CONFIRMED", "UNRESOLVED_REASON",
                           "QUOTA_EXCEEDED"]
    header = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
              "diagnostic", "global"]
    bounce = ["nov", "x@example.com", "bounce", "2026-11-03T09:00:00Z", "permanent", "554", "5.7.1",
              "554 5.7.1 Message rejected by policy", "true"]
    write_log(tmp_path / "x.csv", [bounce], header)
    assert bc("import", "--third-party", tmp_path / "x.csv").exit_code == 0

    def code():
        result, [outcome] = attempt(bc, "x@example.com", *flags)
        assert result.exit_code == 1
        assert f"x@example.com: {outcome['code']}: " in result.stderr
        assert "hint: " in result.stderr
        return outcome["code"]

    flags: list[str] = []
    assert code() == "GLOBAL_BOUNCE"
    assert "only the provider" in bc("unbounce", "x@example.com", "--as", "alice").stderr
    with Store(db) as store, store.write() as conn:
        # The provider lifted its global bounce (a later delivery); the hard bounce itself remains.
        conn.execute("UPDATE contacts SET global_bounced_at = NULL, status = 'hard_bounced'")
    assert code() == "THIRD_PARTY_LIST"
    with Store(db) as store, store.write() as conn:
        conn.execute("UPDATE contacts SET third_party = 0")
        conn.execute("INSERT INTO reactivations (contact, user, at, month) VALUES "
                     "('x@example.com', 'bob', '2025-01-01T00:00:00.000Z', '2025-01')")
    assert code() == "ALREADY_REACTIVATED"
    with Store(db) as store, store.write() as conn:
        conn.execute("DELETE FROM reactivations")
    assert code() == "NO_SENDING_DOMAIN"
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert code() == "NO_PERMISSION"
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    assert code() == "NOT_CONFIRMED"
    flags = ["--confirm"]
    assert code() == "UNRESOLVED_REASON"
    flags = ["--confirm", "--resolved"]
    with Store(db) as store, store.write() as conn:
        conn.executemany("INSERT INTO reactivations (contact, user, at, month) VALUES (?, 'bob', ?, ?)",
                         [(f"other{i}@example.com", datetime.now(UTC).isoformat(), month_of(datetime.now(UTC)))
                          for i in range(10)])
    assert code() == "QUOTA_EXCEEDED"
    # Every refused attempt is in the audit log, with its code word.
    codes = [row["code"] for row in as_json(bc("audit", "--format", "json")) if row["action"] == "unbounce"]
    assert codes == ["GLOBAL_BOUNCE", "GLOBAL_BOUNCE", "THIRD_PARTY_LIST", "ALREADY_REACTIVATED",
                     "NO_SENDING_DOMAIN", "NO_PERMISSION", "NOT_CONFIRMED", "UNRESOLVED_REASON", "QUOTA_EXCEEDED"]


def test_not_bounced_for_eligible_or_unknown_addresses(bc, tmp_path):
    setup_store(bc, tmp_path, fillers(1))
    result, outcomes = attempt(bc, "ok0@example.com", "nobody@example.com", "--confirm")
    assert result.exit_code == 1
    assert [o["code"] for o in outcomes] == ["NOT_BOUNCED", "NOT_BOUNCED"]
    assert "not in the store" in outcomes[1]["message"]


def test_without_confirm_details_are_shown_and_nothing_changes(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]))
    result = bc("unbounce", "dead@example.com", "--as", "alice")
    assert result.exit_code == 1
    assert "NOT_CONFIRMED" in result.stderr
    assert "Bounce details for dead@example.com" in result.stderr
    assert "550 5.1.1 User unknown" in result.stderr
    assert "abandoned inbox" in result.stderr
    assert as_json(bc("contacts", "--format", "json"))[0]["status"] == "hard_bounced"
    audit = [a for a in as_json(bc("audit", "--format", "json")) if a["action"] == "unbounce"]
    assert [(a["user"], a["contact"], a["outcome"], a["code"]) for a in audit] == [
        ("alice", "dead@example.com", "refused", "NOT_CONFIRMED")
    ]
    assert audit[0]["bounce_event_id"] is not None


def test_mailbox_full_hard_bounce_gets_the_abandoned_inbox_note(bc, tmp_path):
    rows = hard_bounce_rows(["full@example.com"], status="5.2.2", diagnostic="mailbox full", bounce_type="hard")
    setup_store(bc, tmp_path, rows)
    result = bc("unbounce", "full@example.com", "--as", "alice")
    assert "full mailbox" in result.stderr and "abandoned inbox" in result.stderr


def test_policy_reasons_need_resolved(bc, tmp_path):
    rows = hard_bounce_rows(["blocked@example.com"], status="5.7.1", diagnostic="blocked by spamhaus",
                            bounce_type="hard")
    setup_store(bc, tmp_path, rows)
    result, [outcome] = attempt(bc, "blocked@example.com", "--confirm")
    assert result.exit_code == 1 and outcome["code"] == "UNRESOLVED_REASON"
    result, [outcome] = attempt(bc, "blocked@example.com", "--confirm", "--resolved")
    assert result.exit_code == 0 and outcome["outcome"] == "reactivated"


def test_once_per_contact_ever(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]))
    assert attempt(bc, "dead@example.com", "--confirm")[0].exit_code == 0
    # It bounces again later; it cannot be reactivated a second time.
    again = write_log(tmp_path / "again.csv", hard_bounce_rows(["dead@example.com"], when=AHEAD,
                                                              email_id="later"))
    assert bc("import", again).exit_code == 0
    assert as_json(bc("contacts", "--format", "json"))[0]["status"] == "hard_bounced"
    result, [outcome] = attempt(bc, "dead@example.com", "--confirm")
    assert result.exit_code == 1 and outcome["code"] == "ALREADY_REACTIVATED"


def test_reimporting_the_old_bounce_does_not_undo_a_reactivation(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]))
    assert attempt(bc, "dead@example.com", "--confirm")[0].exit_code == 0
    old = write_log(tmp_path / "old-again.csv", hard_bounce_rows(["dead@example.com"]) + fillers(1))
    assert bc("import", old).exit_code == 0
    statuses = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert statuses["dead@example.com"] == "eligible"


def test_dry_run_changes_nothing_and_counts_the_quota(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows([f"d{i}@example.com" for i in range(12)]))
    result, outcomes = attempt(bc, *[f"d{i}@example.com" for i in range(12)], "--confirm", "--dry-run")
    assert result.exit_code == 1
    assert [o["outcome"] for o in outcomes] == ["would_reactivate"] * 10 + ["refused"] * 2
    assert [o["code"] for o in outcomes[10:]] == ["QUOTA_EXCEEDED"] * 2
    assert [a for a in as_json(bc("audit", "--format", "json")) if a["action"] == "unbounce"] == []
    assert as_json(bc("quota", "--format", "json"))[0]["used"] == 0
    assert {r["status"] for r in as_json(bc("contacts", "--format", "json"))} == {"hard_bounced"}


def test_a_dry_run_reports_the_quota_that_is_left(bc, tmp_path):
    # 10 a month, 1 used: 9 left, before and after a dry run of two (which uses none).
    setup_store(bc, tmp_path, hard_bounce_rows(["used@example.com", "a@example.com", "b@example.com"]))
    assert attempt(bc, "used@example.com", "--confirm")[0].exit_code == 0
    assert as_json(bc("quota", "--format", "json"))[0]["remaining"] == 9
    result, outcomes = attempt(bc, "a@example.com", "b@example.com", "--confirm", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert [o["quota_remaining"] for o in outcomes] == [9, 9]
    assert "quota left this month: 9 (this run would use 2)" in result.stderr
    assert as_json(bc("quota", "--format", "json"))[0]["remaining"] == 9


def test_from_file(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["a@example.com", "b@example.com"]))
    listing = tmp_path / "list.txt"
    listing.write_text("email\nA@example.com\n\n# a comment\nb@example.com\n")
    result, outcomes = attempt(bc, "--from-file", listing, "--confirm")
    assert result.exit_code == 0
    assert [o["email"] for o in outcomes] == ["a@example.com", "b@example.com"]


def test_no_address_is_a_usage_error(bc):
    assert bc("unbounce", "--as", "alice").exit_code == 2


def test_acting_user_from_environment(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]))
    result = bc("unbounce", "dead@example.com", "--confirm", env={"BOUNCECTL_USER": "alice"})
    assert result.exit_code == 0
    assert next(a for a in as_json(bc("audit", "--format", "json")) if a["action"] == "unbounce")["user"] == "alice"


# --- the quota -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contacts", "limit"),
    [(0, 10), (1, 10), (549, 10), (550, 11), (1500, 30), (49_999, 999), (50_000, 1000), (10_000_000, 1000)],
)
def test_monthly_quota_formula(contacts, limit):
    assert monthly_quota(contacts) == limit


def test_quota_of_10_is_enforced(bc, tmp_path):
    dead = [f"d{i}@example.com" for i in range(11)]
    setup_store(bc, tmp_path, hard_bounce_rows(dead))
    result, outcomes = attempt(bc, *dead, "--confirm")
    assert result.exit_code == 1
    assert [o["outcome"] for o in outcomes] == ["reactivated"] * 10 + ["refused"]
    assert outcomes[-1]["code"] == "QUOTA_EXCEEDED"
    assert as_json(bc("quota", "--format", "json")) == [
        {"month": month_of(datetime.now(UTC)), "total_contacts": 11, "limit": 10, "used": 10, "remaining": 0}
    ]


def test_quota_is_2_percent_of_contacts(bc, tmp_path):
    dead = [f"d{i}@example.com" for i in range(31)]
    setup_store(bc, tmp_path, hard_bounce_rows(dead) + fillers(1500 - 31))
    assert as_json(bc("quota", "--format", "json"))[0]["limit"] == 30
    result, outcomes = attempt(bc, *dead, "--confirm")
    assert result.exit_code == 1
    assert [o["outcome"] for o in outcomes].count("reactivated") == 30
    assert outcomes[-1]["code"] == "QUOTA_EXCEEDED"


def test_quota_is_capped_at_1000(bc, tmp_path):
    setup_store(bc, tmp_path, hard_bounce_rows(["dead@example.com"]) + fillers(60_000))
    quota = as_json(bc("quota", "--format", "json"))[0]
    assert (quota["total_contacts"], quota["limit"]) == (60_001, 1000)


def test_quota_renews_at_the_month_boundary(bc, tmp_path, db):
    dead = [f"d{i}@example.com" for i in range(25)]
    setup_store(bc, tmp_path, hard_bounce_rows(dead))
    october_end = datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)
    november_start = datetime(2026, 11, 1, 0, 0, 0, tzinfo=UTC)
    with Store(db) as store:
        october = unbounce(store, dead[:11], "alice", confirm=True, now=october_end)
        assert [o.outcome for o in october].count("reactivated") == 10
        assert october[-1].code == "QUOTA_EXCEEDED"
        november = unbounce(store, dead[10:21], "alice", confirm=True, now=november_start)
        assert [o.outcome for o in november] == ["reactivated"] * 10 + ["refused"]
        assert store.quota(october_end)["used"] == 10
        assert store.quota(november_start)["used"] == 10
        assert store.quota(datetime(2026, 12, 1, tzinfo=UTC))["used"] == 0


def test_a_bounce_dated_after_now_is_lifted_too(bc, tmp_path):
    # A source whose clock or time zone is off can date a bounce in the future.
    setup_store(bc, tmp_path, hard_bounce_rows(["ahead@example.com"], when=AHEAD))
    result, [outcome] = attempt(bc, "ahead@example.com", "--confirm")
    assert result.exit_code == 0 and outcome["message"] == "reactivated: the contact is eligible now"
    assert as_json(bc("contacts", "--format", "json"))[0]["status"] == "eligible"
    assert as_json(bc("contacts", "--status", "eligible", "--format", "json"))[0]["email"] == "ahead@example.com"


def test_third_party_said_on_a_later_import_of_the_same_contacts(bc, tmp_path):
    rows = hard_bounce_rows(["bought@example.com"])
    setup_store(bc, tmp_path, rows)
    # The same rows again, now declared as a purchased list: only duplicates, yet the flag holds.
    again = write_log(tmp_path / "bought.csv", rows)
    assert bc("import", again, "--third-party").exit_code == 0
    result, [outcome] = attempt(bc, "bought@example.com", "--confirm")
    assert result.exit_code == 1 and outcome["code"] == "THIRD_PARTY_LIST"
