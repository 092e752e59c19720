"""The pieces of the column path worked out by arrays give what their one-value rules give: the
texts of fold times, the values read from a block's columns, the spans of its emails, and which
of a batch's keys the store holds."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pandas as pd
import pytest

from bouncectl.ledger.columns import _time_array, _time_text, _time_texts, email_spans, time_numbers
from bouncectl.ledger.rows import NULL
from bouncectl.sources import csvcolumns, csvlog
from bouncectl.store.events import EventTables


def test_time_texts_are_the_texts_of_each_number():
    rng = random.Random(7)
    numbers = [rng.randrange(0, 10**17) for _ in range(500)]
    numbers += [-1, 0, 1, 9999, 20260105090016000, 99991231235959999, -1, numbers[3], numbers[3]]
    rng.shuffle(numbers)
    given = np.array(numbers, dtype=np.int64)
    assert _time_texts(given) == [_time_text(number) for number in numbers]
    assert _time_texts(given, NULL) == [NULL if number < 0 else _time_text(number) for number in numbers]
    assert _time_array(np.zeros(0, dtype=np.int64)).tolist() == []


def test_time_texts_read_back_as_the_same_numbers():
    stamps = np.array(["2026-01-05T09:00:16.000Z", "1999-12-31T23:59:59.999Z", "2026-01-05T09:00:16.000Z"],
                      dtype=object)
    assert _time_texts(time_numbers(stamps)) == stamps.tolist()


def _time_number(text: str) -> int:
    return int(text[0:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19] + text[20:23])


def test_time_numbers_by_arrays_are_those_of_each_text():
    rng = random.Random(11)
    stamps = [_time_text(rng.randrange(0, 10**17)) for _ in range(2000)]
    stamps += ["0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", stamps[5], stamps[5]]
    rng.shuffle(stamps)
    assert time_numbers(np.array(stamps, dtype=object)).tolist() == [_time_number(text) for text in stamps]
    assert time_numbers(np.zeros(0, dtype=object)).tolist() == []


@pytest.mark.parametrize("odd", ["2026-01-05 09:00:16.000Z", "2026-01-05T09:00:16.000+", "+2026-01-05T09:00:16.00Z",
                                 "2026-01-05T09:00:16.0000Z", "2026-01-05T09:00:1\u0661.000Z"])
def test_time_numbers_of_a_text_the_arrays_cannot_read_are_read_as_before(odd):
    """A text not in the canonical form (none is, in a batch) is read by the same slices as ever,
    whatever the others are: the arrays take no character where a digit should be."""
    odd = odd.encode().decode("unicode_escape")
    stamps = ["2026-01-05T09:00:16.000Z", odd, "1999-12-31T23:59:59.999Z"]
    try:
        expected = [_time_number(text) for text in stamps]
    except ValueError:
        with pytest.raises(ValueError):
            time_numbers(np.array(stamps, dtype=object))
    else:
        assert time_numbers(np.array(stamps, dtype=object)).tolist() == expected


def test_one_text_object_per_distinct_time():
    texts = _time_array(np.array([20260105090016000, 20260105090016000, -1], dtype=np.int64))
    assert texts[0] is texts[1] and texts[2] is None


def _reference_mapped(values: list[str], read, default):
    out, bad = [], []
    for value in values:
        if value == "":
            out.append(default)
            bad.append(False)
            continue
        try:
            out.append(read(value))
            bad.append(False)
        except csvlog._RowError:
            out.append(default)
            bad.append(True)
    return out, bad


@pytest.mark.parametrize("values", [
    ["", "", "", ""],
    ["550", "", "x", "550", "", "421 ", "", "abc"],
    ["550", "421", "x"],
    [],
])
def test_mapped_reads_each_filled_cell_as_the_row_reader(values):
    def code(text: str) -> int:
        text = text.strip()
        if not text.isdigit():
            raise csvlog._RowError("not a code")
        return int(text)

    out, bad = csvcolumns._mapped(pd.Series(values, dtype=object), code, default=None)
    assert (out.tolist(), bad.tolist()) == _reference_mapped(values, code, None)


def test_email_spans_are_the_first_and_last_time_of_each_email():
    rng = random.Random(3)
    emails = [rng.choice(["c-2", "c-1", "", "c-3"]) for _ in range(300)]
    # Each email's times in a month of its own, its first and last far from the batch's.
    months = {"c-1": "03", "c-2": "01", "c-3": "02", "": "04"}
    stamps = [f"2026-{months[email_id]}-{rng.randrange(1, 29):02d}T09:00:00.000Z" for email_id in emails]
    batch = pd.DataFrame({"email_id": pd.Series(emails, dtype=object), "timestamp": pd.Series(stamps, dtype=object)})
    expected: dict[str, list] = {}
    for email_id, stamp in zip(emails, stamps, strict=True):
        if email_id:
            span = expected.setdefault(email_id, [stamp, stamp])
            span[0], span[1] = min(span[0], stamp), max(span[1], stamp)
    spans = email_spans(batch)
    assert spans == expected
    assert list(spans) == sorted(expected)
    assert email_spans(batch[batch["email_id"] == ""]) == {}


def test_stored_keys_are_those_the_events_table_holds():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, key INTEGER NOT NULL)")
    conn.execute("CREATE UNIQUE INDEX events_key ON events (key)")
    rng = random.Random(5)
    held = [rng.randrange(-(2**63), 2**63) for _ in range(2000)]
    conn.executemany("INSERT INTO events (key) VALUES (?)", [(key,) for key in held])
    others = [rng.randrange(-(2**63), 2**63) for _ in range(700)]
    for keys in (rng.sample(held, 900) + others, held[:50], others, [held[0], -(2**63), 2**63 - 1]):
        rng.shuffle(keys)
        found = EventTables._stored_keys(conn, pd.Series(keys, dtype=np.int64))
        assert found.tolist() == [key in set(held) for key in keys]
