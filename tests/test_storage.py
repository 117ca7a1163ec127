"""The object store against the real embedded SeaweedFS server."""

from __future__ import annotations

import glob
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storage.server import EmbeddedS3
from storage.store import ObjectStore, StorageUnavailable
from tests.conftest import ACCESS_KEY, SECRET_KEY


def test_anonymous_request_is_refused(s3_server: EmbeddedS3, object_store: ObjectStore) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"http://{s3_server.endpoint}/{object_store.bucket}/", timeout=5)
    assert info.value.code == 403


def test_original_stored_once_byte_identical(object_store: ObjectStore) -> None:
    data = bytes(range(256)) * 100
    first, created = object_store.put_original(data, "扫描件/住院发票 01.jpg", "image/jpeg")
    again, created_again = object_store.put_original(data, "another-name.jpg", "image/jpeg")
    assert created and not created_again
    assert first.key == again.key and first.key.endswith(first.sha256)
    assert object_store.get_bytes(first.key) == data
    assert object_store.list_keys("originals/") == [first.key]
    meta = object_store.get_metadata(first.key)
    assert meta["source-name"] == "住院发票 01.jpg" and meta["sha256"] == first.sha256


def test_json_written_only_when_changed_with_metadata_and_tags(object_store: ObjectStore) -> None:
    key = "cases/c1/verdict.json"
    meta = {"item": "zj_inpatient_reimbursement", "verdict": "complete"}
    assert object_store.put_json(key, {"status": "complete"}, metadata=meta, tags=meta)
    assert not object_store.put_json(key, {"status": "complete"}, metadata=meta, tags=meta)
    assert object_store.get_json(key) == {"status": "complete"}
    assert object_store.get_tags(key) == meta
    assert object_store.get_metadata(key)["verdict"] == "complete"
    assert object_store.put_json(key, {"status": "incomplete"})


def test_restart_keeps_objects_and_cleans_sockets(tmp_path: Path) -> None:
    server = EmbeddedS3(tmp_path, ACCESS_KEY, SECRET_KEY)
    with server:
        store = ObjectStore(server.endpoint, ACCESS_KEY, SECRET_KEY, "restart-check")
        store.ensure_bucket()
        stored, _ = store.put_original(b"kept across restarts", "a.pdf", "application/pdf")
        ports = list(server.ports.values())
    assert not [s for s in glob.glob("/tmp/seaweedfs-*.sock") if any(str(p) in s for p in ports)]
    with EmbeddedS3(tmp_path, ACCESS_KEY, SECRET_KEY) as again:
        store = ObjectStore(again.endpoint, ACCESS_KEY, SECRET_KEY, "restart-check")
        assert store.get_bytes(stored.key) == b"kept across restarts"


def test_unreachable_store_fails_fast_without_leaking_the_secret() -> None:
    store = ObjectStore("127.0.0.1:9", ACCESS_KEY, SECRET_KEY, "nowhere")
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as info:
        store.put_original(b"x", "x.jpg", "image/jpeg")
    assert time.monotonic() - started < 15
    assert "127.0.0.1:9" in str(info.value)
    assert SECRET_KEY not in str(info.value) and SECRET_KEY not in repr(store)
