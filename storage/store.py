"""The object store through the minio SDK: MinIO in production, the embedded SeaweedFS locally.

Writes are idempotent: originals are keyed by their SHA-256 and written once; JSON is only
rewritten when its bytes change, so a re-run creates no new object and no new version.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from typing import Any
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import Tags
from minio.error import MinioException, S3Error
from pydantic import BaseModel

from intake.models import StoredOriginal
from intake.settings import Settings
from storage import layout
from storage.credentials import resolve


class StorageUnavailable(Exception):
    """The store cannot be reached or refused us. The message names the endpoint, never a secret."""


class ObjectStore:
    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=min(timeout, 5.0), read=timeout),
            retries=urllib3.Retry(total=retries, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
            maxsize=8,
        )
        self._client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
        )

    def __repr__(self) -> str:
        return f"ObjectStore(endpoint={self.endpoint!r}, bucket={self.bucket!r})"

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchBucket"):
                raise KeyError(f"{self.bucket}/{args[1] if len(args) > 1 else ''}") from exc
            raise StorageUnavailable(f"{self.endpoint}：{what} 失败（{exc.code}）") from exc
        except (urllib3.exceptions.HTTPError, MinioException, OSError) as exc:
            raise StorageUnavailable(f"{self.endpoint} 无法连接（{what}，{type(exc).__name__}）") from exc

    def list_buckets(self) -> list[str]:
        return [b.name for b in self._call("list_buckets", self._client.list_buckets)]

    def ensure_bucket(self) -> None:
        if not self._call("bucket_exists", self._client.bucket_exists, self.bucket):
            try:
                self._call("make_bucket", self._client.make_bucket, self.bucket)
            except StorageUnavailable:
                # Another worker may have created it between our two calls.
                if not self._call("bucket_exists", self._client.bucket_exists, self.bucket):
                    raise

    def exists(self, key: str) -> bool:
        try:
            self._call("stat", self._client.stat_object, self.bucket, key)
        except KeyError:
            return False
        return True

    def put_bytes(
        self,
        key: str,
        data: bytes,
        content_type: str,
        metadata: dict[str, str] | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        object_tags = None
        if tags:
            object_tags = Tags.new_object_tags()
            object_tags.update(tags)
        self._call(
            "put",
            self._client.put_object,
            self.bucket,
            key,
            io.BytesIO(data),
            len(data),
            content_type=content_type,
            metadata=metadata,
            tags=object_tags,
        )

    def put_original(self, data: bytes, source_name: str, content_type: str) -> tuple[StoredOriginal, bool]:
        """Stored byte-identical under its hash; a second put of the same bytes writes nothing."""
        sha256 = hashlib.sha256(data).hexdigest()
        key = layout.original_key(sha256)
        stored = StoredOriginal(source=source_name, sha256=sha256, key=key, size=len(data), content_type=content_type)
        if self.exists(key):
            return stored, False
        # S3 metadata is ASCII: the (often Chinese) file name travels percent-encoded.
        meta = {"source-name": quote(source_name.rsplit("/", 1)[-1]), "sha256": sha256}
        self.put_bytes(key, data, content_type, metadata=meta)
        return stored, True

    def put_json(
        self,
        key: str,
        value: BaseModel | dict[str, Any],
        metadata: dict[str, str] | None = None,
        tags: dict[str, str] | None = None,
    ) -> bool:
        """Written only when the content differs from what is stored. Returns whether it wrote."""
        if isinstance(value, BaseModel):
            text = value.model_dump_json(indent=2)
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        data = text.encode("utf-8")
        try:
            if self.get_bytes(key) == data:
                return False
        except KeyError:
            pass
        self.put_bytes(key, data, "application/json; charset=utf-8", metadata=metadata, tags=tags)
        return True

    def get_bytes(self, key: str) -> bytes:
        response = self._call("get", self._client.get_object, self.bucket, key)
        try:
            return bytes(response.read())
        finally:
            response.close()
            response.release_conn()

    def get_json(self, key: str) -> Any:
        return json.loads(self.get_bytes(key))

    def get_metadata(self, key: str) -> dict[str, str]:
        stat = self._call("stat", self._client.stat_object, self.bucket, key)
        meta = {
            k.lower().removeprefix("x-amz-meta-"): v
            for k, v in (stat.metadata or {}).items()
            if k.lower().startswith("x-amz-meta-")
        }
        if "source-name" in meta:
            meta["source-name"] = unquote(meta["source-name"])
        return meta

    def get_tags(self, key: str) -> dict[str, str]:
        tags = self._call("get_tags", self._client.get_object_tags, self.bucket, key)
        return dict(tags or {})

    def list_keys(self, prefix: str) -> list[str]:
        objects = self._call("list", self._client.list_objects, self.bucket, prefix=prefix, recursive=True)
        return sorted(str(o.object_name) for o in self._call("list", list, objects))


_stores: dict[tuple[str, str, str], ObjectStore] = {}
_lock = threading.Lock()


def store_for(settings: Settings) -> ObjectStore:
    """One client per endpoint and bucket per process (tasks share its connection pool)."""
    if not settings.s3_endpoint:
        raise StorageUnavailable("未配置对象存储（INTAKE_S3_ENDPOINT）")
    credentials = resolve(settings)
    key = (settings.s3_endpoint, settings.s3_bucket, credentials.access_key)
    with _lock:
        if key not in _stores:
            _stores[key] = ObjectStore(
                settings.s3_endpoint,
                credentials.access_key,
                credentials.secret_key,
                settings.s3_bucket,
                secure=settings.s3_secure,
                region=settings.s3_region,
            )
        return _stores[key]
