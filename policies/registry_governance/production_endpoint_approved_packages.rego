# METADATA
# title: Production endpoints serve only approved, registered model packages
# description: >-
#   A production endpoint must serve models that went through the registry's approval:
#   every model package it serves must be Approved, and every model it serves must come
#   from a package. The packages an endpoint serves come from input.related.model_packages
#   when the inventory resolved them, else from facts.model_packages (the collector's walk
#   endpoint -> configuration -> models, a variant's own or its inference components',
#   shadow variants' too -> packages, each with ModelApprovalStatus and signature); facts.unregistered_models lists
#   models that reference no package, and inference components that load model data of
#   their own. An endpoint whose packages could not be determined fails.
# custom:
#   id: MLW-REG-003
#   severity: critical
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, lineage]
#   controls:
#     NIST-800-53: [CM-3, CM-5, SI-7]
#     ISO-42001: [A.6.2.5, A.6.1.3]
#   remediation: endpoint-redeploy
#   evidence: [properties.EndpointConfigName, facts.model_packages, facts.unregistered_models]
package mlwarden.registry_governance.production_endpoint_approved_packages

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
	status(p) != "Approved"
	msg := concat("", [
		util.what("production endpoint"),
		" serves model package ",
		label(p),
		", which is ",
		util.show(status(p)),
		", not Approved",
	])
}

deny contains util.violation(msg, ["facts", "unregistered_models"]) if {
	applies
	some m in util.as_array(object.get(util.facts, "unregistered_models", []))
	is_string(m)
	msg := concat("", [
		util.what("production endpoint"),
		" serves model ",
		m,
		", which comes from no registered model package",
	])
}
