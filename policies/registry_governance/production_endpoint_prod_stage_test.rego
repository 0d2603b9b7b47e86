package mlwarden.registry_governance.production_endpoint_prod_stage_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.registry_governance.production_endpoint_prod_stage

pkg := "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3"

prod := {"production": {"tag": "environment", "values": ["prod"]}}

endpoint(facts, tags) := {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "fraud-scoring", "account": "111122223333", "region": "eu-west-1", "tags": tags, "properties": {"EndpointName": "fraud-scoring", "EndpointConfigName": "fraud-config"}, "facts": facts}}

served(entry) := endpoint({"model_packages": [object.union({"arn": pkg, "ModelApprovalStatus": "Approved"}, entry)], "unregistered_models": []}, {"environment": "prod"})

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_qa_package": {"want": [{"msg": "production endpoint fraud-scoring serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, which is in stage QA, not PROD", "path": ["facts", "model_packages"]}], "settings": prod, "input": served({"ModelLifeCycle": {"Stage": "QA", "StageStatus": "Approved"}, "tags": {}})},
	"fails_package_without_stage": {"want": [{"msg": "production endpoint fraud-scoring serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, which has no lifecycle stage (ModelLifeCycle.Stage)", "path": ["facts", "model_packages"]}], "settings": prod, "input": served({"tags": {}})},
	"fails_unregistered_model": {"want": [{"msg": "production endpoint fraud-scoring serves model churn-v1, which comes from no registered model package and so has no lifecycle stage", "path": ["facts", "unregistered_models"]}], "settings": prod, "input": endpoint({"model_packages": [], "unregistered_models": ["churn-v1"]}, {"environment": "prod"})},
	"fails_lineage_unknown": {"want": [{"msg": "production endpoint fraud-scoring: could not determine which model packages it serves", "path": ["facts", "model_packages"]}], "settings": prod, "input": endpoint({}, {"environment": "prod"})},
	"fails_stage_tag_not_read": {"want": [{"msg": "production endpoint fraud-scoring: could not determine the lifecycle stage of model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 (its tags were not read)", "path": ["facts", "model_packages"]}], "settings": object.union(prod, {"lifecycle": {"stage_tag": "stage"}}), "input": served({})},
	"fails_dev_tag": {"want": [{"msg": "production endpoint fraud-scoring serves model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3, which is in stage dev, not PROD", "path": ["facts", "model_packages"]}], "settings": object.union(prod, {"lifecycle": {"stage_tag": "stage"}}), "input": served({"tags": {"stage": "dev"}})},
	"passes_prod_package": {"want": [], "settings": prod, "input": served({"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}, "tags": {}})},
	"passes_prod_tag": {"want": [], "settings": object.union(prod, {"lifecycle": {"stage_tag": "stage"}}), "input": served({"tags": {"stage": "prod"}})},
	"passes_own_production_stage": {"want": [], "settings": object.union(prod, {"lifecycle": {"stages": ["dev", "live"], "production_stage": "live"}}), "input": served({"ModelLifeCycle": {"Stage": "Live", "StageStatus": "Approved"}})},
	"passes_related_package_document": {"want": [], "settings": prod, "input": object.union(endpoint({}, {"environment": "prod"}), {"related": {"model_packages": [{"type": "AWS::SageMaker::ModelPackage", "id": pkg, "arn": pkg, "tags": {}, "properties": {"ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}}}]}})},
	"passes_not_production": {"want": [], "settings": prod, "input": endpoint({"model_packages": [{"arn": pkg, "tags": {}}]}, {"environment": "dev"})},
}

check(name) if testing.matches(production_endpoint_prod_stage.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_qa_package if check("fails_qa_package")

test_fails_package_without_stage if check("fails_package_without_stage")

test_fails_unregistered_model if check("fails_unregistered_model")

test_fails_lineage_unknown if check("fails_lineage_unknown")

test_fails_stage_tag_not_read if check("fails_stage_tag_not_read")

test_fails_dev_tag if check("fails_dev_tag")

test_passes_prod_package if check("passes_prod_package")

test_passes_prod_tag if check("passes_prod_tag")

test_passes_own_production_stage if check("passes_own_production_stage")

test_passes_related_package_document if check("passes_related_package_document")

test_passes_not_production if check("passes_not_production")

test_message_names_package_and_stage if {
	msgs := {v.msg | some v in production_endpoint_prod_stage.deny} with input as cases.fails_qa_package.input with data.mlwarden_settings as prod
	msgs == {concat("", ["production endpoint fraud-scoring serves model package ", pkg, ", which is in stage QA, not PROD"])}
}

test_message_unread_tag_is_could_not_determine if {
	msgs := {v.msg | some v in production_endpoint_prod_stage.deny} with input as cases.fails_stage_tag_not_read.input with data.mlwarden_settings as cases.fails_stage_tag_not_read.settings
	msgs == {concat("", ["production endpoint fraud-scoring: could not determine the lifecycle stage of model package ", pkg, " (its tags were not read)"])}
}

test_message_unregistered_model if {
	msgs := {v.msg | some v in production_endpoint_prod_stage.deny} with input as cases.fails_unregistered_model.input with data.mlwarden_settings as prod
	msgs == {"production endpoint fraud-scoring serves model churn-v1, which comes from no registered model package and so has no lifecycle stage"}
}
