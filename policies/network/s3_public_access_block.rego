# METADATA
# title: S3 buckets block all public access
# description: >-
#   Training data and model artefacts must never be public. All four Block Public Access
#   settings must be on, on the bucket (PublicAccessBlockConfiguration) or for the whole
#   account (facts.account_public_access_block); a setting on in either place counts.
# custom:
#   id: MLW-NET-019
#   severity: critical
#   category: network
#   resource_types: [AWS::S3::Bucket]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-3, AC-21, SC-7]
#     ISO-42001: [A.7.2]
#   remediation: s3-public-access-block
#   evidence: [properties.PublicAccessBlockConfiguration, facts.account_public_access_block]
package mlwarden.network.s3_public_access_block

import rego.v1

import data.mlwarden.lib.util

settings_names := ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

bucket_block := util.as_object(object.get(util.props, "PublicAccessBlockConfiguration", {}))

account_block := util.as_object(object.get(util.facts, "account_public_access_block", {}))

on(name) if object.get(bucket_block, name, false) == true

on(name) if object.get(account_block, name, false) == true

off := [name | some name in settings_names; not on(name)]

deny contains util.violation(msg, ["properties", "PublicAccessBlockConfiguration"]) if {
	count(off) > 0
	msg := concat("", [
		"bucket ",
		input.resource.id,
		" does not block public access: ",
		concat(", ", off),
		" off on the bucket and the account",
	])
}
