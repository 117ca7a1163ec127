"""Keep the embedded server's ports off the machine's network: a private network namespace.

`weed mini` opens nine TCP ports and cannot bind them separately. JWT and mutual TLS lock the filer,
volume and gRPC ports, but the master's HTTP port has no authentication at all: anyone on the
machine could ask it to delete a bucket's volumes (`/col/delete`) or write blobs (`/submit`)
(measured on weed 4.48, SECURITY.md). So weed runs in a network namespace of its own, where only
it lives, and the only way in is its S3 socket, a unix socket in the server's private run dir,
which `UnixRelay` offers on one loopback TCP port: the S3 port, guarded by the S3 keys.

Root creates the namespace directly; another user through a user namespace of its own, where the
kernel allows unprivileged ones. Where neither works the server runs as before, on loopback, and
says so (`EmbeddedS3.isolated`).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
import subprocess
import threading
from contextlib import suppress
from functools import cache
from pathlib import Path

CLONE_NEWUSER = 0x10000000  # <linux/sched.h>
CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS = 0x8913  # <linux/sockios.h>
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def enter_private_network(libc: ctypes.CDLL) -> None:
    """In a child between fork and exec: a new network namespace with its loopback up.

    `libc` is loaded by the parent (no dlopen after fork). Raises OSError when the kernel refuses."""
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if libc.unshare(flags) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        current = struct.unpack("16sH", fcntl.ioctl(sock, SIOCGIFFLAGS, request)[:18])[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", current | IFF_UP, b""))


@cache
def private_network_available() -> bool:
    """Whether this process may give a child a network namespace of its own (tried once, on `true`)."""
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        subprocess.run(["true"], preexec_fn=lambda: enter_private_network(libc), check=True, timeout=10)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


class UnixRelay:
    """A loopback TCP port whose connections are passed, byte for byte, to a unix socket.

    The S3 client signs its requests for this host:port and the relay changes nothing, so the
    server checks the same signature it would see directly. One thread per direction of each
    connection: the SDK keeps a few connections open and reuses them."""

    def __init__(self, target: Path) -> None:
        self._target = str(target)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, name="s3-relay", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._connect, args=(client,), name="s3-relay-conn", daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(self._target)
        except OSError:
            client.close()
            upstream.close()
            return
        with self._lock:
            self._open.update((client, upstream))
        back = threading.Thread(target=self._pump, args=(upstream, client), name="s3-relay-back", daemon=True)
        back.start()
        self._pump(client, upstream)
        back.join()
        with self._lock:
            self._open.difference_update((client, upstream))
        client.close()
        upstream.close()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(262144):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        with self._lock:
            for conn in self._open:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
