"""Email addresses: the one normal form, and what counts as an address (no network look-ups).

Every importer, ``filter``, ``unbounce`` and ``lists`` key a contact by :func:`normalize`, so
that one mailbox is one contact however a source spells it: trimmed, angle brackets removed,
the local part in Unicode NFC, the domain in its IDNA ASCII form (``bücher.de`` is
``xn--bcher-kva.de``, full-width ``ｅｘａｍｐｌｅ.net`` is ``example.net``), all lowercased.
The Unicode forms are email-validator's normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_LENGTH = 320
# The ASCII characters that are spaces or controls (str.isspace, category Cc; ASCII has no Cf).
_ASCII_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# What stands for text that was damaged before it came: U+FFFD, put by a decoder in place of bytes
# that were not text, and a lone surrogate (half of a UTF-16 pair; no text can hold one).
_DAMAGED = re.compile("[\ufffd\ud800-\udfff]")


class AddressError(ValueError):
    """Text that is not an email address (the message says why)."""


def normalize(address: str) -> str:
    """The stored key of an address (see the module's description)."""
    address = address.strip()
    if address.startswith("<") and address.endswith(">"):
        address = address[1:-1].strip()
    if address.isascii():
        return address.lower()
    return _unicode_normal_form(address)


@lru_cache(maxsize=65_536)
def _unicode_normal_form(address: str) -> str:
    # Imported on first use: email-validator is slow to import and most addresses are ASCII.
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        # Not an address: its form only has to be stable (it is refused or shown as it is).
        return unicodedata.normalize("NFC", address).lower()
    return f"{unicodedata.normalize('NFC', valid.local_part).lower()}@{valid.ascii_domain.lower()}"


def normalize_domain(domain: str) -> str:
    """A domain as :func:`normalize` writes it in an address (``--domain`` filters compare with this)."""
    return normalize("x@" + domain.strip().rstrip("."))[2:]


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


def address_of(text: str) -> str:
    """The normal form of ``text`` if it is an address an importer takes, else :class:`AddressError`.

    The same check for every importer: a local part and a domain, no space or control character
    (nor an invisible formatting one, such as a right-to-left override), at most 320 characters.
    A domain without a dot (``a@b``, as some providers' own samples have) is taken by every
    importer: a report of a mailbox is kept even when that mailbox could not be sent to
    (``filter``, which checks the full syntax, does not send to it). An address whose text was damaged
    (U+FFFD, a lone surrogate) is none that was sent to.
    """
    if not text.isascii() and _DAMAGED.search(text):
        raise AddressError(f"{text.strip()[:80]!r} holds damaged text (U+FFFD or a lone surrogate), not an address")
    address = normalize(text)
    if not address:
        raise AddressError("empty address")
    local, at, domain = address.rpartition("@")
    shown = repr(address[:80])
    if not (at and local and domain):
        raise AddressError(f"{shown} is not an email address")
    if len(address) > MAX_LENGTH:
        raise AddressError(f"{shown} is longer than {MAX_LENGTH} characters")
    if _ASCII_SPACE_OR_CONTROL.search(address) if address.isascii() else any(
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in address
    ):
        raise AddressError(f"{shown} holds a space or a control character")
    return address


@lru_cache(maxsize=4096)
def syntax_error(address: str) -> str | None:
    """Why ``address`` is not a valid address, or ``None`` when it is."""
    if "@" not in address:
        return "no @ sign"
    # Imported on first use: email-validator is slow to import and most commands never need it.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def looks_like_address(address: str) -> bool:
    """Whether :func:`address_of` takes ``address``."""
    try:
        address_of(address)
    except AddressError:
        return False
    return True
