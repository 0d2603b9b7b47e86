# METADATA
# title: VPCs hosting ML work reach S3 through a VPC endpoint
# description: >-
#   Without a gateway endpoint for com.amazonaws.<region>.s3, calls from notebooks, jobs
#   and endpoints in the VPC to S3 leave through a NAT or internet gateway. Judged on VPCs
#   that host ML work (facts.hosts_ml_work; every VPC when the collector does not say)
#   from the service names of the VPC's endpoints (facts.endpoints); a VPC whose endpoints
#   could not be listed is reported.
# custom:
#   id: MLW-NET-016
#   severity: medium
#   category: network
#   resource_types: [AWS::EC2::VPC]
#   facets: [describe, ml_usage]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Create an S3 gateway endpoint in the VPC (aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway
#         --service-name com.amazonaws.REGION.s3) and attach it to the route tables of the subnets that run ML
#         work.
#   evidence: [facts.endpoints]
package mlwarden.network.vpc_s3_gateway_endpoint

import rego.v1

import data.mlwarden.lib.util

applies if object.get(util.facts, "hosts_ml_work", true) == true

endpoints := object.get(util.facts, "endpoints", null)

deny contains util.violation(msg, ["facts", "endpoints"]) if {
	applies
	not is_array(endpoints)
	msg := concat("", [
		"VPC ",
		input.resource.id,
		": could not determine its VPC endpoints (facts.endpoints is missing)",
	])
}

deny contains util.violation(msg, ["facts", "endpoints"]) if {
	applies
	is_array(endpoints)
	count([e | some e in endpoints; is_string(e); endswith(e, ".s3")]) == 0
	msg := concat("", ["VPC ", input.resource.id, " has no VPC endpoint for com.amazonaws.<region>.s3"])
}
