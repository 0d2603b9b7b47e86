package mlwarden.service_limits.registry_size_quota_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.registry_size_quota

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_near_default_quota": {
		"want": [{"msg": "model registry in 111122223333/eu-west-1 holds 850 model packages, 85% of its quota of 1000 (limit 80%)", "path": ["facts", "usage", "model_packages"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {}}, "facts": {"quotas_read": true, "usage": {"model_packages": 850}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"fails_near_read_quota": {
		"want": [{"msg": "model registry in 111122223333/eu-west-1 holds 90 model packages, 90% of its quota of 100 (limit 80%)", "path": ["facts", "usage", "model_packages"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {"L-1": {"QuotaName": "Maximum number of model packages", "Value": 100}}}, "facts": {"quotas_read": true, "usage": {"model_packages": 90}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"groups_quota_is_not_the_packages_quota": {
		"want": [{"msg": "model registry in 111122223333/eu-west-1 holds 22 model packages, 88% of its quota of 25 (limit 80%)", "path": ["facts", "usage", "model_packages"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {"L-0": {"QuotaName": "Maximum number of model package groups", "Value": 1000}, "L-1": {"QuotaName": "Maximum number of model packages", "Value": 25}}}, "facts": {"quotas_read": true, "usage": {"model_packages": 22}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"fails_usage_unknown": {
		"want": [{"msg": "model registry in 111122223333/eu-west-1: could not determine its size (facts.usage.model_packages is missing)", "path": ["facts", "usage", "model_packages"]}], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {}}, "facts": {"quotas_read": true}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
	"passes_with_headroom": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::ServiceUsage", "id": "111122223333/eu-west-1", "account": "111122223333", "region": "eu-west-1", "properties": {"Quotas": {}}, "facts": {"quotas_read": true, "usage": {"model_packages": 799}}}},
		"settings": {"quota_headroom_percent": 80, "default_quotas": {"model_packages_per_region": 1000}},
	},
}

check(name) if testing.matches(registry_size_quota.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_near_default_quota if check("fails_near_default_quota")

test_fails_near_read_quota if check("fails_near_read_quota")

test_groups_quota_is_not_the_packages_quota if check("groups_quota_is_not_the_packages_quota")

test_fails_usage_unknown if check("fails_usage_unknown")

test_passes_with_headroom if check("passes_with_headroom")
