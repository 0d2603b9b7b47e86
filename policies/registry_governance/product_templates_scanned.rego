# METADATA
# title: The templates of Service Catalog products' active versions can be read and scanned
# description: >-
#   What a product launches is its template; mlwarden judges each active version's template
#   like any CloudFormation template (its resources appear in the findings with the
#   product, version and template as their source). facts.templates lists, per active
#   version, whether its template was read (s3:GetObject on the version's
#   Info.TemplateUrl) and scanned. A template that was read but is no CloudFormation
#   template mlwarden can parse fails: nobody can say what that version launches. A
#   template that could not be read makes this policy NOT_ASSESSED, naming the call and
#   the version; so does a scan where the IaC scanner is not installed.
# custom:
#   id: MLW-GOV-002
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::ServiceCatalog::CloudFormationProduct]
#   facets: [describe, templates]
#   controls:
#     NIST-800-53: [CM-2, CM-3(2)]
#     ISO-42001: [A.6.2.5, A.6.2.7]
#   remediation:
#     steps:
#       - >-
#         Fix the version's template (validate it with aws cloudformation validate-template),
#         add it as a new version of the product, and deactivate the broken version
#         (aws servicecatalog update-provisioning-artifact --no-active).
#   evidence: [facts.templates]
package mlwarden.registry_governance.product_templates_scanned

import rego.v1

import data.mlwarden.lib.util

# A value for a message: itself when text, else "?" (the Wasm engine has no sprintf).
text(x) := x if is_string(x)

else := "?"

templates := object.get(util.facts, "templates", null)

name := text(util.prop("Name")) if util.present(util.prop("Name"))

else := object.get(input.resource, "id", "?")

deny contains util.violation(msg, ["facts", "templates"]) if {
	not is_array(templates)
	msg := concat("", [
		"Service Catalog product ", name,
		": could not determine its versions' templates (facts.templates is missing)",
	])
}

deny contains util.violation(msg, ["facts", "templates"]) if {
	some t in templates
	is_object(t)
	object.get(t, "read", false) == true
	object.get(t, "scanned", false) != true
	msg := concat("", [
		"Service Catalog product ", name, " version ", text(object.get(t, "Version", "?")),
		": its template ", text(object.get(t, "TemplateUrl", "?")), " could not be scanned: ",
		text(object.get(t, "error", "not parsed")),
	])
}
