# METADATA
# title: ML resources run only in private subnets
# description: >-
#   A subnet whose route table sends traffic to an internet gateway, or that gives
#   instances public IP addresses, puts ML compute one security-group mistake away from
#   the internet. Every subnet an ML resource uses (input.related.subnets) must be
#   private; a subnet whose routing could not be read (facts.routes_to_internet_gateway
#   missing) or that was not found is reported.
# custom:
#   id: MLW-NET-013
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
#   remediation:
#     steps:
#       - >-
#         Use subnets whose route tables have no route to an internet gateway and that assign no public IP
#         addresses (outbound through NAT or VPC endpoints); most ML resources take their subnets only when
#         created, so they are recreated there.
#   evidence: [properties.SubnetId, properties.VpcConfig, properties.SubnetIds]
package mlwarden.network.ml_private_subnets

import rego.v1

import data.mlwarden.lib.util

subnets := object.get(object.get(input, "related", {}), "subnets", [])

unresolved := object.get(object.get(input, "related_missing", {}), "subnets", [])

deny contains util.violation(msg, ["related", "subnets", i, "facts", "routes_to_internet_gateway"]) if {
	some i, s in subnets
	object.get(s, ["facts", "routes_to_internet_gateway"], null) == true
	msg := concat("", [util.what(util.noun), " uses subnet ", s.id, ", which routes to an internet gateway"])
}

deny contains util.violation(msg, ["related", "subnets", i, "properties", "MapPublicIpOnLaunch"]) if {
	some i, s in subnets
	object.get(s, ["properties", "MapPublicIpOnLaunch"], false) == true
	msg := concat("", [util.what(util.noun), " uses subnet ", s.id, ", which assigns public IP addresses"])
}

deny contains util.violation(msg, ["related", "subnets", i, "facts", "routes_to_internet_gateway"]) if {
	some i, s in subnets
	object.get(s, ["facts", "routes_to_internet_gateway"], null) == null
	msg := concat("", [util.what(util.noun), ": could not determine whether subnet ", s.id, " routes to the internet"])
}

deny contains util.violation(msg, ["related_missing", "subnets", i]) if {
	some i, ref in unresolved
	msg := concat("", [util.what(util.noun), ": could not read subnet ", ref])
}
