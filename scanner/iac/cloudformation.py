"""CloudFormation templates (YAML or JSON, SAM and CDK output) → canonical resources.

Parsing is cfn-lint's decoder: it reads both syntaxes, turns short-form intrinsics
(`!Ref`, `!Sub`, `!GetAtt`…) into their long forms and keeps each node's source line.
This module then resolves what can be known before deployment:

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

import base64
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlload
from ..errors import InputError
from ..jsonload import MAX_CONFIG_BYTES, read_text
from ..model import Resource, SourceLocation
from .synthetic import CFN, synthetic_arn
from .unknown import MARKER, contains_unknown, is_unknown, unknown

# cfn-lint logs parse errors itself; we report them as one InputError line instead.
logging.getLogger("cfnlint").addHandler(logging.NullHandler())
logging.getLogger("cfnlint").propagate = False

NO_VALUE = object()   # AWS::NoValue: the property is removed

KNOWN_FUNCTIONS = {
    "Ref", "Condition", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap",
    "Fn::If", "Fn::Base64", "Fn::GetAtt", "Fn::ImportValue", "Fn::GetAZs", "Fn::Cidr",
    "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::Length", "Fn::ToJsonString",
    "Fn::Transform", "Fn::ForEach",
}
# Attributes that name the resource itself (a reference to them is a reference to it):
# Arn and Id, and <Thing>Name/Id/Arn for AWS::<Service>::<Thing> (Model.ModelName,
# SecurityGroup.GroupId, Key.KeyId…). Others (Bucket.DomainName, Subnet.VpcId) are not.
_SHORT_IDENTITY = {"Arn", "Id", "GroupId", "KeyId", "RoleId", "KeyArn", "JobDefinitionArn"}


def _identity(resource_type: str, attr: str) -> bool:
    thing = resource_type.rsplit("::", 1)[-1]
    return attr in _SHORT_IDENTITY or attr in (f"{thing}Name", f"{thing}Id", f"{thing}Arn")
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def looks_like_template(doc: Any) -> bool:
    return isinstance(doc, dict) and ("AWSTemplateFormatVersion" in doc or "Resources" in doc)


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    line = getattr(mark, "line", None)
    return None if line is None else line + 1


class _Unresolvable(Exception):
    """A condition whose value depends on something unknown."""


@dataclass
class TemplateContext:
    file: str
    template: dict
    parameters: dict[str, Any] = field(default_factory=dict)   # --parameter overrides
    account: str = ""
    region: str = ""
    _conditions: dict[str, Any] = field(default_factory=dict)
    _resolving: set = field(default_factory=set)

    @property
    def resources(self) -> dict:
        return self.template.get("Resources") or {}

    def error(self, node: Any, message: str) -> InputError:
        line = _line(node)
        return InputError(f"{self.file}:{line or 1}: {message}")

    # --- parameters and pseudo parameters ------------------------------------------

    def ref(self, name: str, node: Any) -> Any:
        if not isinstance(name, str):
            raise self.error(node, "Ref needs a name")
        pseudo = {
            "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
            "AWS::Region": self.region or "${AWS::Region}",
            "AWS::AccountId": self.account or "${AWS::AccountId}",
            "AWS::StackName": "${AWS::StackName}",
        }
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in pseudo:
            return pseudo[name]
        if name in ("AWS::StackId", "AWS::NotificationARNs"):
            return unknown(f"Ref {name}")
        params = self.template.get("Parameters") or {}
        if name in params:
            if name in self.parameters:
                return self.parameters[name]
            spec = params[name] if isinstance(params[name], dict) else {}
            if str(spec.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
                # The default names an SSM parameter; its value is read at deployment.
                return unknown(f"Ref {name}: SSM parameter {spec.get('Default', '(no default)')} "
                               "is read at deployment")
            if "Default" in spec:
                default = spec["Default"]
                if str(spec.get("Type", "")).startswith("List<") or spec.get("Type") == "CommaDelimitedList":
                    return [s.strip() for s in str(default).split(",")] if isinstance(default, str) else default
                return default
            return unknown(f"Ref {name}: parameter without default")
        if name in self.resources:
            return synthetic_arn(CFN, self.file, name)
        raise self.error(node, f"Ref to undefined parameter or resource {name!r}")

    def get_att(self, target: Any, node: Any) -> Any:
        if isinstance(target, str):
            target = target.split(".", 1)
        if not (isinstance(target, list) and len(target) == 2):
            raise self.error(node, "Fn::GetAtt needs [LogicalId, Attribute]")
        logical, attr = target[0], self.resolve(target[1])
        if logical not in self.resources:
            raise self.error(node, f"Fn::GetAtt of undefined resource {logical!r}")
        body = self.resources[logical] if isinstance(self.resources[logical], dict) else {}
        if isinstance(attr, str) and _identity(str(body.get("Type", "")), attr):
            return synthetic_arn(CFN, self.file, logical)
        props = body.get("Properties") if isinstance(body.get("Properties"), dict) else {}
        if isinstance(attr, str) and attr in props and (logical, attr) not in self._resolving:
            # An attribute that mirrors a property (a subnet's VpcId): the property's value.
            self._resolving.add((logical, attr))
            try:
                return self.resolve(props[attr])
            finally:
                self._resolving.discard((logical, attr))
        return unknown(f"Fn::GetAtt {logical}.{attr}: known after deployment")

    # --- conditions ----------------------------------------------------------------

    def condition(self, name: str, node: Any) -> bool:
        """True/False; raises _Unresolvable when it rests on an unknown value."""
        if name in self._conditions:
            value = self._conditions[name]
            if value is _Unresolvable:
                raise _Unresolvable(name)
            return value
        conds = self.template.get("Conditions") or {}
        if name not in conds:
            raise self.error(node, f"undefined condition {name!r}")
        self._conditions[name] = _Unresolvable  # guards against cycles, too
        value = self._eval_condition(conds[name])
        self._conditions[name] = value
        return value

    def _eval_condition(self, expr: Any) -> bool:
        if not (isinstance(expr, dict) and len(expr) == 1):
            raise self.error(expr, "a condition must be one condition function")
        (fn, arg), = expr.items()
        if fn == "Condition":
            return self.condition(arg, expr)
        if fn == "Fn::Equals":
            if not (isinstance(arg, list) and len(arg) == 2):
                raise self.error(expr, "Fn::Equals needs two values")
            a, b = self.resolve(arg[0]), self.resolve(arg[1])
            if contains_unknown(a) or contains_unknown(b):
                raise _Unresolvable(f"Fn::Equals {a!r} {b!r}")
            return str(a) == str(b) if not isinstance(a, (list, dict)) else a == b
        if fn in ("Fn::And", "Fn::Or"):
            values = [self._eval_condition(c) for c in arg]
            return all(values) if fn == "Fn::And" else any(values)
        if fn == "Fn::Not":
            return not self._eval_condition(arg[0])
        raise self.error(expr, f"{fn} is not a condition function")

    # --- values --------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str) and "{{resolve:" in value:
            return unknown(f"dynamic reference {value}: resolved at deployment")
        if isinstance(value, list):
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key,) = value
            if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                return self._function(key, value[key], value)
        out = {}
        for k, v in value.items():
            r = self.resolve(v)
            if r is not NO_VALUE:
                out[str(k)] = r
        return out

    def _function(self, fn: str, arg: Any, node: Any) -> Any:
        if fn not in KNOWN_FUNCTIONS:
            raise self.error(node, f"unknown intrinsic function {fn}")
        if fn == "Ref":
            return self.ref(arg, node)
        if fn == "Fn::GetAtt":
            return self.get_att(arg, node)
        if fn == "Fn::If":
            if not (isinstance(arg, list) and len(arg) == 3):
                raise self.error(node, "Fn::If needs [condition, value if true, value if false]")
            try:
                chosen = arg[1] if self.condition(arg[0], node) else arg[2]
            except _Unresolvable as exc:
                return unknown(f"Fn::If {arg[0]}: condition unknown before deployment ({exc})")
            return self.resolve(chosen)
        if fn == "Fn::Sub":
            return self._sub(arg, node)
        if fn == "Fn::Join":
            if not (isinstance(arg, list) and len(arg) == 2):
                raise self.error(node, "Fn::Join needs [delimiter, list]")
            items = self.resolve(arg[1])
            if contains_unknown(items):
                return unknown(f"Fn::Join with an unknown part: {_reason(items)}")
            if not isinstance(items, list):
                raise self.error(node, "Fn::Join needs a list to join")
            return str(arg[0]).join(_text(i) for i in items)
        if fn == "Fn::Select":
            index, items = self.resolve(arg[0]), self.resolve(arg[1])
            if contains_unknown(index) or is_unknown(items):
                return unknown(f"Fn::Select from an unknown value: {_reason([index, items])}")
            try:
                return items[int(index)]
            except (IndexError, ValueError, TypeError):
                raise self.error(node, f"Fn::Select index {index!r} out of range") from None
        if fn == "Fn::Split":
            delim, text = arg[0], self.resolve(arg[1])
            if is_unknown(text):
                return unknown(f"Fn::Split of an unknown value: {text[MARKER]}")
            return str(text).split(str(delim))
        if fn == "Fn::FindInMap":
            keys = [self.resolve(a) for a in arg[:3]]
            if contains_unknown(keys):
                return unknown(f"Fn::FindInMap with an unknown key: {_reason(keys)}")
            try:
                return self.resolve((self.template.get("Mappings") or {})[keys[0]][keys[1]][keys[2]])
            except (KeyError, TypeError):
                if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                    return self.resolve(arg[3]["DefaultValue"])
                raise self.error(node, f"Fn::FindInMap: no mapping entry {'/'.join(map(str, keys))}") from None
        if fn == "Fn::Base64":
            text = self.resolve(arg)
            if contains_unknown(text):
                return unknown(f"Fn::Base64 of an unknown value: {_reason(text)}")
            return base64.b64encode(str(text).encode()).decode()
        if fn == "Fn::Length":
            items = self.resolve(arg)
            return len(items) if isinstance(items, list) else unknown("Fn::Length of an unknown list")
        if fn == "Fn::ToJsonString":
            obj = self.resolve(arg)
            return unknown(f"Fn::ToJsonString: {_reason(obj)}") if contains_unknown(obj) else json.dumps(obj)
        if fn in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"):
            try:
                return self._eval_condition(node)
            except _Unresolvable as exc:
                return unknown(f"condition unknown before deployment ({exc})")
        if fn == "Fn::ForEach":
            raise self.error(node, "Fn::ForEach (AWS::LanguageExtensions) is not supported yet")
        # Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform
        shown = self.resolve(arg)
        return unknown(f"{fn} {_text(shown) if not isinstance(shown, (dict, list)) else json.dumps(shown, default=str)}")

    def _sub(self, arg: Any, node: Any) -> Any:
        if isinstance(arg, list):
            if len(arg) != 2 or not isinstance(arg[1], dict):
                raise self.error(node, "Fn::Sub needs a string or [string, {variables}]")
            text, variables = arg[0], {k: self.resolve(v) for k, v in arg[1].items()}
        else:
            text, variables = arg, {}
        if not isinstance(text, str):
            raise self.error(node, "Fn::Sub needs a string")
        missing: list[str] = []

        def replace(m: re.Match) -> str:
            name = m.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"   # ${!Literal} escapes
            if name in variables:
                v = variables[name]
            elif "." in name and name.split(".", 1)[0] in self.resources:
                v = self.get_att(name, node)
            else:
                v = self.ref(name, node)
            if contains_unknown(v):
                missing.append(f"${{{name}}} ({_reason(v)})")
                return m.group(0)
            return _text(v)

        result = _SUB_VAR.sub(replace, text)
        if missing:
            return unknown(f"Fn::Sub {text!r}: " + ", ".join(missing))
        return result


def _reason(value: Any) -> str:
    if is_unknown(value):
        return value[MARKER]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return "; ".join(_reason(v) for v in value if contains_unknown(v))
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
        raise InputError(f"{display}:{_line(template.get('Resources')) or 1}: template has no Resources section")
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
            except _Unresolvable:
                facts["condition"] = unknown(f"deployed only if {body['Condition']}, "
                                             "which is unknown before deployment")
        props = _plain(ctx.resolve(body.get("Properties") or {}))
        if not isinstance(props, dict):
            raise ctx.error(body, f"resource {logical_id}: Properties must be a mapping")
        out.append(Resource(
            type=str(body["Type"]), id=str(logical_id), arn=synthetic_arn(CFN, display, str(logical_id)),
            account=account, region=region, properties=props, facts=facts,
            source=SourceLocation(kind="cloudformation", file=display, line=_line(logical_id) or _line(body))))
    return out


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
