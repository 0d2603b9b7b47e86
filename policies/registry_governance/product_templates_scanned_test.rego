package mlwarden.registry_governance.product_templates_scanned_test

import rego.v1

import data.mlwarden.registry_governance.product_templates_scanned as policy

product(templates) := {"resource": {
	"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "account": "111122223333",
	"region": "eu-west-1", "properties": {"Name": "ml-realtime-endpoint"}, "facts": {"templates": templates},
}}

test_passes_when_every_template_scanned if {
	count(policy.deny) == 0 with input as product([
		{"Version": "v1", "read": true, "scanned": true, "resources": 3},
		{"Version": "v2", "read": true, "scanned": true, "resources": 3},
	])
}

test_fails_unparsable_template if {
	msgs := policy.deny with input as product([
		{"Version": "v1", "read": true, "scanned": true},
		{"Version": "v2", "read": true, "scanned": false, "TemplateUrl": "https://b.s3.amazonaws.com/v2.yaml", "error": "v2.yaml:1: template has no Resources section"},
	])
	count(msgs) == 1
	some m in msgs
	contains(m, "version v2")
	contains(m, "no Resources section")
}

test_fails_read_but_not_yet_scanned if {
	count(policy.deny) == 1 with input as product([{"Version": "v1", "read": true}])
}

test_fails_unknown if {
	count(policy.deny) == 1 with input as {"resource": {"type": "AWS::ServiceCatalog::CloudFormationProduct", "id": "prod-abc", "properties": {}}}
}

test_passes_without_active_versions if {
	count(policy.deny) == 0 with input as product([])
}
