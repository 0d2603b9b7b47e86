package mlwarden.registry_governance.provisioned_from_approved_product_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.provisioned_from_approved_product

prod := {"production": {"tag": "environment", "values": ["prod"]}}

listed(names) := object.union(prod, {"service_catalog": {"approved_portfolios": names}})

endpoint(facts) := {"resource": {
	"type": "AWS::SageMaker::Endpoint", "id": "recsys", "account": "111122223333", "region": "eu-west-1",
	"tags": {"environment": "prod"}, "properties": {}, "facts": facts, "source": {"kind": "live"},
}}

notebook(facts) := json.patch(endpoint(facts), [{"op": "replace", "path": "/resource/type", "value": "AWS::SageMaker::NotebookInstance"}])

from_product := {"provenance": {
	"kind": "service_catalog", "product": "ml-realtime-endpoint", "version": "v2", "provisioned_product": "recsys-endpoint",
	"portfolios": [{"Id": "port-abc", "DisplayName": "ML platform (approved)", "ARN": "arn:aws:catalog:eu-west-1:111122223333:portfolio/port-abc"}],
}}

# Each case: an input, the settings, and how many violations `deny` must report (0 = PASS).
cases := {
	"passes_from_any_portfolio_by_default": {"want": [], "input": endpoint(from_product), "settings": prod},
	"passes_from_listed_portfolio_by_name": {"want": [], "input": endpoint(from_product), "settings": listed(["ML platform (approved)"])},
	"passes_from_listed_portfolio_by_id": {"want": [], "input": endpoint(from_product), "settings": listed(["port-abc"])},
	"fails_from_unlisted_portfolio": {"want": [{"msg": "production endpoint recsys came from product ml-realtime-endpoint (version v2) through provisioned product recsys-endpoint, whose portfolios (ML platform (approved)) are not in settings service_catalog.approved_portfolios", "path": ["facts", "provenance"]}], "input": endpoint(from_product), "settings": listed(["port-other"])},
	"fails_hand_made": {"want": [{"msg": "production endpoint recsys was not provisioned from a Service Catalog product (created by hand or outside the catalog)", "path": ["facts", "provenance"]}], "input": endpoint({"provenance": {"kind": "none"}}), "settings": prod},
	"fails_hand_made_notebook": {"want": [{"msg": "notebook instance recsys was not provisioned from a Service Catalog product (created by hand or outside the catalog)", "path": ["facts", "provenance"]}], "input": notebook({"provenance": {"kind": "none"}}), "settings": prod},
	"fails_product_in_no_portfolio": {"want": [{"msg": "production endpoint recsys came from product ? (version ?) through provisioned product ?, which is in no portfolio", "path": ["facts", "provenance"]}], "input": endpoint({"provenance": {"kind": "service_catalog", "portfolios": []}}), "settings": prod},
	"fails_unknown": {"want": [{"msg": "production endpoint recsys: could not determine which Service Catalog product created it (facts.provenance is missing)", "path": ["facts", "provenance"]}], "input": endpoint({}), "settings": prod},
	"passes_not_production": {"want": [], "input": endpoint({"provenance": {"kind": "none"}}), "settings": {"production": {"tag": "environment", "values": ["production"]}}},
	"passes_template_not_judged": {"want": [], "input": json.patch(endpoint({}), [{"op": "replace", "path": "/resource/source", "value": {"kind": "cloudformation", "file": "t.yaml"}}]), "settings": prod},
}

check(name) if testing.matches(provisioned_from_approved_product.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_from_any_portfolio_by_default if check("passes_from_any_portfolio_by_default")

test_passes_from_listed_portfolio_by_name if check("passes_from_listed_portfolio_by_name")

test_passes_from_listed_portfolio_by_id if check("passes_from_listed_portfolio_by_id")

test_fails_from_unlisted_portfolio if check("fails_from_unlisted_portfolio")

test_fails_hand_made if check("fails_hand_made")

test_fails_hand_made_notebook if check("fails_hand_made_notebook")

test_fails_product_in_no_portfolio if check("fails_product_in_no_portfolio")

test_fails_unknown if check("fails_unknown")

test_passes_not_production if check("passes_not_production")

test_passes_template_not_judged if check("passes_template_not_judged")

# The messages say where the resource came from, or that it was made by hand.
test_message_names_product_and_version if {
	some v in provisioned_from_approved_product.deny with input as endpoint(from_product) with data.mlwarden_settings as listed(["port-other"])
	contains(v.msg, "product ml-realtime-endpoint (version v2) through provisioned product recsys-endpoint")
}

test_message_names_notebook_made_by_hand if {
	some v in provisioned_from_approved_product.deny with input as notebook({"provenance": {"kind": "none"}}) with data.mlwarden_settings as prod
	startswith(v.msg, "notebook instance recsys was not provisioned")
}
