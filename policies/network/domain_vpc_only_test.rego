package mlwarden.network.domain_vpc_only_test

import rego.v1

import data.mlwarden.network.domain_vpc_only

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_when_absent": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_publicinternetonly": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppNetworkAccessType": "PublicInternetOnly"}}}},
	"passes": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppNetworkAccessType": "VpcOnly"}}}},
}

check(name) if count(domain_vpc_only.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_publicinternetonly if check("fails_when_publicinternetonly")

test_passes if check("passes")
