# METADATA
# title: Notebook instances run inside a VPC
# description: >-
#   A notebook without SubnetId runs in a SageMaker-managed network that the
#   organisation's security groups, flow logs and endpoints do not govern. Notebooks must
#   be launched into a customer VPC subnet.
# custom:
#   id: MLW-NET-002
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.2]
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Create the new notebook instance with SubnetId (a private subnet) and SecurityGroupIds.
#       - >-
#         These settings of a notebook instance cannot be changed: create a new instance with them, move the
#         work (through S3 or a Git repository), then delete the old instance.
#   evidence: [properties.SubnetId, properties.SecurityGroupIds]
package mlwarden.network.notebook_vpc

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "SubnetId"]) if {
	util.blank(util.prop(["SubnetId"]))
	msg := concat("", [util.what("notebook instance"), " is not launched in a VPC (no SubnetId)"])
}
