# METADATA
# title: Model packages record evaluation metrics
# description: >-
#   Approving a model without its evaluation metrics (quality, bias, explainability
#   reports in ModelMetrics) means approving it blind. ModelMetrics must name at least one
#   report.
# custom:
#   id: MLW-INT-010
#   severity: medium
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SA-11, CA-2]
#     ISO-42001: [A.6.2.4, A.6.2.7]
#   remediation:
#     steps:
#       - >-
#         Evaluation metrics are set when a version is registered: register a new version with ModelMetrics
#         naming at least one report (model quality, bias or explainability), approve it after review and
#         reject the old one.
#   evidence: [properties.ModelMetrics]
package mlwarden.model_integrity.model_package_metrics

import rego.v1

import data.mlwarden.lib.util

metrics := object.get(util.props, "ModelMetrics", {})

# ModelMetrics groups reports (ModelQuality.Statistics, Bias.Report, ...), each a MetricsSource with an S3Uri.
reports := [uri |
	is_object(metrics)
	walk(metrics, [_, node])
	is_object(node)
	uri := object.get(node, "S3Uri", "")
	uri != ""
]

deny contains util.violation(msg, ["properties", "ModelMetrics"]) if {
	count(reports) == 0
	msg := concat("", [util.what("model package"), " records no evaluation metrics (ModelMetrics)"])
}
