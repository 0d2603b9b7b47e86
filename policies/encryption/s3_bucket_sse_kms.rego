# METADATA
# title: S3 buckets default to SSE-KMS with a customer-managed key
# description: >-
#   SSE-S3 (AES256), which AWS applies to every new bucket, encrypts with keys nobody in
#   the organisation controls or audits. Buckets must default to SSE-KMS (aws:kms or
#   aws:kms:dsse) with a customer-managed key, one of settings.trusted_kms_keys where that
#   list is non-empty.
# custom:
#   id: MLW-ENC-012
#   severity: high
#   category: encryption
#   resource_types: [AWS::S3::Bucket]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [S3.17]
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2]
#   remediation: s3-sse-kms
#   evidence: [properties.BucketEncryption]
package mlwarden.encryption.s3_bucket_sse_kms

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.kms
import data.mlwarden.lib.s3

bucket := input.resource

deny contains util.violation(msg, array.concat(s3.rule_path, ["ServerSideEncryptionByDefault", "SSEAlgorithm"])) if {
	not s3.uses_kms(bucket)
	alg := s3.algorithm(bucket)
	alg != ""
	msg := concat("", ["bucket ", s3.name(bucket), " defaults to ", alg, " encryption, not SSE-KMS"])
}

deny contains util.violation(msg, ["properties", "BucketEncryption"]) if {
	s3.algorithm(bucket) == ""
	msg := concat("", ["bucket ", s3.name(bucket), " has no default encryption configuration (BucketEncryption)"])
}

deny contains util.violation(msg, array.concat(s3.rule_path, ["ServerSideEncryptionByDefault", "KMSMasterKeyID"])) if {
	s3.uses_kms(bucket)
	s3.kms_key(bucket) == ""
	msg := concat("", [
		"bucket ",
		s3.name(bucket),
		" uses SSE-KMS with the AWS managed key aws/s3, not a customer-managed key",
	])
}

deny contains util.violation(msg, array.concat(s3.rule_path, ["ServerSideEncryptionByDefault", "KMSMasterKeyID"])) if {
	s3.uses_kms(bucket)
	k := s3.kms_key(bucket)
	k != ""
	some msg in kms.problems(k, concat("", ["bucket ", s3.name(bucket)]))
}
