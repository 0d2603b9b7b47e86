"""Per-resource evaluation cost of the two engines on a synthetic inventory.

    .venv/bin/python -m benchmarks.bench_engines [N_RESOURCES]

Prints wall time for the Wasm engine (1 and 2 worker threads) and for OPA
(a local `opa run --server`, one request per resource and batched), each on the
same inventory through `evaluate()`, relations resolved. Needs an `opa` binary.
"""
from __future__ import annotations

import sys
import time

from mlwarden import settings as settings_mod
from mlwarden.engine.opa_engine import OpaEngine
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.policy.library import load_policies
from tests.support import synthetic


def main(n: int = 2000) -> None:
    ps = load_policies()
    inv = synthetic.inventory(n, seed=3)
    settings = settings_mod.defaults()
    judged = sum(1 for r in inv.resources if ps.for_type(r.type))
    print(f"{len(inv.resources)} resources ({judged} with policies), {len(ps.policies)} policies")
    engines = [("wasm, 1 worker", lambda: WasmEngine(workers=1)),
               ("wasm, 2 workers", lambda: WasmEngine(workers=2)),
               ("opa, 1 resource/request", lambda: OpaEngine(batch_size=1)),
               ("opa, 50 resources/request", lambda: OpaEngine(batch_size=50))]
    for label, make in engines:
        with make() as engine:
            t0 = time.perf_counter()
            engine.prepare(ps)
            t1 = time.perf_counter()
            doc = evaluate(inv, ps, engine, settings)
            t2 = time.perf_counter()
        print(f"{label:28} prepare {t1 - t0:6.2f} s   evaluate {t2 - t1:6.2f} s   "
              f"{(t2 - t1) / judged * 1000:6.2f} ms/resource   {len(doc.findings)} findings")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
