"""The values AWS applies when a resource leaves a property out, in one table.

A describe answer may omit a field that AWS nonetheless applies (a notebook's
RootAccess), and a template or plan may leave it out altogether. Policies must see the
same value either way, or one configuration would get two verdicts. So the live
collectors, the IaC normaliser and the remediation runbooks all fill such fields from
this table, through `apply_defaults` (or `default_value` for a single field).

A path is dotted property names; `Name[]` means every item of the list `Name`. A field
is filled when it is absent or null; a parent object that is absent is created only
where AWS applies the parent too (`create_parent`), otherwise there is nothing to fill.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

NOTEBOOK = "AWS::SageMaker::NotebookInstance"
MODEL = "AWS::SageMaker::Model"
ENDPOINT_CONFIG = "AWS::SageMaker::EndpointConfig"
DOMAIN = "AWS::SageMaker::Domain"
TRAINING_JOB = "MLW::SageMaker::TrainingJob"
PROCESSING_JOB = "MLW::SageMaker::ProcessingJob"
KMS_KEY = "AWS::KMS::Key"


@dataclass(frozen=True, kw_only=True)
class AwsDefault:
    """`value` is what AWS applies at `path` of a `resource_type` document left without it."""
    resource_type: str
    path: str
    value: Any
    reference: str                 # the AWS API reference field that documents the default
    create_parent: bool = False    # the parent object is applied by AWS too, so create it when absent
    live: bool = True              # False: only a template or plan can leave it out (see the entry)


DEFAULTS: tuple[AwsDefault, ...] = (
    # CreateNotebookInstance DirectInternetAccess: "Enabled" when not set; DescribeNotebookInstance
    # may leave RootAccess out of its answer (CreateNotebookInstance RootAccess: default Enabled).
    AwsDefault(resource_type=NOTEBOOK, path="DirectInternetAccess", value="Enabled",
               reference="SageMaker API CreateNotebookInstance.DirectInternetAccess"),
    AwsDefault(resource_type=NOTEBOOK, path="RootAccess", value="Enabled",
               reference="SageMaker API CreateNotebookInstance.RootAccess"),
    # CreateModel EnableNetworkIsolation: false unless set.
    AwsDefault(resource_type=MODEL, path="EnableNetworkIsolation", value=False,
               reference="SageMaker API CreateModel.EnableNetworkIsolation"),
    # ProductionVariant InitialVariantWeight: "If unspecified, it defaults to 1.0" (shadow
    # variants share the ProductionVariant shape).
    AwsDefault(resource_type=ENDPOINT_CONFIG, path="ProductionVariants[].InitialVariantWeight", value=1.0,
               reference="SageMaker API ProductionVariant.InitialVariantWeight"),
    AwsDefault(resource_type=ENDPOINT_CONFIG, path="ShadowProductionVariants[].InitialVariantWeight",
               value=1.0, reference="SageMaker API ProductionVariant.InitialVariantWeight"),
    # DataCaptureConfig EnableCapture: "defaults to enabled" -- only where capture is configured.
    AwsDefault(resource_type=ENDPOINT_CONFIG, path="DataCaptureConfig.EnableCapture", value=True,
               reference="SageMaker API DataCaptureConfig.EnableCapture"),
    # CreateDomain AppNetworkAccessType: PublicInternetOnly by default.
    AwsDefault(resource_type=DOMAIN, path="AppNetworkAccessType", value="PublicInternetOnly",
               reference="SageMaker API CreateDomain.AppNetworkAccessType"),
    # CreateTrainingJob: the three booleans are false unless the job sets them.
    AwsDefault(resource_type=TRAINING_JOB, path="EnableNetworkIsolation", value=False,
               reference="SageMaker API CreateTrainingJob.EnableNetworkIsolation"),
    AwsDefault(resource_type=TRAINING_JOB, path="EnableInterContainerTrafficEncryption", value=False,
               reference="SageMaker API CreateTrainingJob.EnableInterContainerTrafficEncryption"),
    AwsDefault(resource_type=TRAINING_JOB, path="EnableManagedSpotTraining", value=False,
               reference="SageMaker API CreateTrainingJob.EnableManagedSpotTraining"),
    # NetworkConfig of CreateProcessingJob: both false when left out, with or without a NetworkConfig.
    AwsDefault(resource_type=PROCESSING_JOB, path="NetworkConfig.EnableNetworkIsolation", value=False,
               create_parent=True, reference="SageMaker API NetworkConfig.EnableNetworkIsolation"),
    AwsDefault(resource_type=PROCESSING_JOB, path="NetworkConfig.EnableInterContainerTrafficEncryption",
               value=False, create_parent=True,
               reference="SageMaker API NetworkConfig.EnableInterContainerTrafficEncryption"),
    # KMS: DescribeKey answers these for every key, so they are defaults only for a key a
    # template creates. A live key whose rotation cannot be read (asymmetric, imported,
    # pending deletion) has no EnableKeyRotation at all, which a default must not hide.
    AwsDefault(resource_type=KMS_KEY, path="Enabled", value=True, live=False,
               reference="CloudFormation AWS::KMS::Key.Enabled (KMS API KeyMetadata.Enabled)"),
    AwsDefault(resource_type=KMS_KEY, path="EnableKeyRotation", value=False, live=False,
               reference="CloudFormation AWS::KMS::Key.EnableKeyRotation"),
    AwsDefault(resource_type=KMS_KEY, path="KeySpec", value="SYMMETRIC_DEFAULT", live=False,
               reference="KMS API CreateKey.KeySpec"),
    AwsDefault(resource_type=KMS_KEY, path="KeyUsage", value="ENCRYPT_DECRYPT", live=False,
               reference="KMS API CreateKey.KeyUsage"),
    # CreateKey creates only customer managed keys (KeyMetadata.KeyManager CUSTOMER).
    AwsDefault(resource_type=KMS_KEY, path="KeyManager", value="CUSTOMER", live=False,
               reference="KMS API KeyMetadata.KeyManager"),
)


def defaults_for(resource_type: str, *, live: bool = False) -> tuple[AwsDefault, ...]:
    """The table's entries for one type (with `live`, only those a live answer may omit)."""
    return tuple(d for d in DEFAULTS if d.resource_type == resource_type and (d.live or not live))


def default_value(resource_type: str, path: str) -> Any:
    """The value AWS applies at `path` of `resource_type`; KeyError when the table has none."""
    for d in DEFAULTS:
        if d.resource_type == resource_type and d.path == path:
            return d.value
    raise KeyError(f"no AWS default for {resource_type} {path}")


def _fill(node: Any, steps: list[str], entry: AwsDefault, opaque: Callable[[Any], bool]) -> None:
    if not isinstance(node, dict) or opaque(node):
        return
    step, rest = steps[0], steps[1:]
    if not rest:
        if node.get(step) is None:
            node[step] = entry.value
        return
    if step.endswith("[]"):
        items = node.get(step[:-2])
        for item in items if isinstance(items, list) else ():
            _fill(item, rest, entry, opaque)
        return
    if node.get(step) is None and entry.create_parent:
        node[step] = {}
    _fill(node.get(step), rest, entry, opaque)


def apply_defaults(resource_type: str, properties: dict, *, live: bool = False,
                   opaque: Callable[[Any], bool] = lambda _: False) -> dict:
    """Fill, in place, every field of the table that `properties` leaves out; returns it.

    `live`: only the entries a describe answer may omit. `opaque`: values not to look
    into (a value unknown before deployment is a marker object, not the property's)."""
    for entry in defaults_for(resource_type, live=live):
        _fill(properties, entry.path.split("."), entry, opaque)
    return properties
