"""Bounce messages (.eml, mbox, maildir): decoded into per-recipient facts, then events."""

from bouncectl.sources.messages.reader import FORMAT

__all__ = ["FORMAT"]
