"""The pre-release scan: IaC files → resources → our policies (+ checkov) → findings.

The library entry point `scan_iac` is what `mlwarden iac` calls; tests call it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..evaluate import FindingsDocument
from ..inventory import Inventory, now
from ..model import CoverageGap, Severity
from ..pipeline import EvalOptions, IacTemplates, load_everything, run_scan
from ..redaction import redact_resources
from ..relations import RelationIndex
from . import checkov as checkov_mod
from .loader import Loaded, load
from .pipeline import definition_from_sdk
from .unknown import mark_unknown_findings

CHECKOV_AUTO, CHECKOV_ON, CHECKOV_OFF = "auto", "on", "off"


@dataclass(frozen=True, kw_only=True)
class IacOptions:
    paths: tuple[Path, ...] = ()
    parameters: dict = field(default_factory=dict)  # CloudFormation parameter overrides
    account: str = ""
    region: str = ""
    checkov: str = CHECKOV_AUTO
    pipelines: tuple[str, ...] = ()                # module:attr objects (SageMaker SDK)
    inventory: Path | None = None                  # a saved live inventory for outside references
    redact: bool = True                            # False: --no-redact, local debugging only
    skip_unrecognised: bool = False                # recognise files by content (pre-commit hands over all)


@dataclass
class IacResult:
    loaded: Loaded
    inventory: Inventory
    findings: FindingsDocument
    checkov: dict


def scan_iac(opts: IacOptions, eval_opts: EvalOptions, *, loaded_policies=None) -> IacResult:
    if not opts.paths and not opts.pipelines:
        raise InputError("give at least one file or directory (or --pipeline module:attr)")
    policies = loaded_policies or load_everything(eval_opts)
    executable = None
    if opts.checkov != CHECKOV_OFF:
        executable = checkov_mod.find_checkov()
        if executable is None and opts.checkov == CHECKOV_ON:
            raise InputError("--checkov: checkov is not installed (run `scripts/bootstrap.sh checkov`, "
                             "put it on PATH, or set MLWARDEN_CHECKOV)")
    started = now()
    live = Inventory.load(opts.inventory) if opts.inventory else None
    if live is not None:
        # Ids such as subnet-0abc are looked up per account and region: take them from the
        # inventory when it covers one of each and the user named none.
        regions = [r for r in live.regions if r != "global"]
        opts = replace(opts, account=opts.account or (live.accounts[0] if len(live.accounts) == 1 else ""),
                       region=opts.region or (regions[0] if len(regions) == 1 else ""))
    pipeline_objects = [definition_from_sdk(spec) for spec in opts.pipelines]
    loaded = load(list(opts.paths), parameters=opts.parameters, account=opts.account,
                  region=opts.region, pipeline_objects=pipeline_objects,
                  skip_unrecognised=opts.skip_unrecognised)
    # A file that could not be read is a gap of the scan, never a silent absence.
    gaps = [CoverageGap(resource_type="MLW::IaC::File", account=opts.account, region=opts.region,
                        operation="mlwarden:LoadIacFile", error_code="InputError", message=message,
                        resource_id=file) for file, message in loaded.errors]
    inv = Inventory(resources=loaded.resources, gaps=gaps, accounts=[opts.account] if opts.account else [],
                    regions=[opts.region] if opts.region else [], started=started, finished=now(),
                    redaction=redact_resources(loaded.resources, enabled=opts.redact))
    context = _live_context(live, loaded.resources) if live is not None else []
    meta = {
        "kind": "iac",
        "files": [{"file": f.display, "kind": f.kind, "resources": len(f.resources)} for f in loaded.files],
        "skipped_files": loaded.skipped,
        "file_errors": [{"file": file, "error": message} for file, message in loaded.errors],
    }
    if context:
        meta["live_context"] = {"inventory": str(opts.inventory), "resources": len(context)}
    # Derived as a live inventory is (what each endpoint serves, the job definitions
    # schedules name, the buckets, keys and roles ML resources use), then judged.
    doc = run_scan(IacTemplates(files=inv, context=context), eval_opts, loaded=policies, scan_meta=meta).findings
    if context:
        # The live resources are there only to be related to; their own verdicts belong to `scan`.
        ours = {r.arn for r in inv.resources}
        doc.findings = [f for f in doc.findings if f.resource.get("arn") in ours]
        doc.scan["resource_count"] = len(inv.resources)
    policy_set = policies[0]
    evidence = {p.id: tuple(p.metadata.evidence) for p in policy_set.policies}
    pass_evidence = {p.id: p.metadata.pass_evidence for p in policy_set.policies if p.metadata.pass_evidence}
    unknown_count = mark_unknown_findings(doc.findings, inv.resources, evidence, pass_evidence)

    ck: dict = {"status": "off" if opts.checkov == CHECKOV_OFF else "not installed"}
    if executable is not None:
        files = [(f.display, f.kind) for f in loaded.files]
        run = checkov_mod.run(files, executable)
        doc.findings = checkov_mod.merge(doc.findings, run, inv.resources,
                                         {f.display: str(f.path) for f in loaded.files},
                                         {p.id for p in policy_set.policies},
                                         {(f.display, rid) for f in loaded.files for rid in f.not_deployed})
        ck = {"status": "ran", "executable": str(executable), "version": run.version,
              "results": len(run.results), "parsing_errors": run.parsing_errors,
              "seconds": round(run.seconds, 2)}
    doc.scan["checkov"] = ck
    doc.scan["not_assessed_unknown_values"] = unknown_count
    doc.findings.sort(key=lambda f: (-f.severity.rank, f.policy_id,
                                     f.resource.get("arn") or f.resource.get("id") or ""))
    return IacResult(loaded=loaded, inventory=inv, findings=doc, checkov=ck)


def _live_context(live: Inventory, resources: list) -> list:
    """The resources of a saved live inventory that the IaC resources reference by ARN or
    id (a subnet, an existing KMS key): with them, policies judge what a template points
    at instead of reporting that it could not be read."""
    index = RelationIndex(live.resources)
    picked: dict[str, object] = {}
    for r in resources:
        for refs in r.relations.values():
            for ref in refs:
                hit = index.get(ref, r.account, r.region)
                if hit is not None:
                    picked.setdefault(hit.key, hit)
    return list(picked.values())


__all__ = ["IacOptions", "IacResult", "scan_iac", "Severity"]
