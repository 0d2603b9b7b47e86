"""The second engine: a real OPA, reached over its REST API through `opa-python-client`.

Two ways to get an OPA:
- `url` given (`--opa-url`): an OPA server the organisation runs. The engine keeps the
  server's modules under policy ids starting with `mlwarden/` equal to this policy set:
  it deletes the ones no longer wanted and uploads new or changed ones (each upload
  makes OPA recompile everything, so the first scan against a server pays for ~100
  uploads and a repeated scan for none). The server holds one mlwarden policy set at
  a time. MLWARDEN_OPA_TOKEN, if set, is sent as a bearer token.
- no url: a local `opa` binary (env MLWARDEN_OPA, then PATH, then the repository's
  `.tools/bin/opa` that `scripts/bootstrap.sh opa` builds) is started as
  `opa run --server` on a free 127.0.0.1 port with every module and generated driver
  given as files (one compile), and stopped in `close()`. It answers only this
  process (a bearer token generated per run), and the policies are first checked
  against the sandbox's capabilities (opa_server.py).

Every request has a deadline (`deadline` seconds): a policy that loops makes its
resources ERROR, it never stalls the scan.

Same drivers (`driver_module`) and the same Verdict semantics as the Wasm engine,
so findings are identical (tests/policies/test_conformance.py holds us to that).
The scan's settings are PUT once as the data document `mlwarden_settings`, and a
policy set other than the shipped library is first checked against the sandbox
capabilities (`wasm_build.sandbox_check`), as the Wasm engine does:
- builtin errors are errors (`strict-builtin-errors=true` on every query);
- a failed query never becomes a pass: the batch is re-run per resource, and a
  failing resource policy by policy, so one broken policy yields one ERROR verdict.

OPA evaluates `x with input as item` inside a comprehension, so each
driver module also has a `batch` rule that judges a list of inputs in one request:
HTTP and JSON overhead is paid per batch, not per resource.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..errors import InputError
from ..policy.library import PolicySet
from .base import Engine, EvalRequest, Verdict, driver_module, verdicts_from_results
from .opa_server import OpaServer, find_opa_binary  # noqa: F401 (re-exported)

ID_PREFIX = "mlwarden/"                # every policy id the engine uploads starts with this
DRIVER_PREFIX = ID_PREFIX + "driver/"
BATCH_SIZE = 50                        # resources per request (1: one request per resource)
QUERY_PARAMS = {"strict-builtin-errors": "true"}
CONCURRENCY = min(2, os.cpu_count() or 1)   # requests in flight at once
DEADLINE_SECONDS = 60.0                # per request; a batch of 50 takes well under a second
_DEADLINE = object()                   # _query's value when the deadline passed


# --- the engine ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class _Upload:
    """One module to put on the server: its OPA policy id and where it came from."""
    id: str
    source: str
    path: str   # shown in error messages


def _client_for(url: str, timeout: float, token: str | None = None):
    from opa_client import OpaClient
    u = urlparse(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise InputError(f"--opa-url: {url!r} is not an http(s)://host:port URL")
    if u.path not in ("", "/"):
        raise InputError(f"--opa-url: {url!r}: give the server's root URL (no path); "
                         "mlwarden talks to its /v1 API")
    port = u.port or (443 if u.scheme == "https" else 80)
    return OpaClient(host=u.hostname, port=port, ssl=u.scheme == "https",
                     token=token or os.environ.get("MLWARDEN_OPA_TOKEN") or None, timeout=timeout)


class OpaEngine(Engine):
    name = "opa"

    def __init__(self, url: str | None = None, *, batch_size: int = BATCH_SIZE,
                 deadline: float = DEADLINE_SECONDS, binary: Path | None = None,
                 concurrency: int = CONCURRENCY):
        self.url = url
        self.batch_size = max(1, batch_size)
        self.concurrency = max(1, concurrency)
        self.deadline = deadline
        self._binary = binary
        self._server: OpaServer | None = None
        self._client = None
        self.policy_set: PolicySet | None = None
        self._drivers: dict[tuple[str, ...], str] = {}  # policy-id tuple -> driver package
        self._paths: dict[str, str] = {}                 # uploaded id -> file shown to users
        self._tmp: tempfile.TemporaryDirectory | None = None   # local mode: generated drivers

    # -- preparing -----------------------------------------------------------------

    def prepare(self, policy_set: PolicySet) -> None:
        _refuse_reserved_packages(policy_set)
        from .wasm_build import sandbox_check
        sandbox_check(policy_set)   # the same allow-list as the Wasm engine, before loading
        self.policy_set = policy_set
        self._drivers = {}
        # The drivers evaluate.py will ask for: one per resource type's policy tuple;
        # locally also one per policy (to isolate an error), which on a server are
        # uploaded on first use (every upload recompiles the server's modules).
        groups = {tuple(p.id for p in policy_set.for_type(t)) for t in policy_set.types}
        if self.url is None:
            groups |= {(p.id,) for p in policy_set.policies}
        drivers = {g: self._driver_upload(g) for g in sorted(groups)}
        if self.url is None:
            self._start_local(policy_set, drivers)
        else:
            if self._client is None:
                self._connect(self.url)
            self._sync(policy_set, drivers)
        self._drivers = {g: pkg for g, (pkg, _) in drivers.items()}

    def _start_local(self, policy_set: PolicySet, drivers: dict) -> None:
        """Load every module when OPA starts: one compile, instead of one per upload."""
        self.close()
        self._tmp = tempfile.TemporaryDirectory(prefix="mlwarden-opa-")
        files = [m.path for m in policy_set.modules] + [p.path for p in policy_set.policies]
        for _, upload in drivers.values():
            f = Path(self._tmp.name) / (upload.id.rsplit("/", 1)[1] + ".rego")
            f.write_text(upload.source)
            files.append(f)
        self._server = OpaServer(self._binary, files).start()
        self._connect(self._server.url, token=self._server.token)

    def _connect(self, url: str, token: str | None = None) -> None:
        self._client = _client_for(url, self.deadline, token)
        if not self._client.check_health():
            where = "--opa-url" if self.url else "--engine opa"
            raise InputError(f"{where}: no healthy OPA server answers at {url}")

    def _module_id(self, kind: str, path: Path) -> str:
        # Ids must be unique and stable; the path's digest keeps two files named the
        # same (in different --policies directories) apart.
        digest = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:10]
        return f"{ID_PREFIX}{kind}/{digest}/{Path(path).name}"

    def _sync(self, policy_set: PolicySet, drivers: dict) -> None:
        """Make the server's `mlwarden/` modules exactly ours: delete the ones we no
        longer have, upload the new and changed ones. Every upload makes OPA recompile
        everything, so unchanged modules (a repeated scan) are left alone."""
        from opa_client.errors import PolicyNotFoundError
        wanted = [_Upload(id=self._module_id("lib", m.path), source=m.source, path=str(m.path))
                  for m in policy_set.modules]
        wanted += [_Upload(id=self._module_id("policy", p.path), source=p.source, path=str(p.path))
                   for p in policy_set.policies]
        wanted += [u for _, u in drivers.values()]
        ours = [i for i in self._client.get_policies_list() if i.startswith(ID_PREFIX)]
        current = {}
        for pid in ours:
            try:
                current[pid] = self._client.get_policy(pid).get("result", {}).get("raw")
            except PolicyNotFoundError:
                pass
        want_ids = {u.id for u in wanted}
        self._delete_all([pid for pid in current if pid not in want_ids])
        self._upload_all([u for u in wanted if current.get(u.id) != u.source])

    def _delete_all(self, ids: list[str]) -> None:
        """Delete modules; one can only go once nothing left depends on it, so retry in
        passes (drivers first) until none is left or a pass removes nothing."""
        from opa_client.errors import DeletePolicyError
        pending = sorted(ids, key=lambda i: (not i.startswith(DRIVER_PREFIX), i))
        while pending:
            left, last_error = [], ""
            for pid in pending:
                try:
                    self._client.delete_policy(pid)
                except DeletePolicyError as exc:
                    left.append(pid)
                    last_error = str(exc)
            if len(left) == len(pending):
                raise InputError(f"OPA server at {self._client.root_url}: cannot remove the "
                                 f"mlwarden modules an earlier run left ({left[0]}): {last_error}")
            pending = left

    def _upload_all(self, uploads: list[_Upload]) -> None:
        """PUT each module; a module whose imports are not there yet is retried in a
        later pass. When a pass makes no progress, the first error names the file."""
        from opa_client.errors import RegoParseError
        # Helper modules first (policies import them), then policies, then drivers.
        order = {"lib": 0, "policy": 1, "driver": 2}
        pending = sorted(uploads, key=lambda u: order.get(u.id[len(ID_PREFIX):].split("/")[0], 3))
        while pending:
            left, first_error = [], None
            for u in pending:
                self._paths[u.id] = u.path
                try:
                    self._client.update_policy_from_string(u.source, u.id, rego_compat=False)
                except RegoParseError as exc:
                    left.append(u)
                    first_error = first_error or exc
            if len(left) == len(pending):
                raise InputError(self._describe_compile_error(first_error))
            pending = left

    def _describe_compile_error(self, exc) -> str:
        errors = getattr(exc, "errors", None) or []
        for e in errors:
            loc = e.get("location") or {}
            where = self._paths.get(loc.get("file"), loc.get("file") or "?")
            return f"{where}:{loc.get('row', 1)}: OPA does not compile the policy: {e.get('message')}"
        return f"OPA does not compile the policies: {exc}"

    def _driver_upload(self, policy_ids: tuple[str, ...]) -> tuple[str, _Upload]:
        """The driver module for a set of policies: (package, upload)."""
        assert self.policy_set is not None, "prepare() first"
        by_id = self.policy_set.by_id()
        digest = hashlib.sha1("\n".join(policy_ids).encode()).hexdigest()[:16]
        pkg = f"mlwarden_driver.g{digest}"
        source = driver_module(pkg, [by_id[pid] for pid in policy_ids]) + _BATCH_RULE
        return pkg, _Upload(id=f"{DRIVER_PREFIX}g{digest}", source=source,
                            path=f"<driver for {', '.join(policy_ids)}>")

    def _driver(self, policy_ids: tuple[str, ...]) -> str:
        """The package of the driver for this set of policies, uploaded on first use."""
        pkg = self._drivers.get(policy_ids)
        if pkg is None:
            pkg, upload = self._driver_upload(policy_ids)
            self._upload_all([upload])
            self._drivers[policy_ids] = pkg
        return pkg

    def load_settings(self, settings: dict) -> None:
        """PUT the settings at /v1/data/mlwarden_settings, once per scan."""
        assert self._client is not None, "prepare() first"
        import requests
        self.settings = settings
        try:
            self._client.update_or_create_data(_opa_numbers(settings), "mlwarden_settings")
        except requests.RequestException as exc:
            raise InputError(f"OPA server at {self._client.root_url} failed: {exc}") from None
        except Exception as exc:   # the client raises its own errors for an HTTP error
            raise InputError(f"OPA server at {self._client.root_url} refused the settings: {exc}") from None

    # -- evaluating ----------------------------------------------------------------

    def evaluate(self, requests: list[EvalRequest]) -> list[Verdict]:
        assert self.policy_set is not None, "prepare() first"
        out: list[Verdict] = []
        groups: dict[tuple[str, ...], list[EvalRequest]] = {}
        for r in requests:
            if r.policy_ids:
                groups.setdefault(r.policy_ids, []).append(r)
        batches = []
        for policy_ids, reqs in groups.items():
            pkg = self._driver(policy_ids)
            batches += [(pkg, reqs[i:i + self.batch_size]) for i in range(0, len(reqs), self.batch_size)]
        if self.concurrency > 1 and len(batches) > 1:
            # OPA evaluates concurrent requests on all cores; the answers keep their order.
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                for verdicts in pool.map(lambda b: self._run_batch(*b), batches):
                    out.extend(verdicts)
        else:
            for pkg, batch in batches:
                out.extend(self._run_batch(pkg, batch))
        return out

    def _run_batch(self, pkg: str, reqs: list[EvalRequest]) -> list[Verdict]:
        if len(reqs) > 1:
            ok, value = self._query(pkg, "batch", {"items": [r.input for r in reqs]})
            if ok and isinstance(value, dict) and len(value) == len(reqs):
                verdicts = []
                for n, req in enumerate(reqs):
                    verdicts.extend(verdicts_from_results(req, value.get(str(n)) or {}))
                return verdicts
            if value is _DEADLINE:
                # Re-running a policy that loops costs a deadline per try: every
                # resource of the batch is an ERROR instead.
                return [v for req in reqs for v in self._deadline_errors(req)]
        # One request per resource: the batch failed (an error in one resource aborts
        # the whole query) or there is only one resource.
        verdicts = []
        for req in reqs:
            ok, value = self._query(pkg, "results", req.input)
            if ok and isinstance(value, dict):
                verdicts.extend(verdicts_from_results(req, value))
            elif value is _DEADLINE:
                verdicts.extend(self._deadline_errors(req))
            else:
                verdicts.extend(self._isolate(req, value))
        return verdicts

    def _deadline_errors(self, req: EvalRequest) -> list[Verdict]:
        return [Verdict(policy_id=pid, key=req.key,
                        error=f"OPA did not finish within the deadline of {self.deadline:g} s")
                for pid in req.policy_ids]

    def _isolate(self, req: EvalRequest, group_error) -> list[Verdict]:
        """Re-run a failed resource policy by policy: only the broken policy is an ERROR."""
        verdicts = []
        for pid in req.policy_ids:
            ok, value = self._query(self._driver((pid,)), "results", req.input)
            if ok and isinstance(value, dict):
                verdicts.extend(verdicts_from_results(
                    EvalRequest(key=req.key, input=req.input, policy_ids=(pid,)), value))
            else:
                reason = (f"did not finish within the deadline of {self.deadline:g} s" if value is _DEADLINE
                          else value if isinstance(value, str) else "result undefined")
                verdicts.append(Verdict(policy_id=pid, key=req.key,
                                        error=f"evaluation error in OPA: {reason}"))
        return verdicts

    def _query(self, pkg: str, rule: str, input_doc: dict) -> tuple[bool, object]:
        """(True, value) or (False, error text). Undefined is (False, None)."""
        import requests
        try:
            doc = self._client.query_rule(_opa_numbers(input_doc), pkg, rule, query_params=QUERY_PARAMS)
        except requests.HTTPError as exc:
            return False, _opa_error_text(exc.response)
        except requests.Timeout:
            return False, _DEADLINE
        except requests.exceptions.InvalidJSONError as exc:
            return False, f"the input is not a JSON value ({exc})"
        except requests.ConnectionError as exc:
            # OPA closes the connection when an evaluation panics; if it still answers,
            # that input could not be evaluated. If it does not, stop: no verdict is
            # possible without it.
            if self._client.check_health():
                return False, "OPA aborted the evaluation (the server closed the connection)"
            raise InputError(f"OPA server at {self._client.root_url} failed: {exc}") from None
        except requests.RequestException as exc:
            raise InputError(f"OPA server at {self._client.root_url} failed: {exc}") from None
        if "result" not in doc:
            return False, None
        return True, doc["result"]

    def close(self) -> None:
        if self._client is not None:
            self._client.close_connection()
            self._client = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


# Appended to every driver: judge a list of inputs in one request. Keyed by position
# (not an array) so a resource whose result is undefined cannot shift the others.
_BATCH_RULE = """
batch := {i: r |
\tsome i, item in input.items
\tr := results with input as item
}
"""


def _opa_numbers(value):
    """The input with every integral float sent as the integer it is (2419200.0 as
    2419200, 1e+16 as 10000000000000000). OPA 1.20 compares numbers after trimming
    zeros from the end of their text: "0.0" makes it panic and "1.5e+10" compares as
    1.5e+1. Rego numbers have no int/float distinction, so nothing else changes."""
    if isinstance(value, dict):
        return {k: _opa_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_opa_numbers(v) for v in value]
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _refuse_reserved_packages(policy_set: PolicySet) -> None:
    """`system.*` configures OPA itself (its authorization policy among others): a
    policy set may not define it."""
    for item in [*policy_set.modules, *policy_set.policies]:
        if item.package == "system" or item.package.startswith("system."):
            source = getattr(item, "source", "") or Path(item.path).read_text()
            line = next((n for n, text in enumerate(source.splitlines(), 1)
                         if text.lstrip().startswith("package ")), 1)
            raise InputError(f"{item.path}:{line}: package {item.package} is reserved for OPA's "
                             "own configuration")


def _opa_error_text(response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    errors = body.get("errors") or []
    if errors:
        e = errors[0]
        loc = e.get("location") or {}
        where = f" at {loc.get('file')}:{loc.get('row')}" if loc.get("file") else ""
        return f"{e.get('message')}{where}"
    return str(body.get("message") or f"HTTP {response.status_code}")

