# METADATA
# title: Model monitoring jobs encrypt their reports with a customer-managed KMS key
# description: >-
#   Monitoring jobs write statistics and violation reports computed from captured
#   inference data to S3. The output KmsKeyId (<Kind>JobOutputConfig of a job definition,
#   MonitoringOutputConfig of a schedule's inline or resolved job definition) must name a
#   customer-managed key; where settings.trusted_kms_keys is non-empty, one of them. A
#   schedule whose named job definition could not be read (facet job_definition) is
#   NOT_ASSESSED; one naming a definition that does not exist fails.
# custom:
#   id: MLW-ENC-009
#   severity: medium
#   category: encryption
#   resource_types:
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe, job_definition]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Set the KmsKeyId of the job's output configuration (MonitoringOutputConfig, or the job definition's
#         output config) to a customer-managed KMS key.
#       - >-
#         Monitoring job definitions cannot be changed: create a new one with the fix, point the monitoring
#         schedule at it (aws sagemaker update-monitoring-schedule), then delete the old one; a schedule with
#         its job defined inline is fixed with update-monitoring-schedule directly.
#   evidence:
#     - properties.MonitoringScheduleConfig
#     - properties.DataQualityJobOutputConfig
#     - properties.ModelQualityJobOutputConfig
#     - properties.ModelBiasJobOutputConfig
#     - properties.ModelExplainabilityJobOutputConfig
#     - facts.job_definition
package mlwarden.encryption.monitoring_output_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.monitoring
import data.mlwarden.lib.util

key := object.get(monitoring.job_definition, ["MonitoringOutputConfig", "KmsKeyId"], "")

deny contains util.violation(monitoring.unknown_msg, monitoring.unknown_path) if not monitoring.known

deny contains util.violation(msg, monitoring.path(["MonitoringOutputConfig", "KmsKeyId"])) if {
	monitoring.known
	util.blank(key)
	msg := concat("", [
		monitoring.what,
		" has no customer-managed KMS key (MonitoringOutputConfig.KmsKeyId)",
	])
}

deny contains util.violation(msg, monitoring.path(["MonitoringOutputConfig", "KmsKeyId"])) if {
	monitoring.known
	util.present(key)
	some msg in kms.problems(key, monitoring.what)
}
