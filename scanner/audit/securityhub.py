"""Import findings into AWS Security Hub (BatchImportFindings, 100 per call).

A sink, not a renderer: it sends the ASFF that reports/asff.py renders to the account
(`mlwarden securityhub import`, and the audit when its config says `securityhub`), as
outputs.py sends the audit's files to S3 and SNS. It WRITES, so it refuses the
read-only context a scan uses and wants a writable `AwsContext` (or a boto3 session).
Finding ids are stable, so a re-import updates instead of duplicating.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import boto3

from mlwarden.reports.asff import build

from ..aws.session import AwsContext

BATCH = 100   # BatchImportFindings accepts at most 100 findings per call


@dataclass
class ImportResult:
    imported: int = 0
    failed: list[dict] = field(default_factory=list)   # [{Id, ErrorCode, ErrorMessage}]
    batches: int = 0


def import_to_securityhub(doc, aws: AwsContext | boto3.session.Session, region: str) -> ImportResult:
    if isinstance(aws, AwsContext):
        if aws.options.read_only:
            raise ValueError("importing into Security Hub writes to the account: use "
                             "AwsContext(options=AwsOptions(read_only=False)), not the scan's read-only context")
        client = aws.client("securityhub", region)
        account = aws.account_id(region)
    else:
        client = aws.client("securityhub", region_name=region)
        account = aws.client("sts", region_name=region).get_caller_identity()["Account"]
    findings = build(doc, home_region=region, product_account=account)
    result = ImportResult()
    for i in range(0, len(findings), BATCH):
        answer = client.batch_import_findings(Findings=findings[i:i + BATCH])
        result.batches += 1
        result.imported += answer.get("SuccessCount", 0)
        result.failed.extend(answer.get("FailedFindings") or [])
    return result
