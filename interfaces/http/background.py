"""The full reading of each upload, done in the background after its instant answer, so that submission
finds every file already read (the object store's reading cache, pipeline/readings.py) and pays only
for extraction, the verdict and the flow run.

One thread reads, one file at a time, and starts a file only while no instant answer is being worked
out; the full reading's OCR threads run at the lowest CPU priority (nice 19: they are started by a
short-lived thread lowered for that, and keep its priority), so inference gives way to the answers'.
The reading thread itself keeps the process's priority: it holds Python's GIL in turns with the
request threads, and lowered it stalled every request on a busy machine (a GIL held by a thread the
scheduler seldom runs). On a busy service the background falls behind and submission reads what it
did not. The queue is bounded: an upload offered when it is full is left for submission to read. The
thread also starts Prefect (an ephemeral server when no PREFECT_API_URL is set) before the first
submission needs it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from intake.models import StoredOriginal

logger = logging.getLogger(__name__)

LOWEST_PRIORITY = 19


def lower_this_thread() -> None:
    """Lowest CPU priority for the calling thread and the threads it starts (Linux niceness is per thread
    and inherited); elsewhere they stay at the process's priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
    except (AttributeError, OSError):
        logger.info("background reading runs at normal priority (no per-thread niceness here)")


# How long a shutdown waits for the background work in progress (model loading takes tens of seconds on
# a loaded 2-core machine; one reading a few).
STOP_WAIT = 180.0


class FullReadings:
    """A bounded queue of stored originals and one low-priority thread that reads each in full.

    On the thread, first `start_services` (Prefect), then `load_models` on a lowered thread of its own
    (the full reading's models: their OCR threads inherit the lowest priority); `ready` is set once both
    have run, whatever their outcome. Uploads wrap their instant analysis in `answering()`."""

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
        self._answering = 0  # instant answers being worked out now
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()
        self.read_count = 0  # originals read (or found cached) so far
        self.skipped = 0  # originals offered while the queue was full, left for submission

    @property
    def pending(self) -> int:
        """Originals waiting or being read."""
        with self._changed:
            return len(self._pending) + (self._current is not None)

    @contextmanager
    def answering(self) -> Iterator[None]:
        """An instant answer is being worked out: no full reading starts meanwhile."""
        with self._changed:
            self._answering += 1
        try:
            yield
        finally:
            with self._changed:
                self._answering -= 1
                self._changed.notify_all()

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

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """Drop the waiting files (submission reads them) and end the thread, waiting up to `timeout` s for
        a reading, the models' loading or Prefect's start in progress. Those run in native code that cannot
        be cut short, and an interpreter that exits under them aborts (std::terminate, exit -6, seen when
        a busy machine slowed the loading past a few seconds): the shutdown waits for them to end."""
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
            self._changed.wait_for(lambda: (self._pending and not self._answering) or self._stopping)
            if self._stopping:
                return None
            self._current = self._pending.popleft()
            return self._current

    def _run(self) -> None:
        start_services, load_models = self._steps
        try:
            start_services()
            lowered = threading.Thread(target=_lowered, args=(load_models,), name="full-readings-models")
            lowered.start()
            lowered.join()
        except Exception as exc:  # the service answers without it; submission starts what it needs
            logger.warning("background preparation failed: %s", type(exc).__name__)
        finally:
            self.ready.set()
        while (stored := self._next()) is not None:
            try:
                self._read(stored)
                self.read_count += 1
            except Exception as exc:  # never the file's text or name: only what kind of failure it was
                logger.warning("background reading failed (submission reads the file): %s", type(exc).__name__)


def _lowered(load_models: Callable[[], None]) -> None:
    lower_this_thread()
    try:
        load_models()
    except Exception as exc:  # the models load at the first reading instead, at the reader's priority
        logger.warning("loading the full reading's models failed: %s", type(exc).__name__)
