"""`mlwarden schedule template`: a CloudFormation template that deploys the same
audit stack as `schedule install`, for teams that deploy through CloudFormation
or Service Catalog, plus a Step Functions state machine for organisations too
large for one process: a Distributed Map over accounts × regions × type groups, each
item one Lambda scan writing its part to S3, then one aggregation into a single report.
"""
from __future__ import annotations

import json

from ..permissions import scanner_actions
from .events import EVENT_TARGETS
from .install import ARCHITECTURES, HANDLER, RUNTIME, event_pattern


def state_machine_definition(function_arn: str = "${AuditFunctionArn}") -> dict:
    """Amazon States Language. Input: {"accounts": [...], "regions": [...], "role_name": "..."}.

    A Distributed Map over accounts, inside it a Map over regions and one over the type
    groups (handler.type_groups: the model registry, the rest of SageMaker, the rest):
    each (account, region, group) item is one Lambda scan writing its part to S3, global
    types read in the first region's items only, nothing derived; then one aggregation
    derives over every type and writes one report. However large an account's estate,
    no invocation reads more than one group of one region."""
    from .handler import type_groups
    return {
        "Comment": "mlwarden organisation audit: one Lambda scan per account x region x type group, then one report",
        "StartAt": "PlanItems",
        "States": {
            "PlanItems": {
                "Type": "Pass",
                "Parameters": {
                    "run_id.$": "$$.Execution.Name",
                    "role_name.$": "$.role_name",
                    "accounts.$": "$.accounts",
                    "regions.$": "$.regions",
                    "groups": list(range(len(type_groups()))),
                },
                "Next": "ScanAccounts",
            },
            "ScanAccounts": {
                "Type": "Map",
                "ItemsPath": "$.accounts",
                "ItemSelector": {
                    "account.$": "$$.Map.Item.Value",
                    "regions.$": "$.regions",
                    "groups.$": "$.groups",
                    "role_name.$": "$.role_name",
                    "run_id.$": "$.run_id",
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "ScanRegions",
                    "States": {
                        "ScanRegions": {
                            "Type": "Map",
                            "ItemsPath": "$.regions",
                            "ItemSelector": {
                                "account.$": "$.account",
                                "region.$": "$$.Map.Item.Value",
                                "regions.$": "$.regions",
                                "groups.$": "$.groups",
                                "role_name.$": "$.role_name",
                                "run_id.$": "$.run_id",
                            },
                            "ItemProcessor": {
                                "ProcessorConfig": {"Mode": "INLINE"},
                                "StartAt": "ScanTypeGroups",
                                "States": {"ScanTypeGroups": _scan_groups(function_arn)},
                            },
                            "End": True,
                        },
                    },
                },
                "MaxConcurrency": 20,
                "ToleratedFailurePercentage": 100,
                "ResultPath": None,
                "Next": "Aggregate",
            },
            "Aggregate": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                    "FunctionName": function_arn,
                    "Payload": {"mlwarden": {"action": "org-aggregate", "run_id.$": "$.run_id",
                                             "accounts.$": "$.accounts", "regions.$": "$.regions",
                                             "derive": "aggregate"}},
                },
                "End": True,
            },
        },
    }


def _scan_groups(function_arn: str) -> dict:
    """The Map over one account and region's type groups: one org-item scan each."""
    return {
        "Type": "Map",
        "ItemsPath": "$.groups",
        "ItemSelector": {
            "mlwarden": {
                "action": "org-item",
                "account.$": "$.account",
                "region.$": "$.region",
                "regions.$": "$.regions",
                "group.$": "$$.Map.Item.Value",
                "role_name.$": "$.role_name",
                "run_id.$": "$.run_id",
            },
        },
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "ScanOne",
            "States": {
                "ScanOne": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
                    "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException",
                                               "Lambda.ServiceException"],
                               "IntervalSeconds": 5, "MaxAttempts": 4,
                               "BackoffRate": 2.0}],
                    "ResultSelector": {"status.$": "$.Payload.status"},
                    "End": True,
                },
            },
        },
        "End": True,
    }


def template() -> dict:
    scan_actions = scanner_actions()
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "mlwarden: scheduled and event-driven ML compliance audit",
        "Parameters": {
            "ReportBucket": {"Type": "String", "Description": "Bucket for reports (SSE-KMS)"},
            "ReportKmsKeyArn": {"Type": "String", "Description": "KMS key ARN for report encryption"},
            "CodeBucket": {"Type": "String", "Description": "Bucket holding the Lambda package"},
            "CodeKey": {"Type": "String", "Default": "mlwarden/lambda.zip"},
            "Schedule": {"Type": "String", "Default": "rate(1 day)"},
            "Regions": {"Type": "String", "Default": "us-east-1"},
            "TopicArn": {"Type": "String", "Default": ""},
            "EnableEvents": {"Type": "String", "AllowedValues": ["true", "false"], "Default": "true"},
            "MemberRoleName": {"Type": "String", "Default": "mlwarden-scan",
                               "Description": "Role assumed in member accounts by organisation scans"},
        },
        "Conditions": {
            "WithEvents": {"Fn::Equals": [{"Ref": "EnableEvents"}, "true"]},
            "WithTopic": {"Fn::Not": [{"Fn::Equals": [{"Ref": "TopicArn"}, ""]}]},
        },
        "Resources": {
            "AuditRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "mlwarden-audit", "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": scan_actions, "Resource": "*"},
                            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${ReportBucket}/mlwarden/*"}},
                            {"Effect": "Allow", "Action": ["s3:ListBucket"],
                             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${ReportBucket}"}},
                            {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
                             "Resource": {"Ref": "ReportKmsKeyArn"}},
                            {"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:mlwarden-audit"}},
                            {"Effect": "Allow", "Action": ["sts:AssumeRole"],
                             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/${MemberRoleName}"}},
                            {"Fn::If": ["WithTopic", {"Effect": "Allow", "Action": ["sns:Publish"],
                                                      "Resource": {"Ref": "TopicArn"}},
                                        {"Ref": "AWS::NoValue"}]},
                            {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream",
                                                           "logs:PutLogEvents"], "Resource": "*"},
                        ]}}],
                    "Tags": [{"Key": "mlwarden:stack", "Value": "mlwarden-audit"}],
                },
            },
            "AuditFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "FunctionName": "mlwarden-audit",
                    "Runtime": RUNTIME, "Handler": HANDLER, "Timeout": 900, "MemorySize": 2048,
                    "Architectures": ARCHITECTURES,
                    "Role": {"Fn::GetAtt": ["AuditRole", "Arn"]},
                    "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}},
                    "Environment": {"Variables": {
                        "MLWARDEN_BUCKET": {"Ref": "ReportBucket"},
                        "MLWARDEN_KMS_KEY": {"Ref": "ReportKmsKeyArn"},
                        "MLWARDEN_REGIONS": {"Ref": "Regions"},
                        "MLWARDEN_TOPIC_ARN": {"Ref": "TopicArn"},
                        "MLWARDEN_FUNCTION_NAME": "mlwarden-audit",
                    }},
                    "Tags": [{"Key": "mlwarden:stack", "Value": "mlwarden-audit"}],
                },
            },
            "ScheduleRule": {
                "Type": "AWS::Events::Rule",
                "Properties": {"ScheduleExpression": {"Ref": "Schedule"}, "State": "ENABLED",
                               "Targets": [{"Id": "mlwarden", "Arn": {"Fn::GetAtt": ["AuditFunction", "Arn"]}}]},
            },
            "SchedulePermission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"FunctionName": {"Ref": "AuditFunction"}, "Action": "lambda:InvokeFunction",
                               "Principal": "events.amazonaws.com",
                               "SourceArn": {"Fn::GetAtt": ["ScheduleRule", "Arn"]}},
            },
            "EventsRule": {
                "Type": "AWS::Events::Rule",
                "Condition": "WithEvents",
                "Properties": {"EventPattern": event_pattern(), "State": "ENABLED",
                               "Targets": [{"Id": "mlwarden", "Arn": {"Fn::GetAtt": ["AuditFunction", "Arn"]}}]},
            },
            "EventsPermission": {
                "Type": "AWS::Lambda::Permission",
                "Condition": "WithEvents",
                "Properties": {"FunctionName": {"Ref": "AuditFunction"}, "Action": "lambda:InvokeFunction",
                               "Principal": "events.amazonaws.com",
                               "SourceArn": {"Fn::GetAtt": ["EventsRule", "Arn"]}},
            },
            "OrgScanRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "invoke-audit", "PolicyDocument": {
                        "Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                             "Resource": {"Fn::GetAtt": ["AuditFunction", "Arn"]}},
                            {"Effect": "Allow", "Action": ["states:StartExecution", "states:DescribeExecution",
                                                           "states:StopExecution"], "Resource": "*"}]}}],
                },
            },
            "OrgScanStateMachine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "RoleArn": {"Fn::GetAtt": ["OrgScanRole", "Arn"]},
                    "DefinitionString": {"Fn::Sub": [json.dumps(state_machine_definition()),
                                                     {"AuditFunctionArn": {"Fn::GetAtt": ["AuditFunction", "Arn"]}}]},
                },
            },
        },
        "Outputs": {
            "FunctionArn": {"Value": {"Fn::GetAtt": ["AuditFunction", "Arn"]}},
            "StateMachineArn": {"Value": {"Ref": "OrgScanStateMachine"}},
        },
        "Metadata": {"mlwarden": {"scanned_event_names": sorted(EVENT_TARGETS)}},
    }
