"""Compiling a policy set to one OPA Wasm module, and the module the package ships.

The module holds one entrypoint per policy group (the policies of one resource type,
`driver_module`) and one per policy (so an evaluation error is isolated to the policy
that caused it). It is built by a real `opa` (`opa build -t wasm`) with our
capabilities allow-list, after `opa check --strict` against the same list, so a
policy calling a disallowed builtin is refused with its file and line.

The shipped library's module lives next to this file (`wasm/library.wasm` and its
manifest `wasm/library.json`: the digest of the sources it was built from and the
entrypoint map). Rebuild it after changing `policies/`:

    python -m mlwarden.engine.wasm_build          # writes scanner/engine/wasm/
    python -m mlwarden.engine.wasm_build --check  # exit 1 when the shipped module is stale

Custom policies (`--policies DIR`) are compiled the same way at run time, with the
local `opa`, into a per-user cache keyed by the digest of every source.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..policy.library import PolicySet, load_policies
from .base import driver_module
from .opa_server import find_opa_binary

HERE = Path(__file__).resolve().parent
CAPABILITIES = HERE / "capabilities.json"
SHIPPED_DIR = HERE / "wasm"
SHIPPED_WASM = SHIPPED_DIR / "library.wasm"
SHIPPED_MANIFEST = SHIPPED_DIR / "library.json"
# Bump when the generated drivers change shape: a module built by other drivers is stale.
DRIVER_FORMAT = 2

# Appended to every group driver: one query judges a list of resources (`input.items`),
# each with itself as the input. Its value maps an item's position to that item's
# `results`; a position that is missing had an undefined result (as for one resource).
BATCH_RULE = """
batch := {i: r |
	some i, item in input.items
	r := results with input as item
}
"""

# The capabilities allow-list (capabilities.json) is `opa capabilities --current` of
# the pinned OPA minus every builtin that reaches outside the evaluation or is not a
# function of its arguments. A policy judges the documents it is given; it must not be
# able to read the scanner's environment or credentials (opa.runtime returns the
# process environment), send data out (http.send, providers.aws.sign_req signs
# requests for it, net.lookup_ip_addr resolves names over the network), depend on
# chance or the clock (rand.intn, uuid.rfc4122, time.now_ns: the same inventory must
# give the same findings), write to the scanner's output (print, trace), or parse
# and inspect Rego at run time (rego.parse_module). The other net.* builtins (CIDR
# arithmetic) are pure, but the sandbox is stated as "no net.*", which is simpler to
# audit than a partial list; the library does not use them.
DENIED_BUILTINS = ("opa.runtime", "http.send", "providers.aws.sign_req", "rand.intn",
                   "uuid.rfc4122", "time.now_ns", "print", "internal.print", "trace",
                   "rego.parse_module")
DENIED_PREFIXES = ("net.",)


def denied(name: str) -> bool:
    return name in DENIED_BUILTINS or name.startswith(DENIED_PREFIXES)


@dataclass(frozen=True, kw_only=True)
class Manifest:
    digest: str                         # sources_digest() of what the module was built from
    groups: dict[str, str]              # "id,id,..." -> entrypoint
    singles: dict[str, str]             # policy id -> entrypoint
    sources: dict[str, str]             # package -> sha256 of its source
    opa_version: str = ""
    batches: dict[str, str] = field(default_factory=dict)   # "id,id,..." -> batch entrypoint

    def to_json(self) -> str:
        return json.dumps({"digest": self.digest, "opa_version": self.opa_version,
                           "driver_format": DRIVER_FORMAT, "sources": self.sources,
                           "groups": self.groups, "singles": self.singles,
                           "batches": self.batches}, indent=1, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        d = json.loads(path.read_text())
        return cls(digest=d["digest"], groups=d["groups"], singles=d["singles"],
                   sources=d.get("sources", {}), opa_version=d.get("opa_version", ""),
                   batches=d.get("batches", {}))

    def covers(self, policy_set: PolicySet) -> bool:
        """True when every module of the set is in this module, unchanged: a subset of
        the library (a remediation re-scan judges a few policies) needs no compile,
        its requests run through the per-policy entrypoints."""
        return all(self.sources.get(pkg) == digest for pkg, digest in _source_digests(policy_set).items()) \
            and all(p.id in self.singles for p in policy_set.policies)


def group_key(policy_ids: tuple[str, ...]) -> str:
    return ",".join(policy_ids)


def policy_groups(policy_set: PolicySet) -> list[tuple[str, ...]]:
    return sorted({tuple(p.id for p in policy_set.for_type(t)) for t in policy_set.types})


def sources_digest(policy_set: PolicySet) -> str:
    """The digest of everything a module depends on: every module's package and source
    (not its path: the installed package and the repository must agree), the
    capabilities file and the driver format."""
    h = hashlib.sha256(f"driver-format {DRIVER_FORMAT}\n".encode())
    h.update(CAPABILITIES.read_bytes())
    parts = [(m.package, m.source) for m in policy_set.modules]
    parts += [(p.package, p.source) for p in policy_set.policies]
    for package, source in sorted(parts):
        h.update(f"\0{package}\0{len(source)}\0".encode())
        h.update(source.encode())
    return h.hexdigest()


def _source_digests(policy_set: PolicySet) -> dict[str, str]:
    mods = [(m.package, m.source) for m in policy_set.modules]
    mods += [(p.package, p.source) for p in policy_set.policies]
    return {pkg: hashlib.sha256(src.encode()).hexdigest() for pkg, src in mods}


def _require_opa() -> Path:
    opa = find_opa_binary()
    if opa is None:
        where = os.environ.get("MLWARDEN_OPA")
        raise InputError(
            f"MLWARDEN_OPA={where} is not a file" if where else
            "custom policies are compiled by OPA, and no `opa` binary was found: install OPA "
            "(https://www.openpolicyagent.org/docs/#running-opa), put it on PATH or set "
            "MLWARDEN_OPA, or run scripts/bootstrap.sh opa in a checkout")
    return opa


_LOCATED = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<line>\d+):\s*(?P<msg>.*)$", re.M)


def check_policies(files: list[Path], opa: Path | None = None) -> None:
    """`opa check --strict` against our capabilities; a refusal names file and line."""
    opa = opa or _require_opa()
    proc = subprocess.run([str(opa), "check", "--strict", "--capabilities", str(CAPABILITIES),
                           *[str(f) for f in files]], capture_output=True, text=True)
    if proc.returncode != 0:
        raise InputError(describe_opa_errors(proc.stdout + proc.stderr))


def describe_opa_errors(text: str) -> str:
    """The first located error of `opa check`/`opa build` as `file:line: message`."""
    m = _LOCATED.search(text)
    if m:
        msg = m.group("msg").strip()
        if "undefined function" in msg:
            fn = msg.rsplit(" ", 1)[-1]
            if denied(fn):
                msg = f"{fn} is not allowed in mlwarden policies (sandbox: {msg})"
        return f"{m.group('file')}:{m.group('line')}: {msg}"
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return f"OPA refused the policies: {lines[-1] if lines else 'no output'}"


def build(policy_set: PolicySet, opa: Path | None = None) -> tuple[bytes, Manifest]:
    """Compile the set: (module bytes, manifest). Raises InputError naming file:line."""
    opa = opa or _require_opa()
    files = [m.path for m in policy_set.modules] + [p.path for p in policy_set.policies]
    check_policies(files, opa)
    by_id = policy_set.by_id()
    groups, singles, batches, entrypoints = {}, {}, {}, []
    with tempfile.TemporaryDirectory(prefix="mlwarden-wasm-") as tmp:
        drivers = []
        for g in policy_groups(policy_set):
            pkg = "mlwarden_driver.g" + hashlib.sha1(group_key(g).encode()).hexdigest()[:16]
            drivers.append((pkg, driver_module(pkg, [by_id[i] for i in g]) + BATCH_RULE))
            groups[group_key(g)] = pkg.replace(".", "/") + "/results"
            batches[group_key(g)] = pkg.replace(".", "/") + "/batch"
            entrypoints += ["-e", batches[group_key(g)]]
        for p in policy_set.policies:
            pkg = "mlwarden_driver.s" + hashlib.sha1(p.id.encode()).hexdigest()[:16]
            drivers.append((pkg, driver_module(pkg, [p])))
            singles[p.id] = pkg.replace(".", "/") + "/results"
        for pkg, source in drivers:
            f = Path(tmp) / (pkg.rsplit(".", 1)[1] + ".rego")
            f.write_text(source)
            files.append(f)
            entrypoints += ["-e", pkg.replace(".", "/") + "/results"]
        out = Path(tmp) / "bundle.tar.gz"
        proc = subprocess.run([str(opa), "build", "-t", "wasm", "--capabilities", str(CAPABILITIES),
                               "-o", str(out), *entrypoints, *[str(f) for f in files]],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise InputError(describe_opa_errors(proc.stdout + proc.stderr))
        with tarfile.open(out) as tf:
            wasm = tf.extractfile("/policy.wasm").read()
    version = subprocess.run([str(opa), "version"], capture_output=True, text=True).stdout
    m = re.search(r"Version:\s*(\S+)", version)
    return wasm, Manifest(digest=sources_digest(policy_set), groups=groups, singles=singles,
                          batches=batches,
                          sources=_source_digests(policy_set), opa_version=m.group(1) if m else "")


def shipped_manifest() -> Manifest | None:
    if SHIPPED_MANIFEST.is_file() and SHIPPED_WASM.is_file():
        return Manifest.load(SHIPPED_MANIFEST)
    return None


def sandbox_check(policy_set: PolicySet) -> None:
    """Refuse (file:line) a policy set that uses a builtin outside the allow-list.
    The shipped library was checked when its module was built; anything else is
    checked now by the local `opa`, whichever engine will run it."""
    shipped = shipped_manifest()
    if shipped is not None and shipped.covers(policy_set):
        return
    check_policies([m.path for m in policy_set.modules] + [p.path for p in policy_set.policies])


def cache_dir() -> Path:
    """$XDG_CACHE_HOME or ~/.cache, else the temporary directory (Lambda has no home;
    its /tmp outlives an invocation, so warm starts reuse what a cold start compiled)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            home = Path.home()
            base = str(home / ".cache") if home.is_dir() and os.access(home, os.W_OK) else ""
        except RuntimeError:
            base = ""
    return Path(base or tempfile.gettempdir()) / "mlwarden" / "wasm"


def module_for(policy_set: PolicySet) -> tuple[bytes, Manifest, str]:
    """The module for this policy set: the shipped one when the set is the shipped
    library, else one compiled now (or earlier, from the cache). Returns (bytes,
    manifest, where) with `where` naming the module in messages."""
    digest = sources_digest(policy_set)
    shipped = shipped_manifest()
    if shipped is not None and (shipped.digest == digest or shipped.covers(policy_set)):
        return SHIPPED_WASM.read_bytes(), shipped, str(SHIPPED_WASM)
    cached = cache_dir() / f"{digest}.wasm"
    cached_manifest = cached.with_suffix(".json")
    if cached.is_file() and cached_manifest.is_file():
        try:
            return cached.read_bytes(), Manifest.load(cached_manifest), str(cached)
        except (OSError, ValueError, KeyError):
            pass   # a damaged cache entry is rebuilt below
    wasm, manifest = build(policy_set)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(wasm)
        tmp.replace(cached)
        cached_manifest.write_text(manifest.to_json())
    except OSError:
        pass   # a read-only home (Lambda) only costs a rebuild next time
    return wasm, manifest, str(cached)


def write_capabilities(opa: Path | None = None) -> None:
    """Regenerate capabilities.json from the pinned OPA (see DENIED_BUILTINS)."""
    opa = opa or _require_opa()
    caps = json.loads(subprocess.run([str(opa), "capabilities", "--current"], capture_output=True,
                                     text=True, check=True).stdout)
    caps["builtins"] = [b for b in caps["builtins"] if not denied(b["name"])]
    CAPABILITIES.write_text(json.dumps(caps, indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    library = load_policies()
    if "--capabilities" in argv:
        write_capabilities()
    if "--check" in argv:
        if not SHIPPED_MANIFEST.is_file():
            print(f"{SHIPPED_MANIFEST}: missing; run python -m mlwarden.engine.wasm_build")
            return 1
        if Manifest.load(SHIPPED_MANIFEST).digest != sources_digest(library):
            print(f"{SHIPPED_WASM}: stale against policies/; run python -m mlwarden.engine.wasm_build")
            return 1
        print(f"{SHIPPED_WASM}: up to date")
        return 0
    try:
        wasm, manifest = build(library)
    except InputError as exc:
        print(f"mlwarden: {exc}", file=sys.stderr)
        return 2
    SHIPPED_DIR.mkdir(exist_ok=True)
    SHIPPED_WASM.write_bytes(wasm)
    SHIPPED_MANIFEST.write_text(manifest.to_json() + "\n")
    print(f"{SHIPPED_WASM}: {len(wasm)} bytes, {len(manifest.groups)} group and "
          f"{len(manifest.singles)} policy entrypoints (OPA {manifest.opa_version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
