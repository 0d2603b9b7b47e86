# METADATA
# title: Models use container images from a private ECR registry
# description: >-
#   The model's images (PrimaryContainer.Image / Containers[].Image) run the
#   organisation's model code. Images must come from a private Amazon ECR registry
#   (<account>.dkr.ecr.<region>.amazonaws.com) of the resource's own account or of an
#   account in settings.trusted_image_accounts (for example a central build account, or
#   AWS's deep-learning-container accounts if the organisation accepts them): public
#   registries can change an image under the same tag and are outside the organisation's
#   scanning.
# custom:
#   id: MLW-INT-006
#   severity: high
#   category: model-integrity
#   resource_types: [AWS::SageMaker::Model]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-7(5), SR-3, SI-7]
#     ISO-42001: [A.10.3, A.6.2.3]
#   remediation:
#     steps:
#       - >-
#         Push the image to a private ECR repository of the organisation and use it as the new model's
#         container image.
#       - >-
#         A model cannot be changed: create a new model, then a new endpoint configuration that uses it, and
#         move the endpoint to it (aws sagemaker update-endpoint).
#   evidence: [properties.PrimaryContainer.Image]
package mlwarden.model_integrity.model_private_ecr

import rego.v1

import data.mlwarden.lib.ecr
import data.mlwarden.lib.util

# Each container's image, by its path.
images[["properties", "PrimaryContainer", "Image"]] := image if {
	image := object.get(util.props, ["PrimaryContainer", "Image"], "")
	image != ""
}

images[path] := image if {
	some n, c in util.as_array(object.get(util.props, "Containers", []))
	image := object.get(util.as_object(c), "Image", "")
	path := ["properties", "Containers", n, "Image"]
}

deny contains v if {
	some path, image in images
	some v in ecr.violations(image, util.what("model"), path)
}
