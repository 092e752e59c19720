"""The provider's suppression list and the store's, in step.

- :func:`export_suppressions` writes the store's unsendable addresses in the file each provider
  imports (forgotten addresses are known here only by their hash, so they cannot be exported).
- :func:`diff` compares a provider's export (read by that provider's suppression-list format) with
  the store: addresses suppressed there and sendable here, and the reverse.

The files, as each provider documents them:

- ``ses``: the CSV of an SES bulk import job into the account-level suppression list
  (``CreateImportJob``, ``SuppressionListImportAction`` ``PUT``), one ``address,REASON`` a line
  without a header, ``REASON`` ``BOUNCE`` or ``COMPLAINT``. SES knows no unsubscribe reason: an
  unsubscribed address is written as ``COMPLAINT``, the one reason that keeps it out.
- ``sendgrid``: a CSV with one ``email`` column, for SendGrid's global unsubscribes (the only
  suppression list SendGrid lets a sender add to; its bounce and spam report lists are its own).
- ``mailgun``: three CSV files, as Mailgun's import endpoints take them: ``NAME-bounces.csv``
  (``address,code,error,created_at``), ``NAME-complaints.csv`` (``address,created_at``) and
  ``NAME-unsubscribes.csv`` (``address,tags,created_at``; ``*`` for every email, else the group),
  dates in RFC 2822.
- ``postmark``: JSON lines, each the body of one request to Postmark's create-suppressions
  endpoint (``{"Suppressions": [{"EmailAddress": ...}]}``, at most 50 addresses a request).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TextIO

from bouncectl.errors import BouncectlError
from bouncectl.model import COMPLAINED, ELIGIBLE, UNSUBSCRIBED, Event, ImportOptions
from bouncectl.output import FORMULA_STARTS, output_file
from bouncectl.sources import (
    mailgun_suppressions,
    postmark_suppressions,
    sendgrid_suppressions,
    ses_suppressions,
)
from bouncectl.sources.format import Format
from bouncectl.sources.source import Source
from bouncectl.store import Store

PROVIDERS: dict[str, Format] = {
    "ses": ses_suppressions.FORMAT,
    "sendgrid": sendgrid_suppressions.FORMAT,
    "mailgun": mailgun_suppressions.FORMAT,
    "postmark": postmark_suppressions.FORMAT,
}
POSTMARK_BATCH = 50
DIFF_COLUMNS = ["email", "side", "provider_list", "status", "fix"]
MAILGUN_LISTS = ("bounces", "complaints", "unsubscribes")


def _provider(name: str) -> str:
    if name not in PROVIDERS:
        raise BouncectlError(f"unknown provider {name!r}", hint=f"one of {', '.join(PROVIDERS)}")
    return name


def _rfc2822(stamp: str | None) -> str:
    return format_datetime(datetime.fromisoformat(stamp), usegmt=True) if stamp else ""


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def mailgun_paths(path: str) -> dict[str, Path]:
    """The three files a Mailgun export writes for ``path`` (``NAME.csv``: ``NAME-bounces.csv``...)."""
    target = Path(path)
    return {name: target.with_name(f"{target.stem}-{name}{target.suffix or '.csv'}") for name in MAILGUN_LISTS}


def export_suppressions(store: Store, provider: str, path: str) -> dict[str, int]:
    """Write the store's unsendable addresses for ``provider`` to ``path``; returns the count per file."""
    provider = _provider(provider)
    rows = list(store.unsendable())
    if provider == "mailgun":
        if path == "-":
            raise BouncectlError("Mailgun imports three files, which cannot go to stdout",
                                 hint="give a file name: NAME.csv writes NAME-bounces.csv, NAME-complaints.csv, "
                                      "NAME-unsubscribes.csv")
        return _mailgun(store, rows, mailgun_paths(path))
    with output_file(path, json_output=provider == "postmark") as out:
        count = {"ses": _ses, "sendgrid": _sendgrid, "postmark": _postmark}[provider](rows, out)
    return {path: count}


def _ses(rows: list[dict], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(row["email"]), "COMPLAINT" if row["status"] in (COMPLAINED, UNSUBSCRIBED) else "BOUNCE"])
    return len(rows)


def _sendgrid(rows: list[dict], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email"])
    writer.writerows([_cell(row["email"])] for row in rows)
    return len(rows)


def _postmark(rows: list[dict], out: TextIO) -> int:
    for start in range(0, len(rows), POSTMARK_BATCH):
        batch = rows[start : start + POSTMARK_BATCH]
        out.write(json.dumps({"Suppressions": [{"EmailAddress": row["email"]} for row in batch]}) + "\n")
    return len(rows)


def _mailgun(store: Store, rows: list[dict], paths: dict[str, Path]) -> dict[str, int]:
    lists: dict[str, list[list[str]]] = {name: [] for name in MAILGUN_LISTS}
    for row in rows:
        when = _rfc2822(row["since"])
        if row["status"] == COMPLAINED:
            lists["complaints"].append([_cell(row["email"]), when])
        elif row["status"] == UNSUBSCRIBED:
            lists["unsubscribes"].append([_cell(row["email"]), "*", when])
        else:  # a bounce, or the soft-bounce policy: Mailgun's bounce list keeps both out
            code = str(row["smtp_code"]) if row["smtp_code"] else ""
            error = row["diagnostic"] or f"{row['status']} in bouncectl"
            lists["bounces"].append([_cell(row["email"]), code, _cell(error), when])
    for row in store.group_unsubscribes():
        lists["unsubscribes"].append([_cell(row["email"]), _cell(row["grp"]), _rfc2822(row["since"])])
    headers = {"bounces": ["address", "code", "error", "created_at"], "complaints": ["address", "created_at"],
               "unsubscribes": ["address", "tags", "created_at"]}
    for name, target in paths.items():
        with output_file(str(target)) as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(headers[name])
            writer.writerows(lists[name])
    return {str(target): len(lists[name]) for name, target in paths.items()}


# --- the difference ---------------------------------------------------------------------------


@dataclass
class Difference:
    email: str
    side: str  # provider_only: suppressed there, sendable here; store_only: the reverse
    provider_list: str | None
    status: str
    fix: str

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in DIFF_COLUMNS}


def _provider_entries(provider: str, spec: str) -> dict[str, str]:
    """The addresses ``provider``'s export suppresses for every email, with the list each is on."""
    source = Source(spec)
    try:
        found: dict[str, str] = {}
        for record in PROVIDERS[provider].parse(source, ImportOptions()):
            if not isinstance(record, Event) or record.group:
                continue  # a reject, or an unsubscribe from one group only
            if record.event == "bounce" and not record.is_global:
                continue  # a block: the provider still sends to it
            found.setdefault(record.recipient, "bounce" if record.event == "bounce" else record.event)
        return found
    finally:
        source.close()


def diff(store: Store, provider: str, spec: str) -> Iterator[Difference]:
    """Suppressed at ``provider`` (its export ``spec``) but sendable here, then the reverse, each by address."""
    provider = _provider(provider)
    there = _provider_entries(provider, spec)
    statuses = store.statuses(sorted(there))
    for email in sorted(there):
        status = statuses.get(email, ELIGIBLE)
        if status == ELIGIBLE:
            yield Difference(email, "provider_only", there[email], status, f"import the {provider} list here")
    for row in store.unsendable():
        if row["email"] not in there:
            yield Difference(row["email"], "store_only", None, row["status"], f"export it for {provider}")
