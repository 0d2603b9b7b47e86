"""The resource-type descriptor: everything mlwarden knows about one type, in one place.

A `ResourceType` says what a type is called in CloudFormation and Terraform, whether
its ids are global or regional, which CloudTrail events touch it, which of its
properties name other resources (relations), the values AWS applies when a property
is left out, how it counts against the account's quotas, and why no template can
declare it when none can. The collector spec (`scanner/collectors/base.py:
CollectorSpec`) extends it with how the type is read, so a collector module declares
the whole type; documents that are computed rather than read are plain descriptors
(`scanner/type_registry.py`).

Nothing else holds per-type tables: `scanner/type_registry.py` derives the relation
targets, the global types, the CloudTrail event table, the Terraform mapping, the
quota counters and the defaults from the registered descriptors, and
`tests/architecture/test_descriptors.py` lints every descriptor.

This module is a leaf: it imports only the defaults' declaration.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .aws_defaults import AwsDefault


@dataclass(frozen=True, kw_only=True)
class CloudTrailEvent:
    """An API call that changes a resource of the type, as CloudTrail records it.

    An event-driven scan (`scanner/audit/events.py`) rescans the resource named at the
    first of `paths` (dotted, in the CloudTrail record's `detail`) that is present.
    """
    name: str                    # eventName, e.g. "CreateEndpoint"
    paths: tuple[str, ...]       # e.g. ("requestParameters.endpointName",)
    source: str = ""             # eventSource; "" means "<iam prefix>.amazonaws.com" of the spec


@dataclass(frozen=True, kw_only=True)
class Relation:
    """A relation of the type's documents (`Resource.relations[name]`) and what it points at.

    `paths` are the property paths (dotted, `Name[]` walks a list) that hold the
    reference in the CloudFormation-shaped properties; the IaC normaliser derives the
    relation from them (`scanner/iac/relations.py`). A relation without paths is filled
    only by the live collector (a model package's signing profile comes from a
    separate read, not from a property).
    """
    name: str                    # e.g. "role", "kms_keys"
    target: str                  # the type it points at, e.g. "AWS::IAM::Role"
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TerraformType:
    """How a Terraform provider type becomes this type's CloudFormation-shaped properties.

    Attribute names go from snake_case to CloudFormation's PascalCase by rule
    (`scanner/iac/terraform_types.py: pascal`); `rename` lists where the two chose different
    words. Types whose shape differs more have a builder in
    `scanner/iac/terraform_types.py: BUILDERS`, keyed by `name`.
    """
    name: str                                              # e.g. "aws_sagemaker_model"
    rename: dict[str, str] = field(default_factory=dict)   # tf attribute (any depth) → CFN name
    single: frozenset[str] = frozenset()                   # blocks that are one object in CFN
    json_attrs: frozenset[str] = frozenset()               # JSON strings parsed to objects
    drop: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class ResourceType:
    """One resource type, declared once. Every field but `type` is optional."""
    type: str                          # CloudFormation type name, or MLW::... where there is none
    global_service: bool = False       # ids unique per account (IAM roles, S3 buckets), not per region
    terraform: tuple[TerraformType, ...] = ()
    # Why no CloudFormation template, Terraform plan or pipeline definition can declare
    # the type ("" when one can). The descriptor lint requires one or the other.
    live_only: str = ""
    events: tuple[CloudTrailEvent, ...] = ()
    relations: tuple[Relation, ...] = ()
    # What AWS applies when a property is left out (`scanner/aws_defaults.py: apply_defaults`).
    defaults: tuple[AwsDefault, ...] = ()
    # The key of `facts.usage` on MLW::SageMaker::ServiceUsage that counts this type
    # against its quota (`scanner/derived.py`); "" when it is not counted.
    usage_counter: str = ""
    description: str = ""

    @property
    def relation_targets(self) -> dict[str, str]:
        return {r.name: r.target for r in self.relations}


# The relations many types share; each names the one type it points at.
def role(*paths: str) -> Relation:
    return Relation(name="role", target="AWS::IAM::Role", paths=paths)


def kms_keys(*paths: str) -> Relation:
    return Relation(name="kms_keys", target="AWS::KMS::Key", paths=paths)


def subnets(*paths: str) -> Relation:
    return Relation(name="subnets", target="AWS::EC2::Subnet", paths=paths)


def security_groups(*paths: str) -> Relation:
    return Relation(name="security_groups", target="AWS::EC2::SecurityGroup", paths=paths)


def vpc(*paths: str) -> Relation:
    return Relation(name="vpc", target="AWS::EC2::VPC", paths=paths)


def buckets(*paths: str) -> Relation:
    """S3 URIs or bucket names (`s3://bucket/key` names the bucket)."""
    return Relation(name="buckets", target="AWS::S3::Bucket", paths=paths)
