"""Pre-release scans: CloudFormation templates, Terraform plans and SageMaker pipeline
definitions become canonical resource documents, judged by the same policies as the
live account (and by checkov, when installed). Entry point: `scan.scan_iac`; the CLI
is `mlwarden iac` (scanner/commands/iac.py); the user guide is docs/ci.md.

    loader.py          which files, which kind, one LoadedFile each
    cloudformation.py  templates: cfn-lint's decoder, SAM globals, one document per resource
    cfn_intrinsics.py  intrinsic functions, parameters, conditions (before deployment)
    terraform.py       `terraform show -json` plans: resources, references, unknowns
    terraform_types.py provider types → CloudFormation properties (from the descriptors)
    pipeline.py        pipeline definitions; steps → training/processing jobs
    normalise.py       attachments, AWS defaults, facts, tags, relations (shared)
    relations.py       relations from the property paths the descriptors declare
    unknown.py         the "unknown before deployment" marker and NOT_ASSESSED verdicts
    checkov.py         run checkov, merge its results (checkov_checks.yaml)
    scan.py            the whole scan
"""
