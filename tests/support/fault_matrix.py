"""The fault matrix: every AWS operation the collectors declare × every fault kind,
each compared with a clean scan of the same estate.

The operation list is derived from the collectors' declared IAM permissions (the
same list `mlwarden permissions` prints). A case re-collects only the resource
types that declare the faulted operation, through the fault proxy, splices them
into the clean collection in place of their clean results, and runs the scan's
own derivations and evaluation on the result. `full_scan` does the same without
splicing, to prove that splicing changes nothing.
"""
from __future__ import annotations

import copy
import sys
import json
from dataclasses import dataclass, replace

import botocore.session

from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options
from mlwarden.collectors.base import registry
from mlwarden.inventory import Inventory
from mlwarden.pipeline import collect, derive_live

# IAM actions whose API operation has another name (AWS Service Authorization
# Reference). Every other declared action `prefix:Op` is the operation Op of the
# botocore service that signs as `prefix`.
ACTION_OPERATIONS = {
    "s3:ListAllMyBuckets": [("s3", "ListBuckets")],
    "s3:GetEncryptionConfiguration": [("s3", "GetBucketEncryption")],
    "s3:GetBucketPublicAccessBlock": [("s3", "GetPublicAccessBlock")],
    "s3:GetAccountPublicAccessBlock": [("s3control", "GetPublicAccessBlock")],
    "s3:GetObject": [("s3", "HeadObject"), ("s3", "GetObject")],
    "tag:GetResources": [("resourcegroupstaggingapi", "GetResources")],
}
# Calls the scan makes outside any collector.
SCAN_OPERATIONS = {("sts", "GetCallerIdentity")}
# Short deadlines for a test; a hung call outlasts the read timeout.
# (the clean baseline keeps the defaults: on a busy machine moto may be slow).
# On a machine at load 20+, moto sometimes takes over a second to answer: shorter
# deadlines make untouched types fail spuriously (and the spot checks disagree).
READ_TIMEOUT = 3.0
HANG_SECONDS = 4.0


def declared_operations() -> dict[tuple[str, str], set[str]]:
    """(botocore service, operation) → the resource types whose collectors declare it."""
    session = botocore.session.get_session()
    specs = registry()
    candidates = {s.service for s in specs.values()} | {
        a.partition(":")[0] for s in specs.values() for a in s.permissions}
    models = {}
    for name in candidates:
        try:
            models[name] = session.get_service_model(name)
        except Exception:  # an IAM prefix that is no botocore service name ("servicequotas")
            continue
    out: dict[tuple[str, str], set[str]] = {}
    for spec in specs.values():
        for action in spec.permissions:
            prefix, _, op = action.partition(":")
            ops = ACTION_OPERATIONS.get(action) or [
                # CloudWatch signs as "monitoring": its IAM prefix is its service name.
                (name, op) for name, m in models.items()
                if prefix in (m.signing_name, name) and op in m.operation_names]
            if not ops:
                raise AssertionError(f"{spec.type} declares {action}, which is no AWS operation")
            for key in ops:
                out.setdefault(key, set()).add(spec.type)
    return out


def options(endpoint_url: str, **overrides) -> AwsOptions:
    """A scan's options with deadlines short enough for a test (the hang outlasts them)."""
    return scan_options(endpoint_url=endpoint_url, **{
        "connect_timeout": 1, "read_timeout": READ_TIMEOUT, "call_deadline": 6, "collector_deadline": 60,
        **overrides})


def collect_raw(endpoint_url: str, regions: list[str], types=None, *, clean: bool = False,
                aws: AwsContext | None = None) -> Inventory:
    opts = scan_options(endpoint_url=endpoint_url) if clean else options(endpoint_url)
    return collect(aws or AwsContext(options=opts), regions, types=types, derived=False)


def splice(base: Inventory, part: Inventory, types: set[str]) -> Inventory:
    """`base` with everything of `types` replaced by `part`'s, then derived."""
    inv = copy.deepcopy(base)
    inv.resources = [r for r in inv.resources if r.type not in types] + copy.deepcopy(part.resources)
    inv.gaps = [g for g in inv.gaps if g.resource_type not in types] + list(part.gaps)
    return derived(inv)


def derived(raw: Inventory) -> Inventory:
    inv = copy.deepcopy(raw)
    derive_live(inv, set(registry()), inv.accounts[0], inv.regions)
    return inv


def verdicts(doc) -> dict[tuple[str, str, str, str], str]:
    """(policy, type, region, resource id or arn) → status, for every finding."""
    out = {}
    for f in doc.findings:
        r = f.resource
        out[(f.policy_id, r["type"], r["region"], r.get("arn") or r["id"])] = f.status.value
    return out


def unaffected_changes(base_raw: Inventory, raw: Inventory, affected: set[str]) -> list[str]:
    """Collected resources (before derivations) of types the fault does not touch
    that differ from the clean collection."""
    def docs(i: Inventory) -> dict[str, str]:
        return {r.key: json.dumps(r.to_dict(), sort_keys=True, default=str)
                for r in i.resources if r.type not in affected}
    a, b = docs(base_raw), docs(raw)
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def first_difference(a: Inventory, b: Inventory, key: str) -> str:
    """Where one resource's documents in two inventories first differ, for a message."""
    da = next((r.to_dict() for r in a.resources if r.key == key), None)
    db = next((r.to_dict() for r in b.resources if r.key == key), None)
    if da is None or db is None:
        return "missing from the " + ("clean" if da is None else "faulted") + " collection"
    field = next((f for f in sorted(set(da) | set(db)) if da.get(f) != db.get(f)), "")
    return f"{field}: {json.dumps(da.get(field), default=str)[:200]} → {json.dumps(db.get(field), default=str)[:200]}"


# --- running cases (in worker processes) ---------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Case:
    service: str
    operation: str
    kind: str
    types: tuple[str, ...]      # resource types whose collectors declare the operation
    full: bool = False          # a spot check: scan every type, compare with the spliced case

    @property
    def name(self) -> str:
        return f"{self.service}:{self.operation} × {self.kind}" + (" (full scan)" if self.full else "")


def fingerprint(inv: Inventory) -> str:
    """What verdicts depend on: the resources with which of their facets were read, and
    which resources have gaps (a failure's wording is only in NOT_ASSESSED messages)."""
    def doc(r) -> str:
        d = r.to_dict()
        d["facets"] = {k: v.read for k, v in r.facets.items()}
        return json.dumps(d, sort_keys=True, default=str)
    return json.dumps([sorted(doc(r) for r in inv.resources),
                       sorted({(g.resource_type, g.region, g.resource_id) for g in inv.gaps})])


def failed_reads(inv: Inventory) -> set[str]:
    """The operations named by the coverage gaps and the failed facets of `inv`."""
    return {g.operation for g in inv.gaps} | {
        f.operation for r in inv.resources for f in r.facets.values() if not f.read and f.operation}


class Evaluator:
    """The scan's evaluation (engine prepared once), memoised on `fingerprint`."""

    def __init__(self):
        from mlwarden.api import EvalOptions, load_everything, make_engine
        from mlwarden.demo.run import demo_settings_file
        opts = EvalOptions(settings_file=demo_settings_file())
        self.policy_set, self.settings, self.waivers = load_everything(opts)
        self.engine = make_engine(opts.engine, workers=1).__enter__()
        self.engine.prepare(self.policy_set)
        self.memo: dict[str, object] = {}
        self.runs = 0

    def __call__(self, inv: Inventory):
        from mlwarden.evaluate import evaluate
        key = fingerprint(inv)
        if key not in self.memo:
            self.runs += 1
            self.memo[key] = evaluate(inv, self.policy_set, self.engine, self.settings,
                                      waivers=self.waivers)
        return self.memo[key]


def run_cases(upstream: str, regions: list[str], services: list[str], base_raw_doc: dict,
              base_verdicts: dict, cases: list[Case], hang_seconds: float,
              max_attempts: int | None = None) -> list[dict]:
    """Run `cases` through a fault proxy of this process; one result per case.

    A `full` case scans every type with the fault and must give what its spliced
    twin (the same operation and kind, run earlier in the same list) gave: the same
    inventory (up to gap wording), and the untouched types exactly as in the baseline.
    """
    import time
    import traceback

    from .fault_proxy import FaultProxy

    base_raw = Inventory.from_dict(base_raw_doc)
    evaluate = Evaluator()
    # Fewer attempts shorten the retried kinds (throttle, 5xx, reset): the behaviour under
    # test, retries exhausted -> the call named in a gap, is the same with 3 as with 8.
    attempts = {"max_attempts": max_attempts} if max_attempts else {}
    spliced: dict[str, Inventory] = {}
    out = []
    with FaultProxy(upstream, services, hang_seconds=hang_seconds) as proxy:
        aws = AwsContext(options=options(proxy.url, **attempts))
        for case in cases:
            if case.kind == "throttle":
                # A scan's clients remember throttling (adaptive rate limiting): give this
                # case fresh ones, and leave the next case none of the slow-down.
                aws = AwsContext(options=options(proxy.url, **attempts))
            aws.account_id(regions[0])  # the scan's first call, outside any collector
            # Each case is a scan of its own: what an earlier case read (and cached per scan,
            # such as artefact sizes and baseline constraints per URL) must not answer for it.
            aws.scan_state.clear()
            started = time.monotonic()
            result = {"case": case.name, "problems": [], "injected": 0, "gaps": 0}
            problems = result["problems"]
            try:
                proxy.inject(case.service, case.operation, case.kind)
                part = collect_raw(proxy.url, regions, types=None if case.full else list(case.types),
                                   aws=aws)
                result["injected"] = proxy.injected
                proxy.clear()
                result["gaps"] = len(part.gaps)
                if case.full:
                    inv = derived(part)
                    changed = unaffected_changes(base_raw, part, set(case.types))
                    if changed:
                        problems.append(f"{case.name}: untouched resources changed: {changed[:5]} "
                                        f"({first_difference(base_raw, part, changed[0])})")
                    twin = spliced[replace(case, full=False).name]
                    if fingerprint(inv) != fingerprint(twin) and \
                            verdicts(evaluate(inv)) != verdicts(evaluate(twin)):
                        problems.append(f"{case.name}: a full scan and the spliced scan disagree")
                else:
                    inv = spliced[case.name] = splice(base_raw, part, set(case.types))
                problems += compare_verdicts(case.name, base_verdicts, verdicts(evaluate(inv)), base_raw)
                named = failed_reads(part)
                if proxy.injected and _action(case) not in named and not _invisible(case):
                    problems.append(f"{case.name}: injected {proxy.injected}×, but no gap or failed "
                                    f"facet names {_action(case)} (they name {sorted(named)})")
            except Exception:
                problems.append(f"{case.name}: CRASH {traceback.format_exc(limit=3)}")
            finally:
                proxy.clear()
            if case.kind == "throttle":
                aws = AwsContext(options=options(proxy.url, **attempts))
            result["seconds"] = round(time.monotonic() - started, 2)
            out.append(result)
            print(f"fault matrix: {result['seconds']:6.2f} s {case.name}: {len(problems)} problems "
                  + " | ".join(p.split(": ", 1)[-1][:160] for p in problems[:3]), file=sys.stderr, flush=True)
    out.append({"evaluations": evaluate.runs})
    return out


# Faults in a body: a HEAD answer has none (botocore reads only its headers), so an
# empty, HTML or truncated body on a 200 HEAD is the same answer as a correct one.
# Such cases must still change no verdict; they cannot name the call.
BODY_KINDS = frozenset({"empty_200", "html_200", "truncated_200"})


def _invisible(case: Case) -> bool:
    model = botocore.session.get_session().get_service_model(case.service)
    return case.kind in BODY_KINDS and model.operation_model(case.operation).http.get("method") == "HEAD"


def _action(case: Case) -> str:
    import botocore.session
    from mlwarden.aws.calls import action_of
    model = botocore.session.get_session().get_service_model(case.service)
    return action_of(model.operation_model(case.operation))


def compare_verdicts(case: str, before: dict, after: dict, base_raw: Inventory) -> list[str]:
    """Zero FAIL → PASS flips; zero FAILs gone without a NOT_ASSESSED/ERROR in their place
    (for the resource itself by id or ARN, or for its whole type: "*"). A gap carries the
    region it was read from, which for IAM roles ("global") and S3 buckets (their own
    region) is not the resource's, so the place is looked up by policy, type and name."""
    names = {(r.type, r.region, r.arn or r.id): {r.id, r.arn} for r in base_raw.resources}
    unassessed = {(k[0], k[1], k[3]) for k, s in after.items() if s in ("NOT_ASSESSED", "ERROR")}
    problems = []
    for key, status in before.items():
        if status != "FAIL":
            continue
        now = after.get(key)
        if now == "PASS":
            problems.append(f"{case}: {key[0]} on {key[3]}: FAIL → PASS")
        elif now is None:
            policy, rtype, region, ident = key
            place = (names.get((rtype, region, ident)) or {ident}) | {"*"}
            if any((policy, rtype, n) in unassessed for n in place):
                continue
            owner = _template_product(ident, base_raw)
            if owner is not None and any((TEMPLATES_POLICY, PRODUCT_TYPE, n) in unassessed for n in owner):
                continue
            problems.append(f"{case}: {policy} on {ident}: FAIL vanished without NOT_ASSESSED")
    return problems


# A Service Catalog product template's resources exist only once the template was read and
# parsed (scanner/catalog_templates.py). When a fault keeps it unread, they are unknown, and
# in their place the product's MLW-GOV-002 is NOT_ASSESSED, naming the version and the call
# (or, when the product itself could not be read, every policy of its type is).
TEMPLATES_POLICY = "MLW-GOV-002"
PRODUCT_TYPE = "AWS::ServiceCatalog::CloudFormationProduct"
_TEMPLATE_ARN = "cfn://service-catalog/"


def _template_product(ident: str, base_raw: Inventory) -> set[str] | None:
    """The product (id, ARN, and "*" for its type) whose template declared `ident`."""
    if not ident.startswith(_TEMPLATE_ARN):
        return None
    account, region, name = ident[len(_TEMPLATE_ARN):].split("/")[:3]
    owners = {"*"}
    for r in base_raw.resources:
        if r.type == PRODUCT_TYPE and (r.account, r.region) == (account, region) and \
                str(r.properties.get("Name") or r.id).replace("/", "_") == name:
            owners |= {r.id, r.arn}
    return owners
