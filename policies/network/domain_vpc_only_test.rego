package mlwarden.network.domain_vpc_only_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.domain_vpc_only

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "domain r1 gives its apps internet access outside the VPC (AppNetworkAccessType is not set)", "path": ["properties", "AppNetworkAccessType"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_publicinternetonly": {"want": [{"msg": "domain r1 gives its apps internet access outside the VPC (AppNetworkAccessType is PublicInternetOnly)", "path": ["properties", "AppNetworkAccessType"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppNetworkAccessType": "PublicInternetOnly"}}}},
	"passes": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"AppNetworkAccessType": "VpcOnly"}}}},
}

check(name) if testing.matches(domain_vpc_only.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_publicinternetonly if check("fails_when_publicinternetonly")

test_passes if check("passes")
