"""Email addresses: normalization and syntax checks (no network look-ups)."""

from __future__ import annotations

from functools import lru_cache


def normalize(address: str) -> str:
    """The stored key of an address: trimmed, angle brackets removed, lowercased."""
    address = address.strip()
    if address.startswith("<") and address.endswith(">"):
        address = address[1:-1].strip()
    return address.lower()


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


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
    """A cheap plausibility check used by importers (full check: :func:`syntax_error`)."""
    local, at, domain = address.rpartition("@")
    return bool(at and local and domain and " " not in address and ("." in domain or domain == "localhost"))
