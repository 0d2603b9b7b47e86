package mlwarden.least_privilege.execution_role_managed_full_access_test

import rego.v1

import data.mlwarden.least_privilege.execution_role_managed_full_access
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_with_full_access": {
		"want": [{"msg": "execution role ml-exec has the managed policy arn:aws:iam::aws:policy/AmazonSageMakerFullAccess attached", "path": ["properties", "ManagedPolicyArns"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::111122223333:policy/ml"]}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"forbidden_managed_policies": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]},
	},
	"fails_with_two_forbidden": {
		"want": [{"msg": "execution role ml-exec has the managed policy arn:aws:iam::aws:policy/AdministratorAccess attached", "path": ["properties", "ManagedPolicyArns"]}, {"msg": "execution role ml-exec has the managed policy arn:aws:iam::aws:policy/AmazonSageMakerFullAccess attached", "path": ["properties", "ManagedPolicyArns"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"forbidden_managed_policies": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]},
	},
	"passes_with_scoped_policy": {
		"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:aws:iam::111122223333:policy/ml"]}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"forbidden_managed_policies": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]},
	},
	"passes_non_execution_role": {
		"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "ml-exec", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "ml-exec", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"forbidden_managed_policies": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]},
	},
}

check(name) if testing.matches(execution_role_managed_full_access.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_with_full_access if check("fails_with_full_access")

test_fails_with_two_forbidden if check("fails_with_two_forbidden")

test_passes_with_scoped_policy if check("passes_with_scoped_policy")

test_passes_non_execution_role if check("passes_non_execution_role")
