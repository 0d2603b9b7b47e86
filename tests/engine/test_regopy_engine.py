"""The embedded engine: verdicts, isolation of a failing policy, and values from
AWS that would break regopy's own JSON output."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.errors import InputError
from mlwarden.inventory import Inventory
from mlwarden.model import Resource, Status

HEADER = """\
# METADATA
# title: {title}
# description: test policy
# custom:
#   id: {pid}
#   severity: high
#   category: tagging
#   resource_types: [MLW::Test::Thing]
package custom.{pkg}

import rego.v1

"""


def _policy(d: Path, pkg: str, pid: str, body: str) -> None:
    (d / f"{pkg}.rego").write_text(HEADER.format(title=pkg, pid=pid, pkg=pkg) + textwrap.dedent(body))


def _thing(rid: str, **tags) -> Resource:
    return Resource(type="MLW::Test::Thing", id=rid, arn=f"arn:aws:test:eu-west-1:1:thing/{rid}",
                    account="1", region="eu-west-1", tags=tags, properties={"n": "12"})


def _run(tmp_path, resources):
    doc = evaluate_inventory(Inventory(resources=resources),
                             EvalOptions(policy_dirs=(tmp_path,), workers=1))
    return {(f.policy_id, f.resource["id"]): f for f in doc.findings if f.policy_id.startswith("CUS-")}


def test_hostile_strings_come_back_exactly_and_do_not_stop_the_scan(tmp_path):
    _policy(tmp_path, "echo", "CUS-TAG-001", """\
        deny contains msg if {
        \tmsg := concat("", ["owner is <", input.resource.tags.owner, ">"])
        }
        """)
    hostile = 'a"b\\c\nd\x01 "quoted" </script>'
    found = _run(tmp_path, [_thing("x", owner=hostile), _thing("y", owner="plain")])
    assert found[("CUS-TAG-001", "x")].message == f"owner is <{hostile}>"
    assert found[("CUS-TAG-001", "y")].message == "owner is <plain>"


def test_a_builtin_error_is_an_error_finding_and_other_policies_still_judge(tmp_path):
    _policy(tmp_path, "broken", "CUS-TAG-002", """\
        deny contains "n is big" if to_number(input.resource.tags.owner) > 1
        """)
    _policy(tmp_path, "fine", "CUS-TAG-003", """\
        deny contains "no owner" if not input.resource.tags.owner
        """)
    found = _run(tmp_path, [_thing("x", owner="not-a-number")])
    assert found[("CUS-TAG-002", "x")].status == Status.ERROR
    assert found[("CUS-TAG-003", "x")].status == Status.PASS


def test_applies_false_means_no_finding(tmp_path):
    _policy(tmp_path, "prodonly", "CUS-TAG-004", """\
        applies if input.resource.tags.environment == "prod"

        deny contains "bad" if true
        """)
    found = _run(tmp_path, [_thing("dev", environment="dev"), _thing("prod", environment="prod")])
    assert ("CUS-TAG-004", "dev") not in found
    assert found[("CUS-TAG-004", "prod")].status == Status.FAIL


def test_a_policy_that_does_not_parse_is_refused_with_file_and_line(tmp_path):
    _policy(tmp_path, "syntax", "CUS-TAG-005", """\
        deny contains msg if {
        \tmsg := concat("", [
        }
        """)
    with pytest.raises(InputError) as err:
        _run(tmp_path, [_thing("x")])
    assert "syntax.rego:" in str(err.value)


def test_parallel_workers_give_the_same_findings_as_one_process(tmp_path):
    from mlwarden.engine import regopy_engine
    _policy(tmp_path, "echo", "CUS-TAG-001", """\
        deny contains msg if {
        \tnot input.resource.tags.owner
        \tmsg := concat("", [input.resource.id, " has no owner"])
        }
        """)
    things = [_thing(f"t{i}", **({"owner": "o"} if i % 3 else {})) for i in range(regopy_engine.PARALLEL_THRESHOLD + 10)]
    one = evaluate_inventory(Inventory(resources=things), EvalOptions(policy_dirs=(tmp_path,), workers=1))
    two = evaluate_inventory(Inventory(resources=things), EvalOptions(policy_dirs=(tmp_path,), workers=2))
    as_set = lambda doc: {(f.policy_id, f.resource["id"], f.status, f.message) for f in doc.findings}
    assert as_set(one) == as_set(two)
    assert sum(1 for f in one.findings if f.policy_id == "CUS-TAG-001" and f.status == Status.FAIL) == len(things) // 3 + 1
