# METADATA
# title: Production endpoints capture inference data
# description: >-
#   Without data capture there is no record of what a production model was asked and
#   answered: drift cannot be measured and incidents cannot be reconstructed. The
#   endpoint's DataCaptureConfig (as described, or its endpoint configuration's via
#   input.related.endpoint_config) must enable capture. An endpoint whose configuration
#   could not be read fails.
# custom:
#   id: MLW-MON-001
#   severity: high
#   category: monitoring
#   resource_types: [AWS::SageMaker::Endpoint]
#   facets: [describe, tags]
#   controls:
#     NIST-800-53: [AU-2, AU-12, SI-4]
#     ISO-42001: [A.6.2.6, A.6.2.8]
#   remediation: endpoint-redeploy
#   evidence: [properties.DataCaptureConfig, properties.EndpointConfigName]
package mlwarden.monitoring.production_endpoint_data_capture

import rego.v1

import data.mlwarden.lib.util

applies if util.is_production

configs := object.get(object.get(input, "related", {}), "endpoint_config", [])

capture := util.prop("DataCaptureConfig") if util.present(util.prop("DataCaptureConfig"))

capture := object.get(configs[0], ["properties", "DataCaptureConfig"], {}) if {
	util.blank(util.prop("DataCaptureConfig"))
	count(configs) > 0
}

deny contains util.violation(msg, ["related", "endpoint_config"]) if {
	applies
	not capture
	msg := concat("", [
		util.what("production endpoint"),
		": could not determine its data capture (endpoint configuration not read)",
	])
}

deny contains util.violation(msg, ["properties", "DataCaptureConfig", "EnableCapture"]) if {
	applies
	is_object(capture)
	object.get(capture, "EnableCapture", count(capture) > 0) != true
	msg := concat("", [
		util.what("production endpoint"),
		" does not capture inference data (DataCaptureConfig.EnableCapture)",
	])
}
