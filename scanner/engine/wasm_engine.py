"""The default engine: OPA itself, compiled to WebAssembly, evaluated in process.

The policies are compiled by OPA (`wasm_build`: the shipped library's module comes
with the package, custom policies are compiled by a local `opa`), so they mean what
they mean on OPA; wasmtime runs the module (`wasm_runtime`).

- One query per `BATCH_SIZE` resources of one policy group: the group's `batch`
  entrypoint judges each item with itself as the input (`wasm_build.BATCH_RULE`),
  so the per-call costs (the host call, copying in, parsing out) are paid once per
  batch. A batch that fails is judged again resource by resource through the
  group's entrypoint, so a batch changes no verdict.
- An evaluation of one resource that fails (abort, trap, host builtin error,
  deadline, memory cap) is re-run policy by policy through the per-policy
  entrypoints on a fresh instance, so only the broken policy is an ERROR for that
  resource; nothing stops the scan.
- The deadline holds per call: a batch that exceeds it is re-run resource by
  resource, each again with the whole deadline, so no resource loses its budget to
  the others in its batch.
- An input that is not a JSON value (NaN, Infinity, a lone surrogate) is an ERROR
  for its resource: it is never handed to the module.
- The scan's settings are handed over once (`load_settings`) as the data document
  `data.mlwarden_settings`, which `mlwarden.lib.util.settings` reads.
- Workers (`workers` > 1, for `PARALLEL_THRESHOLD` requests or more) are threads,
  each with its own instance of the one compiled module: wasmtime releases the GIL
  while Wasm runs, which is most of an evaluation, so threads use several cores
  without the start-up cost of processes (importing mlwarden and loading the module
  again in each).
- Custom policies (any not in the shipped library) are judged by a local native OPA
  (`opa_engine.OpaEngine`, with strict builtin errors) when one is installed, which it
  is wherever custom policies can be compiled at all. OPA's Wasm ABI has no strict
  builtin errors: a builtin that fails (`to_number("12 GB")`) is undefined there, so
  a `deny` rule built on it would not fire and the resource would PASS. The shipped
  library is held to native OPA on generated inputs (tests/engine/
  test_property_conformance.py); a custom policy is not, so it gets the engine that
  says ERROR.
"""
from __future__ import annotations

import gc

import json
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from ..errors import InputError
from ..policy.library import PolicySet, shipped_policy_dir
from .base import Engine, EvalRequest, Verdict, verdicts_from_results
from .wasm_build import Manifest, group_key, module_for
from .wasm_runtime import DEFAULT_DEADLINE, DEFAULT_MEMORY_LIMIT, EvalFailed, OpaInstance, load_module

# Below this many requests, a second thread costs more than it saves.
PARALLEL_THRESHOLD = 200
# Resources per batch call. Measured on the demo-derived 10,000: 1 -> 64 cut the
# engine's CPU per resource by half; larger batches gain little and make a failed
# batch's re-run longer.
BATCH_SIZE = 64
# Batched by default. (The 8 GB once seen with batches came from the test generator,
# whose mutations piled up on value objects shared across resources and made inputs
# grow with the square of the estate: 3 GB of input at 5,000 resources. On the fixed
# generator, 15,000 adversarial resources peak at 220 MB batched, 200 MB one by one.)
DEFAULT_BATCH_SIZE = BATCH_SIZE

# Compact separators: less text to copy and parse; the values are those of json.dumps.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


class _Judge:
    """One process's instance of the module and what it needs to judge requests."""

    def __init__(self, wasm: bytes, manifest: Manifest, where: str, settings: dict,
                 deadline: float, memory_limit: int, batch_size: int = BATCH_SIZE):
        self.module = load_module(wasm, where=where)
        self.manifest = manifest
        self.settings = settings
        self.deadline = deadline
        self.memory_limit = memory_limit
        eps = self.module.entrypoints
        self.groups = {k: eps[v] for k, v in manifest.groups.items() if v in eps}
        self.singles = {k: eps[v] for k, v in manifest.singles.items() if v in eps}
        self.batches = {k: eps[v] for k, v in manifest.batches.items() if v in eps}
        self.batch_size = batch_size
        self._instance: OpaInstance | None = None

    def instance(self) -> OpaInstance:
        if self._instance is None:
            self._instance = OpaInstance(self.module, data={"mlwarden_settings": self.settings},
                                         memory_limit=self.memory_limit, deadline=self.deadline)
        return self._instance

    def _discard(self) -> None:
        """Drop a trapped instance and free it now. Its Store (up to memory_limit bytes of
        Wasm memory) sits in reference cycles with its host functions, and evaluate()
        turns Python's automatic cycle collection off while judging: without this
        collection every trap would keep a whole Wasm memory alive (seen: 24 GB)."""
        self._instance = None
        gc.collect()

    def _eval(self, entrypoint: int, text: bytes) -> tuple[bool, object]:
        try:
            result = self.instance().eval(entrypoint, text)
        except EvalFailed as exc:
            self._discard()          # unknown state after a trap: instantiate afresh
            return False, str(exc)
        if not result:
            return True, {}          # undefined: every policy in it is "result undefined"
        value = result[0].get("result") if isinstance(result[0], dict) else None
        return True, value if isinstance(value, dict) else {}

    def run(self, requests: list[EvalRequest]) -> list[Verdict]:
        """Verdicts in request order; requests of one group are judged in batches."""
        done: list[list[Verdict]] = [[] for _ in requests]
        pending: dict[str, list[tuple[int, EvalRequest, bytes]]] = {}
        related_texts: dict[int, bytes] = {}   # the requests hold the documents: ids are stable
        for i, req in enumerate(requests):
            if not req.policy_ids:
                continue
            text = _input_text(req, related_texts)
            if not isinstance(text, bytes):
                done[i] = text
                continue
            key = group_key(req.policy_ids)
            if self.batch_size <= 1 or key not in self.batches:
                done[i] = self.judge(req, text)
                continue
            items = pending.setdefault(key, [])
            items.append((i, req, text))
            if len(items) >= self.batch_size:
                self._run_batch(self.batches[key], items, done)
                items.clear()
        for key, items in pending.items():
            if items:
                self._run_batch(self.batches[key], items, done)
        return [v for verdicts in done for v in verdicts]

    def _run_batch(self, entrypoint: int, items: list[tuple[int, EvalRequest, bytes]],
                   done: list[list[Verdict]]) -> None:
        if len(items) > 1:
            ok, value = self._eval(entrypoint, b'{"items":[' + b",".join(t for _, _, t in items) + b"]}")
            if ok:
                for n, (i, req, _) in enumerate(items):
                    results = value.get(str(n))   # missing: undefined for that item
                    done[i] = verdicts_from_results(req, results if isinstance(results, dict) else {})
                return
        for i, req, text in items:   # one resource at a time: isolates the failure
            done[i] = self.judge(req, text)

    def judge(self, req: EvalRequest, text: bytes | None = None) -> list[Verdict]:
        """One resource through its group's entrypoint, else policy by policy."""
        if text is None:
            text = _input_text(req)
            if not isinstance(text, bytes):
                return text
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


_INPUT_KEYS = ("resource", "related", "related_missing", "account")


def _input_text(req: EvalRequest, related_texts: dict[int, bytes] | None = None) -> bytes | list[Verdict]:
    """The request's input as JSON text, or ERROR verdicts when it is not a JSON value
    (NaN, Infinity, a lone surrogate): such a document is never handed to the module.

    A related resource's document is shared by every input that relates to it
    (`build_input`); with `related_texts` it is encoded once and its text reused."""
    if related_texts is not None:
        try:
            return _input_text_shared(req.input, related_texts)
        except (ValueError, TypeError, UnicodeEncodeError, AttributeError):
            pass   # encoded whole below: the same text, or the error with its message
    try:
        return _encode(req.input).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        reason = f"the resource document is not a JSON value ({_short(exc)})"
        return [Verdict(policy_id=pid, key=req.key, error=reason) for pid in req.policy_ids]


def _input_text_shared(doc: dict, related_texts: dict[int, bytes]) -> bytes:
    if type(doc) is not dict or tuple(doc) != _INPUT_KEYS or type(doc["related"]) is not dict:
        return _encode(doc).encode("utf-8")
    parts = []
    for name, docs in doc["related"].items():
        if type(name) is not str or type(docs) is not list:
            raise TypeError("not the shape build_input makes")
        texts = []
        for d in docs:
            t = related_texts.get(id(d))
            if t is None:
                t = related_texts[id(d)] = _encode(d).encode("utf-8")
            texts.append(t)
        parts.append(_encode(name).encode("utf-8") + b":[" + b",".join(texts) + b"]")
    return b"".join((b'{"resource":', _encode(doc["resource"]).encode("utf-8"),
                     b',"related":{', b",".join(parts),
                     b'},"related_missing":', _encode(doc["related_missing"]).encode("utf-8"),
                     b',"account":', _encode(doc["account"]).encode("utf-8"), b"}"))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120]


class WasmEngine(Engine):
    name = "wasm"

    def __init__(self, workers: int | None = None, *, deadline: float = DEFAULT_DEADLINE,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT, batch_size: int = DEFAULT_BATCH_SIZE,
                 native_for_custom: bool = True):
        self.workers = workers if workers is not None else 1
        self.batch_size = batch_size
        self.deadline = deadline
        self.memory_limit = memory_limit
        # False: custom policies run in Wasm too (tests of the Wasm runtime itself).
        self.native_for_custom = native_for_custom
        self.policy_set: PolicySet | None = None
        self.settings: dict = {}
        self._module: tuple[bytes, Manifest, str] | None = None
        self._judge: _Judge | None = None
        self._custom: Engine | None = None          # native OPA for custom policies
        self._custom_ids: frozenset[str] = frozenset()

    def prepare(self, policy_set: PolicySet) -> None:
        self.close()
        self.policy_set = policy_set
        shipped, custom = split_custom(policy_set)
        if custom is not None and self.native_for_custom:
            from .opa_server import find_opa_binary
            if find_opa_binary() is not None:
                from .opa_engine import OpaEngine
                # Its own deadline per request; no memory cap, but OPA runs in its own process.
                self._custom = OpaEngine()
                self._custom.prepare(custom)
                self._custom_ids = frozenset(p.id for p in custom.policies)
                policy_set = shipped
        self._module = module_for(policy_set) if policy_set.policies else None
        # validates the module: ABI, builtins
        self._judge = self._new_judge() if self._module is not None else None

    def load_settings(self, settings: dict) -> None:
        try:
            json.dumps(settings, allow_nan=False)
        except (ValueError, TypeError) as exc:
            raise InputError(f"settings: not a JSON value ({_short(exc)})") from None
        self.settings = settings
        if self._module is not None:
            self._judge = self._new_judge()
        if self._custom is not None:
            self._custom.load_settings(settings)

    def close(self) -> None:
        if self._custom is not None:
            self._custom.close()
            self._custom, self._custom_ids = None, frozenset()

    def _args(self) -> tuple:
        assert self._module is not None, "prepare() first"
        wasm, manifest, where = self._module
        return (wasm, manifest, where, self.settings, self.deadline, self.memory_limit,
                self.batch_size)

    def _new_judge(self) -> _Judge:
        return _Judge(*self._args())

    def evaluate(self, requests: list[EvalRequest]) -> list[Verdict]:
        assert self.policy_set is not None, "prepare() first"
        if self._custom is None:
            return self._evaluate_wasm(requests)
        ours, theirs = [], []
        for r in requests:
            wasm_ids = tuple(p for p in r.policy_ids if p not in self._custom_ids)
            custom_ids = tuple(p for p in r.policy_ids if p in self._custom_ids)
            if wasm_ids:
                ours.append(replace(r, policy_ids=wasm_ids))
            if custom_ids:
                theirs.append(replace(r, policy_ids=custom_ids))
        by_key: dict[str, list[Verdict]] = defaultdict(list)
        for v in self._evaluate_wasm(ours) + self._custom.evaluate(theirs):
            by_key[v.key].append(v)
        out: list[Verdict] = []
        for r in requests:   # request order, and each request's policies in its order
            order = {pid: i for i, pid in enumerate(r.policy_ids)}
            out.extend(sorted(by_key.pop(r.key, []), key=lambda v: order.get(v.policy_id, len(order))))
        return out

    def _evaluate_wasm(self, requests: list[EvalRequest]) -> list[Verdict]:
        if not requests:
            return []
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


def split_custom(policy_set: PolicySet) -> tuple[PolicySet, PolicySet | None]:
    """(the shipped policies and modules, the custom policies with every module) or
    (the set, None) when nothing in it is custom. A custom policy may import the
    shipped helpers (`data.mlwarden.lib.util`), so its set keeps all modules."""
    root = shipped_policy_dir().resolve()

    def shipped(path) -> bool:
        return path.resolve().is_relative_to(root)

    custom = [p for p in policy_set.policies if not shipped(p.path)]
    if not custom:
        return policy_set, None
    return (PolicySet(policies=[p for p in policy_set.policies if shipped(p.path)],
                      modules=[m for m in policy_set.modules if shipped(m.path)]),
            PolicySet(policies=custom, modules=list(policy_set.modules)))
