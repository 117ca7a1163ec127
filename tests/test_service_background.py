"""The service's background full reading (interfaces/http/background.py) as logic: its queue is bounded,
it starts no reading while an instant answer is worked out, submission takes its files over, and a
failing reading neither stops the thread nor names the file. The real reading behind it is exercised
by tests/test_service.py (the submitted case's readings come from the cache it fills)."""

from __future__ import annotations

import logging
import threading

import pytest

from intake.models import StoredOriginal
from interfaces.http.background import FullReadings


def stored(name: str) -> StoredOriginal:
    return StoredOriginal(source=name, sha256=name * 8, key=f"originals/{name}", size=1, content_type="image/jpeg")


class Reader:
    """Records what it read; `gate` holds a reading until the test lets it finish."""

    def __init__(self) -> None:
        self.read: list[str] = []
        self.gate = threading.Event()
        self.started = threading.Event()

    def __call__(self, original: StoredOriginal) -> None:
        self.started.set()
        self.gate.wait(10)
        if original.source == "broken":
            raise ValueError(f"cannot read {original.source}")
        self.read.append(original.source)


def readings(reader: Reader, size: int = 10) -> FullReadings:
    return FullReadings(read=reader, start_services=lambda: None, load_models=lambda: None, size=size)


def test_queue_is_bounded_and_every_offered_file_is_read() -> None:
    reader = Reader()
    background = readings(reader, size=2)
    assert not background.offer(stored("a"))  # not started: nothing is queued
    background.start()
    assert background.ready.wait(10)
    assert background.offer(stored("a")) and reader.started.wait(10)  # "a" is being read
    assert background.offer(stored("b")) and background.offer(stored("c"))
    assert not background.offer(stored("d")) and background.skipped == 1  # full: left for submission
    assert background.pending == 3
    reader.gate.set()
    assert background.drain(10)
    assert reader.read == ["a", "b", "c"] and background.pending == 0
    background.stop()


def test_no_reading_starts_while_an_answer_is_worked_out() -> None:
    reader = Reader()
    reader.gate.set()
    background = readings(reader)
    background.start()
    assert background.ready.wait(10)
    with background.answering():
        background.offer(stored("a"))
        assert not reader.started.wait(0.5)
    assert background.drain(10) and reader.read == ["a"]
    background.stop()


def test_submission_takes_over_its_waiting_files() -> None:
    reader = Reader()
    background = readings(reader)
    background.start()
    assert background.ready.wait(10)
    background.offer(stored("a"))
    assert reader.started.wait(10)
    background.offer(stored("b"))
    background.offer(stored("c"))
    finishing = threading.Timer(0.3, reader.gate.set)
    finishing.start()
    background.take_over({"originals/a", "originals/b"}, timeout=10)  # waits for "a", drops "b"
    assert reader.read[:1] == ["a"]
    assert background.drain(10) and reader.read == ["a", "c"]
    background.stop()


def test_a_failed_reading_is_logged_without_the_file_and_the_thread_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    reader = Reader()
    reader.gate.set()
    background = readings(reader)
    background.start()
    with caplog.at_level(logging.WARNING):
        background.offer(stored("broken"))
        background.offer(stored("a"))
        assert background.drain(10)
    assert reader.read == ["a"]
    assert "ValueError" in caplog.text and "broken" not in caplog.text
    background.stop()


def test_stop_waits_for_model_loading_in_progress() -> None:
    """GIVEN the models still loading when the service stops (a busy machine) WHEN stopped THEN stop()
    returns only once the loading has ended and the thread is gone: an interpreter exiting under native
    model loading aborts."""
    loading, loaded = threading.Event(), threading.Event()

    def load_models() -> None:
        loading.set()
        threading.Event().wait(6)  # longer than the old five-second wait
        loaded.set()

    background = FullReadings(read=Reader(), start_services=lambda: None, load_models=load_models, size=2)
    background.start()
    assert loading.wait(10)
    thread = background._thread
    background.stop()
    assert loaded.is_set() and thread is not None and not thread.is_alive()
