"""Facts derived across resources after collection."""
from __future__ import annotations

from mlwarden.derived import annotate_vpcs
from mlwarden.inventory import Inventory
from mlwarden.model import CoverageGap, Resource

ALL = {"AWS::SageMaker::NotebookInstance", "AWS::EC2::VPC", "AWS::EC2::Subnet"}


def _r(type_, id_, region="eu-west-1", **kw):
    return Resource(type=type_, id=id_, arn=f"arn:{id_}", account="1", region=region, **kw)


def _estate():
    return [
        _r("AWS::EC2::VPC", "vpc-ml"), _r("AWS::EC2::VPC", "vpc-idle"),
        _r("AWS::EC2::Subnet", "subnet-a", properties={"VpcId": "vpc-ml"}),
        _r("AWS::SageMaker::NotebookInstance", "nb", relations={"subnets": ["subnet-a"]}),
    ]


def test_vpc_hosting_ml_work_is_marked_and_idle_vpc_is_not():
    inv = Inventory(resources=_estate())
    annotate_vpcs(inv, ALL)
    facts = {r.id: r.facts for r in inv.resources if r.type == "AWS::EC2::VPC"}
    assert facts["vpc-ml"]["hosts_ml_work"] is True and facts["vpc-ml"]["ml_resources"]
    assert facts["vpc-idle"]["hosts_ml_work"] is False


def test_no_is_never_written_when_sagemaker_could_not_be_read():
    inv = Inventory(resources=_estate(), gaps=[CoverageGap(
        resource_type="MLW::SageMaker::TrainingJob", account="1", region="eu-west-1",
        operation="sagemaker:ListTrainingJobs", error_code="AccessDenied", message="denied")])
    annotate_vpcs(inv, ALL)
    facts = {r.id: r.facts for r in inv.resources if r.type == "AWS::EC2::VPC"}
    assert facts["vpc-ml"]["hosts_ml_work"] is True
    assert "hosts_ml_work" not in facts["vpc-idle"]


def test_nothing_is_written_when_sagemaker_was_not_collected():
    inv = Inventory(resources=_estate())
    annotate_vpcs(inv, {"AWS::EC2::VPC", "AWS::EC2::Subnet"})
    assert all("hosts_ml_work" not in r.facts for r in inv.resources)


def _lineage(with_package=True):
    pkg_arn = "arn:aws:sagemaker:eu-west-1:1:model-package/g/1"
    res = [
        _r("AWS::SageMaker::Endpoint", "ep", properties={"EndpointConfigName": "cfg"}),
        _r("AWS::SageMaker::EndpointConfig", "cfg", properties={"ProductionVariants": [
            {"ModelName": "m1"}, {"ModelName": "m2"}]}),
        _r("AWS::SageMaker::Model", "m1", relations={"model_packages": [pkg_arn]}),
        _r("AWS::SageMaker::Model", "m2"),
        _r("AWS::SageMaker::MonitoringSchedule", "watch", properties={"EndpointName": "ep"}),
    ]
    if with_package:
        pkg = _r("AWS::SageMaker::ModelPackage", pkg_arn, properties={
            "ModelApprovalStatus": "Approved", "ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"}},
            facts={"signature": {"present": True, "verified": True}}, tags={"stage": "prod"})
        pkg.arn = pkg_arn
        res.append(pkg)
    return res


def test_endpoint_lineage_and_monitoring():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_lineage())
    annotate_endpoints(inv, {"AWS::SageMaker::MonitoringSchedule"})
    ep = inv.resources[0]
    assert ep.facts["model_packages"] == [{"arn": "arn:aws:sagemaker:eu-west-1:1:model-package/g/1",
                                           "ModelApprovalStatus": "Approved",
                                           "ModelLifeCycle": {"Stage": "PROD", "StageStatus": "Approved"},
                                           "signature": {"present": True, "verified": True},
                                           "tags": {"stage": "prod"}}]
    assert ep.facts["unregistered_models"] == ["m2"]
    assert ep.facts["monitoring_schedules"] == ["watch"]


def test_lineage_leaves_out_package_tags_that_were_not_read():
    # A stage kept in a tag that was not read is unknown, not "no stage".
    from mlwarden.derived import annotate_endpoints
    from mlwarden.model import FacetStatus
    inv = Inventory(resources=_lineage())
    inv.resources[-1].facets["tags"] = FacetStatus.failed("sagemaker:ListTags", "AccessDenied", "denied")
    annotate_endpoints(inv, {"AWS::SageMaker::MonitoringSchedule"})
    [entry] = inv.resources[0].facts["model_packages"]
    assert "tags" not in entry and entry["ModelLifeCycle"]["Stage"] == "PROD"


def test_incomplete_lineage_leaves_the_fact_out():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_lineage(with_package=False))
    annotate_endpoints(inv, set())
    ep = inv.resources[0]
    assert "model_packages" not in ep.facts and "monitoring_schedules" not in ep.facts


CENTRAL = "arn:aws:sagemaker:eu-west-1:2:model-package/central/7"


def _served_from_central(*extra):
    """Account 1's endpoint serves a package of registry account 2."""
    res = [r for r in _lineage(with_package=False) if r.id != "m2"]
    res[1].properties["ProductionVariants"] = [{"ModelName": "m1"}]
    res[2].relations["model_packages"] = [CENTRAL]
    return res + list(extra)


def _central_package(status="Rejected"):
    return Resource(type="AWS::SageMaker::ModelPackage", id=CENTRAL, arn=CENTRAL, account="2",
                    region="eu-west-1", properties={"ModelApprovalStatus": status})


def test_a_package_in_another_scanned_account_is_found_by_arn():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_served_from_central(_central_package()), accounts=["1", "2"],
                    regions=["eu-west-1"])
    annotate_endpoints(inv, None)
    ep = inv.resources[0]
    assert ep.facet("lineage").read
    assert ep.facts["model_packages"] == [{"arn": CENTRAL, "ModelApprovalStatus": "Rejected",
                                           "ModelLifeCycle": None, "signature": {"present": False},
                                           "tags": {}}]


def test_merging_the_parts_of_a_scan_links_what_each_part_could_not():
    """Each account is collected (and walked) alone; merged, the workload account's endpoint
    finds the registry account's package, and walking again changes nothing."""
    from mlwarden.derived import annotate_endpoints, relink_endpoints
    workload = Inventory(resources=_served_from_central(), accounts=["1"], regions=["eu-west-1"])
    registry = Inventory(resources=[_central_package("Approved")], accounts=["2"], regions=["eu-west-1"])
    for part in (workload, registry):
        annotate_endpoints(part, None)
    assert workload.resources[0].facet("lineage").error_code == "AccountNotScanned"
    merged = Inventory()
    merged.extend(workload)
    merged.extend(registry)
    for _ in range(2):
        relink_endpoints(merged)
        ep = merged.resources[0]
        assert ep.facet("lineage").read
        assert [p["ModelApprovalStatus"] for p in ep.facts["model_packages"]] == ["Approved"]


def test_merging_does_not_touch_lineage_that_failed_for_another_reason():
    from mlwarden.derived import annotate_endpoints, relink_endpoints
    denied = _gap("AWS::SageMaker::Model", "sagemaker:ListModels")
    workload = Inventory(resources=[r for r in _served_from_central() if r.type != "AWS::SageMaker::Model"],
                         accounts=["1"], regions=["eu-west-1"], gaps=[denied])
    annotate_endpoints(workload, None)
    before = workload.resources[0].facet("lineage")
    merged = Inventory()
    merged.extend(workload)
    merged.extend(Inventory(resources=[_central_package()], accounts=["2"], regions=["eu-west-1"]))
    relink_endpoints(merged)
    assert merged.resources[0].facet("lineage") == before and before.operation == "sagemaker:ListModels"


def test_a_package_in_an_account_not_scanned_names_that_account():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_served_from_central(), accounts=["1"], regions=["eu-west-1"])
    annotate_endpoints(inv, None)
    ep = inv.resources[0]
    status = ep.facet("lineage")
    assert (status.read, status.error_code) == (False, "AccountNotScanned")
    assert f"{CENTRAL}, in account 2, which this scan did not read" in status.reason
    assert "model_packages" not in ep.facts


def test_a_package_in_a_region_not_scanned_names_that_region():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_served_from_central(), accounts=["1", "2"], regions=["us-east-1"])
    for r in inv.resources:
        r.region = "us-east-1"
    annotate_endpoints(inv, None)
    status = inv.resources[0].facet("lineage")
    assert status.error_code == "AccountNotScanned"
    assert "in region eu-west-1 of account 2, which this scan did not read" in status.reason


def test_a_registry_account_that_could_not_be_entered_is_a_failed_read_not_a_dangling_reference():
    from mlwarden.derived import annotate_endpoints
    entered = CoverageGap(resource_type="*", account="2", region="*", operation="sts:AssumeRole",
                          error_code="AccessDenied", message="denied")
    inv = Inventory(resources=_served_from_central(), accounts=["1", "2"], regions=["eu-west-1"],
                    gaps=[entered])
    annotate_endpoints(inv, None)
    status = inv.resources[0].facet("lineage")
    assert (status.read, status.operation, status.error_code) == (False, "sts:AssumeRole", "AccessDenied")
    assert any(CENTRAL in i for i in status.inputs)


def _gap(type_, op, rid=""):
    return CoverageGap(resource_type=type_, account="1", region="eu-west-1", operation=op,
                       error_code="AccessDenied", message="denied", resource_id=rid)


def test_failed_subnet_read_makes_ml_usage_unknown_not_false():
    """A VPC is "idle" only when the subnets that place ML work in VPCs were read."""
    nb = _r("AWS::SageMaker::NotebookInstance", "nb", relations={"subnets": ["subnet-a"]})
    inv = Inventory(resources=[_r("AWS::EC2::VPC", "vpc-ml"), nb],
                    gaps=[_gap("AWS::EC2::Subnet", "ec2:DescribeRouteTables")])
    annotate_vpcs(inv, ALL)
    vpc = inv.resources[0]
    assert "hosts_ml_work" not in vpc.facts
    status = vpc.facet("ml_usage")
    assert (status.read, status.operation, status.error_code) == (False, "ec2:DescribeRouteTables", "AccessDenied")
    assert any("subnet-a" in i for i in status.inputs)


def test_vpc_endpoint_rules_are_not_assessed_when_ml_usage_is_unknown():
    from mlwarden import settings as settings_mod
    from mlwarden.engine.wasm_engine import WasmEngine
    from mlwarden.evaluate import evaluate
    from mlwarden.model import Status
    from mlwarden.policy.library import load_policies

    inv = Inventory(resources=[_r("AWS::EC2::VPC", "vpc-ml", facts={"endpoints": []}),
                               _r("AWS::SageMaker::NotebookInstance", "nb", relations={"subnets": ["subnet-a"]})],
                    gaps=[_gap("AWS::EC2::Subnet", "ec2:DescribeSubnets")])
    annotate_vpcs(inv, ALL)
    policies = load_policies()
    with WasmEngine(workers=1) as engine:
        engine.prepare(policies)
        doc = evaluate(inv, policies, engine, settings_mod.defaults())
    net = {f.policy_id: f for f in doc.findings if f.resource["id"] == "vpc-ml"}
    assert {"MLW-NET-014", "MLW-NET-015", "MLW-NET-016"} <= set(net)
    for pid in ("MLW-NET-014", "MLW-NET-015", "MLW-NET-016"):
        assert net[pid].status is Status.NOT_ASSESSED
        assert "ec2:DescribeSubnets failed with AccessDenied" in net[pid].message


def test_usage_counts_over_a_type_with_a_gap_are_incomplete_not_smaller():
    from mlwarden.derived import derive_account_documents
    inv = Inventory(resources=[_r("AWS::SageMaker::Endpoint", "ep")],
                    gaps=[_gap("AWS::SageMaker::ModelPackage", "sagemaker:ListModelPackages")])
    [usage] = derive_account_documents(inv, "1", ["eu-west-1"], set(_COLLECTED))
    assert not usage.facet("registry_usage").read
    assert usage.facet("registry_usage").operation == "sagemaker:ListModelPackages"
    assert usage.facet("endpoint_usage").read            # endpoints were fully read
    assert not usage.facet("usage").read


def test_lineage_is_incomplete_when_a_model_read_failed():
    from mlwarden.derived import annotate_endpoints
    res = [r for r in _lineage() if r.id != "m2"]
    inv = Inventory(resources=res, gaps=[_gap("AWS::SageMaker::Model", "sagemaker:DescribeModel", "m2")])
    annotate_endpoints(inv, set(_COLLECTED) | {"AWS::SageMaker::MonitoringSchedule"})
    ep = inv.resources[0]
    assert "model_packages" not in ep.facts
    status = ep.facet("lineage")
    assert (status.read, status.operation) == (False, "sagemaker:DescribeModel")
    assert ep.facet("monitoring").read and ep.facts["monitoring_schedules"] == ["watch"]


_COLLECTED = {"AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup", "AWS::SageMaker::Endpoint",
              "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model", "AWS::SageMaker::NotebookInstance",
              "MLW::SageMaker::TrainingJob", "MLW::ServiceQuotas::SageMaker"}


def test_a_job_definition_in_another_part_of_the_scan_is_resolved_after_merging():
    from mlwarden.model import READ
    from mlwarden.monitoring_links import resolve_job_definitions
    arn = "arn:aws:sagemaker:eu-west-1:2:data-quality-job-definition/central-dq"
    schedule = Resource(type="AWS::SageMaker::MonitoringSchedule", id="watch", arn="arn:watch", account="1",
                        region="eu-west-1", properties={"MonitoringScheduleConfig": {
                            "MonitoringJobDefinitionName": arn, "MonitoringType": "DataQuality"}})
    definition = Resource(type="AWS::SageMaker::DataQualityJobDefinition", id="central-dq", arn=arn,
                          account="2", region="eu-west-1",
                          properties={"NetworkConfig": {"EnableNetworkIsolation": True}})
    workload = Inventory(resources=[schedule], accounts=["1"], regions=["eu-west-1"])
    resolve_job_definitions(workload)
    status = schedule.facet("job_definition")
    assert (status.read, status.error_code) == (False, "AccountNotScanned") and "account 2" in status.reason
    merged = Inventory()
    merged.extend(workload)
    merged.extend(Inventory(resources=[definition], accounts=["2"], regions=["eu-west-1"]))
    resolve_job_definitions(merged, only_not_scanned=True)
    assert schedule.facet("job_definition") == READ
    assert schedule.facts["job_definition"]["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert "job_definition_unresolved" not in schedule.facts


# --- inference components (scanner/endpoint_walk.py) -------------------------------------

_COMPONENT = "AWS::SageMaker::InferenceComponent"


def _on_components(*components: Resource) -> list[Resource]:
    """Endpoint `ep` whose only variant `shared` has no model: it serves `components`."""
    res = [r for r in _lineage() if r.id != "m2"]
    res[1].properties["ProductionVariants"] = [{"VariantName": "shared"}]
    return res + list(components)


def _component(name: str, spec, variant="shared", endpoint="ep") -> Resource:
    return _r(_COMPONENT, name, properties={"EndpointName": endpoint, "VariantName": variant,
                                            "Specification": spec})


def _walked(*components: Resource, collected=None, gaps=()) -> Resource:
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_on_components(*components), gaps=list(gaps))
    annotate_endpoints(inv, collected)
    return inv.resources[0]


def test_a_component_model_is_followed_to_its_package():
    ep = _walked(_component("llm", {"ModelName": "m1"}))
    assert ep.facet("lineage").read
    [entry] = ep.facts["model_packages"]
    assert entry["arn"] == "arn:aws:sagemaker:eu-west-1:1:model-package/g/1"
    assert entry["ModelApprovalStatus"] == "Approved" and entry["inference_component"] == "llm"
    assert ep.facts["unregistered_models"] == []


def test_container_and_adapter_components_serve_models_from_no_package():
    ep = _walked(_component("base", {"ModelName": "m1"}),
                 _component("own", {"Container": {"Image": "img", "ArtifactUrl": "s3://b/own.tar.gz"}}),
                 _component("lora", {"BaseInferenceComponentName": "base",
                                     "Container": {"ArtifactUrl": "s3://b/lora.tar.gz"}}))
    assert ep.facet("lineage").read
    assert ep.facts["unregistered_models"] == ["lora (inference component with its own adapter artefact)",
                                               "own (inference component with its own container artefact)"]
    assert len(ep.facts["model_packages"]) == 1


def test_an_adapter_whose_base_is_not_on_the_endpoint_is_unknown():
    ep = _walked(_component("lora", {"BaseInferenceComponentName": "gone",
                                     "Container": {"ArtifactUrl": "s3://b/lora.tar.gz"}}))
    status = ep.facet("lineage")
    assert not status.read and "model_packages" not in ep.facts
    assert any("lora BaseInferenceComponentName gone" in i for i in status.inputs)


def test_a_component_that_names_neither_model_nor_container_is_unknown_not_nothing():
    # e.g. one described with a per-instance-type Specifications list, which is not read.
    ep = _walked(_component("multi", {"StartupParameters": {}}))
    for facet in ("lineage", "artifact_size"):
        status = ep.facet(facet)
        assert not status.read, facet
        assert any("multi: its Specification names neither a model nor a container" in i for i in status.inputs)
    assert "model_packages" not in ep.facts and "variant_artifacts" not in ep.facts


def test_a_component_describe_that_failed_leaves_both_facets_incomplete_with_the_call():
    denied = _gap(_COMPONENT, "sagemaker:DescribeInferenceComponent", "other")
    ep = _walked(_component("llm", {"ModelName": "m1"}), gaps=[denied])
    for facet in ("lineage", "artifact_size"):
        status = ep.facet(facet)
        assert (status.read, status.operation, status.error_code) == (
            False, "sagemaker:DescribeInferenceComponent", "AccessDenied"), facet
    assert "model_packages" not in ep.facts


def test_components_not_collected_are_unknown_not_none():
    ep = _walked(collected=set(_COLLECTED))
    status = ep.facet("lineage")
    assert not status.read and f"{_COMPONENT}: not collected in this scan" in status.inputs


def test_a_component_whose_model_is_unknown_before_deployment_is_not_judged():
    ep = _walked(_component("llm", {"ModelName": {"mlwarden:unknown": "Fn::ImportValue shared-model"}}))
    status = ep.facet("lineage")
    assert not status.read
    assert ("AWS::SageMaker::InferenceComponent llm Specification.ModelName: value unknown before deployment "
            "(Fn::ImportValue shared-model)") in status.inputs


def test_a_component_on_a_variant_the_configuration_does_not_host_it_on_is_unknown():
    ep = _walked(_component("llm", {"ModelName": "m1"}), _component("stray", {"ModelName": "m1"}, variant="old"))
    assert not ep.facet("lineage").read
    assert any("stray: on variant old" in i for i in ep.facet("lineage").inputs)


def test_a_component_whose_model_is_in_its_image_is_a_model_from_no_package():
    # DescribeInferenceComponent answers a container as DeployedImage (no Image); no
    # ArtifactUrl: the model is in the image.
    image = {"SpecifiedImage": "1.dkr.ecr.eu-west-1.amazonaws.com/llm:1", "ResolvedImage": "…@sha256:ab"}
    ep = _walked(_component("baked", {"Container": {"DeployedImage": image}}))
    assert ep.facet("lineage").read
    assert ep.facts["unregistered_models"] == ["baked (inference component with its own container artefact)"]


# --- Shadow variants (ShadowProductionVariants): walked like production ones ---------------

def _with_shadow(shadow) -> list[Resource]:
    """Endpoint `ep` serving m1 (a package's) on `primary`, `shadow` as its configuration's
    ShadowProductionVariants, and a model `m3` built from loose model data."""
    res = [r for r in _lineage() if r.id != "m2"]
    res[1].properties["ProductionVariants"] = [{"VariantName": "primary", "ModelName": "m1"}]
    res[1].properties["ShadowProductionVariants"] = shadow
    return res + [_r("AWS::SageMaker::Model", "m3")]


def test_a_shadow_model_whose_read_failed_leaves_the_lineage_unknown_with_the_call():
    from mlwarden.derived import annotate_endpoints
    res = _with_shadow([{"VariantName": "challenger", "ModelName": "m4"}])
    inv = Inventory(resources=res, gaps=[_gap("AWS::SageMaker::Model", "sagemaker:DescribeModel", "m4")])
    annotate_endpoints(inv, set(_COLLECTED) | {"AWS::SageMaker::MonitoringSchedule"})
    ep = inv.resources[0]
    for facet in ("lineage", "artifact_size"):
        status = ep.facet(facet)
        assert (status.read, status.operation) == (False, "sagemaker:DescribeModel"), facet
    assert "model_packages" not in ep.facts and "variant_artifacts" not in ep.facts


def test_a_shadow_model_from_no_package_is_listed_as_on_the_shadow():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_with_shadow([{"VariantName": "challenger", "ModelName": "m3"}]))
    annotate_endpoints(inv, None)
    ep = inv.resources[0]
    assert ep.facet("lineage").read
    assert ep.facts["unregistered_models"] == ["m3 (shadow variant challenger)"]
    [entry] = ep.facts["model_packages"]
    assert "shadow_variant" not in entry   # the primary's package


def test_shadow_variants_only_deployment_knows_are_unknown_not_none():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_with_shadow({"mlwarden:unknown": "Fn::If shadow-test"}))
    annotate_endpoints(inv, None)
    status = inv.resources[0].facet("lineage")
    assert not status.read
    assert ("AWS::SageMaker::EndpointConfig cfg ShadowProductionVariants: value unknown before deployment "
            "(Fn::If shadow-test)") in status.inputs
