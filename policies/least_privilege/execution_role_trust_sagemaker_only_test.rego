package mlwarden.least_privilege.execution_role_trust_sagemaker_only_test

import rego.v1

import data.mlwarden.least_privilege.execution_role_trust_sagemaker_only
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_with_account_principal": {"want": [{"msg": "execution role ml-exec may also be assumed by: AWS:arn:aws:iam::444455556666:root", "path": ["properties", "AssumeRolePolicyDocument"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["sagemaker.amazonaws.com"], "AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}}},
	"fails_with_star_principal": {"want": [{"msg": "execution role ml-exec may also be assumed by: AWS:* (anyone)", "path": ["properties", "AssumeRolePolicyDocument"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}}},
	"passes_sagemaker_only": {"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}}},
	"passes_non_execution_role": {"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}}},
}

check(name) if testing.matches(execution_role_trust_sagemaker_only.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_with_account_principal if check("fails_with_account_principal")

test_fails_with_star_principal if check("fails_with_star_principal")

test_passes_sagemaker_only if check("passes_sagemaker_only")

test_passes_non_execution_role if check("passes_non_execution_role")
