"""Lambda functions: execution role, the key encrypting their environment, VPC, runtime.

SageMaker pipelines call Lambda functions from Lambda steps, and a function's role and
network are then part of the ML estate's attack surface. ListFunctions answers each
function's whole configuration, so there is no describe call; tags come from the
region's one Tagging API listing (collectors/bulk.py), else one lambda:ListTags per
function, a facet of its own (a failed read leaves the function judged by what does
not need tags). The answer's names become CloudFormation's
(`KMSKeyArn` → `KmsKeyArn`, layers as ARNs); environment values are redacted like
every value that can hold a secret (scanner/redaction.py).
"""
from __future__ import annotations

from ..facets import TAGS, Facet
from ..resource_type import CloudTrailEvent, TerraformType, kms_keys, role, security_groups, subnets
from .base import READ_ERRORS, TAGS_INLINE, CollectorSpec, ListCall, Scope, Shape, read_facet, register
from .bulk import TAG_API, region_tags
from .sagemaker_common import present

FUNCTION_TYPE = "AWS::Lambda::Function"
TAGS_CALL = "lambda:ListTags"


def normalise(d: dict, scope: Scope) -> Shape:
    vpc = {k: v for k, v in (d.get("VpcConfig") or {}).items() if k in ("SubnetIds", "SecurityGroupIds")}
    props = {
        "FunctionName": d["FunctionName"],
        "Role": d.get("Role"),
        "Runtime": d.get("Runtime"),
        "Handler": d.get("Handler"),
        "PackageType": d.get("PackageType"),
        "Architectures": d.get("Architectures"),
        "MemorySize": d.get("MemorySize"),
        "Timeout": d.get("Timeout"),
        "KmsKeyArn": d.get("KMSKeyArn"),
        "VpcConfig": present(vpc) if any(vpc.values()) else None,
        "Environment": d.get("Environment"),
        "TracingConfig": d.get("TracingConfig"),
        "Layers": [layer["Arn"] for layer in d.get("Layers") or [] if layer.get("Arn")] or None,
        "DeadLetterConfig": d.get("DeadLetterConfig"),
    }
    facets: dict = {}
    tags = read_facet(facets, "tags", TAGS_CALL, lambda: _tags(scope, d["FunctionArn"]))
    relations = {"role": [d["Role"]] if d.get("Role") else [],
                 "kms_keys": [d["KMSKeyArn"]] if d.get("KMSKeyArn") else [],
                 "subnets": list(vpc.get("SubnetIds") or []),
                 "security_groups": list(vpc.get("SecurityGroupIds") or [])}
    return Shape(id=d["FunctionName"], arn=d["FunctionArn"], properties=props, tags=tags or {},
                 relations={k: v for k, v in relations.items() if v}, facets=facets)


def _tags(scope: Scope, arn: str) -> dict[str, str]:
    """From the region's Tagging API listing; a function it does not list (never tagged,
    or the listing failed) is asked directly, so "not listed" is never "no tags"."""
    try:
        listed = region_tags(scope).get(arn.lower())
    except READ_ERRORS:
        listed = None
    if listed is not None:
        return listed
    return scope.client("lambda").list_tags(Resource=arn).get("Tags") or {}


register(CollectorSpec(
    type=FUNCTION_TYPE, service="lambda", iam_prefix="lambda",
    list_call=ListCall(operation="ListFunctions", result_key="Functions"),
    normalise=normalise, tags=TAGS_INLINE, extra_permissions=(TAGS_CALL, TAG_API),
    facets=(Facet(name="tags", paths=TAGS.paths, operations=(TAGS_CALL,), description=TAGS.description),),
    terraform=(TerraformType(
        name="aws_lambda_function",
        single=frozenset({"vpc_config", "environment", "tracing_config", "dead_letter_config"}),
        drop=frozenset({"vpc_id", "filename", "s3_bucket", "s3_key", "s3_object_version", "image_uri",
                        "source_code_hash", "source_code_size", "invoke_arn", "qualified_arn",
                        "qualified_invoke_arn", "version", "last_modified", "publish", "signing_job_arn",
                        "signing_profile_version_arn", "skip_destroy", "replace_security_groups_on_destroy",
                        "replacement_security_group_ids", "ipv6_allowed_for_dual_stack"})),),
    # Lambda's CloudTrail event names carry the API version they were made with.
    events=(CloudTrailEvent(name="CreateFunction20150331", paths=("requestParameters.functionName",)),
            CloudTrailEvent(name="UpdateFunctionConfiguration20150331v2",
                            paths=("requestParameters.functionName",))),
    relations=(role("Role"), kms_keys("KmsKeyArn"), subnets("VpcConfig.SubnetIds[]"),
               security_groups("VpcConfig.SecurityGroupIds[]")),
    description="Lambda functions: execution role, environment encryption key, VPC, runtime",
))
