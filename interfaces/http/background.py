"""The full reading of each upload, done in the background after its instant answer, so that submission
finds every file already read (the object store's reading cache, pipeline/readings.py) and pays only
for extraction, the verdict and the flow run.

One thread at the lowest CPU priority (nice 19 for that thread, and for the OCR threads its engine
starts): it reads only on cores the instant answers leave idle, so it never slows them; on a busy
machine it falls behind and submission reads what it did not. The queue is bounded: an upload offered
when it is full is simply left for submission to read. The thread also starts Prefect (an ephemeral
server when no PREFECT_API_URL is set) before the first submission needs it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable

from intake.models import StoredOriginal

logger = logging.getLogger(__name__)

LOWEST_PRIORITY = 19


def lower_this_thread() -> None:
    """Lowest CPU priority for the calling thread and the threads it starts (Linux niceness is per thread
    and inherited); elsewhere the thread stays at the process's priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
    except (AttributeError, OSError):
        logger.info("background reading runs at normal priority (no per-thread niceness here)")


class FullReadings:
    """A bounded queue of stored originals and one low-priority thread that reads each in full.

    On the thread, first `start_services` at the process's priority (Prefect: a server it starts must not
    inherit the lowest priority), then, lowered, `load_models` (the full reading's models, loaded there so
    that their OCR threads inherit the lowered priority); `ready` is set once both have run, whatever
    their outcome."""

    def __init__(
        self,
        read: Callable[[StoredOriginal], None],
        start_services: Callable[[], None],
        load_models: Callable[[], None],
        size: int,
    ) -> None:
        self._read = read
        self._steps = (start_services, load_models)
        self._size = size
        self._pending: deque[StoredOriginal] = deque()
        self._current: StoredOriginal | None = None
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()
        self.read_count = 0  # originals read (or found cached) so far
        self.skipped = 0  # originals offered while the queue was full, left for submission

    @property
    def pending(self) -> int:
        """Originals waiting or being read."""
        with self._changed:
            return len(self._pending) + (self._current is not None)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="full-readings", daemon=True)
        self._thread.start()

    def offer(self, stored: StoredOriginal) -> bool:
        """Queue an original for its full reading; False when the queue is full (submission reads it)."""
        with self._changed:
            if self._thread is None or self._stopping or len(self._pending) >= self._size:
                self.skipped += self._thread is not None
                return False
            self._pending.append(stored)
            self._changed.notify_all()
        return True

    def take_over(self, keys: set[str], timeout: float) -> None:
        """Submission reads these originals itself, at its own priority: those still waiting leave the
        queue, and one being read is waited for (up to `timeout` s) so it is not read twice."""
        with self._changed:
            self._pending = deque(s for s in self._pending if s.key not in keys)
            self._changed.wait_for(lambda: self._current is None or self._current.key not in keys, timeout)

    def drain(self, timeout: float) -> bool:
        """Wait until every queued original has been read (tests and benches); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and self._current is None, timeout)

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the reading in progress, drop the rest (submission reads them) and end the thread."""
        with self._changed:
            self._stopping = True
            self._pending.clear()
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _next(self) -> StoredOriginal | None:
        with self._changed:
            self._current = None
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._pending or self._stopping)
            if self._stopping:
                return None
            self._current = self._pending.popleft()
            return self._current

    def _run(self) -> None:
        start_services, load_models = self._steps
        try:
            start_services()
            lower_this_thread()
            load_models()
        except Exception as exc:  # the service answers without it; submission starts what it needs
            logger.warning("background preparation failed: %s", type(exc).__name__)
            lower_this_thread()
        finally:
            self.ready.set()
        while (stored := self._next()) is not None:
            try:
                self._read(stored)
                self.read_count += 1
            except Exception as exc:  # never the file's text or name: only what kind of failure it was
                logger.warning("background reading failed (submission reads the file): %s", type(exc).__name__)
