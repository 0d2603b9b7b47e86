# METADATA
# title: Processing jobs use container images from a private ECR registry
# description: >-
#   The processing job's images (AppSpecification.ImageUri) run the organisation's model
#   code. Images must come from a private Amazon ECR registry
#   (<account>.dkr.ecr.<region>.amazonaws.com) of the resource's own account or of an
#   account in settings.trusted_image_accounts (for example a central build account, or
#   AWS's deep-learning-container accounts if the organisation accepts them): public
#   registries can change an image under the same tag and are outside the organisation's
#   scanning.
# custom:
#   id: MLW-INT-008
#   severity: high
#   category: model-integrity
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-7(5), SR-3, SI-7]
#     ISO-42001: [A.10.3, A.6.2.3]
#   remediation:
#     steps:
#       - >-
#         Push the processing image to a private ECR repository of the organisation and set
#         AppSpecification.ImageUri to it.
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.AppSpecification.ImageUri]
package mlwarden.model_integrity.processing_private_ecr

import rego.v1

import data.mlwarden.lib.ecr
import data.mlwarden.lib.util

images := [i | i := object.get(util.props, ["AppSpecification", "ImageUri"], ""); i != ""]

deny contains v if {
	some image in images
	some v in ecr.violations(image, util.what("processing job"), ["properties", "AppSpecification", "ImageUri"])
}
