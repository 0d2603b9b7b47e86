package mlwarden.registry_governance.product_templates_scanned_test

import rego.v1

import data.mlwarden.registry_governance.product_templates_scanned

product_input(templates) := {"resource": {
	"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "account": "111122223333",
	"region": "eu-west-1", "properties": {"Name": "ml-realtime-endpoint"}, "facts": {"templates": templates},
}}

broken := {"Version": "v2", "read": true, "scanned": false, "TemplateUrl": "https://b.s3.amazonaws.com/v2.yaml", "error": "v2.yaml:1: template has no Resources section"}

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"passes_when_every_template_scanned": {"want": 0, "input": product_input([
		{"Version": "v1", "read": true, "scanned": true, "resources": 3},
		{"Version": "v2", "read": true, "scanned": true, "resources": 3},
	])},
	"fails_unparsable_template": {"want": 1, "input": product_input([{"Version": "v1", "read": true, "scanned": true}, broken])},
	"fails_read_but_not_scanned": {"want": 1, "input": product_input([{"Version": "v1", "read": true}])},
	"fails_unknown": {"want": 1, "input": {"resource": {"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "properties": {}}}},
	"passes_without_active_versions": {"want": 0, "input": product_input([])},
}

check(name) if count(product_templates_scanned.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_when_every_template_scanned if check("passes_when_every_template_scanned")

test_fails_unparsable_template if check("fails_unparsable_template")

test_fails_read_but_not_scanned if check("fails_read_but_not_scanned")

test_fails_unknown if check("fails_unknown")

test_passes_without_active_versions if check("passes_without_active_versions")

test_message_names_version_and_error if {
	some m in product_templates_scanned.deny with input as product_input([broken])
	contains(m, "product ml-realtime-endpoint version v2")
	contains(m, "no Resources section")
}
