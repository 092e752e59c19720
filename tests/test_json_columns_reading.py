"""A provider record read straight into columns gives the columns its reader of records gives: the
same events, fields and raw text, or nothing at all when it leaves the record to that reader; and a
time or an address read once per import reads as the general reading reads it, refusals included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl.model import Event, ImportOptions
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources import mailgun, postmark, sendgrid, ses
from bouncectl.sources.jsoncolumns import Distinct, EventColumns


def _by_records(convert, record: dict, options: ImportOptions) -> tuple[list, list]:
    """The rows and sparse values of the events ``convert`` makes of ``record``, and what else it gives."""
    out = EventColumns(Distinct())
    other = []
    for item in jr.converted(jr.Record(3, "", record), options, convert):
        if isinstance(item, Event):
            out.add_event(item)
        else:
            other.append(item)
    return _columns(out), other


def _columns(out: EventColumns) -> list:
    return [out.rows, {name: values for name, values in out.sparse.items() if values}, out.text]


def _same_reading(columns, convert, record: dict, options: ImportOptions) -> None:
    out = EventColumns(Distinct())
    taken = columns(record, options, 3, out)
    expected, other = _by_records(convert, record, options)
    if taken:
        assert not other  # no reject nor skipped record: taken whole
        assert _columns(out) == expected
    else:
        assert not out.rows and not any(out.sparse.values())


_TEXTS = st.sampled_from(["", "  ", "spring", " spring ", "<m1@example.org>", "m1@example.org", "  <m2@x>  ", ">x>"])
_MAYBE = st.one_of(st.none(), _TEXTS, st.integers(0, 3), st.just([]), st.just(["", "spring"]), st.just({}))
_TIMES = st.sampled_from(["2026-01-05T09:00:02.123Z"] * 6 + ["2026-01-05T09:00:02.987Z", "2026-01-05T09:00:02.9876Z", "2026-13-05T09:00:02.987Z",
                          "2026-01-05 09:00:02", "yesterday", "", "2026-01-05T09:00:02.98٣Z", 1767603600])
_ADDRESSES = st.sampled_from(["ada@example.com"] * 8 + ["Ada@Example.com", " ada@example.com ", "Ada <ada@example.com>", "not an address", ""])


@st.composite
def _ses_records(draw) -> dict:
    kind = draw(st.sampled_from(["Send", "Delivery", "delivery", "Open", "Click", "Bounce", "Received", 7]))
    mail = {"timestamp": draw(_TIMES), "messageId": "0102", "source": "news@example.org",
            "destination": draw(st.lists(_ADDRESSES, max_size=3)),
            "headers": [{"name": "X-Email-ID", "value": draw(_TEXTS)}, {"name": "Message-ID", "value": "<h@x>"}],
            "headersTruncated": False, "empty": draw(st.sampled_from(["", None, [], 0]))}
    if draw(st.integers(0, 4)):
        mail["commonHeaders"] = {name: draw(_MAYBE) for name in ("subject", "messageId") if draw(st.integers(0, 4))}
    if draw(st.integers(0, 4)):
        mail["tags"] = {draw(st.sampled_from(["email_id", "email_id", "Email_Id"])): draw(_MAYBE)}
    record: dict = {draw(st.sampled_from(["eventType", "notificationType"])): kind, "mail": mail}
    section = draw(st.sampled_from([None, "missing", "not an object", "object"]))
    name = str(kind).lower()
    if section == "not an object":
        record[name] = "x"
    elif section == "object":
        record[name] = {"timestamp": draw(st.one_of(_TIMES, st.none())), "recipients": draw(st.lists(_ADDRESSES, max_size=2)),
                        "smtpResponse": "250 ok", "processingTimeMillis": draw(st.sampled_from([0, 12, None]))}
    elif section is None:
        record[name] = None
    return record


@given(_ses_records())
@settings(max_examples=1500, deadline=None, database=None)
def test_an_ses_record_read_into_columns_reads_as_its_events(record):
    _same_reading(ses.columns, ses.convert, record, ImportOptions())


@st.composite
def _sendgrid_records(draw) -> dict:
    record = {
        "email": draw(_ADDRESSES), "timestamp": draw(_TIMES), "smtp-id": draw(_MAYBE),
        "event": draw(st.sampled_from(["processed", " Delivered ", "open", "bounce", "deferred", "dropped",
                                       "group_unsubscribe", "group_resubscribe", "", "other", 3])),
        "sg_event_id": "e1", "category": draw(st.one_of(_MAYBE, st.just(["", " news "]))),
    }
    for name in ("email_id", "Email_ID", "type", "status", "reason", "response", "asm_group_id", "unique_args"):
        if draw(st.booleans()):
            record[name] = draw(st.one_of(_MAYBE, st.sampled_from(["5.1.1", "550", 421, "550 5.1.1 user unknown",
                                                                   "Bounced Address", {"email_id": "summer"}])))
    return record


@given(_sendgrid_records(), st.sampled_from([None, "fallback"]))
@settings(max_examples=1500, deadline=None, database=None)
def test_a_sendgrid_event_read_into_columns_reads_as_its_event(record, email_id):
    _same_reading(sendgrid.columns, sendgrid._convert, record, ImportOptions(email_id=email_id))


@st.composite
def _postmark_records(draw) -> dict:
    record = {"RecordType": draw(st.sampled_from(["Delivery", " open ", "Click", "Bounce", "SubscriptionChange", "", 4])),
              "MessageID": "9e37", "ServerID": 23, "Details": "smtp;250 ok", "Content": "x"}
    for name in ("Recipient", "Email"):
        if draw(st.integers(0, 3)):
            record[name] = draw(_ADDRESSES)
    for name in ("DeliveredAt", "ReceivedAt"):
        if draw(st.integers(0, 3)):
            record[name] = draw(st.one_of(_TIMES, st.just("2026-01-05T09:00:02.9003100Z")))
    for name in ("Subject", "Tag", "Type"):
        if draw(st.booleans()):
            record[name] = draw(_MAYBE)
    if draw(st.booleans()):
        record["Metadata"] = {"email_id": draw(_MAYBE)}
    return record


@given(_postmark_records())
@settings(max_examples=1000, deadline=None, database=None)
def test_a_postmark_record_read_into_columns_reads_as_its_event(record):
    _same_reading(postmark.columns, postmark._convert, record, ImportOptions())


@st.composite
def _mailgun_records(draw) -> dict:
    data: dict = {"event": draw(st.sampled_from(["accepted", " Delivered ", "opened", "unsubscribed", "failed", "stored",
                                                 "bounced", "", 5])),
                  "id": "njd5", "log-level": "info", "tags": draw(_MAYBE), "campaigns": draw(st.sampled_from(
                      [[], [{"id": "c1"}], ["c2"], None]))}
    for name, values in (("recipient", _ADDRESSES), ("timestamp", st.one_of(_TIMES, st.just(1767603600.919)))):
        if draw(st.integers(0, 4)):
            data[name] = draw(values)
    if draw(st.booleans()):
        data["user-variables"] = {"email_id": draw(_MAYBE)}
    if draw(st.integers(0, 3)):
        data["message"] = {"headers": {name: draw(_MAYBE) for name in ("subject", "message-id", "Subject")
                                       if draw(st.booleans())}}
    if draw(st.booleans()):
        data["delivery-status"] = draw(st.sampled_from([{"message": "250 ok", "code": 250}, "x", {}]))
    if draw(st.booleans()):
        data["mailing-list"] = {"address": draw(_MAYBE)}
    if draw(st.booleans()):
        data["signature"] = "s"  # a legacy webhook's field
    return {"signature": {"token": "t"}, "event-data": data} if draw(st.integers(0, 3)) else data


@given(_mailgun_records())
@settings(max_examples=1000, deadline=None, database=None)
def test_a_mailgun_event_read_into_columns_reads_as_its_event(record):
    _same_reading(mailgun.columns, mailgun._convert, record, ImportOptions())


_STORE_FORM = "2026-01-05T09:00:02.987Z"
_NEAR = st.sampled_from(list("0123456789.:-TZz +") + ["٣", "\u00a0", "", "00", "9999"])


def _read(read, value):
    try:
        return read(value)
    except jr.RecordError as exc:
        return f"refused: {exc}"


@given(st.lists(st.tuples(st.integers(0, len(_STORE_FORM) - 1), _NEAR), max_size=3),
       st.sampled_from(["", "0", "0000", "٣", "x"]))
@settings(max_examples=2000, deadline=None, database=None)
def test_a_time_read_once_reads_as_the_general_reading(edits, finer):
    value = list(_STORE_FORM)
    for index, replacement in edits:
        value[index] = replacement
    text = "".join(value)
    text = text[:-1] + finer + text[-1:]  # a finer fraction, as Postmark's
    distinct = Distinct()
    for _ in range(2):  # the second time from what was kept of the first
        assert _read(distinct.time, text) == _read(jr.timestamp, text)


@pytest.mark.parametrize("value", [1767603600, 1767603600.5, "1767603600", True, None, "", 10**20])
def test_a_time_of_another_type_reads_as_the_general_reading(value):
    distinct = Distinct()
    for _ in range(2):
        assert _read(distinct.time, value) == _read(jr.timestamp, value)


@pytest.mark.parametrize("value", ["Ada <ADA@Example.com>", "not an address", "", None, 42])
def test_an_address_read_once_reads_as_the_general_reading(value):
    distinct = Distinct()
    for _ in range(2):
        assert _read(distinct.address, value) == _read(jr.address, value)


def test_records_left_to_the_reader_of_records_are_not_taken():
    """A bounce, an envelope, a record in a shape the columns do not read: nothing added."""
    out = EventColumns(Distinct())
    envelope = {"Type": "Notification", "Message": "{}", "TopicArn": "arn"}
    for record in (envelope, {"eventType": "Bounce", "mail": {}}, {"eventType": "Send", "mail": "x"}):
        assert not ses.columns(record, ImportOptions(), 1, out)
    assert not sendgrid.columns({"email": "a@example.com", "created": 1767603600, "reason": "x"}, ImportOptions(), 1, out)
    assert not out.rows
