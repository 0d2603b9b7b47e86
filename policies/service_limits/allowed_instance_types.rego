# METADATA
# title: ML compute uses only the organisation's allowed instance types
# description: >-
#   Where settings.allowed_instance_types is non-empty, notebooks (InstanceType), training
#   jobs (ResourceConfig.InstanceType and InstanceGroups), processing jobs
#   (ProcessingResources.ClusterConfig.InstanceType) and endpoint configurations
#   (ProductionVariants[].InstanceType) must use one of them: it keeps costly accelerator
#   types and quotas under control.
# custom:
#   id: MLW-LIM-006
#   severity: medium
#   category: service-limits
#   resource_types:
#     - AWS::SageMaker::NotebookInstance
#     - MLW::SageMaker::TrainingJob
#     - MLW::SageMaker::ProcessingJob
#     - AWS::SageMaker::EndpointConfig
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-7, SA-9]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         Use a type from settings.allowed_instance_types: a notebook is stopped and updated (aws sagemaker
#         update-notebook-instance --instance-type), jobs are run again and endpoint configurations recreated
#         with an allowed type; or add the type to the setting once it is approved.
#   evidence:
#     - properties.InstanceType
#     - properties.ResourceConfig
#     - properties.ProcessingResources
#     - properties.ProductionVariants
package mlwarden.service_limits.allowed_instance_types

import rego.v1

import data.mlwarden.lib.util

allowed := object.get(util.settings, "allowed_instance_types", [])

applies if count(allowed) > 0

# Each instance type the resource names, by its path.
used[["properties", "InstanceType"]] := t if {
	t := util.prop("InstanceType")
	is_string(t)
}

used[["properties", "ResourceConfig", "InstanceType"]] := t if {
	t := util.prop(["ResourceConfig", "InstanceType"])
	is_string(t)
}

used[["properties", "ResourceConfig", "InstanceGroups", i, "InstanceType"]] := t if {
	some i, g in util.as_array(object.get(util.props, ["ResourceConfig", "InstanceGroups"], []))
	t := object.get(util.as_object(g), "InstanceType", null)
	is_string(t)
}

used[["properties", "ProcessingResources", "ClusterConfig", "InstanceType"]] := t if {
	t := util.prop(["ProcessingResources", "ClusterConfig", "InstanceType"])
	is_string(t)
}

used[["properties", "ProductionVariants", i, "InstanceType"]] := t if {
	some i, v in util.as_array(object.get(util.props, "ProductionVariants", []))
	t := object.get(util.as_object(v), "InstanceType", null)
	is_string(t)
}

deny contains util.violation(msg, path) if {
	applies
	some path, t in used
	t != ""
	not t in allowed
	msg := concat("", [
		util.what(util.noun),
		" uses instance type ",
		t,
		", which is not in settings.allowed_instance_types",
	])
}
