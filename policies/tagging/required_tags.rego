# METADATA
# title: ML resources carry the organisation's required tags
# description: >-
#   Ownership, project, cost centre and environment tags are how incidents reach an owner,
#   costs reach a budget and production rules find production. Every tag key in
#   settings.required_tags must be present with a non-empty value on every SageMaker
#   resource.
# custom:
#   id: MLW-TAG-001
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
#   facets: [describe, tags]
#   controls:
#     NIST-800-53: [CM-8, PM-5]
#     ISO-42001: [A.4.2, A.3.2]
#   remediation: required-tags
#   evidence: [tags]
package mlwarden.tagging.required_tags

import rego.v1

import data.mlwarden.lib.util

missing := [k |
	some k in object.get(util.settings, "required_tags", [])
	util.blank(object.get(util.tags, k, ""))
]

deny contains msg if {
	count(missing) > 0
	msg := concat("", [util.what(util.noun), " is missing required tag(s): ", concat(", ", missing)])
}
