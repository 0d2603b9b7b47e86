# METADATA
# title: Production endpoints serve only model packages in the production stage
# description: >-
#   A package approved for use is not yet promoted to production: a production endpoint
#   must serve only packages whose lifecycle stage (ModelLifeCycle.Stage, or the tag
#   settings.lifecycle.stage_tag names) is settings.lifecycle.production_stage (default
#   PROD, compared ignoring case). The packages come from input.related.model_packages
#   when the inventory resolved them, else from facts.model_packages (endpoint ->
#   configuration -> models, a variant's own or its inference components', shadow
#   variants' too -> packages).
#   A model that comes from no package (or an inference component's own model data) has
#   no stage and fails; an endpoint whose packages could not be determined fails; a
#   package whose stage would come from a tag that was not read fails as "could not
#   determine".
# custom:
#   id: MLW-REG-011
#   severity: high
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags, lineage]
#   controls:
#     NIST-800-53: [CM-3, CM-5]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Serve a model package in the production stage (settings lifecycle.production_stage):
#         promote the package after review (aws sagemaker update-model-package ModelLifeCycle),
#         or redeploy the endpoint from one that is.
#       - >-
#         Build production models from registered packages (ModelPackageName in the model's
#         containers), not from loose model data.
#   evidence: [properties.EndpointConfigName, facts.model_packages, facts.unregistered_models]
package mlwarden.registry_governance.production_endpoint_prod_stage

import rego.v1

import data.mlwarden.lib.lifecycle
import data.mlwarden.lib.util

applies if util.is_production

related_packages := object.get(object.get(input, "related", {}), "model_packages", [])

packages := related_packages if count(related_packages) > 0

packages := object.get(util.facts, "model_packages", null) if count(related_packages) == 0

cycle(p) := object.get(p, ["properties", "ModelLifeCycle"], object.get(p, "ModelLifeCycle", null))

# A package document (related) always has tags; a lineage entry has them only when read.
tags_read(p) if is_object(object.get(p, "tags", null))

stage(p) := lifecycle.stage(cycle(p), object.get(p, "tags", {}))

label(p) := concat("", [object.get(p, "arn", object.get(p, "id", "?")), util.shadow_note(p)])

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	not is_array(packages)
	msg := concat("", [util.what("production endpoint"), ": could not determine which model packages it serves"])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	some p in util.as_array(packages)
	is_object(p)
	stage(p) == null
	tag_unread(p)
	msg := concat("", [
		util.what("production endpoint"), ": could not determine the lifecycle stage of model package ",
		label(p), " (its tags were not read)",
	])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	some p in util.as_array(packages)
	is_object(p)
	stage(p) == null
	not tag_unread(p)
	msg := concat("", [
		util.what("production endpoint"), " serves model package ", label(p),
		", which has no lifecycle stage (", lifecycle.source, ")",
	])
}

deny contains util.violation(msg, ["facts", "model_packages"]) if {
	applies
	some p in util.as_array(packages)
	is_object(p)
	is_string(stage(p))
	not lifecycle.is_production_stage(stage(p))
	msg := concat("", [
		util.what("production endpoint"), " serves model package ", label(p),
		", which is in stage ", stage(p), ", not ", lifecycle.production_stage,
	])
}

deny contains util.violation(msg, ["facts", "unregistered_models"]) if {
	applies
	some m in util.as_array(object.get(util.facts, "unregistered_models", []))
	is_string(m)
	msg := concat("", [
		util.what("production endpoint"), " serves model ", m,
		", which comes from no registered model package and so has no lifecycle stage",
	])
}

tag_unread(p) if {
	lifecycle.stage_tag != null
	not tags_read(p)
}
