"""Sources: bytes in, events out."""
