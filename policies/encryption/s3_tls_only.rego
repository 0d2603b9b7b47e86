# METADATA
# title: S3 bucket policies refuse requests not sent over TLS
# description: >-
#   A bucket policy that denies s3:* when aws:SecureTransport is false makes plain-HTTP
#   access to training data and model artefacts impossible. The collector judges the
#   policy document (facts.tls_only); a bucket whose policy could not be judged fails.
# custom:
#   id: MLW-ENC-017
#   severity: medium
#   category: encryption
#   resource_types: [AWS::S3::Bucket]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [S3.5]
#     NIST-800-53: [SC-8, SC-8(1)]
#     ISO-42001: [A.7.2]
#   remediation: s3-tls-only
#   evidence: [facts.tls_only, properties.PolicyDocument]
package mlwarden.encryption.s3_tls_only

import rego.v1

import data.mlwarden.lib.util

tls_only := object.get(util.facts, "tls_only", null)

deny contains util.violation(msg, ["facts", "tls_only"]) if {
	tls_only == null
	msg := concat("", [
		"bucket ",
		input.resource.id,
		": could not determine whether its policy requires TLS (facts.tls_only is missing)",
	])
}

deny contains util.violation(msg, ["properties", "PolicyDocument"]) if {
	tls_only == false
	msg := concat("", [
		"bucket ",
		input.resource.id,
		" does not deny requests without TLS (no aws:SecureTransport=false deny statement)",
	])
}
