"""A rule's violation may be a plain message or {"msg", "path"}: both engines accept
both, the same way (scanner/engine/base.py normalise_violation), so a team's policy
written before paths keeps working and a path reaches the finding."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlwarden.engine.base import EvalRequest
from mlwarden.engine.opa_engine import OpaEngine
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.policy.library import load_policies

POLICY = """\
# METADATA
# title: {pid}
# description: test policy
# custom:
#   id: {pid}
#   severity: high
#   category: tagging
#   resource_types: [MLW::Test::Thing]
package custom.{pkg}

import rego.v1

"""

RULES = {
    "plain": ("CUS-VIO-001", 'deny contains concat("", ["thing ", input.resource.id, " has no owner tag"]) '
                             'if not input.resource.tags.owner\n'),
    # The shape mlwarden.lib.util.violation(msg, path) gives (the shipped library is left
    # out here: compiling it for one test costs a minute).
    "with_path": ("CUS-VIO-002", 'deny contains {"msg": concat("", ["thing ", input.resource.id, " has no owner tag"]), '
                                 '"path": ["tags", "owner"]} if not input.resource.tags.owner\n'),
    # Not a path (a string): kept among the details, never trusted as a path.
    "bad_path": ("CUS-VIO-003", 'deny contains {"msg": "thing has no owner", "path": "tags.owner", "hint": 1} '
                                'if not input.resource.tags.owner\n'),
}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def _verdicts(engine, tmp_path: Path) -> dict:
    for pkg, (pid, rule) in RULES.items():
        (tmp_path / f"{pkg}.rego").write_text(POLICY.format(pid=pid, pkg=pkg) + textwrap.dedent(rule))
    engine.prepare(load_policies([tmp_path], include_shipped=False))
    engine.load_settings({})
    doc = {"resource": {"type": "MLW::Test::Thing", "id": "t1", "properties": {}, "tags": {}}}
    try:
        return {v.policy_id: v.violations for v in engine.evaluate(
            [EvalRequest(key="t1", input=doc, policy_ids=tuple(pid for pid, _ in RULES.values()))])}
    finally:
        engine.close()


WANT = {
    "CUS-VIO-001": [{"msg": "thing t1 has no owner tag"}],
    "CUS-VIO-002": [{"msg": "thing t1 has no owner tag", "path": ["tags", "owner"]}],
    "CUS-VIO-003": [{"msg": "thing has no owner", "details": {"path": "tags.owner", "hint": 1}}],
}


def test_the_wasm_engine_accepts_plain_messages_and_violations_with_paths(tmp_path):
    assert _verdicts(WasmEngine(workers=1, native_for_custom=False), tmp_path) == WANT


def test_the_native_opa_engine_gives_the_same_violations(tmp_path, opa_server):
    assert _verdicts(OpaEngine(url=opa_server.url), tmp_path) == WANT
