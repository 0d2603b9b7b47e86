# METADATA
# title: Model package signatures verify against a trusted, enabled signing key
# description: >-
#   A signature only proves integrity if it verifies against a key the organisation
#   trusts. Trusted: the signature verified (facts.signature.verified) against the key
#   the scan resolved in KMS (facts.signature.key_arn, Enabled), and that key is in
#   settings.trusted_signing_keys by key ARN, by an alias ARN pointing at it now
#   (facts.signature.key_aliases), or by key id / alias name in the package's own
#   account and region; or a Signer profile in settings.trusted_signing_profiles, Active,
#   whose signing material is that key. What a package's metadata names (a profile, a
#   key id) is not evidence: anyone who can register a package can write it.
# custom:
#   id: MLW-INT-002
#   severity: high
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe, signature]
#   controls:
#     NIST-800-53: [SI-7, CM-14, SR-4, SC-12]
#     ISO-42001: [A.6.2.3, A.7.5]
#   remediation: model-package-quarantine
#   evidence: [facts.signature.key_id, facts.signature.key_arn, facts.signature.key_state,
#     facts.signature.key_aliases, facts.signature.verified, facts.signature.signing_profile]
package mlwarden.model_integrity.model_package_signature_trusted

import rego.v1

import data.mlwarden.lib.util

signature := util.as_object(object.get(util.facts, "signature", {}))

applies if object.get(signature, "present", false) == true

# No signature fact at all: judged ("could not determine"), never silently skipped.
applies if not is_object(object.get(util.facts, "signature", null))

key_id := object.get(signature, "key_id", "")

# What KMS says about the recorded key (resolved by the collector), not what the package says.
key_arn := object.get(signature, "key_arn", "")

key_state := object.get(signature, "key_state", "")

key_aliases := object.get(signature, "key_aliases", [])

profile := object.get(signature, "signing_profile", "")

verified if object.get(signature, "verified", false) == true

enabled if key_state == "Enabled"

trusted_keys := object.get(util.settings, "trusted_signing_keys", [])

# A trusted entry names the resolved key: its key ARN, an alias ARN pointing at it now,
# or (short forms) its key id or an alias name, then only in the package's own account
# and region.
key := {
	"arn": key_arn,
	"aliases": key_aliases,
	"region": object.get(input.resource, "region", ""),
	"account": object.get(input.resource, "account", ""),
}

names_key(t, k) if {
	is_string(k.arn)
	k.arn != ""
	t == k.arn
}

names_key(t, k) if {
	is_string(t)
	t in k.aliases
}

names_key(t, k) if {
	is_string(t)
	not startswith(t, "arn:")
	parts := split(k.arn, ":")
	count(parts) == 6
	parts[3] == k.region
	parts[4] == k.account
	t in {trim_prefix(parts[5], "key/"), parts[5]}
}

names_key(t, k) if {
	is_string(t)
	startswith(t, "alias/")
	some a in k.aliases
	parts := split(a, ":")
	parts[3] == k.region
	parts[4] == k.account
	parts[5] == t
}

key_trusted if {
	some t in trusted_keys
	names_key(t, key)
}

# A profile counts only when trusted by name or ARN, Active, and signing with the very
# key the signature verified against.
profile_trusted if {
	profile != ""
	some p in object.get(object.get(input, "related", {}), "signing_profiles", [])
	name := object.get(p, ["properties", "ProfileName"], p.id)
	name == profile
	some t in object.get(util.settings, "trusted_signing_profiles", [])
	t in {name, object.get(p, "arn", "")}
	object.get(p, ["properties", "Status"], "") == "Active"
	material := object.get(p, ["properties", "SigningMaterial"], {})
	key_arn in {object.get(material, "CertificateArn", null), object.get(material, "KeyArn", null)}
}

trusted if {
	verified
	enabled
	key_trusted
}

trusted if {
	verified
	enabled
	profile_trusted
}

signer := concat("", ["key ", util.show(key_id), resolved, ", profile ", util.show(profile)])

default resolved := ""

resolved := concat("", [" (resolves to ", key_arn, ")"]) if {
	is_string(key_arn)
	key_arn != ""
	key_arn != key_id
}

deny contains util.violation(msg, ["facts", "signature"]) if {
	not is_object(object.get(util.facts, "signature", null))
	msg := concat("", [
		util.what("model package"),
		": could not determine whether it is signed (facts.signature is missing)",
	])
}

deny contains util.violation(msg, ["facts", "signature", "verified"]) if {
	applies
	not verified
	msg := concat("", [
		util.what("model package"),
		": its signature was not verified against the signing key (",
		signer,
		"), so its signer cannot be trusted",
	])
}

deny contains util.violation(msg, ["facts", "signature", "key_state"]) if {
	applies
	verified
	not enabled
	msg := concat("", [
		util.what("model package"),
		" is signed with a key that is not enabled (",
		signer,
		", state ",
		util.show(key_state),
		")",
	])
}

deny contains util.violation(msg, ["facts", "signature", "key_arn"]) if {
	applies
	verified
	enabled
	not trusted
	msg := concat("", [
		util.what("model package"),
		" is signed by an untrusted signer (",
		signer,
		"): the key is not in settings.trusted_signing_keys, and naming a profile is not evidence",
	])
}
