"""Opening input files safely: regular files only, every read capped by bytes actually read.

A folder can hold things that are not files: a FIFO blocks a run forever (on open, then on
read), a link to /dev/zero or /dev/urandom never ends, a socket cannot be read at all. Their
`stat().st_size` is 0, so a size check alone lets them through; we check the file's type
before opening it and again on the open descriptor (the name may change in between), and
never trust a size we did not count ourselves.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from corroborate.errors import InputRejected

MAX_DOC_BYTES = 20 * 1024 * 1024  # one article; larger is not an article (or is hostile)
MB = 1024 * 1024  # sizes in messages, as the limit is set (and as the fetcher says them)

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)
# Opening a FIFO for reading blocks until a writer appears; O_NONBLOCK makes it return at once.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_BINARY", 0)


def not_regular(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file ("a named pipe (FIFO)")."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _SPECIAL if test(mode)), "not a regular file")


def check_regular(path: Path) -> None:
    """Refuse, without opening it, anything but a regular file (a link is followed)."""
    kind = not_regular(os.stat(path).st_mode)
    if kind is not None:
        raise InputRejected(f"{kind}, not a regular file: not read")


def open_regular(path: Path) -> BinaryIO:
    """A binary reader on `path`, a regular file (checked before opening and once open)."""
    check_regular(path)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        kind = not_regular(os.fstat(fd).st_mode)
        if kind is not None:  # swapped for a special file since the check above
            raise InputRejected(f"{kind}, not a regular file: not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_input(path: Path) -> BinaryIO:
    """A reader on a regular file, gunzipping it when its name ends in `.gz`."""
    fh = open_regular(path)
    if path.suffix.lower() == ".gz":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    return fh


def read_capped(path: Path, max_bytes: int = MAX_DOC_BYTES) -> bytes:
    """A whole regular file (gunzipped if `.gz`), refusing more than `max_bytes` of content.

    The cap counts bytes read, so a gzip bomb, or a file that grows while read, stops there;
    the size on disk only serves to refuse a big plain file before reading it.
    """
    gz = path.suffix.lower() == ".gz"
    with open_regular(path) as raw:
        size = os.fstat(raw.fileno()).st_size
        if not gz and size > max_bytes:
            raise InputRejected(f"file is {size / MB:.1f} MB, over the {max_bytes / MB:.0f} MB "
                                "limit per article")
        try:
            data = (gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw).read(max_bytes + 1)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputRejected(f"corrupt gzip file: {exc or type(exc).__name__}") from None
    if len(data) > max_bytes:
        if gz:
            raise InputRejected(f"decompresses to over the {max_bytes / MB:.0f} MB limit per "
                                f"article ({size / 1e3:.0f} kB compressed: a gzip bomb?)")
        raise InputRejected(f"file is over the {max_bytes / MB:.0f} MB limit per article")
    return data


def failure_reason(exc: BaseException) -> str:
    """A one-line reason for a reader that failed part-way through an input."""
    if isinstance(exc, InputRejected):
        return exc.reason
    if isinstance(exc, EOFError):
        return "the file ends early (truncated?)"
    if isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        return f"corrupt gzip data: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 text: {exc}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, OSError):
        return f"cannot read file: {exc.strerror or exc}"
    detail = " ".join(str(exc).split())  # some libraries raise multi-line messages
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return f"reader failed: {type(exc).__name__}: {detail}" if detail \
        else f"reader failed: {type(exc).__name__}"
