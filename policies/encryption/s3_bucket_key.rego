# METADATA
# title: SSE-KMS buckets use S3 Bucket Keys
# description: >-
#   Without a Bucket Key every object operation calls KMS: training jobs reading millions
#   of objects hit KMS request quotas and costs. Buckets defaulting to SSE-KMS must set
#   BucketKeyEnabled.
# custom:
#   id: MLW-ENC-013
#   severity: low
#   category: encryption
#   resource_types: [AWS::S3::Bucket]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-12]
#     ISO-42001: [A.4.5]
#   remediation: s3-sse-kms
#   evidence: [properties.BucketEncryption]
package mlwarden.encryption.s3_bucket_key

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.s3

applies if s3.uses_kms(input.resource)

deny contains util.violation(msg, array.concat(s3.rule_path, ["BucketKeyEnabled"])) if {
	applies
	object.get(s3.default_rule(input.resource), "BucketKeyEnabled", false) != true
	msg := concat("", ["bucket ", s3.name(input.resource), " uses SSE-KMS without an S3 Bucket Key (BucketKeyEnabled)"])
}
