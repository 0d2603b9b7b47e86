# METADATA
# title: Studio domains encrypt their EFS home volume with a customer-managed KMS key
# description: >-
#   A SageMaker Studio domain stores every user's home directory on an EFS volume. Without
#   KmsKeyId the volume is encrypted with an AWS managed key that cannot be restricted or
#   revoked per domain. Where settings.trusted_kms_keys is non-empty the key must be one
#   of them.
# custom:
#   id: MLW-ENC-002
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::Domain]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.4.4]
#   remediation:
#     steps:
#       - >-
#         A Studio domain's KmsKeyId is set when it is created: create a new domain with a customer-managed
#         KMS key and move the user profiles and their home data to it.
#   evidence: [properties.KmsKeyId]
package mlwarden.encryption.domain_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["KmsKeyId"])

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [util.what("domain"), " has no customer-managed KMS key (KmsKeyId)"])
}

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("domain"))
}
