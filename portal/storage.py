"""Private files that are either complete or absent (ADR 0132).

`store` writes a file under a temporary name in its final directory and renames it into place
(`os.replace`, atomic on one file system), so a reader, a rerun or a crash never meets a
half-written file; when writing fails (a full disk: `OSError(ENOSPC)`) the temporary file is
removed and the error raised. `StorageFull` is that error for the caller to explain to the user.
"""

import contextlib
import errno
import os
import tempfile

from django.conf import settings


class StorageFull(OSError):
    """The private-media disk has no room (or no inodes) left for the file."""


def store(storage, name, content, temporary=None):
    """Write `content` (bytes or a Django File) as `name` in `storage`, replacing a file of that
    name atomically. Returns `name`. Nothing is left behind when it fails.

    `temporary` (a name in the same directory) is for a writer that holds a lock on what the
    file belongs to: a rerun after a killed process then overwrites the leftover instead of
    adding one. Without it a fresh unique temporary name is used."""
    path = storage.path(name)
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o750, exist_ok=True)
    if temporary is None:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".incomplete-")
    else:
        temporary = storage.path(temporary)
        if os.path.dirname(temporary) != directory:
            raise ValueError("the temporary file must be in the directory of the file")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes | bytearray):
                handle.write(content)
            else:
                for chunk in content.chunks():
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(exc.errno, os.strerror(exc.errno)) from exc
        raise
    return name


def remove(storage, name):
    """Delete `name` from `storage` if it is there (cleanup after a rolled-back row)."""
    with contextlib.suppress(FileNotFoundError):
        storage.delete(name)
