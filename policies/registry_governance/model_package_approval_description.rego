# METADATA
# title: Approved model packages record why and by whom they were approved
# description: >-
#   An approval without an ApprovalDescription leaves auditors nothing to check the
#   decision against (ticket, reviewer, evaluation looked at). Approved packages must
#   carry a non-empty ApprovalDescription.
# custom:
#   id: MLW-REG-002
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, AU-10]
#     ISO-42001: [A.6.2.5, A.6.2.7]
#   remediation:
#     steps:
#       - >-
#         Record who approved the package and why: aws sagemaker update-model-package --model-package-arn ARN
#         --approval-description with the reviewer and the reason.
#   evidence: [properties.ApprovalDescription, properties.LastModifiedBy]
package mlwarden.registry_governance.model_package_approval_description

import rego.v1

import data.mlwarden.lib.util

applies if util.prop("ModelApprovalStatus") == "Approved"

deny contains util.violation(msg, ["properties", "ApprovalDescription"]) if {
	applies
	util.blank(util.prop("ApprovalDescription"))
	msg := concat("", [util.what("model package"), " is Approved without an ApprovalDescription"])
}
