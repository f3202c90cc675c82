"""S3 adapter: objects in one bucket, and presigned browser uploads into it.

Callers never see botocore errors: missing objects become ``NotFound``, throttling and outages
``ServiceUnavailable``; anything else is a bug or a misconfiguration and is re-raised as is.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from repaircore.errors import InvalidInput, NotFound, PayloadTooLarge, ServiceUnavailable

logger = logging.getLogger(__name__)

_MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchVersion"}
_TRANSIENT = {
    "SlowDown",
    "ServiceUnavailable",
    "InternalError",
    "RequestTimeout",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "503",
    "500",
}


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    etag: str
    metadata: Mapping[str, str]
    last_modified: datetime | None = None


@dataclass(frozen=True)
class StoredObject:
    info: ObjectInfo
    body: bytes


@dataclass(frozen=True)
class PresignedPost:
    """What a browser needs to upload one file straight to S3."""

    url: str
    fields: Mapping[str, str]
    key: str
    expires_at: datetime
    max_bytes: int


def translate_client_error(exc: ClientError, what: str) -> Exception:
    """Map an S3/DynamoDB ``ClientError`` to a shared error, or return it unchanged."""
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code in _MISSING:
        return NotFound(f"{what} not found")
    if code in _TRANSIENT:
        return ServiceUnavailable(f"storage is busy ({code}); try again shortly")
    unknown: Exception = exc
    return unknown


class ObjectStore:
    """One bucket. ``client`` is a boto3 S3 client (see ``repaircore.clients``)."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put(
        self,
        key: str,
        body: bytes,
        *,
        content_type: str,
        metadata: Mapping[str, str] | None = None,
        cache_control: str | None = None,
    ) -> ObjectInfo:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": body,
            "ContentType": content_type,
            "Metadata": dict(metadata or {}),
        }
        if cache_control:
            params["CacheControl"] = cache_control
        response = self._call("put_object", key, **params)
        return ObjectInfo(
            key=key,
            size=len(body),
            content_type=content_type,
            etag=str(response.get("ETag", "")).strip('"'),
            metadata=dict(metadata or {}),
        )

    def head(self, key: str) -> ObjectInfo:
        response = self._call("head_object", key, Bucket=self.bucket, Key=key)
        return _info(key, response)

    def get(self, key: str, *, max_bytes: int | None = None) -> StoredObject:
        """Read an object; refuse (``PayloadTooLarge``) before reading more than ``max_bytes``."""
        response = self._call("get_object", key, Bucket=self.bucket, Key=key)
        info = _info(key, response)
        stream = response["Body"]
        try:
            if max_bytes is not None and info.size > max_bytes:
                raise PayloadTooLarge(
                    f"object is {info.size} bytes; the limit is {max_bytes}", code="ImageTooLarge"
                )
            # Read one byte past the limit: a lying Content-Length cannot smuggle a bigger body.
            body = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        except (BotoCoreError, OSError) as exc:
            raise ServiceUnavailable("reading from storage failed; try again shortly") from exc
        finally:
            stream.close()
        if max_bytes is not None and len(body) > max_bytes:
            raise PayloadTooLarge(
                f"object is over the {max_bytes}-byte limit", code="ImageTooLarge"
            )
        return StoredObject(info=info, body=body)

    def delete(self, key: str) -> None:
        """Delete an object; deleting a missing key is not an error (S3 semantics)."""
        self._call("delete_object", key, Bucket=self.bucket, Key=key)

    def presigned_post(
        self,
        key: str,
        *,
        content_type: str,
        allowed_content_types: Sequence[str],
        min_bytes: int = 1,
        max_bytes: int,
        expires_in_seconds: int = 300,
        now: datetime | None = None,
    ) -> PresignedPost:
        """A POST policy that admits exactly one object: this key, this type, this size range.

        The storage service enforces the policy on AWS; the local emulator does not, so readers
        must re-check size and type after upload (``get(max_bytes=...)``, magic bytes).
        """
        if content_type not in allowed_content_types:
            raise InvalidInput(
                f"contentType must be one of {', '.join(allowed_content_types)}",
                code="UnsupportedImageType",
            )
        if not 1 <= expires_in_seconds <= 3600:
            raise ValueError("presigned uploads expire within an hour")
        conditions: list[Any] = [
            {"bucket": self.bucket},
            {"key": key},
            {"Content-Type": content_type},
            ["content-length-range", min_bytes, max_bytes],
        ]
        issued = now or datetime.now(UTC)
        try:
            signed = self._client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=conditions,
                ExpiresIn=expires_in_seconds,
            )
        except BotoCoreError as exc:  # e.g. no credentials in the environment
            raise ServiceUnavailable("cannot sign uploads right now") from exc
        return PresignedPost(
            url=signed["url"],
            fields=dict(signed["fields"]),
            key=key,
            expires_at=issued + timedelta(seconds=expires_in_seconds),
            max_bytes=max_bytes,
        )

    def presigned_get(
        self, key: str, *, expires_in_seconds: int = 300, now: datetime | None = None
    ) -> tuple[str, datetime]:
        """A short-lived link that reads one object, and when it stops working.

        Signing is local (no call to S3): check the object exists first (``head``).
        """
        if not 1 <= expires_in_seconds <= 3600:
            raise ValueError("presigned reads expire within an hour")
        issued = now or datetime.now(UTC)
        try:
            url = self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": key},
                ExpiresIn=expires_in_seconds,
            )
        except BotoCoreError as exc:  # e.g. no credentials in the environment
            raise ServiceUnavailable("cannot sign links right now") from exc
        return str(url), issued + timedelta(seconds=expires_in_seconds)

    def _call(self, operation: str, key: str, **params: Any) -> Any:
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as exc:
            raise translate_client_error(exc, f"object {key!r}") from exc
        except BotoCoreError as exc:  # connection errors, timeouts after retries
            logger.warning("s3 %s failed: %s", operation, type(exc).__name__)
            raise ServiceUnavailable("storage is unreachable; try again shortly") from exc


def _info(key: str, response: Mapping[str, Any]) -> ObjectInfo:
    return ObjectInfo(
        key=key,
        size=int(response.get("ContentLength", 0)),
        content_type=str(response.get("ContentType", "")),
        etag=str(response.get("ETag", "")).strip('"'),
        metadata=dict(response.get("Metadata", {})),
        last_modified=response.get("LastModified"),
    )
