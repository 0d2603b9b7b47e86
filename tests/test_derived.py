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
