package mlwarden.monitoring.endpoint_large_model_startup_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.endpoint_large_model_startup

endpoint(variants) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "assistant", "account": "111122223333", "region": "eu-west-1", "properties": {"EndpointName": "assistant", "EndpointConfigName": "assistant-config"}, "facts": {"variant_artifacts": variants}}}

with_timeouts := {"ModelDataDownloadTimeoutInSeconds": 3600, "ContainerStartupHealthCheckTimeoutInSeconds": 1800}

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_large_without_timeouts": {"want": [{"msg": "endpoint assistant variant primary serves 60 GB of model data (model llm-70b) without ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}, {"msg": "endpoint assistant variant primary serves 60 GB of model data (model llm-70b) without ModelDataDownloadTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}], "input": endpoint({"primary": {"ModelName": "llm-70b", "bytes": 60000000000}})},
	"fails_large_without_health_check_timeout": {"want": [{"msg": "endpoint assistant variant primary serves 140 GB of model data (model llm-70b) without ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}], "input": endpoint({"primary": {"ModelName": "llm-70b", "bytes": 140000000000, "ModelDataDownloadTimeoutInSeconds": 3600}})},
	"fails_exactly_at_threshold_zero_timeouts": {"want": [{"msg": "endpoint assistant variant primary serves 50 GB of model data (model llm) without ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}, {"msg": "endpoint assistant variant primary serves 50 GB of model data (model llm) without ModelDataDownloadTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}], "input": endpoint({"primary": {"ModelName": "llm", "bytes": 50000000000, "ModelDataDownloadTimeoutInSeconds": 0, "ContainerStartupHealthCheckTimeoutInSeconds": 0}})},
	"fails_own_threshold": {"want": [{"msg": "endpoint assistant variant primary serves 14 GB of model data (model llm-7b) without ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}, {"msg": "endpoint assistant variant primary serves 14 GB of model data (model llm-7b) without ModelDataDownloadTimeoutInSeconds", "path": ["facts", "variant_artifacts", "primary"]}], "settings": {"cold_start": {"large_artifact_gb": 5}}, "input": endpoint({"primary": {"ModelName": "llm-7b", "bytes": 14000000000}})},
	"fails_sizes_unknown": {"want": [{"msg": "endpoint assistant: could not determine the size of the model data its variants serve", "path": ["facts", "variant_artifacts"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "assistant", "properties": {"EndpointName": "assistant"}, "facts": {}}}},
	"fails_large_shadow_variant_without_timeouts": {"want": [{"msg": "endpoint assistant shadow variant challenger serves 60 GB of model data (model llm-70b-v2) without ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "challenger"]}, {"msg": "endpoint assistant shadow variant challenger serves 60 GB of model data (model llm-70b-v2) without ModelDataDownloadTimeoutInSeconds", "path": ["facts", "variant_artifacts", "challenger"]}], "input": endpoint({"primary": object.union({"ModelName": "llm-70b", "bytes": 60000000000}, with_timeouts), "challenger": {"Shadow": true, "ModelName": "llm-70b-v2", "bytes": 60000000000}})},
	"passes_large_with_timeouts": {"want": [], "input": endpoint({"primary": object.union({"ModelName": "llm-70b", "bytes": 60000000000}, with_timeouts)})},
	"passes_small_model_out_of_scope": {"want": [], "input": endpoint({"primary": {"ModelName": "xgb", "bytes": 3000000}})},
	"passes_inference_component_with_startup_parameters": {"want": [], "input": endpoint({"shared/llm-ic": object.union({"ModelName": "llm-70b", "InferenceComponent": "llm-ic", "bytes": 140000000000}, with_timeouts)})},
	"fails_inference_component_without_startup_parameters": {"want": [{"msg": "endpoint assistant inference component llm-ic (shared/llm-ic) serves 140 GB of model data (model llm-70b) without StartupParameters.ContainerStartupHealthCheckTimeoutInSeconds", "path": ["facts", "variant_artifacts", "shared/llm-ic"]}, {"msg": "endpoint assistant inference component llm-ic (shared/llm-ic) serves 140 GB of model data (model llm-70b) without StartupParameters.ModelDataDownloadTimeoutInSeconds", "path": ["facts", "variant_artifacts", "shared/llm-ic"]}], "input": endpoint({"shared/llm-ic": {"ModelName": "llm-70b", "InferenceComponent": "llm-ic", "bytes": 140000000000}, "shared/small-ic": {"ModelName": "xgb", "InferenceComponent": "small-ic", "bytes": 1000}})},
}

check(name) if testing.matches(endpoint_large_model_startup.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_large_without_timeouts if check("fails_large_without_timeouts")

test_fails_large_without_health_check_timeout if check("fails_large_without_health_check_timeout")

test_fails_exactly_at_threshold_zero_timeouts if check("fails_exactly_at_threshold_zero_timeouts")

test_fails_own_threshold if check("fails_own_threshold")

test_fails_sizes_unknown if check("fails_sizes_unknown")

test_fails_large_shadow_variant_without_timeouts if check("fails_large_shadow_variant_without_timeouts")

test_passes_large_with_timeouts if check("passes_large_with_timeouts")

test_passes_small_model_out_of_scope if check("passes_small_model_out_of_scope")

test_passes_inference_component_with_startup_parameters if check("passes_inference_component_with_startup_parameters")

test_fails_inference_component_without_startup_parameters if check("fails_inference_component_without_startup_parameters")

test_message_names_variant_size_model_and_timeout if {
	msgs := {v.msg | some v in endpoint_large_model_startup.deny} with input as cases.fails_large_without_health_check_timeout.input
	msgs == {"endpoint assistant variant primary serves 140 GB of model data (model llm-70b) without ContainerStartupHealthCheckTimeoutInSeconds"}
}

test_message_names_inference_component_and_its_startup_parameter if {
	msgs := {v.msg | some v in endpoint_large_model_startup.deny} with input as cases.fails_inference_component_without_startup_parameters.input
	"endpoint assistant inference component llm-ic (shared/llm-ic) serves 140 GB of model data (model llm-70b) without StartupParameters.ModelDataDownloadTimeoutInSeconds" in msgs
}

test_message_of_a_component_with_its_own_container if {
	msgs := {v.msg | some v in endpoint_large_model_startup.deny} with input as endpoint({"shared/tgi": {"InferenceComponent": "tgi", "bytes": 80000000000, "ModelDataDownloadTimeoutInSeconds": 3600}})
	msgs == {"endpoint assistant inference component tgi (shared/tgi) serves 80 GB of model data without StartupParameters.ContainerStartupHealthCheckTimeoutInSeconds"}
}

test_small_model_is_out_of_scope if {
	not endpoint_large_model_startup.applies with input as cases.passes_small_model_out_of_scope.input
}
