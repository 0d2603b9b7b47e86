package mlwarden.least_privilege.execution_role_no_data_exfiltration_test

import rego.v1

import data.mlwarden.least_privilege.execution_role_no_data_exfiltration
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_granted": {"want": [{"msg": "execution role ml-exec has data-exfiltration actions: s3:PutBucketPolicy", "path": ["facts", "actions", "data_exfiltration"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": ["s3:PutBucketPolicy"], "write_actions": ["s3:PutObject"]}}}}},
	"fails_when_not_analysed": {"want": [{"msg": "IAM role ml-exec: could not determine what its policies allow (facts.actions is missing)", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}}}},
	"fails_when_fact_missing": {"want": [{"msg": "execution role ml-exec: could not determine whether it has data-exfiltration actions (facts.actions.data_exfiltration is missing)", "path": ["facts", "actions", "data_exfiltration"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "write_actions": ["s3:PutObject"]}}}}},
	"passes_when_clean": {"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}}},
	"passes_non_execution_role": {"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": ["s3:PutBucketPolicy"], "write_actions": ["s3:PutObject"]}}}}},
}

check(name) if testing.matches(execution_role_no_data_exfiltration.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_granted if check("fails_when_granted")

test_fails_when_not_analysed if check("fails_when_not_analysed")

test_fails_when_fact_missing if check("fails_when_fact_missing")

test_passes_when_clean if check("passes_when_clean")

test_passes_non_execution_role if check("passes_non_execution_role")
