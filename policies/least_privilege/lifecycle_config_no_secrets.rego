# METADATA
# title: Notebook lifecycle configurations hold no hard-coded secrets
# description: >-
#   A lifecycle configuration's OnCreate and OnStart scripts run as root on every notebook
#   that uses it and can be read by anyone allowed sagemaker:DescribeNotebookInstanceLifecycleConfig,
#   so an access key, token or password written into one is shared with all of them and
#   cannot be rotated without editing the script. Scripts should fetch secrets at run time
#   (Secrets Manager, SSM Parameter Store) and use the notebook's execution role for AWS.
#   Judged on the secret detector's verdicts (facts.secret_findings: hook, line and kind of
#   secret), computed before the scripts are masked; the script itself never reaches a policy or an output.
# custom:
#   id: MLW-IAM-009
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::SageMaker::NotebookInstanceLifecycleConfig]
#   facets: [describe]
#   controls:
#     NIST-800-53: [IA-5, IA-5(7), SC-28]
#     ISO-42001: [A.4.4]
#   remediation:
#     steps:
#       - >-
#         Revoke the credential the finding names (deactivate the access key, rotate the token or
#         password) before anything else: it has been readable by everyone who could describe
#         the configuration.
#       - >-
#         Store the value in Secrets Manager or SSM Parameter Store, have the script read it at run
#         time through the execution role, and update the configuration (aws sagemaker
#         update-notebook-instance-lifecycle-config); notebooks pick it up at their next start.
#   evidence: [facts.secret_findings]
#   pass_evidence: [properties.OnCreate, properties.OnStart]
package mlwarden.least_privilege.lifecycle_config_no_secrets

import rego.v1

import data.mlwarden.lib.util

# Detector verdicts on a script hook: path properties.<OnCreate|OnStart>.<index>.Content.
hits contains [hook, index, line, detector] if {
	some f in util.as_array(object.get(input.resource, ["facts", "secret_findings"], []))
	parts := split(f.path, ".")
	count(parts) == 4
	parts[0] == "properties"
	hook := parts[1]
	hook in {"OnCreate", "OnStart"}
	parts[3] == "Content"
	index := to_number(parts[2])
	line := object.get(f, "line", 0)
	detector := f.detector
}

# One violation per hook, naming each line and kind of secret (never the value).
deny contains util.violation(msg, ["properties", hook, index, "Content"]) if {
	some [hook, index, _, _] in hits
	found := [concat("", [d, " (line ", util.show(l), ")"]) |
		some [l, d] in sort({[h[2], h[3]] | some h in hits; h[0] == hook; h[1] == index})
	]
	msg := concat("", [
		util.what("notebook lifecycle configuration"),
		" has hard-coded secrets in its ",
		hook,
		" script: ",
		concat(", ", found),
	])
}
