package mlwarden.service_limits.endpoint_instance_quota_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.endpoint_instance_quota

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_near_quota": {
		"want": [{"msg": "endpoints in 111122223333/eu-west-1 use 4 ml.m5.xlarge instances of a quota of 4 (limit 80%)", "path": ["facts", "endpoint_instances"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {"L-A": {"QuotaName": "ml.m5.xlarge for endpoint usage", "Value": 4}}}, "facts": {"quotas_read": true, "usage": {}, "endpoint_instances": {"ml.m5.xlarge": 4}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"fails_quota_unknown": {
		"want": [{"msg": "endpoints in 111122223333/eu-west-1 use ml.g5.2xlarge instances: could not determine the quota for them (Quotas)", "path": ["properties", "Quotas"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {}}, "facts": {"quotas_read": false, "usage": {}, "endpoint_instances": {"ml.g5.2xlarge": 2}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"passes_with_headroom": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {"L-A": {"QuotaName": "ml.m5.xlarge for endpoint usage", "Value": 10}}}, "facts": {"quotas_read": true, "usage": {}, "endpoint_instances": {"ml.m5.xlarge": 4}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
}

check(name) if testing.matches(endpoint_instance_quota.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_near_quota if check("fails_near_quota")

test_fails_quota_unknown if check("fails_quota_unknown")

test_passes_with_headroom if check("passes_with_headroom")
