# METADATA
# title: Production endpoints and notebooks are provisioned from an approved Service Catalog product
# description: >-
#   A platform team proves its guardrails (encryption, network, monitoring, tags) once, in
#   the template of a Service Catalog product, and teams launch that product instead of
#   building ML infrastructure by hand. facts.provenance says which provisioned product
#   (and which product and version) created the endpoint or notebook, from the resources of
#   the provisioned products' CloudFormation stacks, or "none". Production resources must
#   come from a product in an approved portfolio: settings service_catalog.approved_portfolios
#   lists portfolio ids, names or ARNs; empty (the default) accepts any portfolio in the
#   accounts the scan read. A resource created by hand or outside the catalog fails; one
#   whose provenance could not be read is NOT_ASSESSED, naming the read. Templates scanned
#   before deployment are not judged: how a template will be launched is not in it.
# custom:
#   id: MLW-GOV-001
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Endpoint, AWS::SageMaker::NotebookInstance]
#   facets: [describe, tags, provenance]
#   controls:
#     NIST-800-53: [CM-2, CM-3, SR-4]
#     ISO-42001: [A.6.2.5, A.4.4]
#   remediation:
#     steps:
#       - >-
#         Launch the resource from the approved product instead (Service Catalog console:
#         Products, Launch product; CLI: aws servicecatalog provision-product), move its
#         traffic or users there, then delete the hand-made one.
#       - >-
#         If the product is the right one but its portfolio is not listed, add the portfolio's
#         id or name to settings service_catalog.approved_portfolios.
#   evidence: [facts.provenance]
package mlwarden.registry_governance.provisioned_from_approved_product

import rego.v1

import data.mlwarden.lib.util

# A value for a message: itself when text, else "?" (the Wasm engine has no sprintf).
text(x) := x if is_string(x)

else := "?"

# Deployed resources only: a template's resources have no provenance before launch.
applies if {
	util.is_production
	object.get(input.resource, ["source", "kind"], "live") == "live"
}

provenance := util.as_object(object.get(util.facts, "provenance", null))

catalog_settings := util.as_object(object.get(util.settings, "service_catalog", {}))

approved_list := util.as_array(object.get(catalog_settings, "approved_portfolios", []))

names(p) := {x | some k in ["Id", "DisplayName", "ARN"]; x := object.get(p, k, null); is_string(x)}

approved(_) if count(approved_list) == 0

approved(p) if {
	some allowed in approved_list
	allowed in names(p)
}

portfolios := [p | some p in util.as_array(object.get(provenance, "portfolios", [])); is_object(p)]

from_approved if {
	some p in portfolios
	approved(p)
}

kind := object.get(provenance, "kind", "")

default noun := "production endpoint"

noun := "notebook instance" if input.resource.type == "AWS::SageMaker::NotebookInstance"

product_text := concat("", [
	"product ", text(object.get(provenance, "product", "?")),
	" (version ", text(object.get(provenance, "version", "?")),
	") through provisioned product ", text(object.get(provenance, "provisioned_product", "?")),
])

portfolio_names := concat(", ", [text(object.get(p, "DisplayName", object.get(p, "Id", "?"))) | some p in portfolios])

deny contains util.violation(msg, ["facts", "provenance"]) if {
	applies
	not kind in {"none", "service_catalog"}
	msg := concat("", [
		util.what(noun),
		": could not determine which Service Catalog product created it (facts.provenance is missing)",
	])
}

deny contains util.violation(msg, ["facts", "provenance"]) if {
	applies
	kind == "none"
	msg := concat("", [
		util.what(noun),
		" was not provisioned from a Service Catalog product (created by hand or outside the catalog)",
	])
}

deny contains util.violation(msg, ["facts", "provenance"]) if {
	applies
	kind == "service_catalog"
	count(portfolios) == 0
	msg := concat("", [util.what(noun), " came from ", product_text, ", which is in no portfolio"])
}

deny contains util.violation(msg, ["facts", "provenance"]) if {
	applies
	kind == "service_catalog"
	count(portfolios) > 0
	not from_approved
	msg := concat("", [
		util.what(noun), " came from ", product_text, ", whose portfolios (", portfolio_names,
		") are not in settings service_catalog.approved_portfolios",
	])
}
