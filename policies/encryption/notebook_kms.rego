# METADATA
# title: Notebook instances encrypt their storage with a customer-managed KMS key
# description: >-
#   A notebook instance's ML storage volume holds data scientists' working data. Without
#   KmsKeyId it is encrypted with an AWS-owned key the organisation cannot audit, rotate
#   or revoke. Where settings.trusted_kms_keys is non-empty the key must be one of them.
# custom:
#   id: MLW-ENC-001
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.21]
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.4.4]
#   remediation:
#     steps:
#       - >-
#         Create the new notebook instance with KmsKeyId set to a customer-managed KMS key.
#       - >-
#         These settings of a notebook instance cannot be changed: create a new instance with them, move the
#         work (through S3 or a Git repository), then delete the old instance.
#   evidence: [properties.KmsKeyId]
package mlwarden.encryption.notebook_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["KmsKeyId"])

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [util.what("notebook instance"), " has no customer-managed KMS key (KmsKeyId)"])
}

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("notebook instance"))
}
