# METADATA
# title: Model monitoring jobs run with network isolation
# description: >-
#   Monitoring jobs read captured production traffic. NetworkConfig.EnableNetworkIsolation
#   must be true: on every monitoring job definition (data quality, model quality, bias,
#   explainability) and on a schedule's job definition (inline, or the named one resolved
#   in facts.job_definition). A schedule whose named job definition could not be read
#   (facet job_definition) is NOT_ASSESSED; one naming a definition that does not exist
#   fails.
# custom:
#   id: MLW-NET-018
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
#     AWS-FSBP: [SageMaker.11, SageMaker.12, SageMaker.14, SageMaker.20, SageMaker.25]
#     NIST-800-53: [SC-7, SC-7(5)]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.EnableNetworkIsolation to true on the monitoring job.
#       - >-
#         Monitoring job definitions cannot be changed: create a new one with the fix, point the monitoring
#         schedule at it (aws sagemaker update-monitoring-schedule), then delete the old one; a schedule with
#         its job defined inline is fixed with update-monitoring-schedule directly.
#   evidence:
#     - properties.MonitoringScheduleConfig
#     - properties.NetworkConfig
#     - facts.job_definition
package mlwarden.network.monitoring_network_isolation

import rego.v1

import data.mlwarden.lib.monitoring
import data.mlwarden.lib.util

deny contains util.violation(monitoring.unknown_msg, monitoring.unknown_path) if not monitoring.known

deny contains util.violation(msg, monitoring.path(["NetworkConfig", "EnableNetworkIsolation"])) if {
	monitoring.known
	isolated := object.get(monitoring.job_definition, ["NetworkConfig", "EnableNetworkIsolation"], false)
	not util.is_true(isolated)
	msg := concat("", [
		monitoring.what,
		" does not isolate its jobs from the network (NetworkConfig.EnableNetworkIsolation)",
	])
}
