# METADATA
# title: Production endpoints serve only signed, verified model packages
# description: >-
#   Every model package a production endpoint serves must carry a signature that verifies
#   (signature.present and signature.verified), so that what runs is what was reviewed.
#   The packages an endpoint serves come from input.related.model_packages when the
#   inventory resolved them, else from facts.model_packages (the collector's walk endpoint
#   -> configuration -> models, a variant's own or its inference components', shadow
#   variants' too -> packages,
#   each with ModelApprovalStatus and signature); facts.unregistered_models lists models
#   that reference no package. An endpoint whose packages could not be determined fails.
# custom:
#   id: MLW-REG-004
#   severity: critical
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, lineage]
#   controls:
#     NIST-800-53: [SI-7, CM-14, SR-4]
#     ISO-42001: [A.6.2.5, A.7.5]
#   remediation: endpoint-redeploy
#   evidence: [facts.model_packages]
package mlwarden.registry_governance.production_endpoint_signed_packages

import rego.v1

import data.mlwarden.lib.util

applies if util.is_production

related_packages := object.get(object.get(input, "related", {}), "model_packages", [])

packages := related_packages if count(related_packages) > 0

packages := object.get(util.facts, "model_packages", null) if count(related_packages) == 0

status(p) := object.get(p, ["properties", "ModelApprovalStatus"], object.get(p, "ModelApprovalStatus", ""))

signature(p) := util.as_object(object.get(p, ["facts", "signature"], object.get(p, "signature", {})))

label(p) := concat("", [object.get(p, "arn", object.get(p, "id", "?")), util.shadow_note(p)])

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	not is_array(packages)
	msg := concat("", [util.what("production endpoint"), ": could not determine which model packages it serves"])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	is_array(packages)
	some p in packages
	is_object(p)
	object.get(signature(p), "present", false) != true
	msg := concat("", [util.what("production endpoint"), " serves model package ", label(p), ", which is not signed"])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	is_array(packages)
	some p in packages
	is_object(p)
	object.get(signature(p), "present", false) == true
	object.get(signature(p), "verified", null) == false
	msg := concat("", [
		util.what("production endpoint"),
		" serves model package ",
		label(p),
		", whose signature does not verify",
	])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	is_array(packages)
	some p in packages
	is_object(p)
	object.get(signature(p), "present", false) == true
	object.get(signature(p), "verified", null) != true
	object.get(signature(p), "verified", null) != false
	msg := concat("", [
		util.what("production endpoint"),
		" serves model package ",
		label(p),
		", whose signature could not be verified",
	])
}
