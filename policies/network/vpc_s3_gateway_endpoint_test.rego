package mlwarden.network.vpc_s3_gateway_endpoint_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.vpc_s3_gateway_endpoint

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_endpoint": {"want": [{"msg": "VPC vpc-1 has no VPC endpoint for com.amazonaws.<region>.s3", "path": ["facts", "endpoints"]}], "input": {"resource": {"type": "AWS::EC2::VPC", "id": "vpc-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"hosts_ml_work": true, "endpoints": ["com.amazonaws.eu-west-1.sagemaker.api", "com.amazonaws.eu-west-1.sagemaker.runtime"]}}}},
	"fails_endpoints_unknown": {"want": [{"msg": "VPC vpc-1: could not determine its VPC endpoints (facts.endpoints is missing)", "path": ["facts", "endpoints"]}], "input": {"resource": {"type": "AWS::EC2::VPC", "id": "vpc-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"hosts_ml_work": true}}}},
	"passes_with_endpoint": {"want": [], "input": {"resource": {"type": "AWS::EC2::VPC", "id": "vpc-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"hosts_ml_work": true, "endpoints": ["com.amazonaws.eu-west-1.sagemaker.api", "com.amazonaws.eu-west-1.sagemaker.runtime", "com.amazonaws.eu-west-1.s3"]}}}},
	"passes_vpc_without_ml_work": {"want": [], "input": {"resource": {"type": "AWS::EC2::VPC", "id": "vpc-1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"hosts_ml_work": false, "endpoints": []}}}},
}

check(name) if testing.matches(vpc_s3_gateway_endpoint.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_endpoint if check("fails_without_endpoint")

test_fails_endpoints_unknown if check("fails_endpoints_unknown")

test_passes_with_endpoint if check("passes_with_endpoint")

test_passes_vpc_without_ml_work if check("passes_vpc_without_ml_work")
