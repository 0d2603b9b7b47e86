# METADATA
# title: ML resources sit only in security groups closed to the internet
# description: >-
#   Every security group a notebook, job, model, domain or monitoring schedule uses
#   (input.related.security_groups) must not admit 0.0.0.0/0 or ::/0. A referenced group
#   that could not be read is reported.
# custom:
#   id: MLW-NET-012
#   severity: high
#   category: network
#   resource_types:
#     - AWS::SageMaker::NotebookInstance
#     - MLW::SageMaker::TrainingJob
#     - MLW::SageMaker::ProcessingJob
#     - AWS::SageMaker::Model
#     - AWS::SageMaker::Domain
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe, job_definition]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation: sg-revoke-world-ingress
#   evidence: [properties.SecurityGroupIds, properties.VpcConfig]
package mlwarden.network.ml_security_groups_not_open

import rego.v1

import data.mlwarden.lib.util

groups := object.get(object.get(input, "related", {}), "security_groups", [])

unresolved := object.get(object.get(input, "related_missing", {}), "security_groups", [])

world := {"0.0.0.0/0", "::/0"}

open_to_world(g) if object.get(g, ["facts", "open_to_world"], false) == true

open_to_world(g) if {
	some r in util.as_array(object.get(g, ["properties", "SecurityGroupIngress"], []))
	some field in ["CidrIp", "CidrIpv6"]
	object.get(util.as_object(r), field, "") in world
}

deny contains util.violation(msg, ["related", "security_groups", i, "properties", "SecurityGroupIngress"]) if {
	some i, g in groups
	open_to_world(g)
	msg := concat("", [util.what(util.noun), " uses security group ", g.id, ", which admits traffic from the internet"])
}

deny contains util.violation(msg, ["related_missing", "security_groups", i]) if {
	some i, ref in unresolved
	msg := concat("", [util.what(util.noun), ": could not read security group ", ref])
}
