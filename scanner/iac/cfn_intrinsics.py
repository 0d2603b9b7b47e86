"""CloudFormation intrinsic functions, parameters and conditions, resolved as far as
they can be before deployment (what scanner/iac/cloudformation.py applies to every
resource's Properties; the rules are in that module's docstring).

`TemplateContext.resolve` turns a Properties tree with `Ref`, `Fn::*` and `Condition`
nodes into plain values, synthetic ARNs of the template's own resources, or unknown
markers (scanner/iac/unknown.py) for what only a deployment knows.
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .synthetic import CFN, synthetic_arn
from .unknown import MARKER, contains_unknown, is_unknown, unknown

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


def line_of(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    line = getattr(mark, "line", None)
    return None if line is None else line + 1


class Unresolvable(Exception):
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
        line = line_of(node)
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
        """True/False; raises Unresolvable when it rests on an unknown value."""
        if name in self._conditions:
            value = self._conditions[name]
            if value is Unresolvable:
                raise Unresolvable(name)
            return value
        conds = self.template.get("Conditions") or {}
        if name not in conds:
            raise self.error(node, f"undefined condition {name!r}")
        self._conditions[name] = Unresolvable  # guards against cycles, too
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
                raise Unresolvable(f"Fn::Equals {a!r} {b!r}")
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
            except Unresolvable as exc:
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
            except Unresolvable as exc:
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
