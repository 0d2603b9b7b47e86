"""A verdict never rests on a value unknown before deployment: checked by mutation.

An IaC scan turns a PASS or FAIL into NOT_ASSESSED when a value the policy's METADATA
lists as `evidence` is unknown before deployment (scanner/iac/unknown.py:
`mark_unknown_findings`). That trusts each policy's `evidence` list: a policy that
reads a property it does not list would keep a verdict decided by an unknown value.

This test does not trust the lists. For every good and bad example template
(policies/<category>/examples/, judged PASS or FAIL), it replaces each property of the
example's subject, one at a time, with a value only deployment knows
(`Fn::ImportValue`), scans the mutated template as `mlwarden iac` does, and requires
the policy's verdict on the subject to be the example's own or NOT_ASSESSED. A flip
(PASS to FAIL or FAIL to PASS) means the verdict was decided by an unknown value the
policy's evidence does not name.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlwarden import settings as settings_mod, waivers as waivers_mod
from mlwarden.api import EvalOptions
from mlwarden.iac.cloudformation import _plain, decode
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

from ..policies.test_iac_examples import _examples, _rel, _settings_file, _shipped, header

pytestmark = pytest.mark.slow

JUDGED = {"PASS", "FAIL"}


def _cases() -> list[Path]:
    # Examples whose subject is a template resource (a pipeline step's properties sit
    # inside its pipeline's definition, which is parsed as a whole).
    return [p for p in _examples() if header(p)["expect"] in JUDGED
            and header(p)["resource"] in _plain(decode(p, _rel(p))).get("Resources", {})]


def _verdict(path: Path, meta: dict, settings: dict) -> tuple[Status | None, str]:
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF, account=str(meta.get("account") or "")),
                      EvalOptions(),
                      loaded_policies=(_shipped(), settings, waivers_mod.load(None)))
    found = [f for f in result.findings.findings
             if f.policy_id == meta["policy"] and f.resource.get("id") == meta["resource"]]
    return (found[0].status, found[0].message or "") if found else (None, "no finding")


@pytest.mark.parametrize("path", _cases(), ids=_rel)
def test_an_unknown_property_never_decides_the_verdict(path: Path, tmp_path_factory):
    meta = header(path)
    settings = settings_mod.load(_settings_file(meta.get("settings"), tmp_path_factory))
    template = _plain(decode(path, _rel(path)))
    subject = template["Resources"][meta["resource"]]
    expected = Status(meta["expect"])
    work = tmp_path_factory.mktemp("unknown")
    flips = []
    for prop in sorted(subject.get("Properties") or {}):
        mutated = json.loads(json.dumps(template))
        mutated["Resources"][meta["resource"]]["Properties"][prop] = {"Fn::ImportValue": f"deployed-{prop}"}
        file = work / f"{prop}.json"
        file.write_text(json.dumps(mutated))
        got, message = _verdict(file, meta, settings)
        if got not in (expected, Status.NOT_ASSESSED, None):
            flips.append(f"{prop} unknown: {expected.value} -> {got.value if got else None}: {message}")
    assert not flips, (f"{_rel(path)}: {meta['policy']}'s verdict on {meta['resource']} was decided by a "
                       f"value unknown before deployment (its METADATA evidence does not name it):\n"
                       + "\n".join(flips))
