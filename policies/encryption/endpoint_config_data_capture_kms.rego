# METADATA
# title: Endpoint data capture is encrypted with a customer-managed KMS key
# description: >-
#   Data capture copies live inference requests and responses (often personal data) to S3.
#   When capture is enabled, DataCaptureConfig.KmsKeyId must name a customer-managed key;
#   where settings.trusted_kms_keys is non-empty, one of them.
# custom:
#   id: MLW-ENC-004
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::EndpointConfig]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.6.2.6]
#   remediation: endpoint-redeploy
#   evidence: [properties.DataCaptureConfig.EnableCapture, properties.DataCaptureConfig.KmsKeyId]
package mlwarden.encryption.endpoint_config_data_capture_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

default capture := {}

capture := c if {
	c := util.prop(["DataCaptureConfig"])
	is_object(c)
}

# Only configurations that capture data are judged (CloudFormation's EnableCapture defaults to true).
applies if {
	count(capture) > 0
	object.get(capture, "EnableCapture", true) == true
}

key := object.get(capture, "KmsKeyId", "")

deny contains util.violation(msg, ["properties", "DataCaptureConfig", "KmsKeyId"]) if {
	applies
	util.blank(key)
	msg := concat("", [
		util.what("endpoint configuration"),
		" captures inference data without a customer-managed KMS key (DataCaptureConfig.KmsKeyId)",
	])
}

deny contains util.violation(msg, ["properties", "DataCaptureConfig", "KmsKeyId"]) if {
	applies
	util.present(key)
	some msg in kms.problems(key, concat("", [util.what("endpoint configuration"), "'s data capture"]))
}
