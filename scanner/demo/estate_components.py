"""The demo's endpoint built on inference components.

`assistant-shared` (a development endpoint of the LLM team) has a variant without a model
of its own: it hosts the inference component `assistant-llm`, whose container downloads an
80 GB artefact from the data lake and whose StartupParameters give the download and the
health check the time that takes, so MLW-MON-011 judges the component and passes. It runs
on ml.g4dn.12xlarge, a GPU family the demo organisation allows (settings.yaml).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .estate_base import Clients, Estate

ARTEFACT_KEY = "models/llm-assistant/v1/model.tar.gz"
ARTEFACT_BYTES = 80_000_000_000
TAGS = {"owner": "research", "project": "llm-assistant", "cost-center": "cc-4711", "environment": "dev"}
TAG_LIST = [{"Key": k, "Value": v} for k, v in TAGS.items()]


def seed_inference_components(c: "Clients", e: "Estate", image: str) -> None:
    from . import moto_extensions
    lake = e.buckets["datalake"]
    c("s3").put_object(Bucket=lake, Key=ARTEFACT_KEY, Body=b"llm weights (sized by the stand-in)")
    moto_extensions.fake_object_size(e.account, lake, ARTEFACT_KEY, ARTEFACT_BYTES)
    sm = c("sagemaker")
    sm.create_endpoint_config(
        EndpointConfigName="assistant-shared-config", KmsKeyId=e.kms_keys["ml-serving"],
        ExecutionRoleArn=e.roles["execution"],
        ProductionVariants=[{"VariantName": "shared", "InstanceType": "ml.g4dn.12xlarge", "InitialInstanceCount": 2,
                             "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 2,
                                                        "MaxInstanceCount": 4},
                             "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"}}],
        Tags=TAG_LIST)
    sm.create_endpoint(EndpointName="assistant-shared", EndpointConfigName="assistant-shared-config",
                       Tags=TAG_LIST)
    sm.create_inference_component(
        InferenceComponentName="assistant-llm", EndpointName="assistant-shared", VariantName="shared",
        Specification={"Container": {"Image": image, "ArtifactUrl": f"s3://{lake}/{ARTEFACT_KEY}"},
                       "StartupParameters": {"ModelDataDownloadTimeoutInSeconds": 3600,
                                             "ContainerStartupHealthCheckTimeoutInSeconds": 1800},
                       "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 4,
                                                       "MinMemoryRequiredInMb": 65536}},
        RuntimeConfig={"CopyCount": 1}, Tags=TAG_LIST)
    e.endpoint_configs.append("assistant-shared-config")
    e.endpoints.append("assistant-shared")
    e.inference_components.append("assistant-llm")
