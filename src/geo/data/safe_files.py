"""Files of a data directory as untrusted input.

A data directory may come from anyone: a colleague's copy, a download, a shared drive. Before a
byte of one of its files is read, the file must be

- named by a plain relative path (no ``/`` at the start, no ``..``, no backslash or NUL);
- inside the directory once symbolic links are followed (a link to ``/etc/passwd`` or to a
  secrets file elsewhere is refused, a link to another file of the directory is fine);
- a regular file: not a device (``/dev/zero`` never ends), a named pipe (reading one waits for a
  writer that never comes), a socket or a folder;
- no larger than the limit its kind declares.

Every refusal is :class:`UnsafeFile`, whose message is one line for the reader that never names
the target of a link or any path outside the directory. Files are opened with ``O_NONBLOCK`` and
checked again with ``fstat`` on the open descriptor, so a file swapped for a pipe between the
check and the open cannot hang the reader either.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

#: A CSV table; the validator needs about 15 times a table's size in memory (a 50 MB table peaks
#: at 0.74 GB), so this keeps one table under about 8 GB. The synthetic million-verdict
#: benchmark table is about 200 MB.
MAX_TABLE_BYTES = 512 * 2**20
#: ``datapackage.json``: the shipped one is 23 KB.
MAX_DESCRIPTOR_BYTES = 2**20
#: ``borders.geojson``: the shipped one is 100 KB; Natural Earth's 10 m countries of the whole
#: world are about 25 MB, and the map needs Kazakhstan and its neighbours only.
MAX_BORDERS_BYTES = 20 * 2**20
_CHUNK = 2**20


class UnsafeFile(OSError):
    """A file of the data directory that must not be read. ``str()`` is one line, without paths
    (``filename`` is set where the caller's messages may name the file: the command line)."""


def size_text(n: int) -> str:
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def plain_relative(name: str) -> str | None:
    """Why ``name`` is not a plain relative path inside a directory, or None when it is."""
    if not name or "\x00" in name or "\\" in name:
        return "is not a plain file name"
    pure = PurePosixPath(name)
    if pure.is_absolute():
        return "is an absolute path; name a file inside the data directory"
    if any(part in ("..", "") for part in name.split("/")):
        return "leaves the data directory ('..')"
    return None


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def resolve_inside(directory: str | os.PathLike[str], name: str) -> Path:
    """The real path of ``directory/name``. Raises FileNotFoundError when there is nothing there,
    :class:`UnsafeFile` when the name or a link leads outside ``directory``."""
    if (why := plain_relative(name)) is not None:
        raise UnsafeFile(why)
    base = Path(directory).resolve()
    path = base / name
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise UnsafeFile("is a symbolic link to nothing (its target is missing)") from None
        raise
    except (RuntimeError, OSError) as exc:  # a loop of links (RuntimeError before Python 3.13)
        raise UnsafeFile("is a loop of symbolic links") from exc
    if not real.is_relative_to(base):
        raise UnsafeFile("is a symbolic link to a file outside the data directory; copy the file in instead")
    return real


def _open_regular(real: Path, limit: int) -> tuple[int, int]:
    """An open descriptor of ``real`` and its size, after checking that it is a regular file."""
    if (why := _kind(os.stat(real).st_mode)) is not None:
        raise UnsafeFile(why)
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if (why := _kind(info.st_mode)) is not None:
            raise UnsafeFile(why)
        if info.st_size > limit:
            raise UnsafeFile(f"is {size_text(info.st_size)}; the limit is {size_text(limit)}")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_inside(directory: str | os.PathLike[str], name: str, limit: int) -> bytes:
    """The bytes of ``directory/name`` under the rules above (FileNotFoundError when absent)."""
    return read_regular(resolve_inside(directory, name), limit)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (links followed)."""
    fd, _size = _open_regular(Path(path), limit)
    try:
        chunks, total = [], 0
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total) or 1):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew since fstat
                raise UnsafeFile(f"is larger than the limit of {size_text(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_regular(path: str | os.PathLike[str], limit: int):
    """A binary file object of ``path`` if it is a regular file of at most ``limit`` bytes."""
    fd, _ = _open_regular(Path(path), limit)
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_inside(directory: str | os.PathLike[str], name: str, limit: int) -> str:
    """The SHA-256 of ``directory/name``, read in chunks (constant memory), under the rules above."""
    digest = hashlib.sha256()
    with open_regular(resolve_inside(directory, name), limit) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
