"""explain reads each file from the disk once: one stat and one open per file, the same rows, and
a Source read once serves format detection and parsing from the same bytes."""

from __future__ import annotations

import builtins
import gzip
import hashlib
import os
from pathlib import Path

import pytest

from bouncectl.sources import source as source_module
from bouncectl.sources.source import Source
from bouncectl.usecases.explaining import explain

BOUNCE = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Tue, 03 Nov 2026 09:00:00 +0000
Content-Type: text/plain

This is the mail system at host mx.example.net.

<gone@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <gone@example.org>:
    Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)
"""


def _count_calls(monkeypatch: pytest.MonkeyPatch, path: Path) -> dict[str, int]:
    """The opens and stats of ``path`` made while the test runs."""
    counts = {"open": 0, "stat": 0}
    real_open, real_stat = builtins.open, os.stat

    def counting_open(file, *args, **kwargs):
        if str(file) == str(path):
            counts["open"] += 1
        return real_open(file, *args, **kwargs)

    def counting_stat(file, *args, **kwargs):
        if str(file) == str(path):
            counts["stat"] += 1
        return real_stat(file, *args, **kwargs)

    monkeypatch.setattr(source_module, "open", counting_open, raising=False)
    monkeypatch.setattr(os, "stat", counting_stat)
    return counts


def test_explain_opens_and_stats_a_message_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bounce.eml"
    path.write_bytes(BOUNCE)
    counts = _count_calls(monkeypatch, path)
    rows = list(explain([str(path)]))
    assert [(row["recipient"], row["reason"], row["decoder"]) for row in rows] == [
        ("gone@example.org", "userunknown", "postfix")]
    assert counts == {"open": 1, "stat": 1}


def test_a_source_read_once_gives_detection_and_parsing_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bounce.eml.gz"
    path.write_bytes(gzip.compress(BOUNCE))
    source = Source(path, once=True)
    head = source.head()
    path.write_bytes(b"rewritten since")  # the bytes were read: the file is not read again
    with source.open_binary() as stream:
        assert stream.read() == head == BOUNCE
    assert source.read_checksum() == hashlib.sha256(gzip.compress(BOUNCE)).hexdigest()


def test_a_file_larger_than_the_limit_is_read_as_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "HOLD_SIZE", 100)
    path = tmp_path / "bounce.eml"
    path.write_bytes(BOUNCE)
    counts = _count_calls(monkeypatch, path)
    source = Source(path, once=True)
    assert source.head() == BOUNCE
    with source.open_binary() as stream:
        assert stream.read() == BOUNCE
    assert counts["open"] == 2  # detection, then parsing: nothing held
    assert source.read_checksum() == hashlib.sha256(BOUNCE).hexdigest()


def test_a_missing_path_and_a_folder_are_told_as_before(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no such file or folder"):
        Source(tmp_path / "missing.eml", once=True)
    assert Source(tmp_path, once=True).is_dir
    assert not Source(tmp_path / "..", once=True).head()
