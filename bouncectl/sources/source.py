"""One input to import: a file, a folder or stdin, read as bytes or text.

gzip-compressed files are read transparently, and a UTF-8 byte-order mark is
dropped (from bytes and text alike). Text is decoded as UTF-8; bytes that are
not UTF-8 are read as Latin-1, so no input is refused for its encoding and
nothing is lost.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import hashlib
import io
import os
import shutil
import stat
import sys
import tempfile
import zlib
from pathlib import Path
from typing import IO, BinaryIO, TextIO, cast

from bouncectl.errors import InputError

HEAD_SIZE = 64 * 1024
HOLD_SIZE = 8 * 1024 * 1024  # the largest file a Source read ``once`` keeps in memory
# The errors for which :meth:`pathlib.Path.exists` says a path does not exist (it raises any other).
_MISSING_ERRNOS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
MAX_LINE = 16 * 1024 * 1024  # a longer line is rejected without being kept
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("bouncectl-latin1", _latin1_fallback)


def decode(data: bytes) -> str:
    """Bytes to text the way every importer reads them."""
    return data.decode("utf-8-sig", errors="bouncectl-latin1")


class Source:
    """A named input. ``name`` is what messages show (``<stdin>`` for ``-``).

    With ``once``, a file (up to :data:`HOLD_SIZE`) is read from the disk once, by the first reader,
    and every later reader (format detection, then parsing) reads those bytes: for a caller that
    stores nothing and has no use for re-reading a file that changed meanwhile (``explain``). An
    import reads the file again to parse it, and hashes the bytes it parsed (:meth:`read_checksum`).
    """

    def __init__(self, spec: str | Path, *, once: bool = False):
        spec = str(spec)
        self._spool: IO[bytes] | None = None
        self._is_dir = False
        self._once = once
        self._held: bytes | None = None  # with ``once``: the file's bytes, read by the first reader
        self._size: int | None = None
        if spec == "-":
            self.name = "<stdin>"
            self.path: Path | None = None
            # Kept open for the life of the Source (closed by close()), so it can be read more than once.
            self._spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
            try:
                shutil.copyfileobj(sys.stdin.buffer, self._spool)
            except OSError as exc:  # past 8 MiB the copy goes to a file in TMPDIR, which may be full
                self._spool.close()
                raise InputError(
                    self.name,
                    f"cannot keep a copy of stdin in the temporary folder: {exc.strerror or exc}",
                    hint="free some space in TMPDIR (or point TMPDIR elsewhere), or give the file by name",
                ) from None
        else:
            self.name = spec
            self.path = Path(spec)
            mode = self._stat_mode(spec)  # one stat: exists, folder or regular file
            if mode is None:
                raise InputError(spec, "no such file or folder", hint="check the path (- reads stdin)")
            self._is_dir = stat.S_ISDIR(mode)  # asked once: every reader asks it again
            if not self._is_dir:
                if not stat.S_ISREG(mode):
                    raise InputError(spec, "not a regular file", hint="give a file, a maildir folder or - for stdin")
                if not os.access(self.path, os.R_OK):
                    raise InputError(spec, "permission denied", hint="check the file's permissions")
        self._head: bytes | None = None
        self._reading: IO[bytes] | None = None
        self._hashed: _Hashed | None = None  # the raw bytes of the latest reader, hashed as read

    def _stat_mode(self, spec: str) -> int | None:
        """The file mode of ``spec`` (links followed), or ``None`` where :meth:`Path.exists` says it
        does not exist; the size is kept for a file read :attr:`once`."""
        try:
            found = os.stat(spec)
        except OSError as exc:
            if exc.errno in _MISSING_ERRNOS:
                return None
            raise
        except ValueError:  # a name the system cannot take (an embedded NUL)
            return None
        self._size = found.st_size
        return found.st_mode

    @property
    def is_dir(self) -> bool:
        return self._is_dir

    def _raw(self) -> BinaryIO:
        if self._held is not None:
            held = io.BytesIO(self._held)
            self._reading = held
            return held
        if self._once and self._spool is None and not self._is_dir and (self._size or 0) <= HOLD_SIZE:
            with self._open_file() as whole:
                self._held = _read_up_to(whole, HOLD_SIZE + 1, self._size or 0)
            if len(self._held) <= HOLD_SIZE:
                return self._raw()
            self._held = None  # grown past the limit since it was looked at: read as any file
        if self._spool is not None:
            self._spool.seek(0)
            self._reading = self._spool
            return cast(BinaryIO, _Unclosable(self._spool))
        if self.is_dir:
            raise InputError(self.name, "is a folder, not a file", hint="only maildir folders can be imported as folders")
        reading = self._open_file()
        self._reading = reading
        return reading

    def _open_file(self) -> BinaryIO:
        try:
            # Returned open: the caller reads it in a with block.
            return open(cast(Path, self.path), "rb")
        except OSError as exc:
            raise InputError(self.name, exc.strerror or str(exc)) from None

    def open_binary(self) -> BinaryIO:
        """A fresh binary stream from the start (decompressed if gzip), past a UTF-8 byte-order mark.

        Its raw bytes are hashed as they are read (see :meth:`read_checksum`); the bytes of a file
        read :attr:`once` are read from memory, and hashed when asked for."""
        raw_stream = self._raw()
        if self._held is not None:
            self._hashed = None
            return self._decoded(raw_stream)
        self._hashed = _Hashed(raw_stream)
        raw = cast(BinaryIO, io.BufferedReader(self._hashed))
        self._reading = raw
        return self._decoded(raw)

    def _decoded(self, raw: BinaryIO) -> BinaryIO:
        stream: BinaryIO = raw
        if raw.read(2) == _GZIP_MAGIC:
            stream = _CheckedGzip(self.name, raw)  # type: ignore[assignment]
        raw.seek(0)
        if stream.read(len(_BOM)) != _BOM:
            stream.seek(0)
        return stream

    def open_text(self) -> TextIO:
        """A fresh text stream; universal newlines are left to the caller (``newline=''``)."""
        return io.TextIOWrapper(self.open_binary(), encoding="utf-8-sig", errors="bouncectl-latin1", newline="")

    def size(self) -> int | None:
        """The size in bytes of a file (``None`` for a folder)."""
        if self._spool is not None:
            here = self._spool.tell()
            end = self._spool.seek(0, io.SEEK_END)
            self._spool.seek(here)
            return end
        return None if self.is_dir else self.path.stat().st_size  # type: ignore[union-attr]

    def position(self) -> int:
        """How far the most recent reader has read in the raw file, for progress reports."""
        try:
            return self._reading.tell() if self._reading is not None and not self._reading.closed else 0
        except (OSError, ValueError):
            return 0

    def head(self) -> bytes:
        """The first bytes (decompressed), for format detection."""
        if self._head is None:
            if self.is_dir:
                self._head = b""
            else:
                with self._decoded(self._raw()) as stream:
                    try:
                        self._head = stream.read(HEAD_SIZE)
                    except (OSError, EOFError) as exc:
                        raise InputError(self.name, f"cannot read: {exc}") from None
        return self._head

    def read_checksum(self) -> str:
        """SHA-256 of the raw bytes the latest reader read: what was parsed, whatever the file holds
        now (a log rotated or rewritten since it was opened). Bytes the reader left unread are read
        to the end of the file it opened first; a folder's files are hashed as they are now."""
        if self.is_dir or self._hashed is None:
            return self.checksum()
        return self._hashed.hexdigest()

    def checksum(self) -> str:
        """SHA-256 of the raw bytes (of every file, for a folder), as they are now."""
        digest = hashlib.sha256()
        if self.is_dir:
            folder = cast(Path, self.path)
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
            return digest.hexdigest()
        with self._raw() as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def _read_up_to(stream: IO[bytes], limit: int, expected: int) -> bytes:
    """Up to ``limit`` bytes of ``stream``, ``expected`` of them read at once (a file's size when it
    was looked at), any more in chunks: ``read(limit)`` would set aside ``limit`` bytes, however
    small the file."""
    parts = [stream.read(min(expected + 1, limit))]
    size = len(parts[0])
    while size < limit and len(parts[-1]):
        parts.append(stream.read(min(64 * 1024, limit - size)))
        size += len(parts[-1])
    return b"".join(parts)


class _Hashed(io.RawIOBase):
    """A raw stream whose bytes are hashed the first time each is read. Before it closes, it reads
    (and hashes) what its reader left, so the digest covers the whole input as it was read."""

    def __init__(self, inner: IO[bytes]):
        self._inner = inner
        self._digest = hashlib.sha256()
        self._hashed_to = 0  # bytes [0, _hashed_to) are in the digest
        self._final: str | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        start = self._inner.tell()
        # Read into the caller's buffer: no bytes object made and copied for each block.
        size = cast(io.BufferedIOBase, self._inner).readinto(buffer)
        if size:
            self._take(start, memoryview(buffer)[:size])
        return size

    def _take(self, start: int, data: bytes | memoryview) -> None:
        end = start + len(data)
        if start <= self._hashed_to < end:
            self._digest.update(data[self._hashed_to - start :])
            self._hashed_to = end

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def _finish(self) -> None:
        if self._final is None:
            here = self._inner.tell()
            self._inner.seek(self._hashed_to)
            for block in iter(lambda: self._inner.read(1 << 20), b""):
                self._take(self._hashed_to, block)
            self._inner.seek(here)
            self._final = self._digest.hexdigest()

    def hexdigest(self) -> str:
        if self._final is None and not self.closed:
            self._finish()
        return self._final or self._digest.hexdigest()

    def close(self) -> None:
        if not self.closed:
            try:
                self._finish()
            except (OSError, ValueError):
                pass  # the digest stays that of the bytes read
            self._inner.close()
        super().close()


class CappedLines:
    """The lines of a text or binary stream, none longer than ``limit``: a longer line is read past
    without being kept (memory stays bounded whatever the input), stands as an empty line, and
    its number is noted for the reader to reject (see :meth:`overlong`)."""

    def __init__(self, stream: IO, limit: int = MAX_LINE):
        self._stream = stream
        self._limit = limit
        self._ends = ("\n", "\r") if isinstance(stream.read(0), str) else (b"\n", b"\r")
        self.number = 0
        self._overlong: list[int] = []

    def __iter__(self) -> CappedLines:
        return self

    def __next__(self):
        line = self._stream.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self._limit and not line.endswith(self._ends):
            while True:
                more = self._stream.readline(self._limit)
                if not more or more.endswith(self._ends):
                    break
            self._overlong.append(self.number)
            return self._ends[0]
        return line

    def overlong(self) -> list[int]:
        """The numbers of the lines found too long since the last call."""
        found, self._overlong = self._overlong, []
        return found


def overlong_reject_text() -> str:
    return f"line longer than {MAX_LINE // (1024 * 1024)} MB"


class _CheckedGzip(gzip.GzipFile):
    """gzip data whose damage (cut short, bad CRC, corrupt) is an InputError, not a crash."""

    def __init__(self, name: str, raw: BinaryIO):
        super().__init__(fileobj=raw, mode="rb")
        self._source_name = name

    def _damaged(self, exc: Exception) -> InputError:
        return InputError(self._source_name, f"damaged gzip data: {exc}", hint="check the file, or decompress it first")

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise self._damaged(exc) from None

    def read1(self, size: int = -1) -> bytes:
        try:
            return super().read1(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise self._damaged(exc) from None

    def peek(self, n: int) -> bytes:
        try:
            return super().peek(n)
        except (EOFError, OSError, zlib.error) as exc:
            raise self._damaged(exc) from None

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return super().readline(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise self._damaged(exc) from None


class _Unclosable(io.BufferedIOBase):
    """Wraps the stdin spool so that closing a reader does not discard it."""

    def __init__(self, inner: IO[bytes]):
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._inner.read(size if size is not None else -1)

    def read1(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:  # keep the spool for the next reader
        pass
