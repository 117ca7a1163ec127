"""Files only the service's own user may read: the object store's data, its keys, Prefect's home.

Originals hold ID cards and medical records (PIPL), so nothing under the data directory is left
readable by other users of the machine: directories 0700, files 0600, written atomically.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make it 0700; an existing one is tightened too,
    because mkdir's mode is filtered by the umask and does not touch a directory that exists."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    path.chmod(PRIVATE_DIR)
    return path


def tighten_tree(root: Path) -> None:
    """Make everything under `root` private: directories 0700, files 0600 (executable bits kept
    for the owner only). Symbolic links are left alone so nothing outside `root` is changed."""
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, PRIVATE_DIR)
        for name in filenames:
            path = os.path.join(dirpath, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                os.chmod(path, stat.S_IMODE(mode) & 0o700)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]


def _private_temp(path: Path, data: bytes) -> Path:
    """`data` written and synced to a new 0600 file beside `path` under a random hidden name."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return tmp


def write_private(path: Path, data: bytes) -> None:
    """Write `path` as 0600 from the first byte (never briefly world-readable), replacing it atomically."""
    os.replace(_private_temp(path, data), path)


def create_private(path: Path, data: bytes) -> bool:
    """Write `path` as 0600 only if it does not exist yet; False when another process was first.

    Linking a finished temporary file into place is atomic and fails if the name exists, so two
    processes starting at once agree on one file and neither sees it half written."""
    tmp = _private_temp(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True
