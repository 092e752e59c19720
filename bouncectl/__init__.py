"""bouncectl: email list hygiene over a local SQLite store."""

__version__ = "0.1.0"
