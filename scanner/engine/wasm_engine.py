"""The default engine: OPA itself, compiled to WebAssembly, evaluated in process.

The policies are compiled by OPA (`wasm_build`: the shipped library's module comes
with the package, custom policies are compiled by a local `opa`), so they mean what
they mean on OPA; wasmtime runs the module (`wasm_runtime`).

- One query per resource: the entrypoint of its policy group (`driver_module`).
- An evaluation that fails (abort, trap, host builtin error, deadline, memory cap)
  is re-run policy by policy through the per-policy entrypoints on a fresh
  instance, so only the broken policy is an ERROR for that resource; nothing stops
  the scan.
- An input that is not a JSON value (NaN, Infinity, a lone surrogate) is an ERROR
  for its resource: it is never handed to the module.
- The scan's settings are handed over once (`load_settings`) as the data document
  `data.mlwarden_settings`, which `mlwarden.lib.util.settings` reads.
- Workers (`workers` > 1, for `PARALLEL_THRESHOLD` requests or more) are threads,
  each with its own instance of the one compiled module: wasmtime releases the GIL
  while Wasm runs, which is most of an evaluation, so threads use several cores
  without the start-up cost of processes (importing mlwarden and loading the module
  again in each).
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from ..errors import InputError
from ..policy.library import PolicySet
from .base import Engine, EvalRequest, Verdict, verdicts_from_results
from .wasm_build import Manifest, group_key, module_for
from .wasm_runtime import DEFAULT_DEADLINE, DEFAULT_MEMORY_LIMIT, EvalFailed, OpaInstance, load_module

# Below this many requests, a second thread costs more than it saves.
PARALLEL_THRESHOLD = 200


class _Judge:
    """One process's instance of the module and what it needs to judge requests."""

    def __init__(self, wasm: bytes, manifest: Manifest, where: str, settings: dict,
                 deadline: float, memory_limit: int):
        self.module = load_module(wasm, where=where)
        self.manifest = manifest
        self.settings = settings
        self.deadline = deadline
        self.memory_limit = memory_limit
        eps = self.module.entrypoints
        self.groups = {k: eps[v] for k, v in manifest.groups.items() if v in eps}
        self.singles = {k: eps[v] for k, v in manifest.singles.items() if v in eps}
        self._instance: OpaInstance | None = None

    def instance(self) -> OpaInstance:
        if self._instance is None:
            self._instance = OpaInstance(self.module, data={"mlwarden_settings": self.settings},
                                         memory_limit=self.memory_limit, deadline=self.deadline)
        return self._instance

    def _eval(self, entrypoint: int, text: bytes) -> tuple[bool, object]:
        try:
            result = self.instance().eval(entrypoint, text)
        except EvalFailed as exc:
            self._instance = None    # unknown state after a trap: instantiate afresh
            return False, str(exc)
        if not result:
            return True, {}          # undefined: every policy in it is "result undefined"
        value = result[0].get("result") if isinstance(result[0], dict) else None
        return True, value if isinstance(value, dict) else {}

    def run(self, requests: list[EvalRequest]) -> list[Verdict]:
        out: list[Verdict] = []
        for req in requests:
            if req.policy_ids:
                out.extend(self.judge(req))
        return out

    def judge(self, req: EvalRequest) -> list[Verdict]:
        try:
            text = json.dumps(req.input, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (ValueError, TypeError, UnicodeEncodeError) as exc:
            reason = f"the resource document is not a JSON value ({_short(exc)})"
            return [Verdict(policy_id=pid, key=req.key, error=reason) for pid in req.policy_ids]
        ep = self.groups.get(group_key(req.policy_ids))
        if ep is not None:
            ok, value = self._eval(ep, text)
            if ok:
                return verdicts_from_results(req, value)
        verdicts = []
        for pid in req.policy_ids:   # isolate the failing policy
            single = self.singles.get(pid)
            if single is None:
                verdicts.append(Verdict(policy_id=pid, key=req.key,
                                        error="policy is not in the compiled module"))
                continue
            ok, value = self._eval(single, text)
            if ok:
                verdicts.extend(verdicts_from_results(replace(req, policy_ids=(pid,)), value))
            else:
                verdicts.append(Verdict(policy_id=pid, key=req.key,
                                        error=f"evaluation error in the Wasm engine: {value}"))
        return verdicts


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120]


class WasmEngine(Engine):
    name = "wasm"

    def __init__(self, workers: int | None = None, *, deadline: float = DEFAULT_DEADLINE,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT):
        self.workers = workers if workers is not None else 1
        self.deadline = deadline
        self.memory_limit = memory_limit
        self.policy_set: PolicySet | None = None
        self.settings: dict = {}
        self._module: tuple[bytes, Manifest, str] | None = None
        self._judge: _Judge | None = None

    def prepare(self, policy_set: PolicySet) -> None:
        self.policy_set = policy_set
        self._module = module_for(policy_set)
        self._judge = self._new_judge()   # validates the module: ABI, builtins

    def load_settings(self, settings: dict) -> None:
        try:
            json.dumps(settings, allow_nan=False)
        except (ValueError, TypeError) as exc:
            raise InputError(f"settings: not a JSON value ({_short(exc)})") from None
        self.settings = settings
        if self._module is not None:
            self._judge = self._new_judge()

    def _args(self) -> tuple:
        assert self._module is not None, "prepare() first"
        wasm, manifest, where = self._module
        return (wasm, manifest, where, self.settings, self.deadline, self.memory_limit)

    def _new_judge(self) -> _Judge:
        return _Judge(*self._args())

    def evaluate(self, requests: list[EvalRequest]) -> list[Verdict]:
        assert self._judge is not None, "prepare() first"
        workers = min(self.workers, os.cpu_count() or 1)
        if workers <= 1 or len(requests) < PARALLEL_THRESHOLD:
            return self._judge.run(requests)
        # Contiguous slices, one judge (instance) per thread; results keep request order.
        size = -(-len(requests) // workers)
        parts = [requests[i:i + size] for i in range(0, len(requests), size)]
        judges = [self._judge] + [self._new_judge() for _ in parts[1:]]
        with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="mlwarden-wasm") as pool:
            results = list(pool.map(lambda jp: jp[0].run(jp[1]), zip(judges, parts)))
        return [v for part in results for v in part]
