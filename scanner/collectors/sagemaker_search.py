"""SageMaker Search: the bulk read of SageMaker's searchable resources.

One Search page carries up to 100 complete records (the fields of the describe call,
plus `Tags`) of models, model packages and their groups, training jobs, endpoints and
pipelines, where listing them costs a describe and a ListTags per item. A spec reads
them with `search_call(...)`; its `describe_call` still serves event-driven lookups of
one resource (`collect_one`), and a record that comes without `Tags` has them read by
ListTags as before (collectors/base.py), so nothing is judged on tags not read.

This module registers no collector.
"""
from __future__ import annotations

from typing import Callable

from .base import ListCall, Scope

# The record member of each Search resource, and where the resource's own fields are
# in it (SearchRecord in the API reference: a Model record is a ModelDashboardModel).
_RECORDS = {"Model": "Model.Model"}


def search_call(resource: str, *, queries: Callable[[Scope], list[dict]] | None = None,
                complete: bool = True) -> ListCall:
    """The ListCall of a Search over `resource` ("ModelPackage", "TrainingJob", …).

    `complete=False` when the record lacks fields the describe call has (an endpoint's
    deployment configuration): each item is then described, its tags still come from
    the record."""
    # Oldest first: a stable order across pages, and the order a run reads them in.
    return ListCall(operation="Search", result_key="Results",
                    params={"Resource": resource, "SortBy": "CreationTime", "SortOrder": "Ascending"},
                    queries=queries, record=_RECORDS.get(resource, resource), complete=complete)
