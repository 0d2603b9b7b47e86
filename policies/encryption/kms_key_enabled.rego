# METADATA
# title: Customer-managed KMS keys are enabled and not pending deletion
# description: >-
#   A disabled key, or one scheduled for deletion, makes every volume, artefact and
#   capture it encrypts unreadable: notebooks fail to start, endpoints fail to scale,
#   models cannot be restored. Customer-managed keys must be in the Enabled state.
# custom:
#   id: MLW-ENC-019
#   severity: high
#   category: encryption
#   resource_types: [AWS::KMS::Key]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-12, CP-9]
#     ISO-42001: [A.7.2, A.4.4]
#   remediation:
#     steps:
#       - >-
#         If the key is pending deletion and still needed, cancel the deletion (aws kms cancel-key-deletion
#         --key-id KEY); the key is then disabled.
#       - >-
#         Enable it (aws kms enable-key --key-id KEY). If the key is meant to go, first move every resource
#         that uses it to another key.
#   evidence: [properties.KeyState, properties.Enabled]
package mlwarden.encryption.kms_key_enabled

import rego.v1

import data.mlwarden.lib.util

# AWS-managed keys are out of scope; a key whose KeyManager is missing is judged.
applies if util.prop("KeyManager") != "AWS"

deny contains util.violation(msg, ["properties", "KeyState"]) if {
	applies
	state := util.prop("KeyState")
	util.present(state)
	state != "Enabled"
	msg := concat("", ["KMS key ", input.resource.id, " is not enabled (KeyState ", util.show(state), ")"])
}

deny contains util.violation(msg, ["properties", "KeyState"]) if {
	applies
	util.blank(util.prop("KeyState"))
	msg := concat("", ["KMS key ", input.resource.id, ": could not determine whether it is enabled (KeyState not read)"])
}
