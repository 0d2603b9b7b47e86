# METADATA
# title: Approved model packages have a model card
# description: >-
#   A model card documents intended use, risks, evaluation and ownership: what an AI
#   management system (ISO/IEC 42001) asks for before deployment. Approved packages must
#   have one, attached to the package (ModelCard) or found by the collector
#   (facts.model_card).
# custom:
#   id: MLW-REG-006
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SA-5, PM-5]
#     ISO-42001: [A.6.2.7, A.8.2, A.5.2]
#   remediation:
#     steps:
#       - >-
#         Write a model card for the version (intended use, risks, evaluation, owner) and attach it (aws
#         sagemaker update-model-package --model-card), or set the version back to PendingManualApproval until
#         it has one.
#   evidence: [properties.ModelCard, facts.model_card]
package mlwarden.registry_governance.model_package_model_card

import rego.v1

import data.mlwarden.lib.util

applies if util.prop("ModelApprovalStatus") == "Approved"

has_card if util.present(util.prop("ModelCard"))

has_card if util.present(object.get(util.facts, "model_card", ""))

deny contains util.violation(msg, ["properties", "ModelCard"]) if {
	applies
	not has_card
	msg := concat("", [util.what("model package"), " is Approved but has no model card"])
}
