"""What the collector tests share: a judge that evaluates an inventory with the shipped
policies, as a scan does (the Wasm engine, the default settings)."""
from __future__ import annotations

import pytest

from mlwarden import settings as settings_mod
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.policy.library import load_policies


@pytest.fixture(scope="session")
def judge():
    """inventory → FindingsDocument, judged by the shipped library (prepared once)."""
    policy_set = load_policies()
    engine = WasmEngine(workers=1)
    engine.prepare(policy_set)
    settings = settings_mod.defaults()
    yield lambda inv: evaluate(inv, policy_set, engine, settings)
    engine.close()
