# METADATA
# title: GPU notebooks and endpoints run on the organisation's allowed GPU instance families
# description: >-
#   GPU capacity is the scarcest and costliest ML compute, and older generations cost more
#   per unit of work while AWS retires them. A notebook instance (InstanceType) or an endpoint
#   configuration (ProductionVariants and ShadowProductionVariants InstanceType) on a GPU
#   family (ml.g* and ml.p*: g4dn, g5, p3, p4d, …) must use one of
#   settings.allowed_gpu_instance_families (default: the current NVIDIA families g5, g6, g6e,
#   p4d, p4de, p5, p5e, p5en; g4dn and the P3 generation must be allowed explicitly; an empty
#   list allows any). Resources without a GPU are out of scope; non-GPU types are
#   MLW-LIM-006's.
# custom:
#   id: MLW-LIM-007
#   severity: medium
#   category: service-limits
#   resource_types: [AWS::SageMaker::NotebookInstance, AWS::SageMaker::EndpointConfig]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-7, CP-2(2), SA-22]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         Move the notebook to an allowed family: stop it, then aws sagemaker update-notebook-instance
#         --instance-type (for example ml.g5.2xlarge), and start it again.
#       - >-
#         For an endpoint, create a new endpoint configuration with an allowed GPU type and move the endpoint
#         onto it (aws sagemaker create-endpoint-config, update-endpoint); or add the family to
#         settings.allowed_gpu_instance_families once it is approved.
#   evidence: [properties.InstanceType, properties.ProductionVariants, properties.ShadowProductionVariants]
package mlwarden.service_limits.gpu_instance_families

import rego.v1

import data.mlwarden.lib.util

default allowed := ["g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en"]

allowed := a if {
	a := object.get(util.settings, "allowed_gpu_instance_families", null)
	is_array(a)
}

allowed_lower contains lower(f) if {
	some f in allowed
	is_string(f)
}

# Each instance type the resource names, by its path.
used[["properties", "InstanceType"]] := t if {
	t := util.prop("InstanceType")
	is_string(t)
}

used[["properties", key, i, "InstanceType"]] := t if {
	some key in ["ProductionVariants", "ShadowProductionVariants"]
	some i, v in util.as_array(object.get(util.props, key, []))
	t := object.get(util.as_object(v), "InstanceType", null)
	is_string(t)
}

# "ml.p3.2xlarge" → "p3"; a GPU family is g<digit>… or p<digit>….
family(t) := lower(parts[1]) if {
	parts := split(t, ".")
	count(parts) == 3
	parts[0] == "ml"
}

gpu(t) if regex.match(`^[gp][0-9]`, family(t))

applies if {
	some t in used
	gpu(t)
}

deny contains util.violation(msg, path) if {
	count(allowed) > 0
	some path, t in used
	gpu(t)
	not family(t) in allowed_lower
	msg := concat("", [
		util.what(util.noun), " runs on ", t, ": GPU family ", family(t),
		" is not in settings.allowed_gpu_instance_families (", concat(", ", sort(allowed_lower)), ")",
	])
}
