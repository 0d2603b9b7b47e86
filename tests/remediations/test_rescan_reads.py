"""What the verifying re-scan and the event-driven scan read: one relation-following loop
(scanner/collectors/related.py) behind both, each with its own reach. The re-scan widens
to whole types until no new type turns up; the event scan reads named resources only,
a few hops out."""
from __future__ import annotations

from mlwarden.collectors.base import registry
from mlwarden.collectors.related import read_around
from mlwarden.pipeline import TypesAndRelated, collect, gather

from ..conftest import REGION
from .test_endpoint_redeploy import estate, sm  # noqa: F401 - the fixtures: an endpoint on a package

LINEAGE = {"AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model",
           "AWS::SageMaker::ModelPackage"}


def test_the_rescan_reads_the_types_an_endpoint_leads_to_as_one_collection_of_them_would(reader, estate):
    inv = gather(TypesAndRelated(aws=reader, region=REGION, types=["AWS::SageMaker::Endpoint"]))
    read = [r for r in inv.resources if r.type in registry()]   # not the usage document derived from them
    types = {r.type for r in read}
    assert LINEAGE <= types, types    # endpoint → config → model → package, hop by hop
    # Whole types: the bucket nothing names is read with the one the package names.
    assert {"fraud-models", "fraud-capture"} <= {r.id for r in read}
    # Read a few types at a time: what one collection of them all reads, each resource once.
    whole = collect(reader, [REGION], types=sorted(types))
    assert sorted(r.key for r in read) == sorted(r.key for r in whole.resources if r.type in registry())


def test_the_rescan_of_a_type_no_collector_reads_reads_nothing(reader, estate):
    inv = gather(TypesAndRelated(aws=reader, region=REGION, types=["AWS::Nothing::Here"]))
    assert [r for r in inv.resources if r.type in registry()] == [] and inv.gaps == []


def test_the_event_scan_reads_named_resources_only_and_stops_after_its_hops(reader, estate):
    alone = read_around(reader, "AWS::SageMaker::Endpoint", "fraud-ep", REGION, max_hops=0)
    assert [(r.type, r.id) for r in alone.resources] == [("AWS::SageMaker::Endpoint", "fraud-ep")]
    around = read_around(reader, "AWS::SageMaker::Endpoint", "fraud-ep", REGION)
    assert LINEAGE <= {r.type for r in around.resources}
    # Named, not listed: the other bucket exists but nothing the endpoint reaches names it.
    assert "fraud-capture" not in {r.id for r in around.resources}
