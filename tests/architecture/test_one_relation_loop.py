"""Relations are followed in one place: scanner/collectors/related.py. The event-driven
scan (one named resource and what it relates to) and remediation's verifying re-scan
(whole types and every type they point at) both go through its `follow`, so what counts
as "related" (the descriptors' relation targets, a schedule's job definition) cannot
drift between them again: before, each had its own loop over `relation_types()`.

The check: no module but related.py calls what a relation-following loop is made of —
which type a relation name leads to (`type_registry.relation_types`), the read of one
resource by its identifier (`collectors.base.collect_one`), a schedule's named job
definition (`sagemaker_job_definitions.named_definition`) — and no module but
related.py and the pipeline (its `TypesAndRelated` source) calls `follow`."""
from __future__ import annotations

import textwrap

import pytest

from tests.architecture.test_import_cycles import PACKAGES, REPO
from tests.architecture.test_one_scan_pipeline import _module_name, guarded_calls

RELATED = "mlwarden.collectors.related"
LOOP_PARTS = {"mlwarden.type_registry": {"relation_types"},
              "mlwarden.collectors.base": {"collect_one"},
              "mlwarden.collectors.sagemaker_job_definitions": {"named_definition"}}
LOOP = {RELATED: {"follow"}}


def _offenders(guarded: dict[str, set[str]], allowed: set[str]) -> list[str]:
    """Calls of `guarded` functions from modules other than theirs and `allowed`."""
    out = []
    for folder in PACKAGES:
        for path in (REPO / folder).rglob("*.py"):
            module = _module_name(path)
            if module in allowed or module in guarded:
                continue
            out += [f"{path.relative_to(REPO)}:{hit}"
                    for hit in guarded_calls(path.read_text(), module, path.name == "__init__.py", guarded)]
    return out


def test_only_related_py_follows_relations():
    offenders = _offenders(LOOP_PARTS, {RELATED})
    assert offenders == [], ("follow relations through scanner/collectors/related.py (`follow`, `references`, "
                             "`read_around`), not a loop of your own: " + ", ".join(offenders))


def test_only_the_pipeline_runs_the_loop():
    offenders = _offenders(LOOP, {RELATED, "mlwarden.pipeline"})
    assert offenders == [], ("read related resources through a scanner/pipeline.py source (`TargetedLive`, "
                             "`TypesAndRelated`): " + ", ".join(offenders))


@pytest.mark.parametrize("code", [
    # remediation's old loop, as it was
    """
    from mlwarden.type_registry import relation_types
    def around(inv, wanted, known):
        targets = relation_types()
        return {targets[n] for r in inv.resources for n, refs in r.relations.items() if refs and n in targets}
    """,
    # the targeted scan's old loop, as it was
    """
    from ..collectors.base import Scope, collect_one, registry
    def read(spec, scope, ident):
        return collect_one(spec, scope, ident)
    """,
    "from mlwarden.collectors import sagemaker_job_definitions as jd\njd.named_definition(r)",
])
def test_the_check_sees_a_second_loop(code):
    assert guarded_calls(textwrap.dedent(code), "mlwarden.remediations.engine", False, LOOP_PARTS) != []
