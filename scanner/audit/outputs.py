"""Where an in-account audit leaves its results: S3 (SSE-KMS) under a date prefix,
a stable `latest/` copy, and SNS for new critical/high failures."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from ..aws.session import AwsContext
from ..evaluate import FindingsDocument
from ..inventory import Inventory, inventory_tags
from ..model import Status
from .config import AuditConfig

CONTENT_TYPES = {".json": "application/json", ".html": "text/html; charset=utf-8",
                 ".sarif": "application/sarif+json", ".xml": "application/xml", ".csv": "text/csv"}


def run_prefix(cfg: AuditConfig, when: dt.datetime, kind: str) -> str:
    return f"{cfg.prefix}/{when:%Y/%m/%d}/{when:%H%M%S}-{kind}"


def put(writer: AwsContext, cfg: AuditConfig, key: str, body: bytes, region: str) -> None:
    ext = Path(key).suffix
    writer.client("s3", region).put_object(
        Bucket=cfg.bucket, Key=key, Body=body,
        ContentType=CONTENT_TYPES.get(ext, "application/octet-stream"),
        ServerSideEncryption="aws:kms", SSEKMSKeyId=cfg.kms_key)


def previous_findings(writer: AwsContext, cfg: AuditConfig, region: str) -> FindingsDocument | None:
    """The last full scan's findings (latest/findings.json), to tell what is new."""
    s3 = writer.client("s3", region)
    try:
        body = s3.get_object(Bucket=cfg.bucket, Key=f"{cfg.prefix}/latest/findings.json")["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        Path(tmp.name).write_bytes(body)
        return FindingsDocument.load(Path(tmp.name))


def write_outputs(writer: AwsContext, cfg: AuditConfig, doc: FindingsDocument, *, kind: str,
                  region: str, inventory: Inventory | None = None, update_latest: bool = True,
                  when: dt.datetime | None = None) -> dict:
    """Render the configured formats and upload them; returns what was written."""
    from mlwarden.reports.base import RenderContext
    from mlwarden.reports.write import write_reports

    when = when or dt.datetime.now(dt.timezone.utc)
    prefix = run_prefix(cfg, when, kind)
    previous = previous_findings(writer, cfg, region) if update_latest else None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if inventory is not None:
            # written a resource at a time, and the reports given only the tags they show:
            # no dict copy of the inventory (as `mlwarden scan` writes, run.py)
            inventory.save(out / "inventory.json", compact=True)
        written = write_reports(doc, list(cfg.formats), RenderContext(
            out_dir=out, previous=previous, inventory=None if inventory is None else inventory_tags(inventory)))
        keys = []
        for path in sorted(out.iterdir()):
            key = f"{prefix}/{path.name}"
            put(writer, cfg, key, path.read_bytes(), region)
            keys.append(key)
            if update_latest and path.name in ("findings.json", "report.html", "manifest.json"):
                put(writer, cfg, f"{cfg.prefix}/latest/{path.name}", path.read_bytes(), region)
    run = {"prefix": prefix, "kind": kind, "finished": when.isoformat(timespec="seconds"),
           "keys": keys, "counts": _counts(doc), "formats": sorted(written)}
    if update_latest:
        put(writer, cfg, f"{cfg.prefix}/latest/run.json", json.dumps(run).encode(), region)
    new_failures = new_failures_since(doc, previous, cfg.notify_severities)
    if cfg.topic_arn and new_failures:
        publish(writer, cfg, new_failures, prefix, region)
    run["new_failures"] = len(new_failures)
    return run


def _counts(doc: FindingsDocument) -> dict:
    counts: dict[str, int] = {}
    for f in doc.findings:
        counts[f.status.value] = counts.get(f.status.value, 0) + 1
    return counts


def _fail_key(f) -> tuple:
    return (f.policy_id, f.resource.get("arn") or f.resource.get("id"))


def new_failures_since(doc: FindingsDocument, previous: FindingsDocument | None,
                       severities: tuple[str, ...]) -> list:
    before = {_fail_key(f) for f in previous.findings if f.status == Status.FAIL} if previous else set()
    return [f for f in doc.findings
            if f.status == Status.FAIL and f.severity.value in severities and _fail_key(f) not in before]


def publish(writer: AwsContext, cfg: AuditConfig, failures: list, prefix: str, region: str) -> None:
    lines = [f"mlwarden: {len(failures)} new critical/high failure(s). Reports: s3://{cfg.bucket}/{prefix}/", ""]
    for f in failures[:50]:
        lines.append(f"[{f.severity.value.upper()}] {f.policy_id} {f.resource.get('arn') or f.resource.get('id')}: "
                     f"{f.message}")
    if len(failures) > 50:
        lines.append(f"… and {len(failures) - 50} more")
    topic_region = cfg.topic_arn.split(":")[3] or region
    writer.client("sns", topic_region).publish(
        TopicArn=cfg.topic_arn, Subject=f"mlwarden: {len(failures)} new failure(s)"[:100],
        Message="\n".join(lines))
