"""The Lambda entry point of the in-account audit: `mlwarden.audit.handler.handler`.

It answers three kinds of event:
- a scheduled EventBridge event: a full scan of the configured regions. With more
  than one region the scan is split into one invocation per region (each writes its
  part to S3; the last part to arrive claims the aggregation with a conditional put
  and writes one report), so no single invocation has to outlast Lambda's 15 minutes;
- an EventBridge event carrying a CloudTrail record of a SageMaker, S3, IAM, KMS or
  EC2 API call: only the touched resource and what it relates to are scanned;
- a manual invocation: {"mlwarden": {"action": "scan", "regions": [...], "types": [...]}}.

The scan itself runs through read-only clients; only the writer (S3, SNS, Lambda
invoke for fan-out, Security Hub) may write, and only to the audit's own outputs.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
import uuid
from pathlib import Path

from ..aws.session import AwsContext, AwsOptions
from ..inventory import Inventory
from ..permissions import scan_options
from ..pipeline import Accounts, EvalOptions, LiveAccount, Parts, TargetedLive, gather, run_scan
from .config import AuditConfig
from .events import UnsupportedEvent, touched_resource
from .outputs import write_outputs
from .split import split_by_type

log = logging.getLogger("mlwarden.audit")


def handler(event: dict, context=None, *, config: AuditConfig | None = None) -> dict:
    cfg = config or AuditConfig.from_env()
    reader = AwsContext(options=scan_options(endpoint_url=cfg.endpoint_url))
    writer = AwsContext(options=AwsOptions(endpoint_url=cfg.endpoint_url, read_only=False))
    kind = classify(event)
    log.info("mlwarden audit: %s event", kind)
    if kind == "cloudtrail":
        return _event_scan(event, cfg, reader, writer)
    if kind == "part":
        return _part(event["mlwarden"], cfg, reader, writer)
    if kind == "org-item":
        return _org_item(event["mlwarden"], cfg, reader, writer)
    if kind == "org-aggregate":
        opts = event["mlwarden"]
        return _aggregate(cfg, writer, opts["run_id"], list(opts["regions"]),
                          derive_all=opts.get("derive") == "aggregate")
    opts = event.get("mlwarden") or {} if kind == "manual" else {}
    regions = tuple(opts.get("regions") or cfg.regions)
    types = opts.get("types")
    if kind == "scheduled" and cfg.function_name:
        by_type = split_by_type(cfg.split_by_type, cfg.split_threshold, reader, regions)
        if by_type or (cfg.split_by_region and len(regions) > 1):
            return _fan_out(cfg, writer, regions, by_type=by_type)
    result = run_scan(LiveAccount(aws=reader, regions=regions, types=types), EvalOptions(workers=1))
    inv, doc = result.inventory, result.findings
    run = write_outputs(writer, cfg, doc, kind=kind, region=regions[0], inventory=inv)
    _after(cfg, writer, doc, regions[0])
    return {"status": "scanned", "kind": kind, **run}


def classify(event: dict) -> str:
    if isinstance(event.get("mlwarden"), dict):
        action = event["mlwarden"].get("action")
        return action if action in ("part", "org-item", "org-aggregate") else "manual"
    if event.get("detail-type") == "Scheduled Event":
        return "scheduled"
    if event.get("detail-type") == "AWS API Call via CloudTrail":
        return "cloudtrail"
    return "manual"


def _event_scan(event: dict, cfg: AuditConfig, reader: AwsContext, writer: AwsContext) -> dict:
    try:
        touched = touched_resource(event)
    except UnsupportedEvent as exc:
        return {"status": "ignored", "reason": str(exc)}
    result = run_scan(TargetedLive(aws=reader, resource_type=touched.resource_type,
                                   identifier=touched.identifier, region=touched.region),
                      EvalOptions(workers=1),
                      scan_meta={"trigger": {"event": touched.event_name,
                                             "resource_type": touched.resource_type,
                                             "identifier": touched.identifier}})
    inv, doc = result.inventory, result.findings
    run = write_outputs(writer, cfg, doc, kind=f"event-{touched.event_name}", region=touched.region,
                        inventory=inv, update_latest=False)
    _after(cfg, writer, doc, touched.region)
    return {"status": "scanned", "kind": "cloudtrail", "resources": len(inv.resources), **run}


def plan_parts(regions: tuple[str, ...], run_id: str, type_groups: list[list[str]] | None = None) -> list[dict]:
    """One invocation per region; each knows how many parts make the whole run. Global
    types (IAM, S3) are read in the first region's part only (once, not once per region).

    With `type_groups`, one per region and group. Such a part reads only its types and
    derives nothing: a derived fact (which VPCs host ML work, usage against quotas, the
    package an endpoint serves) needs every type, so the aggregation derives once over
    all parts."""
    from ..collectors.base import registry
    specs = registry()
    if not type_groups:
        regional = [t for t, spec in specs.items() if not spec.global_service]
        return [{"mlwarden": {"action": "part", "run_id": run_id, "region": r, "regions": list(regions),
                              "parts": len(regions), **({} if r == regions[0] else {"types": regional})}}
                for r in regions]
    plan = [(r, i, [t for t in group if r == regions[0] or not specs[t].global_service])
            for r in regions for i, group in enumerate(type_groups)]
    plan = [(r, i, types) for r, i, types in plan if types]
    return [{"mlwarden": {"action": "part", "run_id": run_id, "region": r, "regions": list(regions),
                          "parts": len(plan), "name": f"{r}-types{i}", "types": types, "derive": "aggregate"}}
            for r, i, types in plan]


def type_groups() -> list[list[str]]:
    """The model registry (in a large ML estate, most resources and most reads), the
    rest of SageMaker, and everything else (IAM, S3, KMS, VPC, Signer, quotas)."""
    from ..collectors.base import registry
    types = sorted(registry())
    registry_types = [t for t in types if t.startswith("AWS::SageMaker::ModelPackage")]
    sagemaker = [t for t in types if "::SageMaker::" in t and t not in registry_types]
    return [registry_types, sagemaker, [t for t in types if t not in registry_types + sagemaker]]


def _fan_out(cfg: AuditConfig, writer: AwsContext, regions: tuple[str, ...], *, by_type: bool) -> dict:
    run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    lam = writer.client("lambda", regions[0])
    parts = plan_parts(regions, run_id, type_groups() if by_type else None)
    for part in parts:
        lam.invoke(FunctionName=cfg.function_name, InvocationType="Event",
                   Payload=json.dumps(part).encode())
    return {"status": "fanned-out", "run_id": run_id, "parts": len(parts), "by_type": by_type}


def _part(opts: dict, cfg: AuditConfig, reader: AwsContext, writer: AwsContext) -> dict:
    """One region of a fanned-out scheduled scan; the last part in aggregates."""
    run_id, region, total = opts["run_id"], opts["region"], int(opts["parts"])
    regions = list(opts["regions"])
    deferred = opts.get("derive") == "aggregate"
    # Global types (IAM roles, S3 buckets) are read by the first region's part only.
    inv = gather(LiveAccount(aws=reader, regions=[region], types=opts.get("types"), derived=not deferred,
                             global_types=region == regions[0]))
    done = _write_part(cfg, writer, run_id, opts.get("name", region), regions[0], inv)
    if done < total:
        return {"status": "part-written", "run_id": run_id, "region": region, "parts_done": done}
    if not _claim_aggregation(cfg, writer, run_id, regions[0], region):
        return {"status": "part-written", "run_id": run_id, "region": region, "aggregated_by": "other"}
    return _aggregate(cfg, writer, run_id, regions, derive_all=deferred)


def _org_item(opts: dict, cfg: AuditConfig, reader: AwsContext, writer: AwsContext) -> dict:
    """One account × region item of the Step Functions organisation scan, or, with
    "group", one account × region × type group (derived when aggregated; global types
    read in the first region's item only)."""
    account, region, run_id = opts["account"], opts["region"], opts["run_id"]
    name, types, derived = f"{account}-{region}", None, True
    if opts.get("group") is not None:
        regions = list(opts.get("regions") or [region])
        types = org_item_types(int(opts["group"]), region, regions)
        if not types:
            return {"status": "empty", "run_id": run_id, "account": account, "region": region}
        name, derived = f"{name}-types{opts['group']}", False
    inv = gather(Accounts(options=reader.options, regions=[region], accounts=[account], types=types,
                          role_name=opts["role_name"], max_accounts_in_parallel=1, derived=derived))
    _write_part(cfg, writer, run_id, name, region, inv)
    return {"status": "part-written", "run_id": run_id, "account": account, "region": region,
            "resources": len(inv.resources), "gaps": len(inv.gaps)}


def org_item_types(group: int, region: str, regions: list[str]) -> list[str]:
    """The types of one Step Functions item split by type: the group's, less the global
    ones outside the first region (IAM, S3: read once per account)."""
    from ..collectors.base import registry
    specs = registry()
    groups = type_groups()
    if not 0 <= group < len(groups):
        raise ValueError(f"org-item: no type group {group} (there are {len(groups)})")
    return [t for t in groups[group] if region == regions[0] or not specs[t].global_service]


def _parts_prefix(cfg: AuditConfig, run_id: str) -> str:
    return f"{cfg.prefix}/runs/{run_id}/parts/"


def _write_part(cfg: AuditConfig, writer: AwsContext, run_id: str, name: str, region: str,
                inv: Inventory) -> int:
    """Store one part's inventory; return how many parts the run now has."""
    s3 = writer.client("s3", region)
    with tempfile.TemporaryDirectory() as tmp:
        # written a resource at a time and uploaded from the file: no dict copy of the
        # part's inventory, nor its whole text, in memory
        path = Path(tmp) / "part.json"
        inv.save(path, compact=True)
        with path.open("rb") as body:
            s3.put_object(Bucket=cfg.bucket, Key=f"{_parts_prefix(cfg, run_id)}{name}.json", Body=body,
                          ServerSideEncryption="aws:kms", SSEKMSKeyId=cfg.kms_key)
    return len(_part_keys(cfg, writer, run_id, region))


def _part_keys(cfg: AuditConfig, writer: AwsContext, run_id: str, region: str) -> list[str]:
    s3 = writer.client("s3", region)
    return sorted(o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=cfg.bucket, Prefix=_parts_prefix(cfg, run_id)) for o in page.get("Contents", []))


def _claim_aggregation(cfg: AuditConfig, writer: AwsContext, run_id: str, region: str, by: str) -> bool:
    """Exactly one invocation aggregates: S3 conditional create of a lock object."""
    s3 = writer.client("s3", region)
    try:
        s3.put_object(Bucket=cfg.bucket, Key=f"{cfg.prefix}/runs/{run_id}/aggregate.lock", Body=by.encode(),
                      IfNoneMatch="*", ServerSideEncryption="aws:kms", SSEKMSKeyId=cfg.kms_key)
        return True
    except s3.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] in ("PreconditionFailed", "ConditionalRequestConflict"):
            return False
        raise


def _aggregate(cfg: AuditConfig, writer: AwsContext, run_id: str, regions: list[str], *,
               derive_all: bool = False) -> dict:
    home = regions[0]
    s3 = writer.client("s3", home)
    parts = [Inventory.from_dict(json.loads(s3.get_object(Bucket=cfg.bucket, Key=key)["Body"].read()),
                                 where=f"s3://{cfg.bucket}/{key}")
             for key in _part_keys(cfg, writer, run_id, home)]
    # An endpoint of one part may serve a model package that another part read, a
    # schedule may name a job definition there, and a bucket or role (read by the first
    # region's part) may be used by another region's resources: the merge links them.
    # Parts split by type derived nothing: then everything is derived once, over every type.
    result = run_scan(Parts(parts=parts, regions=regions, derive_all=derive_all), EvalOptions(workers=1),
                      scan_meta={"run_id": run_id})
    merged, doc = result.inventory, result.findings
    run = write_outputs(writer, cfg, doc, kind="scheduled", region=home, inventory=merged)
    _after(cfg, writer, doc, home)
    return {"status": "aggregated", "run_id": run_id, **run}


def _after(cfg: AuditConfig, writer: AwsContext, doc, region: str) -> None:
    """Optional follow-ups: Security Hub import."""
    if cfg.securityhub:
        from .securityhub import import_to_securityhub
        import_to_securityhub(doc, writer, region)
