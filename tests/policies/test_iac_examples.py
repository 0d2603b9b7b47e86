"""Every shipped policy's good and bad CloudFormation examples, judged through the IaC path.

Layout (docs/policies.md, "IaC examples"): `policies/<category>/examples/<policy file
stem>/{good,bad}.template`, each a CloudFormation template whose leading comment block
is a YAML header:

    # mlwarden-example:
    #   policy: MLW-ENC-001          the policy the example is for
    #   resource: Notebook           the logical id whose verdict is asserted
    #   expect: FAIL                 PASS, FAIL, NOT_ASSESSED, or NOT_APPLICABLE (no finding:
#                                the policy does not apply, e.g. a package not yet Approved)
    #   why: ...                     what makes it good or bad
    #   settings: {...}              optional: settings the example needs (a --settings file)
    #   account: "111122223333"      optional: the account it deploys to (--account)
#   message_contains: ...        optional: text the finding's message must hold (the cause)
    #   unknown_before_deployment:   required with expect NOT_ASSESSED: why a template cannot say

The `.template` extension keeps them out of `opa test policies/` and `opa eval -d
policies/` (OPA loads every .json/.yaml/.yml file under a directory as data) and out of
the wheel (pyproject.toml ships `**/*.rego` of policies/ only); `mlwarden iac` reads
`.template` files as CloudFormation (scanner/iac/loader.py: EXTENSIONS).

Terraform plans (JSON, so they cannot sit under policies/ for the same reason) for a
representative subset are in tests/fixtures/iac/terraform_examples/<policy file
stem>/{good,bad}.json, the header as the plan's top-level `mlwarden-example` key.

Each example is scanned as `mlwarden iac <file>` scans it: one file per scan, through
`scan_iac` (scanner/iac/scan.py), with the shipped policies loaded once.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from mlwarden import settings as settings_mod, waivers as waivers_mod
from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status
from mlwarden.policy.library import load_policies

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
TERRAFORM = ROOT / "tests" / "fixtures" / "iac" / "terraform_examples"
HEADER = "mlwarden-example"
NOT_APPLICABLE = "NOT_APPLICABLE"
VERDICTS = {"PASS", "FAIL", "NOT_ASSESSED", NOT_APPLICABLE}

# Policies without examples, and why a template cannot show them. Reviewed: each reason
# is about what a template or plan can declare, not about the effort of writing one.
# Where a template can show the verdict it gets (NOT_ASSESSED, or only a bad one), the
# policy's examples folder holds that file too.
_DRIFT = ("what a production endpoint's monitors trigger (schedules, the CloudWatch alarms on their metrics, "
          "alarm actions, EventBridge rules) is derived from a live listing of the account's alarms and rules "
          "(scanner/derivations.py: drift_response): in a template the drift_response facet is unread, so the "
          "verdict is NOT_ASSESSED (unknown.template) and no template can pass or fail it")
EXCEPTIONS: dict[str, str] = {
    "MLW-LIM-001": "judges MLW::SageMaker::ServiceUsage, computed from a live inventory's counts and the "
                   "account's Service Quotas; no template declares it (its descriptor's live_only)",
    "MLW-LIM-002": "judges MLW::SageMaker::ServiceUsage, computed from a live inventory's counts and the "
                   "account's Service Quotas; no template declares it (its descriptor's live_only)",
    "MLW-LIM-004": "judges a training job that is running (TrainingJobStatus InProgress, facts.runtime_seconds "
                   "from DescribeTrainingJob); a pipeline step in a template has not started, so the rule "
                   "does not apply",
    "MLW-MON-009": "MonitoringScheduleStatus exists only once the schedule is deployed (DescribeMonitoringSchedule); "
                   "a template has nothing to judge, so the rule does not apply",
    "MLW-INT-003": "compares the artefact's SHA-256 read from S3 (HeadObject, or the object hashed) with the "
                   "signed claim; the rule applies to registered packages only (source kind live)",
    "MLW-INT-002": "whether the signature verifies, and with which key, is read from KMS (kms:GetPublicKey, "
                   "DescribeKey, ListAliases) once the package is registered: a template's signed package is "
                   "NOT_ASSESSED (unknown.template), an unsigned one is MLW-INT-001's",
    "MLW-INT-004": "the signature is verified against the signing key (kms:GetPublicKey) once the package is "
                   "registered: a template's signed package is NOT_ASSESSED (unknown.template), an unsigned one "
                   "is MLW-INT-001's",
    "MLW-REG-005": "how long a package has waited counts from CreationTime, set when SageMaker registers it: "
                   "a template's pending package is NOT_ASSESSED (unknown.template)",
    "MLW-REG-010": "who set a package's stage (LastModifiedBy, else CreatedBy) is recorded by SageMaker, never "
                   "written in a template (facts.stage_setter is unknown, scanner/iac/normalise.py), so no "
                   "template passes: a described stage is NOT_ASSESSED (unknown.template); bad.template fails "
                   "on its missing StageDescription",
    "MLW-GOV-001": "judges how a deployed endpoint or notebook was made (the Service Catalog provisioned product "
                   "whose stack created it, facts.provenance); the rule applies to live resources only",
    "MLW-GOV-002": "a Service Catalog product's version templates are read from S3 once it exists "
                   "(scanner/catalog_templates.py): in a template the templates facet is unread, so the verdict "
                   "is NOT_ASSESSED (unknown.template)",
    "MLW-MON-002": "which monitoring schedules watch an endpoint is known from a live listing of every schedule "
                   "(scanner/derivations.py: endpoint_lineage): in a template the monitoring facet is unread, so "
                   "the verdict is NOT_ASSESSED (unknown.template)",
    "MLW-MON-011": "the size of the served model data is read from S3 (s3:HeadObject) once the artefact exists "
                   "(scanner/endpoint_artifacts.py): in a template the artifact_size facet is unread, so the "
                   "verdict is NOT_ASSESSED (unknown.template)",
    "MLW-MON-012": _DRIFT,
    "MLW-MON-013": _DRIFT,
    "MLW-MON-014": _DRIFT,
    "MLW-MON-015": _DRIFT,
}


def _examples() -> list[Path]:
    return sorted(POLICIES.glob("*/examples/*/*.template"))


def _terraform_examples() -> list[Path]:
    return sorted(TERRAFORM.glob("*/*.json"))


def header(path: Path) -> dict:
    if path.suffix == ".json":
        meta = json.loads(path.read_text()).get(HEADER)
        assert isinstance(meta, dict), f"{path}: no top-level '{HEADER}' key"
        return meta
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    doc = yaml.safe_load("\n".join(lines)) or {}
    meta = doc.get(HEADER) if isinstance(doc, dict) else None
    assert isinstance(meta, dict), f"{path}: no '# {HEADER}:' header in its leading comment block"
    return meta


@lru_cache(maxsize=1)
def _shipped():
    return load_policies()


def _settings_file(settings: dict | None, tmp_path_factory) -> Path | None:
    if not settings:
        return None
    path = tmp_path_factory.mktemp("settings") / "settings.yaml"
    path.write_text(yaml.safe_dump(settings))
    return path


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", _examples() + _terraform_examples(), ids=_rel)
def test_example_verdict(path: Path, tmp_path_factory):
    meta = header(path)
    settings = settings_mod.load(_settings_file(meta.get("settings"), tmp_path_factory))
    # As `mlwarden iac <file> [--settings FILE] [--account ID]`, with the shipped library read once.
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF, account=str(meta.get("account") or "")),
                      EvalOptions(),
                      loaded_policies=(_shipped(), settings, waivers_mod.load(None)))
    assert not result.inventory.gaps, f"{_rel(path)}: the file did not load: {result.inventory.gaps}"
    assert meta["resource"] in {r.id for r in result.inventory.resources}, \
        f"{_rel(path)}: no resource {meta['resource']} in the file"
    found = [f for f in result.findings.findings
             if f.policy_id == meta["policy"] and f.resource.get("id") == meta["resource"]]
    if meta["expect"] == NOT_APPLICABLE:
        assert not found, f"{_rel(path)}: {meta['policy']} was expected not to apply: {found[0].message}"
        return
    assert len(found) == 1, (f"{_rel(path)}: expected one {meta['policy']} finding on {meta['resource']}, "
                             f"got {[(f.resource.get('id'), f.status.value) for f in found]}")
    got = found[0]
    assert got.status == Status(meta["expect"]), (
        f"{_rel(path)}: {meta['policy']} on {meta['resource']} is {got.status.value}, "
        f"expected {meta['expect']}: {got.message}")
    if meta.get("message_contains"):
        assert meta["message_contains"] in (got.message or ""), f"{_rel(path)}: {got.message}"
    if got.status == Status.FAIL:
        # A bad example fails on what it declares, not on something left unread.
        assert "could not" not in (got.message or "").lower(), f"{_rel(path)}: fails on unread data: {got.message}"


def test_every_policy_has_good_and_bad_examples_or_a_reviewed_exception():
    shipped = {p.id: p for p in _shipped().policies}
    missing, stale = [], []
    for pid, p in sorted(shipped.items()):
        folder = p.path.parent / "examples" / p.path.stem
        have = {f.stem for f in folder.glob("*.template")}
        if pid in EXCEPTIONS:
            # An exception may still show what a template can: a bad one, or the
            # NOT_ASSESSED verdict (unknown.template); with both good and bad it is none.
            if {"good", "bad"} <= have:
                stale.append(f"{pid}: listed as an exception but has good and bad examples in {_rel(folder)}")
            continue
        for kind in ("good", "bad"):
            if kind not in have:
                missing.append(f"{pid}: no {_rel(folder / (kind + '.template'))}")
    assert not missing, "policies without examples (write them, or add a reviewed EXCEPTIONS entry):\n" \
        + "\n".join(missing)
    assert not stale, "\n".join(stale)
    assert set(EXCEPTIONS) <= set(shipped), f"exceptions for unknown policies: {set(EXCEPTIONS) - set(shipped)}"


def test_example_headers_name_their_policy_and_a_sound_expectation():
    by_file = {p.path.with_suffix(""): p for p in _shipped().policies}
    by_stem = {p.path.stem: p for p in _shipped().policies}
    problems = []
    assert len(_terraform_examples()) >= 10, "the Terraform examples are missing"
    for path in _examples() + _terraform_examples():
        meta = header(path)
        owner = (by_stem.get(path.parent.name) if path.suffix == ".json"
                 else by_file.get(path.parent.parent.parent / path.parent.name))
        where = _rel(path)
        if owner is None:
            problems.append(f"{where}: no policy file {path.parent.name}.rego in {_rel(path.parent.parent.parent)}")
            continue
        if meta.get("policy") != owner.id:
            problems.append(f"{where}: header names {meta.get('policy')}, the folder's policy is {owner.id}")
        if not meta.get("resource") or not meta.get("why"):
            problems.append(f"{where}: header needs `resource` and `why`")
        expect = meta.get("expect")
        if expect not in VERDICTS:
            problems.append(f"{where}: expect {expect!r} is not one of {sorted(VERDICTS)}")
        if path.stem == "bad" and expect != "FAIL":
            problems.append(f"{where}: a bad example must FAIL its policy")
        if path.stem == "good" and expect not in ("PASS", "NOT_ASSESSED", NOT_APPLICABLE):
            problems.append(f"{where}: a good example must PASS (or be NOT_ASSESSED with the reason, "
                            "or NOT_APPLICABLE)")
        if expect == "NOT_ASSESSED" and not meta.get("unknown_before_deployment"):
            problems.append(f"{where}: expect NOT_ASSESSED needs `unknown_before_deployment`: why")
    assert not problems, "\n".join(problems)


def test_the_header_reader_refuses_an_example_without_one(tmp_path):
    bare = tmp_path / "bad.template"
    bare.write_text("# just a comment\nResources: {}\n")
    with pytest.raises(AssertionError, match="no '# mlwarden-example:' header"):
        header(bare)
