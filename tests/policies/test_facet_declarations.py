"""Every shipped policy's `custom.facets` is complete: enforced, not trusted.

For every policy and every input it is tested on — the conformance fixtures (generated
variants per type under two settings files) and a seeded synthetic inventory judged with
its relations resolved — each facet of the resource type that the policy does NOT
declare is removed, replaced by a wrong-typed value, and (tags) replaced by production
tags. The policy's verdict (status and messages) must not change: a policy that reads
an undeclared facet would be judged on data the scan did not read when that facet's
read fails, and this test names it.
"""
from __future__ import annotations

from tests.support.outcomes import outcome

import copy
import json

import pytest

from mlwarden import settings as settings_mod
from mlwarden.engine.base import EvalRequest
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import build_input
from mlwarden.relations import RelationIndex
from mlwarden.facet_catalogue import catalogue
from mlwarden.facets import owner
from mlwarden.policy.library import load_policies

from ..support import synthetic

_MISSING = object()


@pytest.fixture(scope="module")
def policy_set():
    return load_policies()


@pytest.fixture(scope="module")
def engine(policy_set):
    e = WasmEngine(workers=1)
    e.prepare(policy_set)
    yield e
    e.close()


def _settings(variant: str) -> dict:
    base = settings_mod.defaults()
    wanted = {k: v for k, v in synthetic.SETTINGS_VARIANTS[variant].items() if k in base}
    return settings_mod.merge(base, wanted, "facets", "")


def _inputs() -> list[tuple[str, dict, str]]:
    """(name, policy input, settings variant) for every conformance fixture and synthetic
    resource. Settings are data the engine holds, loaded once per variant."""
    out = []
    for path in sorted(synthetic.FIXTURE_DIR.glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            inp = dict(case["input"])
            inp.pop("settings", None)
            out.append((f"{path.name}#{case['name']}", inp, case.get("settings", "defaults")))
    inv = synthetic.inventory(150, seed=11)
    index = RelationIndex(inv.resources)
    docs = {(r.account, r.region): {"id": r.account, "region": r.region, **r.facts}
            for r in inv.resources if r.type == "MLW::SageMaker::ServiceUsage"}
    for i, r in enumerate(inv.resources):
        out.append((f"synthetic#{i}:{r.type}:{r.id}", build_input(r, index, docs), "strict"))
    return out


def _get(doc: dict, path: str):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _set(doc: dict, path: str, value) -> None:
    """Set (or remove) the value at `path`, only where its parent object exists: creating
    parents would change data that belongs to another facet."""
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        if not isinstance(node.get(part), dict):
            return
        node = node[part]
    if value is _MISSING:
        node.pop(last, None)
    else:
        node[last] = value


def garble(inp: dict, facet: str, facets: dict, how: str, settings: dict) -> dict:
    """`inp` with every input path of `facet` removed or replaced; values inside it that
    belong to another (more specific) facet keep their values."""
    out = copy.deepcopy(inp)
    others = [p for f in facets.values() if f.name != facet for p in f.paths]

    def replacement(path: str):
        if how == "remove":
            return _MISSING
        if how == "production" and path == "resource.tags":
            prod = settings.get("production") or {}
            return {prod.get("tag", "environment"): (prod.get("values") or ["prod"])[0]}
        return "garbled"

    def visit(path: str) -> None:
        value = _get(out, path)
        if path in others:
            return                                   # another facet's value
        inner = [p for p in others if p.startswith(path + ".")]
        if not inner or not isinstance(value, dict):
            if value is not _MISSING or how != "remove":
                _set(out, path, replacement(path))
            return
        for key in list(value):                      # garble around the other facet's values
            visit(f"{path}.{key}")

    for path in facets[facet].paths:
        visit(path)
    return out


_outcome = outcome


def test_every_shipped_policy_declares_its_facets(policy_set):
    undeclared = sorted(p.id for p in policy_set.policies if p.metadata.facets is None)
    assert not undeclared, f"policies without custom.facets: {', '.join(undeclared)}"


def test_no_policy_reads_a_facet_it_does_not_declare(policy_set, engine):
    cat = catalogue()
    settings = {name: _settings(name) for name in synthetic.SETTINGS_VARIANTS}
    baseline: dict[str, list] = {}
    garbled: dict[str, list] = {}
    for name, inp, variant in _inputs():
        rtype = inp["resource"]["type"]
        policies = policy_set.for_type(rtype)
        if not policies:
            continue
        facets = cat[rtype]
        baseline.setdefault(variant, []).append(
            EvalRequest(key=name, input=inp, policy_ids=tuple(p.id for p in policies)))
        for facet in facets:
            blind = tuple(p.id for p in policies if facet not in p.metadata.facets)
            if not blind:
                continue
            for how in ("remove", "garbled") + (("production",) if facet == "tags" else ()):
                garbled.setdefault(variant, []).append(EvalRequest(
                    key=f"{name}|{facet}|{how}", input=garble(inp, facet, facets, how, settings[variant]),
                    policy_ids=blind))
    assert sum(map(len, baseline.values())) >= 300 and sum(map(len, garbled.values())) >= 600
    want, verdicts = {}, []
    for variant, requests in baseline.items():
        engine.load_settings(settings[variant])
        want.update({(v.key, v.policy_id): _outcome(v) for v in engine.evaluate(requests)})
        verdicts.extend(engine.evaluate(garbled.get(variant, [])))
    changed = []
    for v in verdicts:
        name, facet, how = v.key.split("|")
        if _outcome(v) != want[(name, v.policy_id)]:
            changed.append(f"{v.policy_id} reads facet '{facet}' ({how}) on {name}: "
                           f"{want[(name, v.policy_id)]} became {_outcome(v)}")
    assert not changed, (f"{len(changed)} verdicts depend on undeclared facets (add them to "
                         "custom.facets):\n" + "\n".join(changed[:30]))


def test_every_facet_path_has_one_owner():
    """The facet → input path map is unambiguous: each declared path belongs to one facet."""
    for rtype, facets in catalogue().items():
        for f in facets.values():
            for p in f.paths:
                assert owner(facets, p) == f.name, f"{rtype}: {p} is declared by two facets"


def test_an_unknown_facet_is_refused_with_file_and_line(tmp_path):
    from mlwarden.errors import InputError
    from mlwarden.policy.metadata import parse_module

    path = tmp_path / "p.rego"
    path.write_text(
        "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: MLW-TST-001\n#   severity: low\n"
        "#   category: tagging\n#   resource_types: [AWS::SageMaker::NotebookInstance]\n"
        "#   facets: [describe, autoscaling]\npackage x\n")
    with pytest.raises(InputError) as err:
        parse_module(path, require_metadata=True)
    assert str(err.value).startswith(f"{path}:9: METADATA custom.facets: unknown facet(s) autoscaling")
    assert "known: describe, lifecycle, provenance, tags" in str(err.value)
    path.write_text(path.read_text().replace("autoscaling", "tags"))
    assert parse_module(path, require_metadata=True).metadata.facets == ("describe", "tags")
