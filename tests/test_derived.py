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
        pkg = _r("AWS::SageMaker::ModelPackage", pkg_arn, properties={"ModelApprovalStatus": "Approved"},
                 facts={"signature": {"present": True, "verified": True}})
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
                                           "signature": {"present": True, "verified": True}}]
    assert ep.facts["unregistered_models"] == ["m2"]
    assert ep.facts["monitoring_schedules"] == ["watch"]


def test_incomplete_lineage_leaves_the_fact_out():
    from mlwarden.derived import annotate_endpoints
    inv = Inventory(resources=_lineage(with_package=False))
    annotate_endpoints(inv, set())
    ep = inv.resources[0]
    assert "model_packages" not in ep.facts and "monitoring_schedules" not in ep.facts
