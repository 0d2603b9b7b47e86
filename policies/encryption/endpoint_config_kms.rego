# METADATA
# title: Endpoint configurations encrypt the hosting volume with a customer-managed KMS key
# description: >-
#   The ML storage volume attached to hosting instances holds the model artefacts being
#   served. An endpoint configuration without KmsKeyId leaves it under an AWS-owned key.
#   Where settings.trusted_kms_keys is non-empty the key must be one of them.
# custom:
#   id: MLW-ENC-003
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::EndpointConfig]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.6.2.5]
#   remediation: endpoint-redeploy
#   evidence: [properties.KmsKeyId]
package mlwarden.encryption.endpoint_config_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["KmsKeyId"])

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [util.what("endpoint configuration"), " has no customer-managed KMS key (KmsKeyId)"])
}

deny contains util.violation(msg, ["properties", "KmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("endpoint configuration"))
}
