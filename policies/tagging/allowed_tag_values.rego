# METADATA
# title: ML resource tags use the organisation's allowed values
# description: >-
#   A tag whose value is free text (environment: Prod-2, prd, …) silently escapes rules
#   keyed on it. For each tag in settings.allowed_tag_values, a resource that carries the
#   tag must use one of the listed values (exact match).
# custom:
#   id: MLW-TAG-002
#   severity: low
#   category: tagging
#   resource_types:
#     - AWS::SageMaker::NotebookInstance
#     - MLW::SageMaker::TrainingJob
#     - MLW::SageMaker::ProcessingJob
#     - AWS::SageMaker::Model
#     - AWS::SageMaker::EndpointConfig
#     - AWS::SageMaker::Endpoint
#     - AWS::SageMaker::ModelPackageGroup
#     - AWS::SageMaker::ModelPackage
#     - AWS::SageMaker::Pipeline
#     - AWS::SageMaker::Domain
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe, tags]
#   controls:
#     NIST-800-53: [CM-8]
#     ISO-42001: [A.4.2]
#   remediation: required-tags
#   evidence: [tags]
package mlwarden.tagging.allowed_tag_values

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["tags", key]) if {
	some key, allowed in object.get(util.settings, "allowed_tag_values", {})
	value := util.tags[key]
	not value in allowed
	msg := concat("", [
		util.what(util.noun),
		" has tag ",
		key,
		"=",
		util.show(value),
		", not one of: ",
		concat(", ", allowed),
	])
}
