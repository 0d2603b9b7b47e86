"""YAML scalars as CloudFormation reads them.

cfn-lint's decoder (PyYAML, YAML 1.1) turns some plain scalars into values that
CloudFormation never sees and that no policy engine can take as JSON:

- timestamps: `Version: 2012-10-17` would be a `datetime.date`. CloudFormation does
  not support the YAML timestamp type: it receives the text, so we keep the text
  exactly as written (`2012-10-17`, `2024-01-02T03:04:05Z`);
- base-60 numbers: `12:30:00` would be the integer 45000; it is a time of day to
  anyone writing a template, and CloudFormation passes it as that text;
- `!!binary`, `!!set`, `!!omap`, `!!pairs`: not supported by CloudFormation, and not
  JSON: a one-line error naming the file and line;
- `.inf` / `.nan`: not JSON numbers: a one-line error naming the file and line.

Booleans keep YAML 1.1's rules (`yes`, `no`, `on`, `off`, `true`, `false` in their
three spellings), because CloudFormation applies them too: an unquoted `Value: YES`
tag is deployed as the string "true". Where a string is expected (tags), the loader
renders a boolean as CloudFormation does, lower-case `true` / `false`.
"""
from __future__ import annotations

import importlib
import math
from pathlib import Path

from cfnlint.decode import cfn_json, cfn_yaml
from cfnlint.decode.node import str_node

from ..errors import InputError

_UNSUPPORTED_TAGS = {
    "tag:yaml.org,2002:binary": "!!binary", "tag:yaml.org,2002:set": "!!set",
    "tag:yaml.org,2002:omap": "!!omap", "tag:yaml.org,2002:pairs": "!!pairs",
}


def _error(loader, node, message: str) -> cfn_yaml.CfnParseError:
    mark = node.start_mark
    return cfn_yaml.CfnParseError(loader.filename, [cfn_yaml.build_match(
        filename=loader.filename, message=message, line_number=mark.line, column_number=mark.column,
        key="")])


def _as_text(loader, node):
    """The scalar exactly as written, with its source marks (lines for error messages)."""
    return str_node(node.value, node.start_mark, node.end_mark)


def _int(loader, node):
    if ":" in node.value:   # base 60 (YAML 1.1): a time of day, kept as text
        return _as_text(loader, node)
    return loader.construct_yaml_int(node)


def _float(loader, node):
    if ":" in node.value:
        return _as_text(loader, node)
    value = loader.construct_yaml_float(node)
    if math.isinf(value) or math.isnan(value):
        raise _error(loader, node, f"{node.value!r} is not a number CloudFormation or a policy engine "
                                   "can take (quote it if it is text)")
    return value


def _unsupported(loader, node):
    raise _error(loader, node, f"CloudFormation does not support YAML {_UNSUPPORTED_TAGS[node.tag]} values")


class CloudFormationLoader(cfn_yaml.CfnFullLoader):
    """cfn-lint's loader (intrinsics, line marks) with CloudFormation's scalar rules."""


CloudFormationLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
CloudFormationLoader.add_constructor("tag:yaml.org,2002:int", _int)
CloudFormationLoader.add_constructor("tag:yaml.org,2002:float", _float)
for _tag in _UNSUPPORTED_TAGS:
    CloudFormationLoader.add_constructor(_tag, _unsupported)


def _load_yaml(filename: str):
    """cfn_yaml.load with our loader (same alias guard, same error wrapping)."""
    with open(filename, encoding="utf-8") as fp:
        text = fp.read()
    try:
        loader = CloudFormationLoader(text, filename)
        loader.add_multi_constructor("!", cfn_yaml.multi_constructor)
        template = loader.get_single_data()
        if template is None:
            template = cfn_yaml.dict_node({}, cfn_yaml.Mark(0, 0), cfn_yaml.Mark(0, 0))
        if "&" in text:
            cfn_yaml._guard_alias_expansion(template, filename)
        return template
    except (cfn_yaml.CfnParseError, cfn_yaml.ScannerError, cfn_yaml.ParserError):
        raise
    except Exception as exc:  # as cfn_yaml.loads: any constructor failure is a parse error
        raise cfn_yaml.CfnParseError(filename, [cfn_yaml.build_match(
            filename=filename, message=f"Template could not be parsed: {exc}", line_number=0,
            column_number=0, key="")]) from exc


def decode(path: Path, display: str) -> dict:
    """Parse a template (YAML or JSON) as CloudFormation would; a parse error is one
    InputError line naming the file and line."""
    # cfn-lint's own YAML-then-JSON fallback, with our YAML loader in front.
    decode_module = importlib.import_module("cfnlint.decode.decode")
    template, matches = decode_module._decode(_load_yaml, cfn_json.load, str(path), str(path))
    if matches:
        m = matches[0]
        raise InputError(f"{display}:{m.linenumber or 1}: not a valid template: {m.message}")
    return template
