package mlwarden.least_privilege.persona_separation_test

import rego.v1

import data.mlwarden.least_privilege.persona_separation
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_data_scientist_creating_roles": {
		"want": [{"msg": "role TeamA-DataScientist (persona data_scientist) is granted iam:Create* through iam:CreateRole", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "TeamA-DataScientist", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "TeamA-DataScientist", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["iam:CreateRole", "s3:PutObject"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"fails_data_scientist_with_iam_service_wildcard": {
		"want": [{"msg": "role team-data-scientist-role (persona data_scientist) is granted iam:Attach* through iam:*", "path": ["facts", "actions"]}, {"msg": "role team-data-scientist-role (persona data_scientist) is granted iam:Create* through iam:*", "path": ["facts", "actions"]}, {"msg": "role team-data-scientist-role (persona data_scientist) is granted iam:Put* through iam:*", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "team-data-scientist-role", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "team-data-scientist-role", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": ["iam"], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"fails_data_scientist_attaching_policies": {
		"want": [{"msg": "role DataScientist (persona data_scientist) is granted iam:Attach* through iam:AttachRolePolicy", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "DataScientist", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "DataScientist", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"], "permissions_management": ["iam:AttachRolePolicy"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"fails_inline_policy_grant": {
		"want": [{"msg": "role PlatformEngineer (persona platform_engineer) is granted sagemaker:CreatePresignedNotebookInstanceUrl* through sagemaker:CreatePresigned*", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "PlatformEngineer", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "PlatformEngineer", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": [], "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "sagemaker:CreatePresigned*", "Resource": "*"}}}]}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"fails_not_analysed": {
		"want": [{"msg": "IAM role DataScientist: could not determine what its policies allow (facts.actions is missing); it matches persona(s) data_scientist", "path": ["facts", "actions"]}], "input": {"resource": {"type": "AWS::IAM::Role", "id": "DataScientist", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "DataScientist", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"passes_data_scientist_with_data_access": {
		"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "DataScientist", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "DataScientist", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["s3:PutObject", "sagemaker:CreateTrainingJob"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
	"passes_role_of_no_persona": {
		"want": [], "input": {"resource": {"type": "AWS::IAM::Role", "id": "deployer", "account": "111122223333", "region": "eu-west-1", "properties": {"RoleName": "deployer", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": []}, "facts": {"actions": {"admin_star": false, "service_wildcards": [], "wildcard_actions": [], "passrole_on_star": false, "privilege_escalation": [], "data_exfiltration": [], "write_actions": ["iam:CreateRole"]}}}},
		"settings": {"personas": {"data_scientist": {"role_patterns": ["*DataScientist*", "*data-scientist*"], "forbidden_action_prefixes": ["iam:Create", "iam:Put", "iam:Attach"]}, "platform_engineer": {"role_patterns": ["*PlatformEngineer*"], "forbidden_action_prefixes": ["sagemaker:CreatePresignedNotebookInstanceUrl"]}}},
	},
}

check(name) if testing.matches(persona_separation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_data_scientist_creating_roles if check("fails_data_scientist_creating_roles")

test_fails_data_scientist_with_iam_service_wildcard if check("fails_data_scientist_with_iam_service_wildcard")

test_fails_data_scientist_attaching_policies if check("fails_data_scientist_attaching_policies")

test_fails_inline_policy_grant if check("fails_inline_policy_grant")

test_fails_not_analysed if check("fails_not_analysed")

test_passes_data_scientist_with_data_access if check("passes_data_scientist_with_data_access")

test_passes_role_of_no_persona if check("passes_role_of_no_persona")
