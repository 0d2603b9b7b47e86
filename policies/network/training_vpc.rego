# METADATA
# title: Training jobs run inside a VPC
# description: >-
#   Without VpcConfig the training job runs in a SageMaker-managed network: its traffic to
#   S3 and other services bypasses the organisation's VPC endpoints, endpoint policies and
#   flow logs. VpcConfig must name subnets and security groups.
# custom:
#   id: MLW-NET-005
#   severity: medium
#   category: network
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Set VpcConfig with private subnets and security groups (SDK: subnets and security_group_ids).
#       - >-
#         A training job cannot be changed once started: fix its definition (SDK estimator, pipeline step or
#         CreateTrainingJob call) and run it again.
#   evidence: [properties.VpcConfig]
package mlwarden.network.training_vpc

import rego.v1

import data.mlwarden.lib.util

default vpc := {}

vpc := v if {
	v := util.prop(["VpcConfig"])
	is_object(v)
}

deny contains util.violation(msg, ["properties", "VpcConfig", "Subnets"]) if {
	util.blank(object.get(vpc, "Subnets", []))
	msg := concat("", [util.what("training job"), " does not run in a VPC (no VpcConfig.Subnets)"])
}

deny contains util.violation(msg, ["properties", "VpcConfig", "SecurityGroupIds"]) if {
	util.present(object.get(vpc, "Subnets", []))
	util.blank(object.get(vpc, "SecurityGroupIds", []))
	msg := concat("", [util.what("training job"), " names no security groups (VpcConfig.SecurityGroupIds)"])
}
