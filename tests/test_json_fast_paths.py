"""The quick readings of the provider formats give what the general ones give: a Unix time with a
fraction read as parse_timestamp reads it (or refused with its error), the first text of a list,
and records handed on in batches that keep every event, reject and skipped record, in order,
within their bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bouncectl.model import Event, Reject, Skipped
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import record_batches
from bouncectl.timeparse import EARLIEST, latest_plausible, parse_timestamp

_EARLIEST = EARLIEST.timestamp()
_LATEST = latest_plausible().timestamp()


def _general(value: float) -> str:
    """What parse_timestamp makes of ``value``, or its error as jr.timestamp words it."""
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        return f"timestamp: {exc}"


def _quick(value: float) -> str:
    try:
        return jr.timestamp(value)
    except jr.RecordError as exc:
        return str(exc)


# Around the seconds where a time starts or stops being possible, and fractions that round to the next second.
_EDGES = st.sampled_from([0.0, _EARLIEST, _LATEST, 1767603600.0, 1e11, 4102444800.0])
_NEAR = st.builds(lambda edge, offset: edge + offset, _EDGES, st.floats(-2.0, 2.0))
_FRACTIONS = st.builds(lambda second, fraction: second + fraction, st.integers(631151990, int(_LATEST) + 5),
                       st.sampled_from([0.0, 0.0004999, 0.0005, 0.9994999, 0.9995, 0.9999994, 0.9999995, 0.9999999]))


@settings(max_examples=600, deadline=None)
@given(st.one_of(_NEAR, _FRACTIONS, st.floats(0.0, 2e11), st.floats(allow_nan=True, allow_infinity=True)))
@example(1767603600.9999996)  # rounds to the next second
@example(631151999.9999996)  # rounds into the first possible second
@example(_LATEST + 0.5)
def test_a_unix_time_with_a_fraction_reads_as_parse_timestamp_reads_it(value: float) -> None:
    assert _quick(value) == _general(value)
    assert _quick(value) == _general(value)  # again, its second now known


def test_a_second_found_impossible_is_refused_each_time_with_its_own_error() -> None:
    future = datetime.now(UTC).timestamp() + 3 * 86400 + 0.25
    for _ in range(2):
        with pytest.raises(jr.RecordError, match="in the future"):
            jr.timestamp(future)
        with pytest.raises(jr.RecordError, match="before 1990"):
            jr.timestamp(12.5)


def _first_text_spec(value: object) -> str | None:
    """The first non-blank text of a value or of a list (lists inside lists read in order)."""
    if isinstance(value, list):
        for item in value:
            found = _first_text_spec(item) if isinstance(item, list) else jr.text(item)
            if found:
                return found
        return None
    return jr.text(value)


_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["", "  ", " a ", "b", "\u2003c"]))


@given(st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=4), max_leaves=10))
def test_the_first_text_of_a_list_is_its_first_non_blank_text(value: object) -> None:
    assert jr.first_text(value) == _first_text_spec(value)


# --- batches -----------------------------------------------------------------------------------

_RECORDS = st.lists(
    st.one_of(
        st.builds(lambda n, raw, diagnostic: Event(recipient=f"r{n}@example.com", event="sent", timestamp="t",
                                                    raw=raw, diagnostic=diagnostic, line=n),
                  st.integers(1, 10**6), st.sampled_from([None, "", "x", "y" * 7]), st.sampled_from([None, "", "zz"])),
        st.builds(lambda n: Reject(n, f"bad {n}"), st.integers(1, 10**6)),
        st.builds(lambda n: Skipped(n, f"skipped {n}"), st.integers(1, 10**6)),
    ),
    max_size=60,
)


def _text(event: Event) -> int:
    return len(event.raw or "") + len(event.diagnostic or "")


@settings(max_examples=400, deadline=None)
@given(_RECORDS, st.integers(1, 8), st.integers(1, 20), st.integers(1, 8))
def test_batches_keep_every_record_in_order_within_their_bounds(records: list, events: int, text: int,
                                                                rejects: int) -> None:
    places = iter(range(1, 10**6))
    batches = list(record_batches(iter(records), lambda: next(places), events, text, rejects))
    assert [e for b in batches for e in b.events] == [r for r in records if type(r) is Event]
    assert [r for b in batches for r in b.rejects] == [r for r in records if type(r) is Reject]
    assert sum(b.skipped for b in batches) == sum(type(r) is Skipped for r in records)
    skipped = [r.what for r in records if type(r) is Skipped]
    for batch in batches:
        assert batch.rows_read == len(batch.events) + len(batch.rejects)
        assert len(batch.events) <= events and len(batch.rejects) <= rejects
        # the text bound is reached by the batch's last event, never before it
        assert sum(_text(e) for e in batch.events[:-1]) < text
        if batch.skipped_what is not None:
            assert batch.skipped_what == skipped[0]
    assert [b.position for b in batches] == list(range(1, len(batches) + 1))  # read once per batch handed on
    for batch in batches[:-1]:  # every batch but the last is handed on at a bound
        assert (len(batch.events) == events or sum(map(_text, batch.events)) >= text
                or len(batch.rejects) == rejects)
    # and as soon as it reaches one: without its last record, a batch handed on is under every bound
    index = {id(record): place for place, record in enumerate(records)}
    for batch in batches[:-1]:
        last = max(index[id(record)] for record in (*batch.events, *batch.rejects))
        kept = [e for e in batch.events if index[id(e)] != last]
        kept_rejects = [r for r in batch.rejects if index[id(r)] != last]
        assert len(kept) < events and sum(map(_text, kept)) < text and len(kept_rejects) < rejects
