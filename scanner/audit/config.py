"""How the in-account audit is configured: Lambda environment variables, validated."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import InputError

ENV_PREFIX = "MLWARDEN_"


@dataclass(frozen=True, kw_only=True)
class AuditConfig:
    bucket: str                       # where reports go (SSE-KMS)
    kms_key: str                      # key for SSE-KMS on every object written
    regions: tuple[str, ...]          # regions a scheduled scan covers
    prefix: str = "mlwarden"          # key prefix in the bucket
    topic_arn: str | None = None      # SNS topic for new critical/high failures
    securityhub: bool = False         # import findings into Security Hub
    formats: tuple[str, ...] = ("json", "html", "sarif")
    endpoint_url: str | None = None   # an AWS-compatible endpoint (tests, LocalStack)
    function_name: str | None = None  # this function, for fanning a large scan out
    split_by_region: bool = True      # one invocation per region when >1 region
    # A large estate: one invocation per region and group of resource types (the model
    # registry, the rest of SageMaker, everything else), derived once when aggregated.
    # Always (split_by_type), or when a scheduled scan counts at least split_threshold
    # model packages, training jobs, endpoints and models (audit/split.py; 0: never).
    split_by_type: bool = False
    split_threshold: int = 1000
    notify_severities: tuple[str, ...] = ("critical", "high")

    @classmethod
    def from_env(cls, env: dict | None = None) -> "AuditConfig":
        env = os.environ if env is None else env

        def get(name, default=None):
            return env.get(ENV_PREFIX + name, default)

        missing = [n for n in ("BUCKET", "KMS_KEY") if not get(n)]
        if missing:
            raise InputError("audit configuration: missing environment variable(s) "
                             + ", ".join(ENV_PREFIX + m for m in missing))
        regions = tuple(r.strip() for r in (get("REGIONS") or env.get("AWS_REGION", "us-east-1")).split(",")
                        if r.strip())
        return cls(
            bucket=get("BUCKET"), kms_key=get("KMS_KEY"), regions=regions,
            prefix=(get("PREFIX") or "mlwarden").strip("/"),
            topic_arn=get("TOPIC_ARN") or None,
            securityhub=(get("SECURITYHUB", "false").lower() == "true"),
            formats=tuple(f for f in (get("FORMATS") or "json,html,sarif").split(",") if f),
            endpoint_url=get("ENDPOINT_URL") or None,
            function_name=get("FUNCTION_NAME") or env.get("AWS_LAMBDA_FUNCTION_NAME"),
            split_by_region=(get("SPLIT_BY_REGION", "true").lower() == "true"),
            split_by_type=(get("SPLIT_BY_TYPE", "false").lower() == "true"),
            split_threshold=_count(get("SPLIT_THRESHOLD", "1000"), ENV_PREFIX + "SPLIT_THRESHOLD"),
        )

    def to_env(self) -> dict[str, str]:
        env = {
            "MLWARDEN_BUCKET": self.bucket, "MLWARDEN_KMS_KEY": self.kms_key,
            "MLWARDEN_REGIONS": ",".join(self.regions), "MLWARDEN_PREFIX": self.prefix,
            "MLWARDEN_SECURITYHUB": "true" if self.securityhub else "false",
            "MLWARDEN_FORMATS": ",".join(self.formats),
            "MLWARDEN_SPLIT_BY_REGION": "true" if self.split_by_region else "false",
            "MLWARDEN_SPLIT_BY_TYPE": "true" if self.split_by_type else "false",
            "MLWARDEN_SPLIT_THRESHOLD": str(self.split_threshold),
        }
        if self.topic_arn:
            env["MLWARDEN_TOPIC_ARN"] = self.topic_arn
        if self.endpoint_url:
            env["MLWARDEN_ENDPOINT_URL"] = self.endpoint_url
        return env


def _count(value: str, name: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise InputError(f"audit configuration: {name} must be a whole number of resources, 0 or more "
                         f"(got {value!r})")
    return count
