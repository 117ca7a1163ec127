"""The embedded S3 server locked down and tied to its owner (issue 29), against real weed processes.

Every port weed opens is probed without credentials; keys and files are checked on disk; owners are
killed with SIGKILL and the server is killed in the middle of a batch.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from intake.settings import Settings
from storage import credentials as creds
from storage.credentials import S3Credentials, StorageConfigError, resolve
from storage.server import (
    GRPC_OFFSET,
    EmbeddedS3,
    object_store_from_settings,
    terminate,
    weed_binary,
    weed_processes_serving,
)
from storage.store import ObjectStore, StorageUnavailable, store_for
from tests.conftest import ACCESS_KEY, ROOT, SECRET_KEY, new_bucket_name

ID_NUMBER = "110101199003071234"  # synthetic: the kind of value a case.json holds


def http(method: str, url: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _put_case(store: ObjectStore) -> ObjectStore:
    store.put_original(b"\xff\xd8 ID card front " * 50, "身份证正面.jpg", "image/jpeg")
    store.put_json("cases/c1/case.json", {"id_number": ID_NUMBER})
    return store


@pytest.fixture
def case_in_store(object_store: ObjectStore) -> ObjectStore:
    return _put_case(object_store)


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedS3]:
    """A server NOT in a network namespace of its own: its ports on the machine's loopback, as where the
    kernel refuses namespaces. The second lock (JWT, mutual TLS) is probed on it."""
    with EmbeddedS3(tmp_path_factory.mktemp("open-s3"), ACCESS_KEY, SECRET_KEY, isolate=False) as server:
        yield server


@pytest.fixture
def case_on_open_server(open_server: EmbeddedS3) -> ObjectStore:
    store = ObjectStore(open_server.endpoint, ACCESS_KEY, SECRET_KEY, new_bucket_name())
    store.ensure_bucket()
    return _put_case(store)


def listening_ports(pid: int) -> set[int]:
    """TCP ports process `pid` listens on, in its own network namespace: its socket inodes (from
    /proc/PID/fd) matched in /proc/PID/net/tcp*."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_no_port_but_s3_is_reachable_from_the_machine(s3_server: EmbeddedS3, case_in_store: ObjectStore) -> None:
    """GIVEN the server as every run starts it WHEN each TCP port weed listens on (read from /proc)
    is dialled from this machine THEN none answers; the one way in is the S3 relay, which refuses
    anonymous requests. The master's unauthenticated /col/delete and /submit are out of reach."""
    assert s3_server.isolated and s3_server.pid is not None
    inside = listening_ports(s3_server.pid)
    known = set(s3_server.ports.values()) | {p + GRPC_OFFSET for p in s3_server.ports.values()}
    assert len(inside) >= 9 and inside <= known
    answered = []
    for port in sorted(inside):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            answered.append(port)
        except ConnectionRefusedError:
            pass
    assert answered == []
    assert int(s3_server.endpoint.rsplit(":", 1)[1]) not in inside
    assert http("GET", f"http://{s3_server.endpoint}/{case_in_store.bucket}/cases/c1/case.json") == 403
    assert case_in_store.get_json("cases/c1/case.json") == {"id_number": ID_NUMBER}


def test_open_server_listens_on_loopback_only(open_server: EmbeddedS3) -> None:
    assert not open_server.isolated and open_server.pid is not None
    known = set(open_server.ports.values()) | {p + GRPC_OFFSET for p in open_server.ports.values()}
    found = listening_ports(open_server.pid)
    assert found and found <= known
    for line in Path(f"/proc/{open_server.pid}/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) in found:
            assert local.startswith("0100007F:")  # 127.0.0.1


def test_filer_refuses_anonymous_listing_reads_writes_and_deletions(
    open_server: EmbeddedS3, case_on_open_server: ObjectStore
) -> None:
    case_in_store = case_on_open_server
    filer = f"http://127.0.0.1:{open_server.ports['filer']}/buckets/{case_in_store.bucket}"
    original = case_in_store.list_keys("originals/")[0]
    attempts = {
        "list root": ("GET", f"http://127.0.0.1:{open_server.ports['filer']}/", None),
        "list originals": ("GET", f"{filer}/originals/", None),
        "list cases": ("GET", f"{filer}/cases/c1/?pretty=y", None),
        "read case.json": ("GET", f"{filer}/cases/c1/case.json", None),
        "read original": ("GET", f"{filer}/{original}", None),
        "put": ("PUT", f"{filer}/cases/c1/evil.json", b"{}"),
        "post": ("POST", f"{filer}/cases/c1/evil2.json", b"{}"),
        "delete": ("DELETE", f"{filer}/cases/c1/case.json", None),
    }
    answers = {name: http(method, url, body) for name, (method, url, body) in attempts.items()}
    assert answers == dict.fromkeys(attempts, 401)
    assert case_in_store.get_json("cases/c1/case.json") == {"id_number": ID_NUMBER}
    assert case_in_store.list_keys("cases/") == ["cases/c1/case.json"]


def _file_id(server: EmbeddedS3, bucket: str, key: str) -> str:
    """The volume file id of a stored object, read with the server's own certificate (weed shell
    from its run dir): this also shows the gRPC lock lets the certificate's holder in."""
    shell = subprocess.run(
        [
            str(weed_binary()),
            "shell",
            f"-master=127.0.0.1:{server.ports['master']}",
            f"-filer=127.0.0.1:{server.ports['filer']}",
        ],
        input=f"fs.meta.cat /buckets/{bucket}/{key}\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=server.run_dir,
    )
    meta = json.loads(shell.stdout[shell.stdout.index("{") : shell.stdout.rindex("}") + 1])
    return str(meta["chunks"][0]["fileId"])


def test_volume_refuses_reading_or_overwriting_a_stored_file_id(
    open_server: EmbeddedS3, case_on_open_server: ObjectStore
) -> None:
    case_in_store = case_on_open_server
    fid = _file_id(open_server, case_in_store.bucket, "cases/c1/case.json")
    volume = f"http://127.0.0.1:{open_server.ports['volume']}"
    assert http("GET", f"{volume}/{fid}") == 401
    assert http("POST", f"{volume}/{fid}", b"overwritten") == 401
    assert http("DELETE", f"{volume}/{fid}") == 401
    assert http("GET", f"{volume}/ui/index.html") == 401
    assert case_in_store.get_json("cases/c1/case.json") == {"id_number": ID_NUMBER}


def test_open_master_status_shows_topology_only(open_server: EmbeddedS3, case_on_open_server: ObjectStore) -> None:
    """Where weed cannot be isolated, the master's status pages stay open (measured): volume ids and
    ports, no keys, no object names, no content. (Its /col/delete and /submit are open too: only the
    namespace keeps them out of reach, SECURITY.md.)"""
    with urllib.request.urlopen(f"http://127.0.0.1:{open_server.ports['master']}/dir/status", timeout=10) as r:
        body = r.read().decode()
    assert "Topology" in body
    assert ID_NUMBER not in body and "cases/" not in body and "originals/" not in body


def _h2_over_tls(port: int, cert: tuple[str, str] | None) -> bytes:
    """Open TLS to a gRPC port (server certificate not checked) and send the HTTP/2 preface."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    if cert:
        context.load_cert_chain(*cert)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as conn:
        conn.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes.fromhex("000000040000000000"))
        return conn.recv(64)


@pytest.mark.parametrize("service", ["master", "volume", "filer", "s3", "admin"])
def test_grpc_port_refuses_a_client_without_the_certificate(open_server: EmbeddedS3, service: str) -> None:
    port = open_server.ports[service] + GRPC_OFFSET
    with pytest.raises(ssl.SSLError, match="CERTIFICATE_REQUIRED"):
        _h2_over_tls(port, None)
    own = (str(open_server.run_dir / "grpc.crt"), str(open_server.run_dir / "grpc.key"))
    assert _h2_over_tls(port, own)[3] == 0x04  # the server's SETTINGS frame: the port is gRPC, the lock is TLS


def test_s3_refuses_anonymous_and_wrong_keys_but_serves_the_right_ones(
    s3_server: EmbeddedS3, case_in_store: ObjectStore
) -> None:
    assert http("GET", f"http://{s3_server.endpoint}/{case_in_store.bucket}/cases/c1/case.json") == 403
    wrong = ObjectStore(s3_server.endpoint, ACCESS_KEY, "not-the-secret", case_in_store.bucket, retries=0)
    with pytest.raises(StorageUnavailable):
        wrong.get_bytes("cases/c1/case.json")
    assert case_in_store.get_json("cases/c1/case.json") == {"id_number": ID_NUMBER}


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.lstat().st_mode) for p in [root, *root.rglob("*")]}


def test_data_dir_files_and_sockets_are_the_owners_alone(tmp_path: Path) -> None:
    """GIVEN a data dir an older version left world-readable WHEN the server starts and stores an
    object THEN every directory is 0700, every file has no group/other bits, so are weed's sockets."""
    data = tmp_path / "s3"
    (data / "data").mkdir(parents=True)
    old = data / "data" / "left-by-an-older-version.txt"
    old.write_text("x")
    old.chmod(0o644)
    data.chmod(0o755)
    with EmbeddedS3(data, ACCESS_KEY, SECRET_KEY) as server:
        store = ObjectStore(server.endpoint, ACCESS_KEY, SECRET_KEY, new_bucket_name())
        store.ensure_bucket()
        store.put_original(b"original bytes", "a.pdf", "application/pdf")
        modes = _modes(data)
        sockets = [p for port in server.ports.values() for p in Path("/tmp").glob(f"seaweedfs-*-{port}*.sock")]
        sockets += [
            p for port in server.ports.values() for p in Path("/tmp").glob(f"seaweedfs-*-{port + GRPC_OFFSET}*.sock")
        ]
        socket_modes = {str(p): stat.S_IMODE(p.stat().st_mode) for p in sockets}
    assert modes["."] == 0o700
    assert {name: mode for name, mode in modes.items() if (data / name).is_dir() and mode != 0o700} == {}
    # weed writes a volume's .vif (its format version and replication, no object data) 0644 whatever
    # the umask; inside 0700 directories no other user can reach it.
    readable = {name for name, mode in modes.items() if mode & 0o077 and not (data / name).is_symlink()}
    assert {name for name in readable if not name.endswith(".vif")} == set()
    assert modes["data/left-by-an-older-version.txt"] == 0o600
    assert sockets and {name: mode for name, mode in socket_modes.items() if mode & 0o077} == {}


# --- credentials -------------------------------------------------------------------------------


def test_embedded_keys_are_generated_once_per_data_dir_as_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "a")
    first = resolve(settings)
    path = creds.credentials_file(settings.data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert resolve(settings) == first
    assert first.secret_key not in repr(first)
    other = resolve(Settings(data_dir=tmp_path / "b"))
    assert other.access_key != first.access_key and other.secret_key != first.secret_key
    assert first.access_key not in creds.DEVELOPMENT_ACCESS_KEYS


def test_processes_starting_together_agree_on_one_key_pair(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with ThreadPoolExecutor(8) as pool:
        pairs = set(pool.map(lambda _: resolve(settings), range(16)))
    assert len(pairs) == 1
    assert [p.name for p in creds.credentials_file(tmp_path).parent.iterdir()] == ["credentials.json"]


def test_a_readable_key_file_is_tightened_and_a_broken_one_named(tmp_path: Path) -> None:
    path = creds.credentials_file(tmp_path)
    resolve(Settings(data_dir=tmp_path))
    path.chmod(0o644)
    resolve(Settings(data_dir=tmp_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("{not json")
    with pytest.raises(StorageConfigError, match="密钥文件已损坏"):
        resolve(Settings(data_dir=tmp_path))


def test_given_keys_win_and_must_come_in_pairs(tmp_path: Path) -> None:
    given = Settings(data_dir=tmp_path, s3_access_key="ops-key", s3_secret_key=SecretStr("ops-secret-0123456789"))
    assert resolve(given) == S3Credentials("ops-key", "ops-secret-0123456789")
    assert not creds.credentials_file(tmp_path).exists()
    with pytest.raises(StorageConfigError, match="同时配置"):
        resolve(Settings(data_dir=tmp_path, s3_access_key="ops-key"))


def test_an_external_endpoint_without_keys_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageConfigError, match="没有配置密钥"):
        resolve(Settings(data_dir=tmp_path, s3_endpoint="minio.example:9000"))


@pytest.mark.parametrize(
    ("access", "secret", "message"),
    [
        (None, None, "必须配置对象存储密钥"),
        ("intake", "intake-local-secret", "开发用的默认"),
        ("ops-key", "intake-local-secret", "开发用的默认"),
        ("minioadmin", "a-long-production-secret", "开发用的默认"),
    ],
)
def test_production_refuses_missing_or_development_keys(
    tmp_path: Path, access: str | None, secret: str | None, message: str
) -> None:
    settings = Settings(
        environment="production",
        data_dir=tmp_path,
        s3_endpoint="minio.example:9000",
        s3_access_key=access,
        s3_secret_key=SecretStr(secret) if secret else None,
    )
    with pytest.raises(StorageConfigError, match=message) as info:
        resolve(settings)
    assert "a-long-production-secret" not in str(info.value)


def test_production_refuses_even_a_generated_key_file(tmp_path: Path) -> None:
    resolve(Settings(data_dir=tmp_path))  # development generated one
    with pytest.raises(StorageConfigError, match="必须配置对象存储密钥"):
        resolve(Settings(environment="production", data_dir=tmp_path))


def test_production_with_its_own_keys_starts(tmp_path: Path) -> None:
    settings = Settings(
        environment="production",
        data_dir=tmp_path,
        s3_access_key="ops-7f3a",
        s3_secret_key=SecretStr("d6c1f0c2a9e84b7f9d0b2c4e6a8f0e12"),
    )
    with object_store_from_settings(settings) as store:
        store.put_json("cases/c1/verdict.json", {"status": "complete"})
        assert store.get_json("cases/c1/verdict.json") == {"status": "complete"}


def test_cli_in_production_without_keys_exits_2_with_a_chinese_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from interfaces.cli import main

    sample = tmp_path / "invoice.jpg"
    sample.write_bytes(b"\xff\xd8\xff")
    monkeypatch.setenv("INTAKE_ENVIRONMENT", "production")
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path / "data"))
    assert main(["process", "--item", "住院费用报销", str(sample)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake: 生产环境必须配置对象存储密钥") and "Traceback" not in err


def test_cli_makes_prefect_home_and_data_dir_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from interfaces.cli import quiet_environment

    monkeypatch.delenv("PREFECT_HOME")
    quiet_environment(Settings(data_dir=tmp_path / "data"))
    assert os.environ["PREFECT_HOME"] == str((tmp_path / "data" / "prefect").resolve())
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "prefect").stat().st_mode) == 0o700


def test_workers_reach_the_embedded_server_with_the_data_dirs_key_file(tmp_path: Path) -> None:
    """GIVEN the embedded server started from settings WHEN a worker's Settings name only its
    endpoint and the same data dir THEN store_for finds the keys in the data dir's key file."""
    settings = Settings(data_dir=tmp_path, s3_bucket=new_bucket_name())
    with object_store_from_settings(settings) as store:
        store.put_json("cases/c1/case.json", {"status": "complete"})
        worker = Settings(data_dir=tmp_path, s3_endpoint=store.endpoint, s3_bucket=settings.s3_bucket)
        assert store_for(worker).get_json("cases/c1/case.json") == {"status": "complete"}


# --- lifecycle ---------------------------------------------------------------------------------

OWNER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from storage import server
    if sys.argv[2] == "no-pdeathsig":  # an owner that cannot take weed down with it (an older version)
        server.PR_SET_PDEATHSIG = 0  # not a prctl option: the call fails, weed is not tied to us
    s3 = server.EmbeddedS3(Path(sys.argv[1]), "owner-key", "owner-secret-0123456789").start()
    print(json.dumps({"pid": s3.pid, "endpoint": s3.endpoint}), flush=True)
    time.sleep(600)
    """
)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


Owner = Callable[[str], tuple[subprocess.Popen[str], dict[str, Any]]]


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Owner]:
    """A python process that starts an EmbeddedS3 on tmp_path/s3 and waits; what it printed."""
    processes: list[subprocess.Popen[str]] = []

    def start(mode: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
        child = subprocess.Popen(
            [sys.executable, "-c", OWNER, str(tmp_path / "s3"), mode],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        processes.append(child)
        assert child.stdout is not None
        return child, json.loads(child.stdout.readline())

    yield start
    for child in processes:
        if child.poll() is None:
            child.kill()
        child.wait()
    for orphan in weed_processes_serving(tmp_path / "s3" / "data"):  # a failed test leaves none behind
        terminate(orphan)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _running(pid)


def test_kill_9_of_the_owner_takes_its_server_down(owner: Owner, tmp_path: Path) -> None:
    child, info = owner("normal")
    weed = int(info["pid"])
    assert _running(weed)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert _wait_gone(weed, 10), "weed outlived its owner"
    with EmbeddedS3(tmp_path / "s3", "owner-key", "owner-secret-0123456789") as again:
        assert again.reclaimed == []


def test_a_server_left_by_a_dead_owner_is_stopped_at_the_next_start(owner: Owner, tmp_path: Path) -> None:
    child, info = owner("no-pdeathsig")
    weed = int(info["pid"])
    before = ObjectStore(str(info["endpoint"]), "owner-key", "owner-secret-0123456789", "kept-bucket")
    before.ensure_bucket()
    stored, _ = before.put_original(b"acknowledged before the owner died", "a.pdf", "application/pdf")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    time.sleep(1)
    assert _running(weed), "this test needs an orphan"
    started = time.monotonic()
    with EmbeddedS3(tmp_path / "s3", "owner-key", "owner-secret-0123456789") as again:
        assert again.reclaimed == [weed]
        assert not _running(weed)
        after = ObjectStore(again.endpoint, "owner-key", "owner-secret-0123456789", "kept-bucket")
        assert after.get_bytes(stored.key) == b"acknowledged before the owner died"
    assert time.monotonic() - started < 30


def test_a_data_dir_in_use_by_a_live_owner_is_refused_naming_it(owner: Owner, tmp_path: Path) -> None:
    child, info = owner("normal")
    with pytest.raises(StorageUnavailable) as refused:
        EmbeddedS3(tmp_path / "s3", "owner-key", "owner-secret-0123456789").start()
    assert f"正被进程 {child.pid} 使用" in str(refused.value)
    assert f"S3 服务进程 {info['pid']}" in str(refused.value)
    assert _running(int(info["pid"]))  # the live owner's server was left alone


# --- faults ------------------------------------------------------------------------------------


def _store_batch(
    store: ObjectStore, cases: int, before_case: Callable[[int], None] = lambda n: None
) -> tuple[int, int]:
    """A batch as the flows store it: each case's original (content-addressed) and its case.json.
    Returns how many originals and JSON documents this run wrote."""
    originals = written = 0
    for n in range(cases):
        before_case(n)
        data = f"scan of case {n} ".encode() * 2000
        stored, created = store.put_original(data, f"case{n}/发票.jpg", "image/jpeg")
        originals += created
        written += store.put_json(f"cases/c{n}/case.json", {"case": n, "original": stored.key})
    return originals, written


def test_server_killed_mid_batch_rerun_completes_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    """GIVEN a batch of 24 cases being stored WHEN weed is SIGKILLed after 10 THEN the run fails with
    StorageUnavailable; after a restart on the same data dir the re-run completes, writes only what
    was missing, and the listing holds exactly 24 originals and 24 case files, byte for byte."""
    cases, bucket = 24, new_bucket_name()
    server = EmbeddedS3(tmp_path / "s3", ACCESS_KEY, SECRET_KEY).start()
    try:
        store = ObjectStore(server.endpoint, ACCESS_KEY, SECRET_KEY, bucket, timeout=5.0, retries=1)
        store.ensure_bucket()
        weed = server.pid
        assert weed is not None

        def kill_at_ten(n: int) -> None:
            if n == 10:
                os.kill(weed, signal.SIGKILL)

        with pytest.raises(StorageUnavailable):
            _store_batch(store, cases, kill_at_ten)
    finally:
        server.stop()
    with EmbeddedS3(tmp_path / "s3", ACCESS_KEY, SECRET_KEY) as again:
        store = ObjectStore(again.endpoint, ACCESS_KEY, SECRET_KEY, bucket)
        originals, written = _store_batch(store, cases)
        assert (originals, written) == (cases - 10, cases - 10)
        assert _store_batch(store, cases) == (0, 0)  # a third run writes nothing
        assert len(store.list_keys("originals/")) == cases
        assert store.list_keys("cases/") == sorted(f"cases/c{n}/case.json" for n in range(cases))
        for n in range(cases):
            record = store.get_json(f"cases/c{n}/case.json")
            assert store.get_bytes(record["original"]) == f"scan of case {n} ".encode() * 2000


CLI_LIKE = textwrap.dedent(
    """
    import subprocess, sys, time
    from interfaces.lifecycle import watch_over_children
    watch_over_children()
    time.sleep(0.5)
    helper = subprocess.Popen(["sh", "-c", "sleep 600 & echo $!; exec sleep 600"], stdout=subprocess.PIPE, text=True)
    print(helper.pid, helper.stdout.readline().strip(), flush=True)
    time.sleep(600)
    """
)


def test_helpers_started_by_a_killed_command_are_stopped_by_its_watchdog(tmp_path: Path) -> None:
    """GIVEN a command that started the watchdog and then helpers (a child and a grandchild, as
    Prefect's server and workers are) WHEN the command is SIGKILLed THEN both are gone within seconds."""
    command = subprocess.Popen(
        [sys.executable, "-c", CLI_LIKE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert command.stdout is not None
        helpers = [int(pid) for pid in command.stdout.readline().split()]
        time.sleep(1.5)  # the watchdog notes descendants once a second
        assert len(helpers) == 2 and all(_running(pid) for pid in helpers)
        os.kill(command.pid, signal.SIGKILL)
        command.wait()
        assert all(_wait_gone(pid, 15) for pid in helpers), "a helper outlived its command"
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
