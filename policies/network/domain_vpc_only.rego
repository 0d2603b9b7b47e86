# METADATA
# title: Studio domains send all traffic through the customer VPC
# description: >-
#   With AppNetworkAccessType PublicInternetOnly (the default), Studio apps reach the
#   internet through a SageMaker-managed network the organisation cannot inspect. Domains
#   must be VpcOnly.
# custom:
#   id: MLW-NET-010
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::Domain]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Delete the domain's apps, then set AppNetworkAccessType to VpcOnly (aws sagemaker update-domain
#         --app-network-access-type VpcOnly) with private subnets.
#       - >-
#         Create VPC endpoints for what the users need (SageMaker API and runtime, S3, STS, ECR, CloudWatch
#         Logs).
#   evidence: [properties.AppNetworkAccessType]
package mlwarden.network.domain_vpc_only

import rego.v1

import data.mlwarden.lib.util

value := util.prop(["AppNetworkAccessType"])

deny contains util.violation(msg, ["properties", "AppNetworkAccessType"]) if {
	value != "VpcOnly"
	msg := concat("", [
		util.what("domain"),
		" gives its apps internet access outside the VPC (AppNetworkAccessType is ",
		util.show(value),
		")",
	])
}
