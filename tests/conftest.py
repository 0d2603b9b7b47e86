"""Shared fixtures. moto stands in for AWS: in process (`aws`) or as a server
on 127.0.0.1 (`moto_server`), exactly as a real endpoint would be reached."""
from __future__ import annotations

import functools
import gc
import inspect
import os
import tempfile
from pathlib import Path

import pytest

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account


def pytest_sessionstart(session):
    """One AWS emulation for every test: what moto lacks and the demo and the benchmarks
    add (scanner/demo/moto_extensions.py: Search over models, monitoring schedules,
    quotas, …) is installed once for the session, so an in-process moto test sees the
    same AWS as the demo whichever tests ran before it (tests/iac/test_parity.py failed
    when run alone: moto's own Search rejects Resource="Model", which AWS accepts)."""
    try:
        from mlwarden.demo import moto_extensions
    except ImportError:   # moto not installed: the tests that need it are skipped
        return
    moto_extensions.install()


@pytest.fixture(autouse=True)
def _fake_aws_env(monkeypatch):
    """No test ever reaches real AWS: fake credentials, no profile, a default region."""
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    # Periodic progress lines depend on how loaded the machine is; tests that check
    # output line by line must not see them. tests/cli/test_progress.py sets its own.
    monkeypatch.setenv("MLWARDEN_PROGRESS_INTERVAL", "3600")
    # The terminal size of whatever started pytest is not the test's: pytest-xdist sets
    # COLUMNS=80 in its workers, and the summary then wraps at 80 instead of the 110 a
    # CI log gets (tests/cli/test_gate.py read a resource id cut in two). Tests that
    # need a width set their own.
    for k in ("COLUMNS", "LINES"):
        monkeypatch.delenv(k, raising=False)


# The session keeps a million objects alive (module fixtures, moto's backends, compiled
# policy modules) while each test allocates many more: with the default thresholds the
# cyclic GC walks them so often that tests late in the run took three times as long as
# alone (tests/audit..collectors: 328 s, 172 s with these thresholds; 1.8 -> 3.3 GB).
gc.set_threshold(100_000, 50, 100)

# No test may wait on the EC2 instance metadata service (botocore asks it for
# credentials and a region when none are set): on a machine whose network drops the
# packets, every such lookup waits for its timeout. Set for the whole session and the
# commands it starts.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

# The redaction key of this test run (and of the commands it starts), not the one of the
# machine's user in ~/.config/mlwarden; set for the whole session, module fixtures included.
os.environ["MLWARDEN_REDACTION_KEY_FILE"] = str(Path(tempfile.mkdtemp(prefix="mlw-key-")) / "redaction.key")


@pytest.fixture
def aws():
    """moto in process, with AWS managed IAM policies loaded, and the one shared AWS
    emulation (mlwarden.demo.moto_extensions) installed first: a test that later
    monkeypatches moto then restores the emulation's methods, not moto's bare ones."""
    from moto import mock_aws

    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    with mock_aws(config={"iam": {"load_aws_managed_policies": True},
                          "lambda": {"use_docker": False}}):
        yield


@pytest.fixture(scope="session")
def moto_server():
    """One moto server on a free 127.0.0.1 port for the session; reset it per test
    with `moto_server.reset()` when state matters."""
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    from mlwarden.demo.server import MotoServer
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mlwarden_wheel(tmp_path_factory) -> Path:
    """The wheel built from this source tree, once per run (tests/support/wheel.py)."""
    from tests.support.wheel import built_wheel
    return built_wheel(tmp_path_factory)


@pytest.fixture
def aws_context(aws):
    """An AwsContext on in-process moto, read-only like a scan."""
    from mlwarden.aws.session import AwsContext
    from mlwarden.permissions import scan_options
    return AwsContext(options=scan_options(max_workers=4))


@pytest.fixture
def scope(aws_context):
    from mlwarden.collectors.base import Scope
    return Scope(aws=aws_context, account=ACCOUNT, region=REGION)


# --- test tiers -------------------------------------------------------------------------
# `make check` runs the fast tier: `-m "not (slow or aws or browser or opa or checkov or e2e)"`.
# Marks follow what a test needs, read from its fixtures (with everything they depend
# on), imports and skip conditions, so a new test lands in the right tier without
# anyone remembering to mark it; `@pytest.mark.slow` is for the rest.

_OPA_FIXTURES = frozenset({"opa_binary", "opa_server"})
_BROWSER_FIXTURES = frozenset({"browser", "page"})
_AWS_FIXTURES = frozenset({"aws", "moto_server"})
_MOTO_WORDS = ("mock_aws", "from moto", "moto_server")
# Whole areas that build or lint big artefacts (the Lambda package, cfn-lint on the
# audit template), and single tests measured over 5 s on a 2-core machine.
_SLOW_DIRS = ("/tests/audit/",)
_SLOW_TESTS = frozenset({"test_parallel_workers_give_the_same_findings_as_one_process"})


@functools.lru_cache(maxsize=None)
def _mentions_moto(func) -> bool:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    return any(word in source for word in _MOTO_WORDS)


def _needs_moto(item) -> bool:
    """The test, or a fixture it uses (at any depth), starts moto."""
    if set(getattr(item, "fixturenames", ())) & _AWS_FIXTURES:
        return True
    funcs = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        funcs.extend(d.func for d in defs)
    return any(_mentions_moto(f) for f in funcs if f is not None)


def _skip_reasons(item) -> str:
    return " ".join(str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif")).lower()


# The modules that take longest (measured on 2 cores, slowest first) run first. pytest-xdist
# (make check/test: --dist loadscope --no-loadscope-reorder) hands each worker whole
# modules in this order; left in their place (or in xdist's own order, most tests first)
# the fault matrix and the clean install were started last and one worker ran them alone
# while the other stood idle.
_LONG_MODULES = (
    "tests/faults/test_fault_matrix.py", "tests/e2e/test_clean_install.py", "tests/audit/test_audit.py",
    "tests/e2e/test_cli.py", "tests/policies/test_opa_engine.py", "tests/engine/test_property_conformance.py",
    "tests/policies/test_conformance.py", "tests/e2e/test_remediate_demo.py", "tests/policies/test_opa_tools.py",
    "tests/policies/test_violation_forms.py", "tests/collectors/test_call_budget.py",
    # the fast tier's
    "tests/engine/test_wheel_portability.py", "tests/policies/test_policies_cli.py",
    "tests/engine/test_wasm_engine.py", "tests/test_hostile_input.py",
)


def _long_first(config, items) -> None:
    rank = {name: i for i, name in enumerate(_LONG_MODULES)}
    root = config.rootpath

    def key(item) -> int:
        try:
            return rank.get(item.path.relative_to(root).as_posix(), len(rank))
        except ValueError:
            return len(rank)
    items.sort(key=key)   # stable: within a module, and for the rest, collection order


def pytest_collection_modifyitems(config, items):
    _long_first(config, items)
    for item in items:
        path = item.path.as_posix()
        fixtures = set(getattr(item, "fixturenames", ()))
        reasons = _skip_reasons(item)
        if "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if _needs_moto(item):
            item.add_marker(pytest.mark.aws)
        if any(d in path for d in _SLOW_DIRS) or getattr(item, "originalname", item.name) in _SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if fixtures & _OPA_FIXTURES:
            item.add_marker(pytest.mark.opa)
        if fixtures & _BROWSER_FIXTURES or "chromium" in reasons:
            item.add_marker(pytest.mark.browser)
        if "checkov" in reasons or path.endswith("/tests/iac/test_checkov.py"):
            item.add_marker(pytest.mark.checkov)
