package mlwarden.registry_governance.product_templates_scanned_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.product_templates_scanned

product_input(templates) := {"resource": {
	"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "account": "111122223333",
	"region": "eu-west-1", "properties": {"Name": "ml-realtime-endpoint"}, "facts": {"templates": templates},
}}

broken := {"Version": "v2", "read": true, "scanned": false, "TemplateUrl": "https://b.s3.amazonaws.com/v2.yaml", "error": "v2.yaml:1: template has no Resources section"}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_when_every_template_scanned": {"want": [], "input": product_input([
		{"Version": "v1", "read": true, "scanned": true, "resources": 3},
		{"Version": "v2", "read": true, "scanned": true, "resources": 3},
	])},
	"fails_unparsable_template": {"want": [{"msg": "Service Catalog product ml-realtime-endpoint version v2: its template https://b.s3.amazonaws.com/v2.yaml could not be scanned: v2.yaml:1: template has no Resources section", "path": ["facts", "templates"]}], "input": product_input([{"Version": "v1", "read": true, "scanned": true}, broken])},
	"fails_read_but_not_scanned": {"want": [{"msg": "Service Catalog product ml-realtime-endpoint version v1: its template ? could not be scanned: not parsed", "path": ["facts", "templates"]}], "input": product_input([{"Version": "v1", "read": true}])},
	"fails_unknown": {"want": [{"msg": "Service Catalog product prod-abc: could not determine its versions' templates (facts.templates is missing)", "path": ["facts", "templates"]}], "input": {"resource": {"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "properties": {}}}},
	"passes_without_active_versions": {"want": [], "input": product_input([])},
}

check(name) if testing.matches(product_templates_scanned.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_when_every_template_scanned if check("passes_when_every_template_scanned")

test_fails_unparsable_template if check("fails_unparsable_template")

test_fails_read_but_not_scanned if check("fails_read_but_not_scanned")

test_fails_unknown if check("fails_unknown")

test_passes_without_active_versions if check("passes_without_active_versions")

test_message_names_version_and_error if {
	some v in product_templates_scanned.deny with input as product_input([broken])
	contains(v.msg, "product ml-realtime-endpoint version v2")
	contains(v.msg, "no Resources section")
}
