# METADATA
# title: Model monitoring jobs run inside a VPC
# description: >-
#   Without NetworkConfig.VpcConfig a monitoring job runs in a SageMaker-managed network:
#   its reads of captured inference data and its writes of reports bypass the
#   organisation's VPC endpoints, endpoint policies and flow logs. NetworkConfig.VpcConfig
#   of every monitoring job definition, and of a schedule's job definition (inline, or the
#   named one resolved in facts.job_definition), must name subnets and security groups. A
#   schedule whose named job definition could not be read (facet job_definition) is
#   NOT_ASSESSED; one naming a definition that does not exist fails.
# custom:
#   id: MLW-NET-020
#   severity: medium
#   category: network
#   resource_types:
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe, job_definition]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Give the monitoring job NetworkConfig.VpcConfig with private subnets and security groups.
#       - >-
#         Monitoring job definitions cannot be changed: create a new one with the fix, point the monitoring
#         schedule at it (aws sagemaker update-monitoring-schedule), then delete the old one; a schedule with
#         its job defined inline is fixed with update-monitoring-schedule directly.
#   evidence:
#     - properties.MonitoringScheduleConfig
#     - properties.NetworkConfig
#     - facts.job_definition
package mlwarden.network.monitoring_vpc

import rego.v1

import data.mlwarden.lib.monitoring
import data.mlwarden.lib.util

vpc := util.as_object(object.get(monitoring.job_definition, ["NetworkConfig", "VpcConfig"], {}))

deny contains util.violation(monitoring.unknown_msg, monitoring.unknown_path) if not monitoring.known

deny contains util.violation(msg, monitoring.path(["NetworkConfig", "VpcConfig", "Subnets"])) if {
	monitoring.known
	util.blank(object.get(vpc, "Subnets", []))
	msg := concat("", [monitoring.what, " does not run its jobs in a VPC (no NetworkConfig.VpcConfig.Subnets)"])
}

deny contains util.violation(msg, monitoring.path(["NetworkConfig", "VpcConfig", "SecurityGroupIds"])) if {
	monitoring.known
	util.present(object.get(vpc, "Subnets", []))
	util.blank(object.get(vpc, "SecurityGroupIds", []))
	msg := concat("", [monitoring.what, " names no security groups (NetworkConfig.VpcConfig.SecurityGroupIds)"])
}
