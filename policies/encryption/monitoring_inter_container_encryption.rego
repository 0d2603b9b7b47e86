# METADATA
# title: Model monitoring jobs encrypt traffic between their containers
# description: >-
#   Monitoring jobs analyse captured inference data, sometimes on several instances.
#   NetworkConfig.EnableInterContainerTrafficEncryption must be true: on a data quality,
#   model quality or explainability job definition itself, and on a schedule's job
#   definition (inline, or the named one resolved in facts.job_definition). A schedule
#   whose named job definition could not be read (facet job_definition) is NOT_ASSESSED;
#   one naming a definition that does not exist fails. Model bias job definitions are
#   judged by MLW-ENC-022 (Security Hub asks it there only of jobs on two or more
#   instances).
# custom:
#   id: MLW-ENC-016
#   severity: medium
#   category: encryption
#   resource_types:
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe, job_definition]
#   controls:
#     AWS-FSBP: [SageMaker.9, SageMaker.10, SageMaker.13, SageMaker.22]
#     NIST-800-53: [SC-8, SC-8(1)]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.EnableInterContainerTrafficEncryption to true on the monitoring job.
#       - >-
#         Monitoring job definitions cannot be changed: create a new one with the fix, point the monitoring
#         schedule at it (aws sagemaker update-monitoring-schedule), then delete the old one; a schedule with
#         its job defined inline is fixed with update-monitoring-schedule directly.
#   evidence:
#     - properties.MonitoringScheduleConfig
#     - properties.NetworkConfig
#     - facts.job_definition
package mlwarden.encryption.monitoring_inter_container_encryption

import rego.v1

import data.mlwarden.lib.monitoring
import data.mlwarden.lib.util

deny contains util.violation(monitoring.unknown_msg, monitoring.unknown_path) if not monitoring.known

deny contains util.violation(msg, monitoring.path(["NetworkConfig", "EnableInterContainerTrafficEncryption"])) if {
	monitoring.known
	encrypted := object.get(monitoring.job_definition, ["NetworkConfig", "EnableInterContainerTrafficEncryption"], false)
	not util.is_true(encrypted)
	msg := concat("", [
		monitoring.what,
		" does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption)",
	])
}
