"""Which S3 keys a process uses: the one place the CLI, the service and the workers ask.

- Keys given in the settings (INTAKE_S3_ACCESS_KEY / INTAKE_S3_SECRET_KEY) are used as they are.
- Otherwise, for the embedded server, a random pair is generated on first start into
  `<data_dir>/s3/credentials.json` (0600) and reused after, so no two installations share a key
  and no key lives in the code. A worker that reaches the embedded server by its endpoint reads
  the same file from the same data dir.
- In production, missing keys or a development default refuse to start (`StorageConfigError`,
  CLI exit status 2: a configuration error, not an unreachable store).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from intake.settings import Settings
from storage.private import PRIVATE_FILE, create_private, private_dir

# Keys that were fixed strings in the code or the docs before keys were generated: known to
# anyone who has read the source, so production refuses them.
DEVELOPMENT_ACCESS_KEYS = frozenset({"intake", "intake-test", "minioadmin", "admin"})
DEVELOPMENT_SECRET_KEYS = frozenset({"intake-local-secret", "minioadmin", "admin", "password"})


class StorageConfigError(Exception):
    """The storage configuration is refused. The message says what to set, never a secret."""


@dataclass(frozen=True)
class S3Credentials:
    access_key: str
    secret_key: str = field(repr=False)


def credentials_file(data_dir: Path) -> Path:
    """Where the embedded server's generated keys are kept (next to its data)."""
    return data_dir / "s3" / "credentials.json"


def generate() -> S3Credentials:
    """A fresh random pair (hex, so every S3 implementation accepts it): 80-bit id, 160-bit secret."""
    return S3Credentials(access_key="intake" + secrets.token_hex(10), secret_key=secrets.token_hex(20))


def load(path: Path) -> S3Credentials:
    """Read a key file; a file others could read is tightened to 0600 first."""
    if path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FILE)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return S3Credentials(access_key=str(raw["access_key"]), secret_key=str(raw["secret_key"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise StorageConfigError(f"对象存储密钥文件已损坏：{path}（请删除后重新启动以生成新密钥）") from exc


def load_or_create(path: Path) -> S3Credentials:
    """The data dir's keys, generated on first use. Two processes starting together get one pair."""
    if not path.exists():
        private_dir(path.parent)
        fresh = generate()
        body = json.dumps({"access_key": fresh.access_key, "secret_key": fresh.secret_key}, indent=2)
        if create_private(path, body.encode("utf-8")):
            return fresh
    return load(path)


def check_production(credentials: S3Credentials | None) -> None:
    """Production must be given its own keys: none given, or a key from the source, is refused."""
    if credentials is None:
        raise StorageConfigError(
            "生产环境必须配置对象存储密钥（INTAKE_S3_ACCESS_KEY 和 INTAKE_S3_SECRET_KEY），不能使用自动生成的开发密钥"
        )
    if credentials.access_key in DEVELOPMENT_ACCESS_KEYS or credentials.secret_key in DEVELOPMENT_SECRET_KEYS:
        raise StorageConfigError(
            "生产环境不能使用开发用的默认对象存储密钥，请更换 INTAKE_S3_ACCESS_KEY 和 INTAKE_S3_SECRET_KEY"
        )


def resolve(settings: Settings) -> S3Credentials:
    """The keys this process uses for the configured store (see the module docstring for the order)."""
    access = settings.s3_access_key or None
    secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
    if (access is None) != (secret is None):
        raise StorageConfigError("INTAKE_S3_ACCESS_KEY 和 INTAKE_S3_SECRET_KEY 必须同时配置")
    given = S3Credentials(access, secret) if access is not None and secret is not None else None
    if settings.environment == "production":
        check_production(given)
    if given is not None:
        return given
    path = credentials_file(settings.data_dir)
    if settings.s3_endpoint is None:
        return load_or_create(path)
    if path.exists():  # the embedded server of this data dir, reached by its endpoint (a worker)
        return load(path)
    raise StorageConfigError(
        f"已配置对象存储地址 {settings.s3_endpoint}，但没有配置密钥（INTAKE_S3_ACCESS_KEY、INTAKE_S3_SECRET_KEY）"
    )
