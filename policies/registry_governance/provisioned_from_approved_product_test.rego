package mlwarden.registry_governance.provisioned_from_approved_product_test

import rego.v1

import data.mlwarden.registry_governance.provisioned_from_approved_product as policy

prod := {"production": {"tag": "environment", "values": ["prod"]}}

endpoint(facts) := {"resource": {
	"type": "AWS::SageMaker::Endpoint", "id": "recsys", "account": "111122223333", "region": "eu-west-1",
	"tags": {"environment": "prod"}, "properties": {}, "facts": facts, "source": {"kind": "live"},
}}

from_product := {"provenance": {
	"kind": "service_catalog", "product": "ml-realtime-endpoint", "version": "v2", "provisioned_product": "recsys-endpoint",
	"portfolios": [{"Id": "port-abc", "DisplayName": "ML platform (approved)", "ARN": "arn:aws:catalog:eu-west-1:111122223333:portfolio/port-abc"}],
}}

test_passes_from_any_portfolio_by_default if {
	count(policy.deny) == 0 with input as endpoint(from_product) with data.mlwarden_settings as prod
}

test_passes_from_listed_portfolio_by_name if {
	count(policy.deny) == 0 with input as endpoint(from_product)
		with data.mlwarden_settings as object.union(prod, {"service_catalog": {"approved_portfolios": ["ML platform (approved)"]}})
}

test_fails_from_unlisted_portfolio if {
	msgs := policy.deny with input as endpoint(from_product)
		with data.mlwarden_settings as object.union(prod, {"service_catalog": {"approved_portfolios": ["port-other"]}})
	count(msgs) == 1
	some m in msgs
	contains(m, "ml-realtime-endpoint (version v2)")
}

test_fails_hand_made if {
	msgs := policy.deny with input as endpoint({"provenance": {"kind": "none"}}) with data.mlwarden_settings as prod
	count(msgs) == 1
	some m in msgs
	contains(m, "created by hand")
}

test_fails_product_in_no_portfolio if {
	count(policy.deny) == 1 with input as endpoint({"provenance": {"kind": "service_catalog", "portfolios": []}})
		with data.mlwarden_settings as prod
}

test_fails_unknown if {
	count(policy.deny) == 1 with input as endpoint({}) with data.mlwarden_settings as prod
}

test_not_production_not_judged if {
	count(policy.deny) == 0 with input as endpoint({"provenance": {"kind": "none"}})
		with data.mlwarden_settings as {"production": {"tag": "environment", "values": ["production"]}}
}

test_template_not_judged if {
	inp := json.patch(endpoint({}), [{"op": "replace", "path": "/resource/source", "value": {"kind": "cloudformation", "file": "t.yaml"}}])
	count(policy.deny) == 0 with input as inp with data.mlwarden_settings as prod
	not policy.applies with input as inp with data.mlwarden_settings as prod
}

test_notebook_named if {
	inp := json.patch(endpoint({"provenance": {"kind": "none"}}), [{"op": "replace", "path": "/resource/type", "value": "AWS::SageMaker::NotebookInstance"}])
	some m in policy.deny with input as inp with data.mlwarden_settings as prod
	startswith(m, "notebook instance recsys")
}
