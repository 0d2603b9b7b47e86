"""How large the model artefacts a model or a model package points at are.

An endpoint has to download its model data before it can serve, so a large artefact
needs longer start-up timeouts (MLW-MON-011). The size is S3's ContentLength from
HeadObject (no bytes are read), once per URL per scan: many packages and models
share an artefact, and the same HeadObject answer (asked with ChecksumMode, so it
carries the stored SHA-256) serves the model package's digest check
(sagemaker_registry.py): one read per artefact URL. What could not be sized is the resource's `artifact_size` facet
missing, naming the call, so the policies that need it are NOT_ASSESSED, never
judged on a guess:

- a HeadObject that failed (access denied, throttled, …);
- an artefact that does not exist (404): there is nothing to size, and the endpoint
  would not start either, which other policies report;
- model data under an S3 prefix (`ModelDataSource` with `S3DataType: S3Prefix`,
  uncompressed): its size is the sum of the prefix's objects, which is not listed.
"""
from __future__ import annotations

import threading

from botocore.exceptions import ClientError

from ..aws import calls
from ..aws.readonly import WriteRefused
from ..aws.session import run_bounded
from ..facets import Facet
from ..model import FacetStatus
from .base import Scope, error_code
from .sagemaker_common import bucket_of, s3_key_of

FACET = Facet(name="artifact_size", operations=("s3:HeadObject",),
              paths=("resource.facts.artifact_bytes",),
              description="the size of each container's model data in S3 (HeadObject ContentLength)")

_LOCK = threading.Lock()


def container_data(container: dict) -> tuple[str | None, str | None]:
    """(s3 URL of one object, None), or (None, why it cannot be sized), or (None, None)
    for a container without model data."""
    if container.get("ModelDataUrl"):
        return container["ModelDataUrl"], None
    source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
    if not source.get("S3Uri"):
        return None, None
    if source.get("S3DataType", "S3Object") == "S3Object":
        return source["S3Uri"], None
    return None, (f"{source['S3Uri']}: uncompressed model data under an S3 prefix; "
                  "the size of its objects is not listed")


def artifact_bytes(scope: Scope, containers: list[dict], facets: dict[str, FacetStatus]) -> dict[str, int]:
    """Size of every container's model data, by URL. Anything not sized marks the
    `artifact_size` facet missing (the first reason wins) and is left out."""
    sizes: dict[str, int] = {}
    for container in containers:
        url, why = container_data(container)
        if why:
            facets.setdefault("artifact_size", FacetStatus.failed("s3:ListObjectsV2", "NotRead", why))
            continue
        if not url:
            continue
        result = _once(scope, url)
        if "bytes" in result:
            sizes[url] = result["bytes"]
        else:
            facets.setdefault("artifact_size", FacetStatus.failed(*result["failure"]))
    return sizes


def _once(scope: Scope, url: str) -> dict:
    bucket, key = bucket_of(url), s3_key_of(url)
    if not bucket or not key or not url.startswith("s3://"):
        return {"failure": ("s3:HeadObject", "NotRead", f"{url}: not an s3://bucket/key URL")}
    try:
        return {"bytes": int(head_once(scope, url)["ContentLength"])}
    except ClientError as exc:
        return {"failure": ("s3:HeadObject", error_code(exc), f"{url}: {str(exc).splitlines()[0]}")}
    except WriteRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a hung or reset read is this facet's gap
        return {"failure": ("s3:HeadObject", error_code(exc), f"{url}: {type(exc).__name__}: {exc}")}


def prefetch_heads(scope: Scope, containers: list[dict]) -> None:
    """HeadObject of every container's model data (each URL once), `artefact_workers`
    at a time, before the items that need them are read: a type read in list order
    (model packages: the byte budget is first come, first served) would otherwise make
    them one after the other. Each answer or failure waits in the scan's cache for the
    item that asks (`head_once`), which records it in its own terms."""
    urls = []
    for container in containers:
        url, _ = container_data(container)
        if url and url.startswith("s3://") and bucket_of(url) and s3_key_of(url):
            urls.append(url)
    heads = scope.aws.scan_state.get("artefact_heads", {})
    urls = [u for u in dict.fromkeys(urls) if "answer" not in heads.get(u, {})]

    def head(url: str) -> None:
        try:
            head_once(scope, url)
        except WriteRefused:
            raise
        except Exception:  # noqa: BLE001 - remembered by head_once for the item that asks
            pass
    read = calls.on_this_collector(head)
    run_bounded([lambda url=url: read(url) for url in urls], scope.aws.options.artefact_workers)


class MalformedAnswer(Exception):
    """A 200 answer that is not S3's: a HEAD has no body for botocore to reject, so an
    HTML page or an empty answer from something between the scan and S3 (a proxy, a
    captive portal) would otherwise read as an object of its own Content-Length."""


def _check_head(answer: dict, url: str) -> None:
    # S3 answers every HeadObject of an object with its ETag and Content-Length
    # (HeadObject, Amazon S3 API Reference); without them the size is not read.
    lacking = [k for k in ("ETag", "ContentLength") if answer.get(k) is None]
    if lacking:
        raise MalformedAnswer(f"the HeadObject answer lacks {', '.join(lacking)}: not an S3 answer")


def head_once(scope: Scope, url: str) -> dict:
    """HeadObject of an s3://bucket/key URL with ChecksumMode=ENABLED, once per scan
    (shared by every thread and account of it); a failed read is remembered and raised
    again to each caller, which records it in its own terms."""
    state = scope.aws.scan_state
    with _LOCK:
        heads = state.setdefault("artefact_heads", {})
        entry = heads.setdefault(url, {"lock": threading.Lock()})
    with entry["lock"]:   # a second reader of the URL waits for the first read
        if "answer" not in entry:
            try:
                answer = scope.client("s3").head_object(
                    Bucket=bucket_of(url), Key=s3_key_of(url), ChecksumMode="ENABLED")
                _check_head(answer, url)
                entry["answer"] = (True, answer)
            except WriteRefused:
                raise
            except Exception as exc:  # noqa: BLE001 - re-raised to every reader below
                entry["answer"] = (False, exc)
        ok, answer = entry["answer"]
    if not ok:
        raise answer
    return answer
