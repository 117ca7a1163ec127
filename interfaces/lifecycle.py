"""Processes a command starts do not outlive it, however it ends.

The embedded S3 server ties itself to its owner (storage/server.py, PR_SET_PDEATHSIG), but other
helpers are started by libraries we do not control: Prefect's ephemeral API server (uvicorn) and its
process-pool workers. After `kill -9` or the OOM killer they were left running. `watch_over_children()`
starts a small watchdog process that notes this process's descendants every second and, when this
process is gone (the pipe it holds reads end-of-file: the kernel closes it however we die), stops the
ones it noted that are still the same processes (pid and start time): SIGTERM, then SIGKILL.
A helper started less than a second before the owner died may be missed.

Run as `python -m interfaces.lifecycle OWNER_PID FD`; imports nothing of the project.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

POLL_SECONDS = 1.0
GRACE_SECONDS = 5.0

_write_end: int | None = None  # held open by the owner for its whole life, never inherited


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of `pid`, or None when it does not exist."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), fields[0], int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every live descendant of `root`: pid → start time (ticks since boot)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] not in ("Z", "X"):
                children.setdefault(stat[0], []).append((int(entry.name), stat[2]))
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for pid, started in children.get(todo.pop(), []):
            if pid not in found:
                found[pid] = started
                todo.append(pid)
    return found


def _same_process_running(pid: int, started: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[1] not in ("Z", "X") and stat[2] == started


def stop_all(processes: dict[int, int]) -> None:
    """SIGTERM each process that is still the one noted, then SIGKILL those left after the grace time."""
    for pid, started in processes.items():
        if _same_process_running(pid, started):
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(_same_process_running(p, s) for p, s in processes.items()):
        time.sleep(0.1)
    for pid, started in processes.items():
        if _same_process_running(pid, started):
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def watch(owner: int, fd: int) -> None:
    """Note `owner`'s descendants until `fd` reads end-of-file, then stop them."""
    me = os.getpid()
    noted: dict[int, int] = {}
    while True:
        current = descendants(owner)
        current.pop(me, None)
        noted = {pid: started for pid, started in noted.items() if _same_process_running(pid, started)}
        noted.update(current)
        readable, _, _ = select.select([fd], [], [], POLL_SECONDS)
        if readable and not os.read(fd, 1):
            break
    stop_all(noted)


def watch_over_children() -> None:
    """Start the watchdog for this process (once). Call it at the edge, before anything starts helpers."""
    global _write_end
    if _write_end is not None:
        return
    read_end, write_end = os.pipe()  # both non-inheritable: helpers we start do not hold them
    subprocess.Popen(
        [sys.executable, "-m", "interfaces.lifecycle", str(os.getpid()), str(read_end)],
        pass_fds=(read_end,),
        start_new_session=True,  # a Ctrl-C to our group must not stop the watchdog before us
        stdin=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parent.parent,
    )
    os.close(read_end)
    _write_end = write_end


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
