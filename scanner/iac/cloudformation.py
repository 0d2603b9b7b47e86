"""CloudFormation templates (YAML or JSON, SAM and CDK output) → canonical resources.

Parsing is cfn-lint's decoder: it reads both syntaxes, turns short-form intrinsics
(`!Ref`, `!Sub`, `!GetAtt`…) into their long forms and keeps each node's source line.
Then what can be known before deployment is resolved (scanner/iac/cfn_intrinsics.py):

- `Ref` to a parameter → its default (or the value given with --parameter);
  to a resource → that resource's synthetic ARN `cfn://<file>#<LogicalId>`, which is
  the resource's own `arn`, so relations resolve (see relations.py);
- `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If`,
  `Fn::Base64`, `Fn::Length`, `Fn::ToJsonString` are computed; Conditions are evaluated;
  a resource whose Condition is false is not deployed, so it is not judged;
- `Fn::GetAtt X.Arn` (and other identity attributes: *Arn, *Name, *Id) → X's synthetic
  ARN; other attributes, `Fn::ImportValue`, `Fn::GetAZs`, `Fn::Cidr`, `Fn::Transform`
  and parameters without a value → an explicit unknown marker (unknown.py).

Pseudo parameters: AWS::Partition is `aws`, AWS::URLSuffix `amazonaws.com`;
AWS::Region and AWS::AccountId are --region/--account when given, otherwise they stay
as the text `${AWS::Region}` / `${AWS::AccountId}`: they name where the stack goes,
not how it is configured, and no policy judges them.

SAM templates (`Transform: AWS::Serverless-2016-10-31`): Globals are merged into the
serverless resources (cfn-lint's merge); the SageMaker, S3, IAM… resources beside them
are plain CloudFormation and are judged as such. CDK output is plain CloudFormation JSON.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .. import yamlload
from ..errors import InputError
from ..jsonload import MAX_CONFIG_BYTES, read_text
from ..model import Resource, SourceLocation
from .cfn_intrinsics import TemplateContext, Unresolvable, line_of
from .relations import relation_paths
from .synthetic import CFN, synthetic_arn
from .unknown import unknown

# cfn-lint logs parse errors itself; we report them as one InputError line instead.
logging.getLogger("cfnlint").addHandler(logging.NullHandler())
logging.getLogger("cfnlint").propagate = False


def looks_like_template(doc: Any) -> bool:
    return isinstance(doc, dict) and ("AWSTemplateFormatVersion" in doc or "Resources" in doc)


# --- loading ---------------------------------------------------------------------------

def decode(path: Path, display: str) -> dict:
    """Parse a template file (YAML scalars as CloudFormation reads them, see cfn_yaml.py);
    a parse error is one InputError line."""
    from .cfn_yaml import decode as cfn_decode
    # The YAML loader expands aliases: check size, encoding and aliases first.
    text = read_text(path, "template", max_bytes=MAX_CONFIG_BYTES)
    yamlload.check(text, display, "template")
    return cfn_decode(path, display)


def load_template(path: Path, display: str, *, template: dict | None = None,
                  parameters: dict[str, Any] | None = None, account: str = "",
                  region: str = "", not_deployed: list[str] | None = None) -> list[Resource]:
    """Every resource the template would deploy, as canonical documents. The logical ids
    of resources whose Condition is false are appended to `not_deployed`."""
    template = decode(path, display) if template is None else template
    if not isinstance(template, dict):
        raise InputError(f"{display}:1: not a CloudFormation template (top level is not a mapping)")
    if not isinstance(template.get("Resources"), dict) or not template["Resources"]:
        raise InputError(f"{display}:{line_of(template.get('Resources')) or 1}: template has no Resources section")
    _merge_sam_globals(template)
    unknown_params = set(parameters or {}) - set(template.get("Parameters") or {})
    if unknown_params:
        raise InputError(f"--parameter: {display} has no parameter {sorted(unknown_params)[0]!r}")
    ctx = TemplateContext(file=display, template=template, parameters=dict(parameters or {}),
                          account=account, region=region)
    out = []
    for logical_id, body in template["Resources"].items():
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            raise ctx.error(body if isinstance(body, dict) else logical_id,
                            f"resource {logical_id} needs a Type")
        facts: dict[str, Any] = {}
        if "Condition" in body:
            try:
                if not ctx.condition(body["Condition"], body):
                    if not_deployed is not None:
                        not_deployed.append(str(logical_id))
                    continue   # not deployed with these parameter values
            except Unresolvable:
                facts["condition"] = unknown(f"deployed only if {body['Condition']}, "
                                             "which is unknown before deployment")
        props = _plain(ctx.resolve(body.get("Properties") or {}))
        if not isinstance(props, dict):
            raise ctx.error(body, f"resource {logical_id}: Properties must be a mapping")
        props = scalars_as_deployed(str(body["Type"]), props)
        out.append(Resource(
            type=str(body["Type"]), id=str(logical_id), arn=synthetic_arn(CFN, display, str(logical_id)),
            account=account, region=region, properties=props, facts=facts,
            source=SourceLocation(kind="cloudformation", file=display, line=line_of(logical_id) or line_of(body),
                                  lines=attribute_lines(body, str(body["Type"])))))
    return out


def attribute_lines(body: dict, resource_type: str = "") -> dict[str, int]:
    """The template line of each attribute of a resource, by its path in the resource
    document ("properties", "properties.VpcConfig.Subnets.0"): where a finding points
    when its violation names that attribute (SourceLocation.line_for). Paths follow the
    template as written; under an intrinsic function (Fn::If…) they name its operands,
    and a violation there points at the closest parent the template has. A violation
    about a related resource (["related", "subnets", ...]) points at the property that
    names it (the type's relation paths, scanner/resource_type.py)."""
    out: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            return
        for key, value in items:
            path = f"{prefix}.{key}"
            line = line_of(key) or line_of(value)
            if line is not None:
                out.setdefault(path, line)
            walk(value, path)

    for key, value in body.items():
        if key == "Properties":
            line = line_of(key) or line_of(value)
            if line is not None:
                out["properties"] = line
            walk(value, "properties")
    for name, paths in relation_paths(resource_type).items():
        for p in paths:
            line = out.get("properties." + p.split("[]", 1)[0].rstrip("."))
            if line is not None:
                out.setdefault(f"related.{name}", line)
                out.setdefault(f"related_missing.{name}", line)
                break
    return out


def scalars_as_deployed(resource_type: str, props: dict) -> dict:
    """Text given to a Boolean, Integer or Number property, as CloudFormation deploys it:
    "true" / "false" (any case) as a boolean, "2" as the number 2. A String parameter's
    value (`EnableNetworkIsolation: !Ref Isolate`) or a quoted scalar arrives as text; the
    policies compare with true and with numbers, so judging the text would fail a model
    the stack deploys isolated, or pass a variant of InitialInstanceCount "1". Which
    properties are which is the resource type's registry schema (cfn-lint's copy); other
    types, properties and text that is not such a value are left as written."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    from cfnlint.schema._exceptions import ResourceNotFoundError
    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    except ResourceNotFoundError:
        return props
    return _as_schema(props, schema, schema.get("definitions") or {}, 0)


_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _scalar(text: str, kinds: set) -> Any:
    if "boolean" in kinds and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if "integer" in kinds and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in kinds and _NUMBER.fullmatch(text):
        n = float(text)
        return int(n) if n.is_integer() and abs(n) < 2 ** 53 else n
    return text


def _as_schema(value: Any, node: Any, definitions: dict, depth: int) -> Any:
    # Registry schemas nest a few levels; the bound only guards against a $ref cycle.
    if not isinstance(node, dict) or depth > 40:
        return value
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return _as_schema(value, definitions.get(ref.rsplit("/", 1)[1]), definitions, depth + 1)
    kind = node.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    # A property that may also be a string ("type": ["string", "boolean"]) keeps its text.
    if isinstance(value, str) and "string" not in kinds:
        return _scalar(value, kinds)
    if isinstance(value, dict):
        fields = node.get("properties") or {}
        return {k: _as_schema(v, fields.get(k), definitions, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_schema(v, node.get("items"), definitions, depth + 1) for v in value]
    return value


def _plain(value: Any) -> Any:
    """cfn-lint's nodes (str/dict/list subclasses carrying line marks) as plain Python
    values: resource documents are pickled to worker processes and written as JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _merge_sam_globals(template: dict) -> None:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if "AWS::Serverless-2016-10-31" in names and "Globals" in template:
        from cfnlint.template.transforms._sam_globals import merge_globals
        merge_globals(template)
