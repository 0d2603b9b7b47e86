package mlwarden.network.notebook_imdsv2_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.notebook_imdsv2

nb(props) := {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": props}}

path := ["properties", "InstanceMetadataServiceConfiguration", "MinimumInstanceMetadataServiceVersion"]

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_on_imdsv1": {"want": [{"msg": "notebook instance r1 accepts IMDSv1 (MinimumInstanceMetadataServiceVersion is 1): code on the notebook can read its role's credentials without a session token", "path": path}], "input": nb({"InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": "1"}})},
	"fails_when_absent": {"want": [{"msg": "notebook instance r1 accepts IMDSv1 (MinimumInstanceMetadataServiceVersion is not set): code on the notebook can read its role's credentials without a session token", "path": path}], "input": nb({})},
	"fails_on_empty_configuration": {"want": [{"msg": "notebook instance r1 accepts IMDSv1 (MinimumInstanceMetadataServiceVersion is not set): code on the notebook can read its role's credentials without a session token", "path": path}], "input": nb({"InstanceMetadataServiceConfiguration": {}})},
	"fails_on_unaccepted_value": {"want": [{"msg": "notebook instance r1 sets MinimumInstanceMetadataServiceVersion to v2, which SageMaker does not accept (1 or 2)", "path": path}], "input": nb({"InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": "v2"}})},
	"fails_on_number_one": {"want": [{"msg": "notebook instance r1 accepts IMDSv1 (MinimumInstanceMetadataServiceVersion is 1): code on the notebook can read its role's credentials without a session token", "path": path}], "input": nb({"InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": 1}})},
	"passes_on_imdsv2": {"want": [], "input": nb({"InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": "2"}})},
	"passes_on_number_two": {"want": [], "input": nb({"InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": 2}})},
}

check(name) if testing.matches(notebook_imdsv2.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_on_imdsv1 if check("fails_on_imdsv1")

test_fails_when_absent if check("fails_when_absent")

test_fails_on_empty_configuration if check("fails_on_empty_configuration")

test_fails_on_unaccepted_value if check("fails_on_unaccepted_value")

test_fails_on_number_one if check("fails_on_number_one")

test_passes_on_imdsv2 if check("passes_on_imdsv2")

test_passes_on_number_two if check("passes_on_number_two")
