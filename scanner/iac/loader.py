"""Find and read IaC files: which kind each one is, and its canonical resources.

A file named on the command line must be a CloudFormation template, a Terraform
plan (JSON) or a SageMaker pipeline definition; anything else is an InputError. In a
directory, files with those extensions that are none of the three (a workflow, a
settings file) are skipped and listed, so a report says what was not scanned.

One bad file never loses the others' findings: its one-line error is recorded in
`Loaded.errors` (the scan reports it as a coverage gap and exits 2) and the other
files are judged. Only when no file could be read at all is the error raised.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import json_values
from ..errors import InputError
from ..jsonload import MAX_DATA_BYTES, loads, read_text
from ..model import Resource
from . import cloudformation, pipeline, terraform
from .normalise import finish

EXTENSIONS = {".yaml", ".yml", ".json", ".template"}
_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__", "cdk.out.assets"}

KIND_CFN, KIND_TF, KIND_PIPELINE = "cloudformation", "terraform", "pipeline"


@dataclass(frozen=True, kw_only=True)
class LoadedFile:
    path: Path
    display: str
    kind: str
    resources: tuple[Resource, ...]
    not_deployed: tuple[str, ...] = ()   # CloudFormation resources whose Condition is false


@dataclass
class Loaded:
    files: list[LoadedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)   # (file, one-line error)

    @property
    def resources(self) -> list[Resource]:
        return [r for f in self.files for r in f.resources]


def discover(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every candidate file, in a stable order."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in EXTENSIONS and not (_SKIP_DIRS & set(f.parts)):
                    out.append((f, False))
        elif p.is_file():
            out.append((p, True))
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def _read_json(path: Path, display: str) -> Any:
    """Strict JSON (NaN, Infinity and lone surrogates refused), size and depth limited."""
    return loads(read_text(path, "IaC file", max_bytes=MAX_DATA_BYTES), display, "IaC file")


def _pipeline_steps(resources: list[Resource], display: str, account: str, region: str) -> list[Resource]:
    """An AWS::SageMaker::Pipeline in a template carries its definition as a JSON string
    (PipelineDefinitionBody). Parse it as the live collector does, and add the jobs its
    Training and Processing steps will start, as for a pipeline definition file."""
    out: list[Resource] = []
    for r in resources:
        body = (r.properties.get("PipelineDefinition") or {}).get("PipelineDefinitionBody") \
            if r.type == "AWS::SageMaker::Pipeline" and isinstance(r.properties.get("PipelineDefinition"), dict) else None
        if not isinstance(body, str):
            continue   # absent, unknown, or in S3 (PipelineDefinitionS3Location): nothing to read
        definition = loads(body, f"{display}:{r.source.line or 1}: {r.id}", "PipelineDefinitionBody")
        r.properties["PipelineDefinition"] = definition
        for job in pipeline.load_pipeline(definition, display, account=account, region=region, name=r.id)[1:]:
            job.source = r.source
            out.append(job)
    return out


def _shape_checked(what: str, display: str, load, *args, **kwargs) -> list[Resource]:
    """Run a format's loader; a document of the right kind but the wrong shape (a list
    where the format has an object: `"resource_changes": 5`) is the user's file, not a
    bug: one line naming the file. Only the errors a wrong shape raises are caught."""
    try:
        return load(*args, **kwargs)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        detail = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(f"{display}: malformed {what} ({detail.splitlines()[0] if detail else type(exc).__name__})") from None


def _mentions_template(path: Path) -> bool:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return True
    return ("AWSTemplateFormatVersion" in text or "\nResources:" in text or text.startswith("Resources:")
            or any(f'"{key}"' in text for key in ("Resources", "resource_changes", "planned_values",
                                                   "terraform_version", "Steps")))


def _not_json(value: Any) -> str | None:
    """What in a value a policy engine cannot take as JSON, or None."""
    if value is None or isinstance(value, (str, bool, int)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return next((bad for k, v in value.items()
                     if (bad := (None if isinstance(k, str) else f"key {k!r}") or _not_json(v))), None)
    if isinstance(value, list):
        return next((bad for v in value if (bad := _not_json(v))), None)
    return f"{type(value).__name__} {value!r}"


def check_json(f: LoadedFile) -> LoadedFile:
    """Every resource of a file must be JSON the engines can take: anything else (a NaN in
    a plan, a value a decoder let through) is one line naming file, line and resource."""
    for r in f.resources:
        bad = _not_json(r.properties) or _not_json(r.tags) or _not_json(r.facts)
        if bad:
            raise InputError(f"{f.display}:{r.source.line or 1}: {r.id}: value {bad} cannot be "
                             "judged (not a JSON value); quote it if it is text")
    return f


def load_file(path: Path, *, explicit: bool, parameters: dict | None = None, account: str = "",
              region: str = "", display: str | None = None) -> LoadedFile | None:
    """One file's resources. `display`: how findings and errors name it (default: its path;
    a Service Catalog product's template is named by product and version)."""
    f = _load_file(path, explicit=explicit, parameters=parameters, account=account, region=region,
                   display=display)
    return None if f is None else check_json(f)


def _load_file(path: Path, *, explicit: bool, parameters: dict | None = None, account: str = "",
               region: str = "", display: str | None = None) -> LoadedFile | None:
    display = display or str(path)
    if path.suffix.lower() == ".json":
        try:
            doc = _read_json(path, display)
        except InputError:
            # JSON with comments (tsconfig.json) or a broken package.json that does not even
            # mention a template, found in a directory or handed over by a hook: not ours.
            if explicit or _mentions_template(path):
                raise
            return None
        if terraform.looks_like_plan(doc):
            return LoadedFile(path=path, display=display, kind=KIND_TF, resources=tuple(_shape_checked(
                "Terraform plan", display, terraform.load_plan, doc, display, account=account, region=region)))
        if pipeline.looks_like_pipeline(doc):
            return LoadedFile(path=path, display=display, kind=KIND_PIPELINE, resources=tuple(_shape_checked(
                "pipeline definition", display, pipeline.load_pipeline, doc, display, account=account,
                region=region)))
        if not cloudformation.looks_like_template(doc):
            if explicit:
                raise InputError(f"{display}:1: not a CloudFormation template, Terraform plan or "
                                 "SageMaker pipeline definition")
            return None
    try:
        template = cloudformation.decode(path, display)   # YAML or JSON, with line numbers
    except InputError:
        # In a directory, an unparsable YAML file that does not even mention a template
        # section (a multi-document Kubernetes manifest, say) is not ours to judge.
        if explicit or _mentions_template(path):
            raise
        return None
    # YAML has .nan and .inf, and both syntaxes can escape a lone surrogate: not JSON
    # values, so not something a policy can be handed.
    json_values.check(template, display)
    if not cloudformation.looks_like_template(template):
        if explicit:
            raise InputError(f"{display}:1: not a CloudFormation template (no Resources or "
                             "AWSTemplateFormatVersion)")
        return None
    not_deployed: list[str] = []
    resources = _shape_checked("CloudFormation template", display, cloudformation.load_template, path, display,
                               template=template, parameters=parameters, account=account, region=region,
                               not_deployed=not_deployed)
    resources += _pipeline_steps(resources, display, account, region)
    return LoadedFile(path=path, display=display, kind=KIND_CFN, resources=tuple(resources),
                      not_deployed=tuple(not_deployed))


def load(paths: list[Path], *, parameters: dict | None = None, account: str = "", region: str = "",
         pipeline_objects: list[tuple[dict, str]] = (), skip_unrecognised: bool = False) -> Loaded:
    """Load every file under `paths`. A file named explicitly that is not a template, plan
    or pipeline definition is an error, unless `skip_unrecognised`: a pre-commit hook hands
    over every staged *.json/*.yml (package.json, docker-compose.yml), so there files are
    recognised by content, as in a directory, and the others are skipped (and listed)."""
    loaded = Loaded()
    candidates = discover(paths)
    for path, explicit in candidates:
        explicit = explicit and not skip_unrecognised
        try:
            f = load_file(path, explicit=explicit, parameters=parameters, account=account, region=region)
        except InputError as exc:
            loaded.errors.append((str(path), str(exc)))
            continue
        if f is None:
            loaded.skipped.append(str(path))
        else:
            loaded.files.append(f)
    for definition, display in pipeline_objects:
        loaded.files.append(LoadedFile(path=Path(display), display=display, kind=KIND_PIPELINE,
                                       resources=tuple(pipeline.load_pipeline(
                                           definition, display, account=account, region=region,
                                           name=display.split(":")[-1]))))
    if loaded.errors and not loaded.files and not pipeline_objects:
        raise InputError(loaded.errors[0][1])   # nothing else to judge: the error is the answer
    # Relations and attachments stay inside one file: a template's `Ref Role` means its own Role.
    for f in loaded.files:
        finish(list(f.resources))
    return loaded
