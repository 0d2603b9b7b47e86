"""The baseline constraints a data-quality monitor compares live traffic with.

Model Monitor's baselining job writes `constraints.json` to S3; the monitoring schedule
(or its data-quality job definition) names it in BaselineConfig.ConstraintsResource.
Its `monitoring_config` decides what a monitoring run does: whether constraints are
evaluated (`evaluate_constraints`), whether CloudWatch metrics are emitted at all
(`emit_metrics`: without them no alarm can fire), and when a feature's distribution
counts as drifted (`distribution_constraints`: `perform_comparison`,
`comparison_threshold`, the distance above which a violation is reported; Model Monitor
uses 0.1 when it is absent). The file is read with one GetObject (at most 1 MiB; one
read per URL per scan) into `facts.baseline_constraints`; a read that fails, a larger
file or one that is not JSON leaves the `baseline_constraints` facet missing, naming the
call, so what is judged from it is NOT_ASSESSED, never guessed.
"""
from __future__ import annotations

import json
import threading

from ..aws.readonly import WriteRefused
from ..facets import Facet
from ..model import FacetStatus
from .base import Scope, error_code
from .sagemaker_common import bucket_of, s3_key_of

FACET = Facet(name="baseline_constraints", operations=("s3:GetObject",),
              paths=("resource.facts.baseline_constraints",),
              description="the monitoring_config of the baseline's constraints.json (s3:GetObject)")
MAX_BYTES = 1024 * 1024
_LOCK = threading.Lock()


def constraints_uri(baseline: object) -> str | None:
    resource = baseline.get("ConstraintsResource") if isinstance(baseline, dict) else None
    uri = resource.get("S3Uri") if isinstance(resource, dict) else None
    return uri if isinstance(uri, str) and uri else None


def read_constraints(scope: Scope, uri: str | None, facets: dict[str, FacetStatus]) -> dict | None:
    """The constraints' monitoring_config (with `uri`), or None with the facet marked failed."""
    if uri is None:
        return None
    state = scope.aws.scan_state
    with _LOCK:
        cached = state.setdefault("baseline_constraints", {}).get(uri)
    result = cached if cached is not None else _read(scope, uri)
    with _LOCK:
        state["baseline_constraints"][uri] = result
    if "failure" in result:
        facets["baseline_constraints"] = FacetStatus.failed(*result["failure"])
        return None
    return result["config"]


def _read(scope: Scope, uri: str) -> dict:
    bucket, key = bucket_of(uri), s3_key_of(uri)
    if not uri.startswith("s3://") or not bucket or not key:
        return {"failure": ("s3:GetObject", "NotRead", f"{uri}: not an s3://bucket/key URL")}
    try:
        answer = scope.client("s3").get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{MAX_BYTES}")
        body = answer["Body"].read(MAX_BYTES + 1)
    except WriteRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the read is this facet's gap
        return {"failure": ("s3:GetObject", error_code(exc), f"{uri}: {str(exc).splitlines()[0] if str(exc) else ''}")}
    if len(body) > MAX_BYTES:
        return {"failure": ("s3:GetObject", "ReadLimit", f"{uri}: larger than {MAX_BYTES} bytes; not read")}
    try:
        doc = json.loads(body)
    except ValueError as exc:
        return {"failure": ("s3:GetObject", "Unreadable", f"{uri}: not JSON ({exc})")}
    config = doc.get("monitoring_config") if isinstance(doc, dict) else None
    config = config if isinstance(config, dict) else {}
    dist = config.get("distribution_constraints") if isinstance(config.get("distribution_constraints"), dict) else {}
    keep = ("perform_comparison", "comparison_threshold", "comparison_method", "categorical_comparison_threshold",
            "categorical_drift_method")
    return {"config": {"uri": uri, **{k: config[k] for k in ("evaluate_constraints", "emit_metrics") if k in config},
                       "distribution_constraints": {k: dist[k] for k in keep if k in dist}}}
