"""A thin layer over OPA's WebAssembly ABI (version 1.2 or later), run by wasmtime.

What a module compiled by `opa build -t wasm` expects from its host, and what we do:
- imports `env.memory`: we create it (at least the pages the module asks for, at most
  the memory cap) so the module's heap lives in memory we can read and limit;
- imports `env.opa_abort(addr)` (and, in some builds, `env.opa_println(addr)`): a C
  string; an abort ends the evaluation with that message;
- imports `env.opa_builtin0..4(id, ctx, args...)`: builtins OPA's Wasm runtime does
  not implement natively. The module's `builtins` export names the ones it calls;
  they must all be in `HOST_BUILTINS` (a `prepare`-time error names the first that
  is not), and run on JSON values dumped and parsed through the module's own
  `opa_json_dump`/`opa_json_parse`;
- exports `opa_eval(reserved, entrypoint, data, input, input_len, heap, format)`: one
  call that parses the input (JSON text at `input`), evaluates an entrypoint against
  `data` and returns the address of the result as JSON text (`[{"result": ...}]`).

Data (the scan's settings) is parsed once; the heap pointer after it is remembered
and put back after every evaluation, so memory does not grow with the inventory.

Limits: every evaluation has a deadline (wasmtime epoch interruption: one timer
thread per process increments the engine's epoch every `TICK` seconds) and the
store may not grow memory beyond `memory_limit` bytes. A trap, an abort, a builtin
error or a deadline leaves the instance in an unknown state: the caller gets
`EvalFailed` and the next evaluation runs on a freshly instantiated module.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import threading
import time

import wasmtime

from ..errors import InputError

PAGE = 65536
TICK = 0.01                       # seconds per epoch tick
DEFAULT_DEADLINE = 10.0           # seconds per evaluation
DEFAULT_MEMORY_LIMIT = 512 << 20  # bytes of linear memory per instance

# Builtins the host implements for modules that import them: name -> function of
# the builtin's JSON arguments. The shipped library imports none (every builtin it
# uses is native to OPA's Wasm runtime); a custom policy that needs another one is
# refused when the engine is prepared, naming the builtin.
HOST_BUILTINS: dict[str, object] = {}


class EvalFailed(Exception):
    """An evaluation did not produce a result: abort, trap, builtin error, deadline."""


_ENGINE: wasmtime.Engine | None = None
_ENGINE_LOCK = threading.Lock()


def wasm_engine() -> wasmtime.Engine:
    """The process's one wasmtime Engine, with epoch interruption and its ticker."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            cfg = wasmtime.Config()
            cfg.epoch_interruption = True
            _ENGINE = wasmtime.Engine(cfg)
            engine = _ENGINE

            def tick():
                while True:
                    time.sleep(TICK)
                    engine.increment_epoch()
            threading.Thread(target=tick, name="mlwarden-wasm-epoch", daemon=True).start()
        return _ENGINE


_MODULES: dict[str, "OpaModule"] = {}


def load_module(wasm: bytes, *, where: str) -> "OpaModule":
    """The module for these bytes, compiled once per process."""
    key = hashlib.sha256(wasm).hexdigest()
    if key not in _MODULES:
        _MODULES[key] = OpaModule(wasm, where=where, key=key)
    return _MODULES[key]


def _compiled(engine: wasmtime.Engine, wasm: bytes, key: str, where: str) -> wasmtime.Module:
    """Compile, or load machine code compiled earlier from the per-user cache.

    Compiling the library takes 1.5-2 s; loading its machine code takes a
    millisecond, which matters for every short scan and every worker. The cache is
    keyed by the module's digest and the wasmtime version, and lives in the user's
    own cache directory (deserialising trusts it as much as the Python code)."""
    from .wasm_build import cache_dir
    try:
        from importlib.metadata import version
        path = cache_dir() / f"{key}-wasmtime{version('wasmtime')}.cwasm"
    except Exception:   # no metadata: compile every time
        path = None
    if path is not None and path.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(path))
        except wasmtime.WasmtimeError:
            pass   # damaged or from another build: compile again below
    try:
        module = wasmtime.Module(engine, wasm)
    except wasmtime.WasmtimeError as exc:
        raise InputError(f"{where}: not a WebAssembly module: {str(exc).splitlines()[0]}") from None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(module.serialize())
            tmp.replace(path)
        except OSError:
            pass   # read-only home (Lambda): compile again next time
    return module


class OpaModule:
    """A compiled OPA Wasm module and its entrypoints; instances are made from it.
    Thread-safe: each thread makes its own `OpaInstance`."""

    def __init__(self, wasm: bytes, *, where: str = "policy.wasm", key: str = "",
                 check_builtins: bool = True):
        self.engine = wasm_engine()
        self.module = _compiled(self.engine, wasm, key or hashlib.sha256(wasm).hexdigest(), where)
        self.where = where
        self.min_pages = 2
        for imp in self.module.imports:
            if imp.name == "memory":
                self.min_pages = imp.type.limits.min
        probe = OpaInstance(self, data=None)
        self.entrypoints: dict[str, int] = probe.dump(probe.call("entrypoints"))
        self.builtins: dict[str, int] = probe.dump(probe.call("builtins"))
        missing = sorted(set(self.builtins) - set(HOST_BUILTINS))
        if missing and check_builtins:
            raise InputError(f"{where}: the policies use builtin {missing[0]}, which the Wasm "
                             "engine does not provide (use --engine opa, or rewrite the rule)")
        abi = probe.exports["opa_wasm_abi_version"].value(probe.store)
        minor = probe.exports["opa_wasm_abi_minor_version"].value(probe.store)
        if (abi, minor) < (1, 2):
            raise InputError(f"{where}: OPA Wasm ABI {abi}.{minor}; mlwarden needs 1.2 or later")


class OpaInstance:
    """One instantiated module with its data loaded. Not thread-safe."""

    def __init__(self, module: OpaModule, *, data: dict | None,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT, deadline: float = DEFAULT_DEADLINE):
        self.module = module
        self.deadline_ticks = max(1, int(deadline / TICK))
        self.store = wasmtime.Store(module.engine)
        self.store.set_limits(memory_size=memory_limit)
        self.store.set_epoch_deadline(self.deadline_ticks)
        max_pages = max(module.min_pages, memory_limit // PAGE)
        self.memory = wasmtime.Memory(self.store, wasmtime.MemoryType(
            wasmtime.Limits(module.min_pages, max_pages)))
        self._builtin_error: str | None = None
        self._builtin_by_id: dict[int, str] = {}
        imports = []
        for imp in module.module.imports:
            name = imp.name
            if name == "memory":
                imports.append(self.memory)
            elif name in ("opa_abort", "opa_println"):
                imports.append(wasmtime.Func(self.store, imp.type, self._abort if name == "opa_abort"
                                             else (lambda addr: None)))
            elif name.startswith("opa_builtin"):
                imports.append(wasmtime.Func(self.store, imp.type, self._builtin))
            else:
                raise InputError(f"{module.where}: unexpected import {imp.module}.{name}")
        self.instance = wasmtime.Instance(self.store, module.module, imports)
        self.exports = self.instance.exports(self.store)
        if hasattr(module, "builtins"):
            self._builtin_by_id = {i: n for n, i in module.builtins.items()}
        self._opa_eval = self.exports["opa_eval"]
        self.data_addr = self.parse(json.dumps(data if data is not None else {},
                                               ensure_ascii=False, allow_nan=False).encode())
        self.heap_base = self.call("opa_heap_ptr_get")

    # -- memory helpers ---------------------------------------------------------------

    def call(self, name: str, *args):
        self.store.set_epoch_deadline(self.deadline_ticks)
        return self.exports[name](self.store, *args)

    def _base(self) -> int:
        return ctypes.addressof(self.memory.data_ptr(self.store).contents)

    def cstring(self, addr: int) -> bytes:
        return ctypes.string_at(self._base() + addr)

    def dump(self, value_addr: int):
        return json.loads(self.cstring(self.call("opa_json_dump", value_addr)))

    def _write(self, addr: int, data: bytes) -> None:
        need = addr + len(data) + PAGE
        have = self.memory.data_len(self.store)
        if need > have:
            self.memory.grow(self.store, (need - have + PAGE - 1) // PAGE)
        ctypes.memmove(self._base() + addr, data, len(data))

    def parse(self, text: bytes) -> int:
        addr = self.call("opa_malloc", len(text))
        self._write(addr, text)
        value = self.call("opa_json_parse", addr, len(text))
        if not value:
            raise EvalFailed("the module could not parse a JSON value")
        return value

    # -- host functions -----------------------------------------------------------------

    def _abort(self, addr: int) -> None:
        raise EvalFailed(f"opa_abort: {self.cstring(addr).decode(errors='replace')}")

    def _builtin(self, builtin_id: int, _ctx: int, *args: int) -> int:
        name = self._builtin_by_id.get(builtin_id, f"#{builtin_id}")
        fn = HOST_BUILTINS.get(name)
        if fn is None:
            raise EvalFailed(f"builtin {name} is not available")
        try:
            result = fn(*[self.dump(a) for a in args])
        except EvalFailed:
            raise
        except Exception as exc:  # a builtin error is an error, never a silent undefined
            raise EvalFailed(f"{name}: {exc}") from None
        return self.parse(json.dumps(result).encode())

    # -- evaluation ---------------------------------------------------------------------

    def eval(self, entrypoint: int, input_json: bytes):
        """The entrypoint's result list (`[{"result": v}]`, `[]` when undefined).

        Raises EvalFailed; the instance must then be discarded."""
        # The input goes right after the data; opa_eval starts its heap after the input
        # (its `heap` argument), so passing the same addresses every time resets the
        # heap to where it was after the data: nothing grows with the inventory.
        addr = self.heap_base
        self._write(addr, input_json)
        self.store.set_epoch_deadline(self.deadline_ticks)
        try:
            out = self._opa_eval(self.store, 0, entrypoint, self.data_addr, addr, len(input_json),
                                 addr + len(input_json), 0)
            text = self.cstring(out)
        except EvalFailed:
            raise
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            raise EvalFailed(_trap_text(exc)) from None
        return json.loads(text)


def _trap_text(exc: Exception) -> str:
    text = str(exc)
    if "interrupt" in text:
        return "the evaluation exceeded its deadline"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"the evaluation trapped: {first}"
