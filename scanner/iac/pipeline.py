"""SageMaker pipeline definitions → the pipeline and the jobs its steps will start.

Accepted: the JSON of `pipeline.definition()` (SageMaker Python SDK), the answer of
DescribePipeline (whose PipelineDefinition is a JSON string), or a pipeline object
imported with `--pipeline module:attr` (needs the SDK, the `sagemaker` extra).

The pipeline becomes an `AWS::SageMaker::Pipeline` document built by the live
collector's normaliser. Each Training and Processing step (also inside Condition
steps) becomes the `MLW::SageMaker::TrainingJob` / `ProcessingJob` that it will
start: step Arguments are the CreateTrainingJob / CreateProcessingJob request, which
has the shape of the describe answer, so the live collectors' normalisers make the
canonical document, and the job policies judge it before the pipeline ever runs.

Pipeline expressions: `{"Get": "Parameters.X"}` is the parameter's DefaultValue;
`Std:Join` is computed; everything known only at run time (`Steps.*`, `Execution.*`,
`Std:JsonGet`, a parameter without default) becomes an unknown marker.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from ..collectors import sagemaker_jobs, sagemaker_pipelines
from ..collectors.base import Scope, compact
from ..errors import InputError
from ..jsonload import loads
from ..model import Resource, SourceLocation
from .synthetic import PIPELINE, synthetic_arn
from .unknown import is_unknown, unknown


def looks_like_pipeline(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    return (isinstance(doc.get("Steps"), list) and "Version" in doc) or (
        "PipelineDefinition" in doc and "PipelineName" in doc)


class _Expressions:
    def __init__(self, definition: dict):
        self.params = {p.get("Name"): p for p in definition.get("Parameters") or [] if isinstance(p, dict)}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Get"} and isinstance(value["Get"], str):
            path = value["Get"]
            if path.startswith("Parameters."):
                p = self.params.get(path.split(".", 1)[1])
                if p is not None and "DefaultValue" in p:
                    return p["DefaultValue"]
                return unknown(f"Get {path}: parameter without default")
            return unknown(f"Get {path}: known when the pipeline runs")
        if set(value) == {"Std:Join"}:
            spec = value["Std:Join"] or {}
            parts = self.resolve(spec.get("Values") or [])
            if any(is_unknown(p) for p in parts):
                return unknown("Std:Join with a part known only when the pipeline runs")
            return str(spec.get("On", "")).join(str(p) for p in parts)
        if len(value) == 1 and next(iter(value)).startswith("Std:"):
            return unknown(f"{next(iter(value))}: known when the pipeline runs")
        return {k: self.resolve(v) for k, v in value.items()}


def _steps(steps: list, display: str) -> list[dict]:
    """Every step, including those nested in Condition steps. SageMaker requires a
    Name and a Type on each; a step without them is a malformed definition."""
    out = []
    for i, s in enumerate(steps or []):
        if not isinstance(s, dict) or not isinstance(s.get("Type"), str) or not isinstance(s.get("Name"), str):
            raise InputError(f"{display}: Steps[{i}] must be an object with a Name and a Type")
        out.append(s)
        args = s.get("Arguments") or {}
        if s.get("Type") == "Condition" and isinstance(args, dict):
            out.extend(_steps(args.get("IfSteps"), display))
            out.extend(_steps(args.get("ElseSteps"), display))
    return out


# Pipeline step type → the resource type of the job it starts, the live normaliser that
# builds it from the step's Arguments (which have the shape of the Create call), and the
# prefix of its Name/Arn members.
STEP_TYPES = {
    "Training": (sagemaker_jobs.TRAINING_TYPE, sagemaker_jobs.normalise_training, "TrainingJob"),
    "Processing": (sagemaker_jobs.PROCESSING_TYPE, sagemaker_jobs.normalise_processing, "ProcessingJob"),
}


def load_pipeline(doc: dict, display: str, *, account: str = "", region: str = "",
                  name: str | None = None) -> list[Resource]:
    if "PipelineDefinition" in doc:   # a DescribePipeline answer
        describe = dict(doc)
        raw = describe["PipelineDefinition"]
        definition = loads(raw, display, "PipelineDefinition") if isinstance(raw, str) else raw
    else:
        definition = doc
        describe = {"PipelineName": name or Path(display).stem}
    if not isinstance(definition, dict) or not isinstance(definition.get("Steps"), list):
        raise InputError(f"{display}:1: pipeline definition has no Steps list")
    pipeline_name = describe["PipelineName"]
    describe["PipelineArn"] = synthetic_arn(PIPELINE, display, pipeline_name)
    describe["PipelineDefinition"] = json.dumps(definition)
    scope = Scope(aws=None, account=account, region=region)  # normalisers read no AWS
    source = SourceLocation(kind="pipeline", file=display)
    shape = sagemaker_pipelines.normalise(describe, scope)
    out = [Resource(type=sagemaker_pipelines.PIPELINE_TYPE, id=pipeline_name, arn=shape.arn,
                    account=account, region=region, properties=compact(shape.properties),
                    facts=shape.facts, source=source)]
    expr = _Expressions(definition)
    for step in _steps(definition["Steps"], display):
        built = STEP_TYPES.get(step.get("Type"))
        if built is None:
            continue
        rtype, normalise, prefix = built
        step_name = str(step.get("Name"))
        args = expr.resolve(step.get("Arguments") or {})
        if not isinstance(args, dict):
            raise InputError(f"{display}: step {step_name}: Arguments must be an object")
        arn = synthetic_arn(PIPELINE, display, f"{pipeline_name}/{step_name}")
        args = {**args, f"{prefix}Name": step_name, f"{prefix}Arn": arn}
        shape = normalise(args, scope)
        out.append(Resource(type=rtype, id=step_name, arn=arn, account=account, region=region,
                            tags={}, properties=compact(shape.properties),
                            facts={"pipeline": pipeline_name, "pipeline_step": step_name},
                            source=source))
    return out


def definition_from_sdk(spec: str) -> tuple[dict, str]:
    """`module:attr` → (definition, display name), through the SageMaker Python SDK."""
    if ":" not in spec:
        raise InputError(f"--pipeline: {spec!r} must look like module:attribute")
    if importlib.util.find_spec("sagemaker") is None:
        raise InputError("--pipeline needs the SageMaker Python SDK, which is not installed: "
                         "pip install 'mlwarden[sagemaker]' (or scan the JSON of pipeline.definition())")
    module_name, attr = spec.split(":", 1)
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        obj = getattr(importlib.import_module(module_name), attr)
        definition = json.loads(obj.definition())
    except (ImportError, AttributeError) as exc:
        raise InputError(f"--pipeline {spec}: {exc}") from None
    except Exception as exc:  # the SDK raises many kinds; the user needs the message
        raise InputError(f"--pipeline {spec}: definition() failed: {type(exc).__name__}: {exc}") from None
    return definition, f"{module_name}:{attr}"
