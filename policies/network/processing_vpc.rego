# METADATA
# title: Processing jobs run inside a VPC
# description: >-
#   Without NetworkConfig.VpcConfig the processing job runs in a SageMaker-managed
#   network: its traffic to S3 and other services bypasses the organisation's VPC
#   endpoints, endpoint policies and flow logs. NetworkConfig.VpcConfig must name subnets
#   and security groups.
# custom:
#   id: MLW-NET-007
#   severity: medium
#   category: network
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.VpcConfig with private subnets and security groups.
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.NetworkConfig.VpcConfig]
package mlwarden.network.processing_vpc

import rego.v1

import data.mlwarden.lib.util

default vpc := {}

vpc := v if {
	v := util.prop(["NetworkConfig", "VpcConfig"])
	is_object(v)
}

deny contains util.violation(msg, ["properties", "NetworkConfig", "VpcConfig", "Subnets"]) if {
	util.blank(object.get(vpc, "Subnets", []))
	msg := concat("", [util.what("processing job"), " does not run in a VPC (no NetworkConfig.VpcConfig.Subnets)"])
}

deny contains util.violation(msg, ["properties", "NetworkConfig", "VpcConfig", "SecurityGroupIds"]) if {
	util.present(object.get(vpc, "Subnets", []))
	util.blank(object.get(vpc, "SecurityGroupIds", []))
	msg := concat("", [
		util.what("processing job"),
		" names no security groups (NetworkConfig.VpcConfig.SecurityGroupIds)",
	])
}
