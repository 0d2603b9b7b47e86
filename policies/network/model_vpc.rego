# METADATA
# title: Models run inside a VPC
# description: >-
#   Without VpcConfig the model runs in a SageMaker-managed network: its traffic to S3 and
#   other services bypasses the organisation's VPC endpoints, endpoint policies and flow
#   logs. VpcConfig must name subnets and security groups.
# custom:
#   id: MLW-NET-009
#   severity: medium
#   category: network
#   resource_types: [AWS::SageMaker::Model]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Set VpcConfig with private subnets and security groups on the new model.
#       - >-
#         A model cannot be changed: create a new model, then a new endpoint configuration that uses it, and
#         move the endpoint to it (aws sagemaker update-endpoint).
#   evidence: [properties.VpcConfig]
package mlwarden.network.model_vpc

import rego.v1

import data.mlwarden.lib.util

default vpc := {}

vpc := v if {
	v := util.prop(["VpcConfig"])
	is_object(v)
}

deny contains util.violation(msg, ["properties", "VpcConfig", "Subnets"]) if {
	util.blank(object.get(vpc, "Subnets", []))
	msg := concat("", [util.what("model"), " does not run in a VPC (no VpcConfig.Subnets)"])
}

deny contains util.violation(msg, ["properties", "VpcConfig", "SecurityGroupIds"]) if {
	util.present(object.get(vpc, "Subnets", []))
	util.blank(object.get(vpc, "SecurityGroupIds", []))
	msg := concat("", [util.what("model"), " names no security groups (VpcConfig.SecurityGroupIds)"])
}
