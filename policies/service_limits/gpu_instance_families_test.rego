package mlwarden.service_limits.gpu_instance_families_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.gpu_instance_families

notebook(t) := {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "nb", "properties": {"InstanceType": t}}}

config(types) := {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "cfg", "properties": {"ProductionVariants": [{"VariantName": t, "InstanceType": t} | some t in types]}}}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"passes_current_generation_notebook": {"want": [], "input": notebook("ml.g5.2xlarge")},
	"passes_endpoint_on_p5": {"want": [], "input": config(["ml.p5.48xlarge"])},
	"passes_cpu_notebook_out_of_scope": {"want": [], "input": notebook("ml.t3.medium")},
	"passes_own_list": {"want": [], "settings": {"allowed_gpu_instance_families": ["g4dn", "g5"]}, "input": notebook("ml.g4dn.xlarge")},
	"passes_empty_list_allows_any": {"want": [], "settings": {"allowed_gpu_instance_families": []}, "input": notebook("ml.p3.2xlarge")},
	"passes_template_reference": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "nb", "properties": {"InstanceType": {"Ref": "Type"}}}}},
	"fails_previous_generation_notebook": {"want": [{"msg": "notebook instance nb runs on ml.p3.2xlarge: GPU family p3 is not in settings.allowed_gpu_instance_families (g5, g6, g6e, p4d, p4de, p5, p5e, p5en)", "path": ["properties", "InstanceType"]}], "input": notebook("ml.p3.2xlarge")},
	"fails_g4dn_by_default": {"want": [{"msg": "endpoint configuration cfg runs on ml.g4dn.xlarge: GPU family g4dn is not in settings.allowed_gpu_instance_families (g5, g6, g6e, p4d, p4de, p5, p5e, p5en)", "path": ["properties", "ProductionVariants", 0, "InstanceType"]}], "input": config(["ml.g4dn.xlarge", "ml.m5.large"])},
	"fails_shadow_variant": {"want": [{"msg": "endpoint configuration cfg runs on ml.p3.8xlarge: GPU family p3 is not in settings.allowed_gpu_instance_families (g5, g6, g6e, p4d, p4de, p5, p5e, p5en)", "path": ["properties", "ShadowProductionVariants", 0, "InstanceType"]}], "input": {"resource": {"type": "AWS::SageMaker::EndpointConfig", "id": "cfg", "properties": {"ProductionVariants": [{"InstanceType": "ml.g5.xlarge"}], "ShadowProductionVariants": [{"InstanceType": "ml.p3.8xlarge"}]}}}},
	"fails_own_list": {"want": [{"msg": "endpoint configuration cfg runs on ml.g5.xlarge: GPU family g5 is not in settings.allowed_gpu_instance_families (g6)", "path": ["properties", "ProductionVariants", 0, "InstanceType"]}, {"msg": "endpoint configuration cfg runs on ml.p4d.24xlarge: GPU family p4d is not in settings.allowed_gpu_instance_families (g6)", "path": ["properties", "ProductionVariants", 1, "InstanceType"]}], "settings": {"allowed_gpu_instance_families": ["G6"]}, "input": config(["ml.g5.xlarge", "ml.p4d.24xlarge", "ml.g6.xlarge"])},
}

check(name) if testing.matches(gpu_instance_families.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_passes_current_generation_notebook if check("passes_current_generation_notebook")

test_passes_endpoint_on_p5 if check("passes_endpoint_on_p5")

test_passes_cpu_notebook_out_of_scope if check("passes_cpu_notebook_out_of_scope")

test_passes_own_list if check("passes_own_list")

test_passes_empty_list_allows_any if check("passes_empty_list_allows_any")

test_passes_template_reference if check("passes_template_reference")

test_fails_previous_generation_notebook if check("fails_previous_generation_notebook")

test_fails_g4dn_by_default if check("fails_g4dn_by_default")

test_fails_shadow_variant if check("fails_shadow_variant")

test_fails_own_list if check("fails_own_list")

test_message_names_type_family_and_list if {
	msgs := {v.msg | some v in gpu_instance_families.deny} with input as cases.fails_previous_generation_notebook.input
	msgs == {"notebook instance nb runs on ml.p3.2xlarge: GPU family p3 is not in settings.allowed_gpu_instance_families (g5, g6, g6e, p4d, p4de, p5, p5e, p5en)"}
}
