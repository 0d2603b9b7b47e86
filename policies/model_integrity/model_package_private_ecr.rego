# METADATA
# title: Model packages use container images from a private ECR registry
# description: >-
#   The model package's images (InferenceSpecification.Containers[].Image) run the
#   organisation's model code. Images must come from a private Amazon ECR registry
#   (<account>.dkr.ecr.<region>.amazonaws.com) of the resource's own account or of an
#   account in settings.trusted_image_accounts (for example a central build account, or
#   AWS's deep-learning-container accounts if the organisation accepts them): public
#   registries can change an image under the same tag and are outside the organisation's
#   scanning.
# custom:
#   id: MLW-INT-005
#   severity: high
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-7(5), SR-3, SI-7]
#     ISO-42001: [A.10.3, A.6.2.3]
#   remediation:
#     steps:
#       - >-
#         A package's containers cannot be changed: register a new version whose inference images come from a
#         private ECR registry of the organisation (or of an account in settings.trusted_image_accounts),
#         approve it and reject the old one.
#   evidence: [properties.InferenceSpecification.Containers.Image]
package mlwarden.model_integrity.model_package_private_ecr

import rego.v1

import data.mlwarden.lib.ecr
import data.mlwarden.lib.util

# Each container's image, by its path.
images[path] := image if {
	some n, c in util.as_array(object.get(util.props, ["InferenceSpecification", "Containers"], []))
	image := object.get(util.as_object(c), "Image", "")
	path := ["properties", "InferenceSpecification", "Containers", n, "Image"]
}

deny contains v if {
	some path, image in images
	some v in ecr.violations(image, util.what("model package"), path)
}
