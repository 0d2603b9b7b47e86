"""Organisation settings: data, not code.

A team's YAML file is merged over the shipped defaults and validated against the
defaults' shape: an unknown key or a value of the wrong type stops the scan with
a one-line error naming the file, the line and the option.
"""
from __future__ import annotations

import copy
import math
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import yamlload
from .errors import InputError
from .jsonload import read_text


def defaults() -> dict:
    text = resources.files("mlwarden").joinpath("settings_defaults.yaml").read_text()
    return yaml.safe_load(text)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key."""


def _construct_mapping(loader, node, deep=False):
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(None, None, "a setting name must be a plain value, "
                                                    "not a list or mapping", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    return _Mapping(mapping, lines)


class _Mapping(dict):
    def __init__(self, data, lines):
        super().__init__(data)
        self.lines = lines


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path | None) -> dict:
    """Effective settings: defaults, with the file at `path` merged over them."""
    base = defaults()
    if path is None:
        return base
    path = Path(path)
    text = read_text(path, "settings file")
    yamlload.check(text, str(path), "settings file")
    loader = _LineLoader(text)
    try:
        user = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise InputError(f"{path}:{line}: settings are not valid YAML: "
                         f"{getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    if user is None:
        return base
    if not isinstance(user, dict):
        raise InputError(f"{path}:1: settings must be a mapping of option: value")
    return merge(base, user, str(path), "")


def merge(base: dict, user: dict, file: str, prefix: str) -> dict:
    out = copy.deepcopy(base)
    lines = getattr(user, "lines", {})
    for key, value in user.items():
        where = f"{file}:{lines.get(key, 1)}"
        option = f"{prefix}{key}"
        if key not in base:
            known = ", ".join(sorted(base))
            raise InputError(f"{where}: unknown setting '{option}' (known: {known})")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise InputError(f"{where}: setting '{option}' must be a mapping")
            # Open mappings (empty in the defaults, or keyed by user names) take any key.
            if not default or option in _OPEN_MAPPINGS:
                out[key] = {**default, **_plain(value)}
            else:
                out[key] = merge(default, value, file, option + ".")
        elif isinstance(default, list):
            if not isinstance(value, list):
                raise InputError(f"{where}: setting '{option}' must be a list")
            out[key] = _plain(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise InputError(f"{where}: setting '{option}' must be true or false")
            out[key] = value
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(f"{where}: setting '{option}' must be a number")
            if not math.isfinite(value):
                raise InputError(f"{where}: setting '{option}' must be a finite number")
            if value < 0:
                raise InputError(f"{where}: setting '{option}' must not be negative")
            out[key] = value
        else:
            if not isinstance(value, str):
                raise InputError(f"{where}: setting '{option}' must be a string")
            out[key] = value
    return out


# Mappings whose keys are the user's own names (tags, personas, quota names).
_OPEN_MAPPINGS = {"allowed_tag_values", "personas", "default_quotas"}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
