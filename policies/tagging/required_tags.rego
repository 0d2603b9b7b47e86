# METADATA
# title: ML resources carry the organisation's required tags
# description: >-
#   Ownership, project, cost centre and environment tags are how incidents reach an owner,
#   costs reach a budget and production rules find production. Every tag key in
#   settings.required_tags (or settings.required_tags_by_type for the resource's type) must
#   be present with a non-empty value on every SageMaker resource, and on the S3 buckets,
#   KMS keys and IAM roles that SageMaker resources reference (facts.ml_referenced_by):
#   training data, artefacts, capture buckets, their keys and the execution roles.
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
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#     - AWS::S3::Bucket
#     - AWS::KMS::Key
#     - AWS::IAM::Role
#   facets: [describe, tags, ml_estate]
#   controls:
#     NIST-800-53: [CM-8, PM-5]
#     ISO-42001: [A.4.2, A.3.2]
#   remediation: required-tags
#   evidence: [tags, facts.ml_referenced_by]
package mlwarden.tagging.required_tags

import rego.v1

import data.mlwarden.lib.util

# Buckets, keys and roles belong to the ML estate when an ML resource references them.
estate_types := {"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::IAM::Role"}

applies if not input.resource.type in estate_types

applies if {
	input.resource.type in estate_types
	count(util.as_array(object.get(util.facts, "ml_referenced_by", []))) > 0
}

by_type := util.as_object(object.get(util.settings, "required_tags_by_type", {}))

default required := []

required := util.as_array(by_type[input.resource.type])

required := util.as_array(object.get(util.settings, "required_tags", [])) if {
	object.get(by_type, input.resource.type, null) == null
}

missing := [k |
	some k in required
	util.blank(object.get(util.tags, k, ""))
]

deny contains util.violation(msg, ["tags"]) if {
	applies
	count(missing) > 0
	msg := concat("", [util.what(util.noun), " is missing required tag(s): ", concat(", ", missing)])
}
