"""Which resource an API call touched, from the CloudTrail record that EventBridge
delivers ("AWS API Call via CloudTrail").

Declared as data: for each event name, the resource type it touches and where in
the record the resource's name or ARN is. Adding an event is one line.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class EventTarget:
    event_source: str            # "sagemaker.amazonaws.com"
    resource_type: str           # canonical type to rescan
    paths: tuple[str, ...]       # where the identifier is, tried in order ("requestParameters.endpointName")


def _t(source: str, rtype: str, *paths: str) -> EventTarget:
    return EventTarget(event_source=source, resource_type=rtype, paths=paths)


SM, S3, IAM, KMS, EC2 = ("sagemaker.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com",
                         "kms.amazonaws.com", "ec2.amazonaws.com")

EVENT_TARGETS: dict[str, EventTarget] = {
    # SageMaker
    "CreateEndpoint": _t(SM, "AWS::SageMaker::Endpoint", "requestParameters.endpointName"),
    "UpdateEndpoint": _t(SM, "AWS::SageMaker::Endpoint", "requestParameters.endpointName"),
    "CreateEndpointConfig": _t(SM, "AWS::SageMaker::EndpointConfig", "requestParameters.endpointConfigName"),
    "CreateModel": _t(SM, "AWS::SageMaker::Model", "requestParameters.modelName"),
    "CreateModelPackage": _t(SM, "AWS::SageMaker::ModelPackage", "responseElements.modelPackageArn"),
    "UpdateModelPackage": _t(SM, "AWS::SageMaker::ModelPackage", "requestParameters.modelPackageArn",
                             "responseElements.modelPackageArn"),
    "CreateModelPackageGroup": _t(SM, "AWS::SageMaker::ModelPackageGroup",
                                  "requestParameters.modelPackageGroupName"),
    "CreateNotebookInstance": _t(SM, "AWS::SageMaker::NotebookInstance",
                                 "requestParameters.notebookInstanceName"),
    "UpdateNotebookInstance": _t(SM, "AWS::SageMaker::NotebookInstance",
                                 "requestParameters.notebookInstanceName"),
    "CreateTrainingJob": _t(SM, "MLW::SageMaker::TrainingJob", "requestParameters.trainingJobName"),
    "CreateProcessingJob": _t(SM, "MLW::SageMaker::ProcessingJob", "requestParameters.processingJobName"),
    "CreatePipeline": _t(SM, "AWS::SageMaker::Pipeline", "requestParameters.pipelineName"),
    "UpdatePipeline": _t(SM, "AWS::SageMaker::Pipeline", "requestParameters.pipelineName"),
    "CreateDomain": _t(SM, "AWS::SageMaker::Domain", "responseElements.domainId"),
    "UpdateDomain": _t(SM, "AWS::SageMaker::Domain", "requestParameters.domainId"),
    "CreateMonitoringSchedule": _t(SM, "AWS::SageMaker::MonitoringSchedule",
                                   "requestParameters.monitoringScheduleName"),
    # S3
    "CreateBucket": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "PutBucketEncryption": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "DeleteBucketEncryption": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "PutBucketPolicy": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "DeleteBucketPolicy": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "PutBucketPublicAccessBlock": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "DeleteBucketPublicAccessBlock": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "PutBucketVersioning": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    "PutBucketTagging": _t(S3, "AWS::S3::Bucket", "requestParameters.bucketName"),
    # IAM
    "CreateRole": _t(IAM, "AWS::IAM::Role", "requestParameters.roleName"),
    "AttachRolePolicy": _t(IAM, "AWS::IAM::Role", "requestParameters.roleName"),
    "DetachRolePolicy": _t(IAM, "AWS::IAM::Role", "requestParameters.roleName"),
    "PutRolePolicy": _t(IAM, "AWS::IAM::Role", "requestParameters.roleName"),
    "UpdateAssumeRolePolicy": _t(IAM, "AWS::IAM::Role", "requestParameters.roleName"),
    # KMS
    "DisableKeyRotation": _t(KMS, "AWS::KMS::Key", "requestParameters.keyId"),
    "DisableKey": _t(KMS, "AWS::KMS::Key", "requestParameters.keyId"),
    "ScheduleKeyDeletion": _t(KMS, "AWS::KMS::Key", "requestParameters.keyId"),
    # EC2
    "AuthorizeSecurityGroupIngress": _t(EC2, "AWS::EC2::SecurityGroup", "requestParameters.groupId"),
}


@dataclass(frozen=True, kw_only=True)
class Touched:
    resource_type: str
    identifier: str
    region: str
    account: str
    event_name: str


class UnsupportedEvent(ValueError):
    """The event is not one mlwarden scans for (it is ignored, not an error)."""


def touched_resource(event: dict) -> Touched:
    """The resource a CloudTrail-via-EventBridge event touched."""
    detail = event.get("detail") or {}
    name = detail.get("eventName")
    target = EVENT_TARGETS.get(name or "")
    if target is None or detail.get("eventSource") != target.event_source:
        raise UnsupportedEvent(f"event {detail.get('eventSource')}:{name} is not scanned")
    if detail.get("errorCode"):
        raise UnsupportedEvent(f"event {name} failed ({detail['errorCode']}): nothing changed")
    for path in target.paths:
        value = _dig(detail, path)
        if value:
            return Touched(resource_type=target.resource_type, identifier=str(value),
                           region=detail.get("awsRegion") or event.get("region") or "us-east-1",
                           account=event.get("account") or detail.get("recipientAccountId") or "",
                           event_name=name)
    raise UnsupportedEvent(f"event {name}: no resource identifier at {', '.join(target.paths)}")


def _dig(doc: dict, path: str):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node
