# METADATA
# title: Notebook instances encrypt their storage with a customer-managed KMS key
# description: >-
#   A notebook instance's ML storage volume holds data scientists' working data. Without
#   KmsKeyId it is encrypted with an AWS-owned key the organisation cannot audit, rotate
#   or revoke.
# custom:
#   id: MLW-ENC-001
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   controls:
#     AWS-FSBP: [SageMaker.3]
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2]
#   evidence: [properties.KmsKeyId]
package mlwarden.encryption.notebook_kms

import rego.v1

deny contains msg if {
	not input.resource.properties.KmsKeyId
	msg := concat("", ["notebook instance ", input.resource.id, " has no customer-managed KMS key (KmsKeyId)"])
}
