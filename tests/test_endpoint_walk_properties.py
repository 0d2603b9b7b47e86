"""Generated estates for the endpoint walk (scanner/endpoint_walk.py) and the verdicts on it.

Hand-written lineage cases covered the shapes somebody thought of; these properties are
checked on estates hypothesis builds: endpoints → configurations (production and shadow
variants) → models, directly or through inference components (own model, own container,
adapters) → model packages (in the workload account or a central registry account), with
arbitrary names (non-ASCII, NUL, ": ", very long, ARN-like), and then breaks on the
target endpoint's path: a resource dropped with or without a reason (a listing, describe,
region or account read that failed, a type not collected, an account not scanned), a
reference replaced by an IaC unknown marker or a value of the wrong type, a describe or
signature facet that failed.

1. The derivations and the evaluation never raise.
2. A break anywhere on the endpoint's path leaves its lineage not READ-complete (facet
   read and facts.model_packages a list) and MLW-REG-003/004/011 never PASS on it; its
   model data size is not known either (MLW-MON-011 never passes on it).
3. An estate read whole and well formed: facts.model_packages and unregistered_models
   equal an oracle written here from the AWS data model (CreateEndpointConfig,
   CreateInferenceComponent, CreateModel), independent of the walk's code.
4. Changing only another endpoint's model (not on this endpoint's path) never changes
   this endpoint's verdicts.

The Wasm engine judges with the shipped library restricted to the four rules (one engine
per module). Examples per property: MLW_WALK_EXAMPLES (default 60; half for 4, which
judges twice), derandomised unless
MLW_WALK_RANDOM=1 (exploration: `MLW_WALK_RANDOM=1 MLW_WALK_EXAMPLES=2000 pytest -q …`).
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from mlwarden import settings as settings_mod
from mlwarden.derived import annotate_endpoints
from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.inventory import Inventory
from mlwarden.model import CoverageGap, FacetStatus, Resource, Status
from mlwarden.policy.library import PolicySet, load_policies

ACC, REGISTRY, REG = "111122223333", "444455556666", "eu-west-1"
EP, CFG, MOD, PKG, IC = ("AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model",
                         "AWS::SageMaker::ModelPackage", "AWS::SageMaker::InferenceComponent")
UNKNOWN = "mlwarden:unknown"   # scanner/iac/unknown.py: MARKER
REGISTRY_RULES = ("MLW-REG-003", "MLW-REG-004", "MLW-REG-011")
RULES = (*REGISTRY_RULES, "MLW-MON-011")
SETTINGS = settings(max_examples=int(os.environ.get("MLW_WALK_EXAMPLES", "60")), deadline=None,
                    derandomize=os.environ.get("MLW_WALK_RANDOM") != "1",
                    phases=[p for p in Phase if p is not Phase.shrink or not os.environ.get("MLW_WALK_NOSHRINK")],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
# Two derivations and two evaluations per example: half as many.
PAIR_SETTINGS = settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 2))

# Names: anything the API or a template can carry, and the ones that broke parsers before.
NAMES = st.one_of(
    st.text(min_size=1, max_size=6),
    st.sampled_from(["a\x00b", "名前-é", "x" * 1100, "a: b", "a", " ", "arn:aws:sagemaker:eu-west-1:1:model/m",
                     "🙂", "a/b", "*", "not collected"]))
# Values that are not a name where a name is expected: the IaC marker, numbers, lists, objects.
BAD = st.one_of(
    st.builds(lambda why: {UNKNOWN: why}, st.sampled_from(["Fn::ImportValue", "parameter ModelName", "é\x00"])),
    st.sampled_from([0, -1, 10**30, 1.5, True, [], ["x"], [{"ModelName": "m"}], {}, {"Ref": "x"}]))


# --- the estate, as plain data (the oracle reads this, the walk reads Resources) ------------
@dataclass
class Spec:
    endpoints: dict[str, str] = field(default_factory=dict)            # endpoint → config name
    configs: dict[str, dict] = field(default_factory=dict)             # name → {"prod": [...], "shadow": [...]}
    models: dict[str, list[str]] = field(default_factory=dict)         # name → package ARNs
    packages: dict[str, dict] = field(default_factory=dict)            # ARN → {"id", "account", "status"}
    components: dict[str, dict] = field(default_factory=dict)          # name → {"endpoint", "variant", "spec"}


def _arn(kind: str, name: str, account: str = ACC) -> str:
    return f"arn:aws:sagemaker:{REG}:{account}:{kind}/{name}"


def _apart(name: str, taken) -> str:
    """`name`, lengthened until no name in `taken` is the same (a filter gives up too often)."""
    while name in taken:
        name += "~"
    return name


@st.composite
def estates(draw, endpoints=st.integers(1, 3)) -> Spec:
    spec = Spec()
    for i in range(draw(st.integers(1, 3))):
        group = draw(NAMES)
        account = draw(st.sampled_from([ACC, REGISTRY]))
        pid = f"{group}/{i + 1}"
        spec.packages[_arn("model-package", pid, account)] = {
            "id": pid, "account": account,
            "status": draw(st.sampled_from(["Approved", "Approved", "Rejected", "PendingManualApproval"]))}
    arns = sorted(spec.packages)
    for name in draw(st.lists(NAMES, min_size=1, max_size=4, unique=True)):
        spec.models[name] = draw(st.lists(st.sampled_from(arns), max_size=2))
    models = sorted(spec.models)
    ep_names = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    cfg_names = draw(st.lists(NAMES, min_size=len(ep_names), max_size=len(ep_names), unique=True))
    for ep, cfg in zip(ep_names, cfg_names):
        # Two endpoints may share a configuration.
        cfg = draw(st.sampled_from(sorted(spec.configs))) if spec.configs and draw(st.booleans()) else cfg
        spec.endpoints[ep] = cfg
        if cfg in spec.configs:
            continue
        vnames = iter(draw(st.lists(NAMES, min_size=4, max_size=4, unique=True)))
        spec.configs[cfg] = {kind: [{"VariantName": next(vnames),
                                     **({"ModelName": draw(st.sampled_from(models))} if draw(st.booleans()) else {})}
                                    for _ in range(draw(st.integers(lo, 2)))]
                             for kind, lo in (("prod", 1), ("shadow", 0))}
    for ep, cfg in spec.endpoints.items():
        on_ep: list[str] = []
        for v in spec.configs[cfg]["prod"] + spec.configs[cfg]["shadow"]:
            if "ModelName" in v:
                continue
            for _ in range(draw(st.integers(1, 2))):
                name = _apart(draw(NAMES), spec.components)
                kind = draw(st.sampled_from(["model", "model", "model+artefact", "container", "adapter"]))
                if kind == "adapter" and on_ep:
                    body = {"BaseInferenceComponentName": draw(st.sampled_from(on_ep)),
                            "Container": {"ArtifactUrl": f"s3://adapters/{name}"}}
                elif kind == "container":
                    # A template gives Image; DescribeInferenceComponent answers DeployedImage.
                    image = draw(st.sampled_from([{"Image": "img:1"}, {"DeployedImage": {"SpecifiedImage": "i:1"}}]))
                    body = {"Container": {**image, **({"ArtifactUrl": "s3://b/own"} if draw(st.booleans()) else {})}}
                else:
                    body = {"ModelName": draw(st.sampled_from(models)),
                            **({"Container": {"ArtifactUrl": "s3://b/extra"}} if kind == "model+artefact" else {})}
                spec.components[name] = {"endpoint": ep, "variant": v["VariantName"], "spec": body}
                on_ep.append(name)
    return spec


# --- the oracle: what an endpoint serves, from the AWS data model ---------------------------
def oracle(spec: Spec, ep: str) -> tuple[Counter, list[str]]:
    """(package ARN, approval, shadow variant or None, component or None) with multiplicity,
    and the sorted models and components that serve data from no package.

    CreateEndpointConfig: each ProductionVariants/ShadowProductionVariants entry names a
    ModelName, or none when inference components are deployed on it;
    CreateInferenceComponent: on (EndpointName, VariantName), its Specification names a
    ModelName, or a Container of its own, or BaseInferenceComponentName (an adapter whose
    artefact is its own); CreateModel: its containers' ModelPackageName."""
    packages: Counter = Counter()
    unregistered: set[str] = set()
    cfg = spec.configs[spec.endpoints[ep]]

    def serve(model: str, variant: str, shadow: bool, component: str | None) -> None:
        refs = spec.models[model]
        if not refs:
            unregistered.add(f"{model} (shadow variant {variant})" if shadow else model)
        for arn in refs:
            packages[(arn, spec.packages[arn]["status"], variant if shadow else None, component)] += 1

    for kind, shadow in (("prod", False), ("shadow", True)):
        for v in cfg[kind]:
            if "ModelName" in v:
                serve(v["ModelName"], v["VariantName"], shadow, None)
                continue
            for name, c in spec.components.items():
                if c["endpoint"] != ep or c["variant"] != v["VariantName"]:
                    continue
                on = f", on shadow variant {v['VariantName']}" if shadow else ""
                body = c["spec"]
                if "ModelName" in body:
                    if body.get("Container", {}).get("ArtifactUrl"):
                        unregistered.add(f"{name} (inference component with its own container artefact{on})")
                    serve(body["ModelName"], v["VariantName"], shadow, name)
                elif "BaseInferenceComponentName" in body:
                    unregistered.add(f"{name} (inference component with its own adapter artefact{on})")
                else:
                    unregistered.add(f"{name} (inference component with its own container artefact{on})")
    return packages, sorted(unregistered)


def path_of(spec: Spec, ep: str) -> dict[str, list]:
    """What the endpoint's lineage depends on, by kind (the oracle's walk, recording)."""
    cfg_name = spec.endpoints[ep]
    cfg = spec.configs[cfg_name]
    variants = cfg["prod"] + cfg["shadow"]
    models = [v["ModelName"] for v in variants if "ModelName" in v]
    comps = [n for n, c in spec.components.items() if c["endpoint"] == ep
             and any(c["variant"] == v["VariantName"] and "ModelName" not in v for v in variants)]
    models += [spec.components[n]["spec"]["ModelName"] for n in comps if "ModelName" in spec.components[n]["spec"]]
    return {"config": [cfg_name], "model": sorted(set(models)),
            "package": sorted({a for m in set(models) for a in spec.models[m]}), "component": comps}


# --- the estate as the collectors give it -----------------------------------------------
def resources(spec: Spec) -> list[Resource]:
    out = []
    for ep, cfg in spec.endpoints.items():
        out.append(Resource(type=EP, id=ep, arn=_arn("endpoint", ep), account=ACC, region=REG,
                            tags={"environment": "prod"},
                            properties={"EndpointName": ep, "EndpointConfigName": cfg}))
    for name, cfg in spec.configs.items():
        props = {"EndpointConfigName": name, "ProductionVariants": [dict(v) for v in cfg["prod"]]}
        if cfg["shadow"]:
            props["ShadowProductionVariants"] = [dict(v) for v in cfg["shadow"]]
        out.append(Resource(type=CFG, id=name, arn=_arn("endpoint-config", name), account=ACC, region=REG,
                            properties=props))
    for name, refs in spec.models.items():
        containers = [{"Image": "img:1", "ModelPackageName": a} for a in refs] or [
            {"Image": "img:1", "ModelDataUrl": "s3://b/model.tar.gz"}]
        out.append(Resource(type=MOD, id=name, arn=_arn("model", name), account=ACC, region=REG,
                            properties={"ModelName": name, "PrimaryContainer": containers[0],
                                        "Containers": containers[1:]},
                            relations={"model_packages": list(refs)},
                            facts={"artifact_bytes": {"s3://b/model.tar.gz": 1000}}))
    for arn, p in spec.packages.items():
        out.append(Resource(type=PKG, id=p["id"], arn=arn, account=p["account"], region=REG,
                            properties={"ModelApprovalStatus": p["status"],
                                        "ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}},
                            facts={"signature": {"present": True, "verified": True},
                                   "artifact_bytes": {"s3://b/p.tar.gz": 2000}}))
    for name, c in spec.components.items():
        out.append(Resource(type=IC, id=name, arn=_arn("inference-component", name), account=ACC, region=REG,
                            properties={"InferenceComponentName": name, "EndpointName": c["endpoint"],
                                        "VariantName": c["variant"],
                                        "Specification": {k: (dict(v) if isinstance(v, dict) else v)
                                                          for k, v in c["spec"].items()}},
                            facts={"artifact_bytes": {"s3://b/c": 10}}))
    return out


@dataclass
class Scan:
    res: list[Resource]
    gaps: list[CoverageGap] = field(default_factory=list)
    accounts: list[str] = field(default_factory=lambda: [ACC, REGISTRY])
    collected: set[str] | None = None

    def find(self, type_: str, rid: str) -> Resource:
        return next(r for r in self.res if r.type == type_ and (r.id == rid or r.arn == rid))


# --- the breaks --------------------------------------------------------------------------
TYPE_OF = {"config": CFG, "model": MOD, "package": PKG, "component": IC}
CALL = {CFG: ("ListEndpointConfigs", "DescribeEndpointConfig"), MOD: ("ListModels", "DescribeModel"),
        PKG: ("ListModelPackages", "DescribeModelPackage"),
        IC: ("ListInferenceComponents", "DescribeInferenceComponent")}


def _drop(scan: Scan, kind: str, ref: str, why: str) -> None:
    type_ = TYPE_OF[kind]
    r = scan.find(type_, ref)
    scan.res.remove(r)
    listing, describe = CALL[type_]
    if why == "listing":
        scan.gaps.append(CoverageGap(resource_type=type_, account=r.account, region=REG,
                                     operation=f"sagemaker:{listing}", error_code="AccessDenied", message="no"))
    elif why == "describe":
        scan.gaps.append(CoverageGap(resource_type=type_, account=r.account, region=REG, resource_id=r.id,
                                     operation=f"sagemaker:{describe}", error_code="ThrottlingException",
                                     message="slow down"))
    elif why == "region":
        scan.gaps.append(CoverageGap(resource_type="*", account=r.account, region=REG,
                                     operation="sts:AssumeRole", error_code="RegionDisabled", message=""))
    elif why == "account":
        scan.gaps.append(CoverageGap(resource_type="*", account=r.account, region="*",
                                     operation="sts:AssumeRole", error_code="AccessDenied", message=""))
    elif why == "not_collected":
        scan.collected = {EP, CFG, MOD, PKG, IC, "AWS::SageMaker::MonitoringSchedule"} - {type_}
        if type_ == IC:
            # A scan that did not collect components has none. (Components present with the
            # type "not collected" is a template's: what it attaches is what it deploys.)
            scan.res = [x for x in scan.res if x.type != IC]
    elif why == "not_scanned":
        scan.accounts = [ACC]
    else:
        assert why == "dangling"


def _set_path(doc: dict, path: list, value) -> None:
    for key in path[:-1]:
        doc = doc.setdefault(key, {})
    doc[path[-1]] = value


@st.composite
def breaks(draw, spec: Spec, ep: str):
    """One break on the endpoint's path: (description, function applying it to a Scan)."""
    path = path_of(spec, ep)
    choices = [(kind, ref) for kind, refs in path.items() for ref in refs]
    kind, ref = draw(st.sampled_from(choices))
    type_ = TYPE_OF[kind]
    what = draw(st.sampled_from(["drop", "bad", "describe_failed", "size"]
                                + (["signature_failed"] if kind == "package" else [])))
    if what == "size" and kind != "config":
        # Not the lineage's: only the sizes walk over it (label "size …").
        size = draw(st.one_of(BAD, st.sampled_from([None, "abc", "12", -5, 2.5, float("nan")])))
        assume(not isinstance(size, int) or isinstance(size, bool) or size < 0)

        def resize(scan: Scan) -> None:
            scan.find(type_, ref).facts["artifact_bytes"] = {"s3://b/x": size}
        return f"size of {kind} {ref!r} = {size!r}", resize
    if what == "size":
        what = "describe_failed"
    if what == "drop":
        whys = ["listing", "describe", "region", "account", "not_collected"]
        if kind != "component":     # a component absent from a complete listing is simply not there
            whys.append("dangling")
        if kind == "package" and spec.packages[ref]["account"] == REGISTRY:
            whys.append("not_scanned")
        why = draw(st.sampled_from(whys))
        return f"drop {kind} {ref!r} ({why})", lambda scan: _drop(scan, kind, ref, why)
    if what in ("describe_failed", "signature_failed"):
        facet = "describe" if what == "describe_failed" else "signature"
        blank = what == "describe_failed" and draw(st.booleans())

        def fail(scan: Scan) -> None:
            r = scan.find(type_, ref)
            r.facets[facet] = FacetStatus.failed(f"sagemaker:{CALL[type_][1]}", "AccessDenied", "denied")
            if blank:   # what a failed describe leaves: the listing's name, nothing more
                r.properties, r.relations, r.facts = {}, {}, {}
        return f"{facet} failed on {kind} {ref!r}{' (blank)' if blank else ''}", fail
    # A reference (or the list holding it) that is not a name.
    value = draw(BAD)
    if kind == "config":
        cfg = spec.configs[ref]
        sites = [("endpoint", ["EndpointConfigName"]), ("config", ["ProductionVariants"]),
                 ("config", ["ShadowProductionVariants"])]
        sites += [("config", [member, i]) for member, key in (("ProductionVariants", "prod"),
                                                              ("ShadowProductionVariants", "shadow"))
                  for i in range(len(cfg[key]))]
        sites += [("config", [member, i, "ModelName"]) for member, key in (("ProductionVariants", "prod"),
                                                                           ("ShadowProductionVariants", "shadow"))
                  for i, v in enumerate(cfg[key]) if "ModelName" in v]
        where, site = draw(st.sampled_from(sites))
        if where == "endpoint" or site[-1] == "ProductionVariants":
            value = draw(st.one_of(st.just(value), st.sampled_from([None, "", []])))
        elif site[-1] == "ModelName":
            value = draw(st.one_of(st.just(value), st.just("")))   # "": dangling
        elif site[-1] == "ShadowProductionVariants":
            assume(value not in ([], {}))   # absent or empty: no shadow, a valid configuration

        def bad(scan: Scan) -> None:
            r = scan.find(EP, ep) if where == "endpoint" else scan.find(CFG, ref)
            if len(site) == 1:
                r.properties[site[0]] = value
            elif len(site) == 2:
                r.properties[site[0]][site[1]] = value
            else:
                r.properties[site[0]][site[1]]["ModelName"] = value
        return f"{where} {site} = {value!r}", bad
    if kind == "model":
        n = len(spec.models[ref])
        site = draw(st.sampled_from(["relations", "package_marker", "PrimaryContainer", "Containers"]
                                    + [i for i in range(n)]))
        if site in ("PrimaryContainer", "Containers"):
            assume(value is not None and value != [])   # absent or empty: a valid model
        if site == "package_marker" and n == 0:
            site = "relations"
        if site == "relations":
            value = draw(st.one_of(st.just(value), st.just("arn:aws:sagemaker:eu-west-1:1:model-package/g/1")))
            assume(value not in ([], {}, 0))   # falsy: "no package" reads the same as absent

        def bad(scan: Scan) -> None:
            r = scan.find(MOD, ref)
            if site == "relations":
                r.relations["model_packages"] = value
            elif site in ("PrimaryContainer", "Containers"):
                # What a loader derives from it: only the packages of the containers it can read.
                r.properties[site] = value
                r.relations["model_packages"] = (r.relations["model_packages"][1:] if site == "PrimaryContainer"
                                                 else r.relations["model_packages"][:1])
            elif site == "package_marker":   # a template's model whose package is a parameter
                r.properties["PrimaryContainer"]["ModelPackageName"] = {UNKNOWN: "parameter PackageArn"}
                r.relations["model_packages"] = r.relations["model_packages"][1:]
            else:
                r.relations["model_packages"][site] = value
        return f"model {ref!r} {site} = {value!r}", bad
    if kind == "package":
        # A package's reference lives in its model; break the package's own document instead.
        def bad(scan: Scan) -> None:
            r = scan.find(PKG, ref)
            r.properties["ModelApprovalStatus"] = value
            r.facets["describe"] = FacetStatus.failed("sagemaker:DescribeModelPackage", "InternalFailure", "")
        return f"package {ref!r} describe failed, status {value!r}", bad
    body = spec.components[ref]["spec"]
    sites = [["EndpointName"], ["VariantName"], ["Specification"], ["Specification", "Container"]]
    sites += [["Specification", k] for k in ("ModelName", "BaseInferenceComponentName") if k in body]
    sites += [["Specification", "Container", "ArtifactUrl"]]
    if "Container" in body and "ModelName" not in body and "BaseInferenceComponentName" not in body:
        sites += [["Specification", "Container", "DeployedImage"]]
    site = draw(st.sampled_from(sites))
    if site[-1] in ("VariantName", "Container", "ArtifactUrl", "DeployedImage"):
        assume(value is not None)   # absent: a valid component (one variant, no container, …)
    if site[-1] == "Container":
        assume(value != {})
    if site[-1] == "DeployedImage":
        value = draw(st.one_of(st.just(value), st.just("img:2")))   # the API answers an object

    def bad(scan: Scan) -> None:
        _set_path(scan.find(IC, ref).properties, site, value)
    if site[-1] == "DeployedImage":
        # Not a link: which image a component of its own container runs changes nothing of
        # what it serves (model data from no package), so only "never raises" (label "image").
        return f"image of component {ref!r} = {value!r}", bad
    return f"component {ref!r} {'.'.join(site)} = {value!r}", bad


# --- running it --------------------------------------------------------------------------
POLICIES = load_policies()
SUBSET = PolicySet(policies=[p for p in POLICIES.policies if p.id in RULES], modules=POLICIES.modules)


@pytest.fixture(scope="module")
def engine():
    e = WasmEngine(workers=1)
    e.prepare(SUBSET)
    yield e
    e.close()


def judge(engine, scan: Scan) -> dict[tuple[str, str], tuple[Status, str]]:
    """Derive as a scan does, then judge: (policy, endpoint) → (status, message)."""
    inv = Inventory(resources=scan.res, gaps=scan.gaps, accounts=scan.accounts, regions=[REG])
    annotate_endpoints(inv, scan.collected)
    doc = evaluate(inv, SUBSET, engine, settings_mod.defaults())
    return {(f.policy_id, f.resource["id"]): (f.status, f.message or "") for f in doc.findings}


def _complete(ep: Resource) -> bool:
    return ep.facet("lineage").read and isinstance(ep.facts.get("model_packages"), list)


@SETTINGS
@given(data=st.data())
def test_a_break_on_the_path_is_never_a_pass(engine, data):
    spec = data.draw(estates())
    target = data.draw(st.sampled_from(sorted(spec.endpoints)))
    label, apply = data.draw(breaks(spec, target))
    event(label.split(" ")[0] + (f" ({label.rsplit('(', 1)[-1]}" if label.startswith("drop") else ""))
    scan = Scan(res=resources(spec))
    apply(scan)
    verdicts = judge(engine, scan)            # property 1: never raises
    ep = scan.find(EP, target)
    if label.startswith("image"):
        assert ep.facet("lineage").read and verdicts[("MLW-REG-003", target)][0] is Status.FAIL, label
        return
    if label.startswith("size"):
        assert not ep.facet("artifact_size").read, (label, ep.facts.get("variant_artifacts"))
        assert verdicts.get(("MLW-MON-011", target), (None,))[0] is not Status.PASS, label
        return
    assert not _complete(ep), (label, ep.facets.get("lineage"), ep.facts.get("model_packages"))
    for rule in REGISTRY_RULES:
        status, message = verdicts.get((rule, target), (None, ""))
        assert status is not Status.PASS, (label, rule, message)
    if "signature failed" not in label:
        # The sizes walk the same links: none is known over a break on the path.
        assert not ep.facet("artifact_size").read, (label, ep.facts.get("variant_artifacts"))
        assert verdicts.get(("MLW-MON-011", target), (None,))[0] is not Status.PASS, label


@SETTINGS
@given(spec=estates())
def test_a_whole_well_formed_estate_matches_the_oracle(engine, spec):
    scan = Scan(res=resources(spec))
    verdicts = judge(engine, scan)
    for name in spec.endpoints:
        ep = scan.find(EP, name)
        want_packages, want_unregistered = oracle(spec, name)
        assert ep.facet("lineage").read, ep.facet("lineage").reason
        got = Counter((p["arn"], p["ModelApprovalStatus"], p.get("shadow_variant"), p.get("inference_component"))
                      for p in ep.facts["model_packages"])
        assert got == want_packages
        assert ep.facts["unregistered_models"] == want_unregistered
        assert ep.facet("artifact_size").read, ep.facet("artifact_size").reason
        # And the verdict follows from them: approved, signed, PROD, nothing unregistered → PASS.
        clean = not want_unregistered and all(status == "Approved" for _, status, _, _ in want_packages)
        assert (verdicts[("MLW-REG-003", name)][0] is Status.PASS) == clean, verdicts[("MLW-REG-003", name)]


def _other(spec: Spec, draw) -> tuple[str, str, str]:
    """Add an endpoint with its own configuration, model and package, named apart from
    everything the estate has (so nothing of the estate depends on them)."""
    taken = {*spec.endpoints, *spec.configs, *spec.models, *spec.components,
             *(v["VariantName"] for c in spec.configs.values() for v in c["prod"] + c["shadow"])}
    # Apart from each other too: the last character before any "~" is the digit i.
    ep, cfg, model, group = (_apart(draw(NAMES) + str(i), taken) for i in range(4))
    arn = _arn("model-package", f"{group}/9")
    assume(arn not in spec.packages)
    spec.packages[arn] = {"id": f"{group}/9", "account": ACC, "status": "Approved"}
    spec.models[model] = [arn]
    spec.configs[cfg] = {"prod": [{"VariantName": "v", "ModelName": model}], "shadow": []}
    spec.endpoints[ep] = cfg
    return ep, model, arn


@PAIR_SETTINGS
@given(data=st.data())
def test_changing_another_endpoints_model_never_changes_this_endpoints_verdict(engine, data):
    spec = data.draw(estates(endpoints=st.integers(1, 2)))
    target = data.draw(st.sampled_from(sorted(spec.endpoints)))
    broken = data.draw(st.none() | breaks(spec, target))   # this endpoint whole, or broken
    other, model, arn = _other(spec, data.draw)
    change = data.draw(st.sampled_from(["drop", "describe", "relations", "marker", "status", "bad_ref"]))
    value = data.draw(BAD)

    def scan_of(changed: bool) -> Scan:
        scan = Scan(res=resources(spec))
        if broken:
            broken[1](scan)
        if not changed:
            return scan
        m = scan.find(MOD, model)
        if change == "drop":
            scan.res.remove(m)
        elif change == "describe":
            scan.res.remove(m)
            scan.gaps.append(CoverageGap(resource_type=MOD, account=ACC, region=REG, resource_id=model,
                                         operation="sagemaker:DescribeModel", error_code="AccessDenied",
                                         message=""))
        elif change == "relations":
            m.relations["model_packages"] = value
        elif change == "marker":
            m.properties["PrimaryContainer"]["ModelPackageName"] = {UNKNOWN: "parameter"}
        elif change == "status":
            m.facets["describe"] = FacetStatus.failed("sagemaker:DescribeModel", "AccessDenied", "")
        else:
            m.relations["model_packages"] = [value]
        return scan

    before, after = judge(engine, scan_of(False)), judge(engine, scan_of(True))
    mine = lambda verdicts: {k: v for k, v in verdicts.items() if k[1] == target}   # noqa: E731
    assert mine(before) == mine(after), (broken and broken[0], change, value)


# --- regressions: the examples the properties (or a targeted probe of their sites) found -----
PKG_ARN = _arn("model-package", "g/1")


def _simple(*, variant: dict | None = None, components: dict | None = None, refs=(PKG_ARN,)) -> Scan:
    """Endpoint e → config c → variant v (model m, unless `variant` says otherwise) → an
    Approved, signed, PROD package: a PASS when nothing is broken."""
    spec = Spec(endpoints={"e": "c"}, configs={"c": {"prod": [variant or {"VariantName": "v", "ModelName": "m"}],
                                                     "shadow": []}},
                models={"m": list(refs)}, packages={PKG_ARN: {"id": "g/1", "account": ACC, "status": "Approved"}},
                components=components or {})
    return Scan(res=resources(spec))


def _assert_not_passed(engine, scan: Scan, why: str) -> Resource:
    verdicts = judge(engine, scan)
    ep = scan.find(EP, "e")
    assert not _complete(ep) and not ep.facet("lineage").read, ep.facet("lineage")
    assert why in ep.facet("lineage").reason, ep.facet("lineage").reason
    for rule in REGISTRY_RULES:
        assert verdicts[(rule, "e")][0] is Status.NOT_ASSESSED, (rule, verdicts[(rule, "e")])
    return ep


def test_the_unbroken_regression_estate_passes(engine):
    verdicts = judge(engine, _simple())
    assert all(verdicts[(rule, "e")][0] is Status.PASS for rule in REGISTRY_RULES), verdicts


def test_regression_model_package_relation_not_a_list(engine):
    # Shrunk: "model … relations = 1.5" raised TypeError ('float' object is not iterable).
    scan = _simple()
    scan.find(MOD, "m").relations["model_packages"] = 1.5
    _assert_not_passed(engine, scan, "relations.model_packages: not a name (float)")
    scan = _simple()
    scan.find(MOD, "m").relations["model_packages"] = [PKG_ARN, 7]   # an entry not a name: raised in arn_scope
    _assert_not_passed(engine, scan, "relations.model_packages: not a name (int)")


@pytest.mark.parametrize("type_,rid", [(CFG, "c"), (MOD, "m"), (PKG, PKG_ARN)])
def test_regression_a_resource_whose_describe_failed(engine, type_, rid):
    # Shrunk: "describe failed on config '0'": the walk read the document the failed describe
    # left and passed the endpoint on it.
    scan = _simple()
    scan.find(type_, rid).facets["describe"] = FacetStatus.failed("sagemaker:Describe", "AccessDenied", "")
    _assert_not_passed(engine, scan, "sagemaker:Describe failed with AccessDenied")


def test_regression_a_component_whose_describe_failed(engine):
    scan = _simple(variant={"VariantName": "v"},
                   components={"ic": {"endpoint": "e", "variant": "v", "spec": {"ModelName": "m"}}})
    ic = scan.find(IC, "ic")
    ic.facets["describe"] = FacetStatus.failed("sagemaker:DescribeInferenceComponent", "AccessDenied", "")
    _assert_not_passed(engine, scan, "DescribeInferenceComponent failed with AccessDenied")


@pytest.mark.parametrize("value", ["", None, []])
def test_regression_a_configuration_without_production_variants(engine, value):
    # Shrunk: "config ['ProductionVariants'] = ''": no variant read, so nothing served, so PASS.
    scan = _simple()
    scan.find(CFG, "c").properties["ProductionVariants"] = value
    _assert_not_passed(engine, scan, "c ProductionVariants: ")


def test_regression_a_component_container_that_is_not_an_object(engine):
    # Shrunk: "component … Specification.Container = -1" on a component with a ModelName:
    # whether it loads an artefact of its own could not be told, and it passed.
    scan = _simple(variant={"VariantName": "v"},
                   components={"ic": {"endpoint": "e", "variant": "v", "spec": {"ModelName": "m"}}})
    scan.find(IC, "ic").properties["Specification"]["Container"] = -1
    _assert_not_passed(engine, scan, "Specification.Container: not a name (int)")


@pytest.mark.parametrize("site,value", [("PrimaryContainer", 42), ("Containers", 5),
                                        ("PrimaryContainer", {UNKNOWN: "Fn::If"})])
def test_regression_model_containers_that_are_not_containers(engine, site, value):
    # Found with the generator's container sites: Containers = 5 raised TypeError; a
    # PrimaryContainer that is not one left the model "from no package", a FAIL on unread data.
    scan = _simple()
    scan.find(MOD, "m").properties[site] = value
    scan.find(MOD, "m").relations["model_packages"] = []
    _assert_not_passed(engine, scan, f"{site}: ")


def test_regression_template_model_with_an_unknown_package_has_no_known_size(engine):
    # Shrunk: "model 'a\x00b' package_marker": the sizes summed the model's data without the
    # package a parameter names.
    scan = _simple()
    m = scan.find(MOD, "m")
    m.properties["PrimaryContainer"]["ModelPackageName"] = {UNKNOWN: "parameter PackageArn"}
    m.relations["model_packages"] = []
    judge(engine, scan)
    ep = scan.find(EP, "e")
    assert not ep.facet("artifact_size").read and "variant_artifacts" not in ep.facts
    assert "unknown before deployment" in ep.facet("artifact_size").reason


def test_regression_deployed_image_that_is_not_an_object(engine):
    # A probe of the generator's DeployedImage site: a string there raised AttributeError.
    scan = _simple(variant={"VariantName": "v"},
                   components={"ic": {"endpoint": "e", "variant": "v", "spec": {"Container": {"DeployedImage": "i"}}}})
    verdicts = judge(engine, scan)
    ep = scan.find(EP, "e")
    assert ep.facts["unregistered_models"] == ["ic (inference component with its own container artefact)"]
    assert verdicts[("MLW-REG-003", "e")][0] is Status.FAIL


def test_regression_a_failed_describe_is_not_another_names(engine):
    # "a" is simply absent (a dangling reference, "could not determine"); the describe that
    # failed was of the model "a: b", whose gap text starts with "…Model a: ".
    scan = _simple(variant={"VariantName": "v", "ModelName": "a"})
    scan.gaps.append(CoverageGap(resource_type=MOD, account=ACC, region=REG, resource_id="a: b",
                                 operation="sagemaker:DescribeModel", error_code="AccessDenied", message=""))
    verdicts = judge(engine, scan)
    ep = scan.find(EP, "e")
    assert ep.facet("lineage").read and "model_packages" not in ep.facts
    status, message = verdicts[("MLW-REG-003", "e")]
    assert status is Status.FAIL and "could not determine" in message


def test_regression_a_component_named_not_collected(engine):
    # A component whose describe failed, named "not collected": its gap was taken for "the type
    # was not collected" and dropped, and the endpoint passed on its other component.
    scan = _simple(variant={"VariantName": "v"},
                   components={"ok": {"endpoint": "e", "variant": "v", "spec": {"ModelName": "m"}},
                               "not collected": {"endpoint": "e", "variant": "v", "spec": {"ModelName": "m"}}})
    _drop(scan, "component", "not collected", "describe")
    _assert_not_passed(engine, scan, "DescribeInferenceComponent failed with ThrottlingException")


@pytest.mark.parametrize("size", ["abc", None, [1], -5, 2.5, True, "12"])
def test_regression_an_artefact_size_that_is_not_a_byte_count(engine, size):
    # A probe of the generator's size site: "abc", None or a list raised in int(); -5, 2.5,
    # True and "12" were summed as sizes.
    scan = _simple()
    scan.find(MOD, "m").facts["artifact_bytes"] = {"s3://b/m": size}
    verdicts = judge(engine, scan)
    ep = scan.find(EP, "e")
    assert not ep.facet("artifact_size").read and "is not a byte count" in ep.facet("artifact_size").reason
    assert verdicts[("MLW-MON-011", "e")][0] is Status.NOT_ASSESSED
    assert ep.facet("lineage").read   # the lineage does not read sizes
