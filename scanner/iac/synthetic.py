"""The identity of a resource a file declares.

Before deployment a resource has no ARN, so its `arn` is `<scheme>://<file>#<name>`:
`cfn://<file>#<LogicalId>`, `tf://<file>#<address>` or `pipeline://<file>#<pipeline>/<step>`.
References to it inside the file resolve to the same string, so relations find it
exactly as they find a live ARN.
"""
from __future__ import annotations

CFN = "cfn"
TERRAFORM = "tf"
PIPELINE = "pipeline"
SCHEMES = (CFN, TERRAFORM, PIPELINE)


def synthetic_arn(scheme: str, file: str, name: str) -> str:
    return f"{scheme}://{file}#{name}"
