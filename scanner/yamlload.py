"""YAML from users, checked before anything builds it.

PyYAML (and cfn-lint's loader on top of it) expands aliases while constructing: a
289-byte "billion laughs" file of nested `*a` references grows to billions of nodes
(25 s and 1 GB before anyone gives up). `check` walks the parser's event stream,
which never expands an alias, and counts what construction *would* build: every
anchor's expanded size is known when its node ends, so an alias costs exactly that.
A file whose aliases, expanded size or nesting exceeds the limits is refused with
one line naming the file and the line, in time linear in the file's size.
"""
from __future__ import annotations

import yaml

from .errors import InputError

# Real settings, waivers, METADATA blocks and templates use a handful of anchors.
MAX_ALIASES = 100
# Nodes after expanding every alias (a large CloudFormation template has ~100 000).
MAX_NODES = 1_000_000
MAX_DEPTH = 200


def check(text: str, where: str, what: str = "YAML", *, first_line: int = 1) -> None:
    """Refuse `text` (an InputError naming `where`:line) if building it would exceed
    the alias, size or depth limits. Syntax errors are left to the real loader."""
    anchors: dict[str, int] = {}
    stack: list[list] = []          # [anchor, nodes so far] per open collection
    aliases = total = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = first_line + (event.start_mark.line if event.start_mark else 0)
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise InputError(f"{where}:{line}: {what} uses more than {MAX_ALIASES} aliases")
                size = anchors.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor:
                    anchors[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    raise InputError(f"{where}:{line}: {what} nests deeper than {MAX_DEPTH} levels")
                total += 1
                continue
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                # A closed collection: its nodes are already in `total`; pass its
                # size up (for an enclosing anchor) and remember its own anchor's.
                anchor, size = stack.pop()
                if anchor:
                    anchors[anchor] = size
                if stack:
                    stack[-1][1] += size
                continue
            else:
                continue
            total += size
            if stack:
                stack[-1][1] += size
            if total > MAX_NODES:
                raise InputError(f"{where}:{line}: {what} expands to more than {MAX_NODES:,} nodes "
                                 "(aliases referring to aliases)")
    except yaml.YAMLError:
        return      # the loader reports syntax errors with its own line and message
    except RecursionError:
        raise InputError(f"{where}: {what} nests deeper than {MAX_DEPTH} levels") from None
