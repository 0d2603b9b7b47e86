"""`mlwarden remediate --apply --yes` on the demo estate, end to end, as a user runs it.

scan → plan (dry run, --json) → apply → scan again → apply again, all through the
CLI against the demo's moto server (with the update calls of
mlwarden.demo.moto_updates), only through `--endpoint-url`. What a user would check:
every FAIL finding an automatic runbook answers now passes, the others are as they
were, a second apply changes nothing, and the audit log holds every call made.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.demo.run import demo_settings_file
from mlwarden.demo.server import fake_credentials

REGION = "eu-west-1"
ACCOUNT = "123456789012"
SM = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"

# Findings an automatic runbook answers that still fail after the apply, and why.
STILL_FAILING = {
    # endpoint-redeploy redeploys onto a fixed copy of the configuration and keeps the
    # old one for rollback: the old configuration still fails until a person deletes it.
    ("MLW-ENC-003", f"{SM}:endpoint-config/churn-lgbm-v1-config"): "kept for rollback",
    ("MLW-MON-003", f"{SM}:endpoint-config/churn-lgbm-v1-config"): "kept for rollback",
    # The endpoint's model was not built from a registered package: the plan leaves
    # registering it to a person (a step, not a call).
    ("MLW-REG-003", f"{SM}:endpoint/churn-scoring-prod"): "step for a person",
}
# quota-increase asks AWS for more (RequestServiceQuotaIncrease): the request is
# PENDING until AWS grants it, so the usage findings still fail, and the apply
# reports the verification as PENDING.
QUOTA_RUNBOOK = "quota-increase"
# model-package-quarantine rejects a package; the policies it answered judge only
# Approved packages, so after the re-scan they no longer apply (no finding at all).
QUARANTINE_RUNBOOK = "model-package-quarantine"
# The findings that get worse, as a consequence a user must see: fraud-scoring-prod and
# recsys-scoring-prod (launched from the platform's Service Catalog product) serve a
# package the run quarantined (Rejected), so MLW-REG-003 now fails for them.
KNOCK_ON = {("MLW-REG-003", f"{SM}:endpoint/fraud-scoring-prod"),
            ("MLW-REG-003", f"{SM}:endpoint/recsys-scoring-prod")}
# s3-tls-only makes the data lake deny requests not sent over TLS, and the demo server
# speaks plain HTTP: the re-scan cannot read the model artefacts in the lake, so
# MLW-INT-003 (artefact digest) is NOT_ASSESSED there, naming the denied call. (It used
# to vanish without a finding: its "could not compute" rule could not fire.)
UNREADABLE = "MLW-INT-003"
UNREADABLE_REASON = "facet 'artifact' was not read: s3:HeadObject failed with 403"
# The same denial leaves the artefacts' sizes unread, so the cold-start rule (MLW-MON-011)
# is NOT_ASSESSED on the endpoints, naming the same call, never judged on a guess.
# And the baselines of the data-quality monitors, whose constraints.json lies in the lake:
# MLW-MON-015 is NOT_ASSESSED naming the denied GetObject. The Service Catalog product's
# templates are kept in the same lake: the re-scan cannot read them, so MLW-GOV-002 is
# NOT_ASSESSED naming s3:GetObject, and the templates' resources (judged in the first
# scan) are not in the re-scan at all.
UNREADABLE_BY_POLICY = {UNREADABLE: UNREADABLE_REASON,
                        "MLW-MON-011": "facet 'artifact_size' was not read: s3:HeadObject failed with 403",
                        "MLW-MON-015": "facet 'drift_constraints' was not read: s3:GetObject failed with 403",
                        "MLW-GOV-002": "facet 'templates' was not read: s3:GetObject failed with 403"}
TEMPLATES = "cfn://service-catalog/"


def _unreadable(doc: dict, key: tuple[str, str]) -> bool:
    return key[0] in UNREADABLE_BY_POLICY and any(
        _key(f) == key and f["status"] == "NOT_ASSESSED" and UNREADABLE_BY_POLICY[key[0]] in f["message"]
        for f in doc["findings"])


def _key(f: dict) -> tuple[str, str]:
    return f["policy_id"], f["resource"].get("arn") or f["resource"]["id"]


def _statuses(doc: dict) -> dict[tuple[str, str], str]:
    return {_key(f): f["status"] for f in doc["findings"]}


def _audit_calls(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [r for r in map(json.loads, path.read_text().splitlines()) if r["event"] == "call"]


@pytest.fixture(scope="module")
def run(seeded_server, tmp_path_factory):
    server, _ = seeded_server
    work = tmp_path_factory.mktemp("remediate")
    # The demo settings trust the key the demo signs with by its alias in the account
    # (alias/ml-model-signing): the packages model-package-sign signs pass MLW-INT-002.
    settings = work / "settings.yaml"
    settings.write_text(demo_settings_file().read_text())
    assert "alias/ml-model-signing" in settings.read_text()
    audit = work / "audit.jsonl"
    common = ["--endpoint-url", server.url, "--settings", str(settings)]

    def cli(*args):
        result = CliRunner().invoke(main, [*args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    def scan(name):
        cli("scan", *common, "--regions", REGION, "--out", str(work / name), "--format", "json")
        return json.loads((work / name / "findings.json").read_text())

    remediate = ["remediate", str(work / "before" / "findings.json"), *common, "--json"]
    apply = [*remediate, "--apply", "--yes", "--allow-iam", "--audit-log", str(audit)]
    with fake_credentials():
        before = scan("before")
        plans = json.loads(cli(*remediate).output)["plans"]
        applied = cli(*apply)
        calls_after_first = _audit_calls(audit)
        after = scan("after")
        second = cli(*apply)
        quota_requests = boto3.client("service-quotas", region_name=REGION, endpoint_url=server.url) \
            .list_requested_service_quota_change_history_by_quota
    return dict(before=before, after=after, plans=plans, applied=applied, audit=audit,
                calls_after_first=calls_after_first, second=second, quota_requests=quota_requests,
                server=server)


def _automatic(plans: list[dict]) -> dict[tuple[str, str], str]:
    """(policy, resource) of every FAIL finding a plan --apply --allow-iam carries out."""
    out = {}
    for o in plans:
        p = o.get("plan")
        if p and p["automatic"] and p["calls"] and p["requires_flag"] in (None, "allow-iam"):
            out.update({_key(f): o["runbook"] for f in p["findings"]})
    return out


def test_every_finding_with_an_automatic_runbook_passes_after_apply(run):
    before, after = _statuses(run["before"]), _statuses(run["after"])
    auto = _automatic(run["plans"])
    assert len(auto) >= 50 and {"endpoint-redeploy", "notebook-root-access", "notebook-lifecycle-idle-stop",
                                QUOTA_RUNBOOK, QUARANTINE_RUNBOOK} <= set(auto.values())
    assert all(before[k] == "FAIL" for k in auto)
    outcome = {}
    for k, runbook in auto.items():
        if k in STILL_FAILING or runbook == QUOTA_RUNBOOK:
            assert after.get(k) == "FAIL", k
        elif runbook == QUARANTINE_RUNBOOK:
            assert after.get(k) in ("PASS", None) or _unreadable(run["after"], k), k
            assert any(r == k[1] for _, r in after), f"{k[1]} missing from the re-scan"
        else:
            outcome[k] = after.get(k)
    assert set(outcome.values()) == {"PASS"}, {k: v for k, v in outcome.items() if v != "PASS"}
    assert set(STILL_FAILING) <= set(auto)


def test_quota_request_is_pending_and_reported_so(run):
    [quota] = [o for o in run["plans"] if o["runbook"] == QUOTA_RUNBOOK]
    assert "plan" in quota, quota   # a refused plan carries its reason in "error"
    quota_plan = quota["plan"]
    requests = [c["params"] for c in quota_plan["calls"] if c["operation"] == "RequestServiceQuotaIncrease"]
    assert requests   # one per quota the usage findings name
    for request in requests:
        history = run["quota_requests"](ServiceCode="sagemaker", QuotaCode=request["QuotaCode"])
        assert [(r["DesiredValue"], r["Status"]) for r in history["RequestedQuotas"]] == \
            [(request["DesiredValue"], "PENDING")]
    results = json.loads(run["applied"].output)["results"]
    assert [r["verification"]["status"] for r in results if r["runbook"] == QUOTA_RUNBOOK] == ["PENDING"]


def test_apply_reports_what_still_fails(run):
    results = json.loads(run["applied"].output)["results"]
    assert {r["status"] for r in results} <= {"applied", "already-compliant"}
    # A quarantine whose re-scan could not read the artefact is not verified as a pass.
    unread = [r for r in results if r["verification"]["status"] == "FAIL"
              and r["verification"]["message"].startswith(f"{UNREADABLE} NOT_ASSESSED")]
    assert all(r["runbook"] == QUARANTINE_RUNBOOK for r in unread)
    results = [r for r in results if r not in unread]
    verdicts = Counter(r["verification"]["status"] for r in results)
    # Only the endpoint fails verification (its model from no registered package).
    assert verdicts["FAIL"] == 1 and verdicts["PENDING"] == 1 and verdicts["PASS"] == len(results) - 2
    [bad] = [r for r in results if r["verification"]["status"] == "FAIL"]
    assert bad["runbook"] == "endpoint-redeploy" and "MLW-REG-003" in bad["verification"]["message"]
    assert run["applied"].exit_code == 1   # a user is told something still fails


def test_findings_without_an_automatic_runbook_are_untouched(run):
    before, after = _statuses(run["before"]), _statuses(run["after"])
    auto = _automatic(run["plans"])
    quarantined = {o["resource"].get("arn") for o in run["plans"]
                   if o["runbook"] == QUARANTINE_RUNBOOK and o.get("plan")}
    changed = {k: (v, after.get(k)) for k, v in before.items()
               if k not in auto and after.get(k) != v and not _unreadable(run["after"], k)}
    # A quarantined (Rejected) package is no longer judged by rules for Approved ones; the
    # product templates the re-scan could not read (MLW-GOV-002 says so) are not judged.
    gone = {k for k, (_, now) in changed.items() if now is None and k[1] in quarantined}
    if any(_unreadable(run["after"], k) for k in after if k[0] == "MLW-GOV-002"):
        gone |= {k for k, (_, now) in changed.items() if now is None and k[1].startswith(TEMPLATES)}
    assert set(changed) - gone == KNOCK_ON, changed
    assert all(changed[k] == ("PASS", "FAIL") for k in KNOCK_ON)
    # Nothing fails that did not exist before (new resources: the endpoint config copy).
    assert [k for k, v in after.items()
            if k not in before and v != "PASS" and not _unreadable(run["after"], k)] == []


def test_audit_log_holds_every_call_and_a_second_apply_makes_none(run):
    calls = run["calls_after_first"]
    started = [c for c in calls if c["outcome"] == "started"]
    # Each call: a line before, and one after with its outcome.
    assert len(calls) == 2 * len(started)
    assert {c["outcome"] for c in calls} == {"started", "succeeded"}
    results = json.loads(run["applied"].output)["results"]
    made = Counter((f"{c['service']}:{c['operation']}", json.dumps(c["params"], sort_keys=True))
                   for r in results for c in r["calls"])
    logged = Counter((c["call"], json.dumps(c["parameters"], sort_keys=True)) for c in started)
    assert made == logged and len(started) >= 100
    # Every planned call was made, except those a run already did for another plan
    # (endpoint-redeploy adds the tag required-tags had planned for the endpoint).
    planned = Counter(f"{c['service']}:{c['operation']}" for o in run["plans"]
                      if o.get("plan") and o["plan"]["automatic"] for c in o["plan"]["calls"])
    assert planned - Counter(c["call"] for c in started) == Counter({"sagemaker:AddTags": 1})
    # Second apply: no call at all (the audit log gains no call line).
    second = run["second"]
    assert json.loads(second.output) == {"results": []}, second.output
    assert _audit_calls(run["audit"]) == calls
