"""Adversarial estates for the engine conformance property test.

Starts from the realistic synthetic estate (tests/support/synthetic.py: every resource
type the shipped policies judge, with relation targets) and mutates every resource
with values that broke an engine before: non-ASCII and confusable text, NUL, quotes
and backslashes, JSON inside strings, numbers at and beyond the int64/float64 edges,
odd RFC 3339 timestamps, IAM documents in every shape AWS accepts, case-duplicate
tags. Seeded: the same seed gives the same estate, so a failure is reproducible.
"""
from __future__ import annotations

import copy
import json
import math
import random
from typing import Any, Callable

from mlwarden import settings as settings_mod
from mlwarden.inventory import Inventory

from ..support import synthetic

# --- building blocks --------------------------------------------------------------------

CONFUSABLE = [
    "producción", "PRODUCCIÓN", "Producción", "produccio\u0301n",   # precomposed and combining accent
    "prod\u0131", "PROD\u0130", "ıam:PassRole", "İAM:PASSROLE",   # Turkish dotless i / dotted I
    "\uff50\uff52\uff4f\uff44", "ＥＮＡＢＬＥＤ", "Ｄｉｓａｂｌｅｄ",            # fullwidth
    "ß", "STRASSE", "ﬁle", "Ωmega", "ǅ", "año", "AÑO", "entorno",
    "\u200bprod", "prod\u200d", "\u202eprod", "prod\u2028x", "😀", "𝐩𝐫𝐨𝐝", "a\U0001F600b",
    "Σίσυφος", "ΣΊΣΥΦΟΣ", "Ǉ", "ǉ",
]
SPECIALS = [
    "\u0000", "Disabled\u0000Enabled", "\u0000Disabled", "\"Disabled\"", "'Enabled'", "\\", "\\\\",
    "a\\\"b", "\\u0000", "\\n", "\t\r\n", " ", "", "null", "true", "0", "-0", "1e400",
    "{\"a\": 1}", "[1, 2]", "{\"Steps\": [{\"Name\": \"\\u00e9\", \"Type\": \"Training\", \"Arguments\": {}}]}",
    "%s%d", "${x}", "*", "?", "[", "]", "{a,b}", "**/", "\u00ff\u0100", "\x7f", "\x1b[31m",
]
NUMBERS = [
    2 ** 63, 2 ** 64, -2 ** 63, -2 ** 63 - 1, 2 ** 63 - 1, 2 ** 53 + 1, 10 ** 30, -10 ** 30,
    1e308, -1e308, 5e-324, -0.0, 0.0, 0.1, 1.5, 2419200.0, 2419200.5, 86400.000001, 1e15, 1e16,
    123456789.123456789, -1, 0, 1, 2419199, 2419200, 2419201, 14400, 14401,
]
TIMESTAMPS = [
    "2026-11-20T10:00:00Z", "2026-11-20T10:00:00.123456789Z", "2026-11-20T10:00:00+05:30",
    "2026-11-20T10:00:00-00:00", "2026-11-20t10:00:00z", "2026-11-20 10:00:00Z", "2026-11-20T10:00:00",
    "2016-12-31T23:59:60Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
    "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20", "20261120T100000Z",
    "2026-11-20T10:00:00+14:00", "2026-11-20T10:00:00-12:00", "2026-W47-5", "", "now",
]
ACTIONS = [
    "iam:CreateUser", "iam:Create*", "iam:create*", "IAM:CREATEUSER", "iam:Create\\*", "iam:Create\\",
    "iam:Cre?teRole", "iam:[Cc]reate*", "iam:{Create,Put}*", "iam:*", "*", "*:*", "iam:Create\u0000User",
    "ıam:CreateUser", "İAM:CreateUser", "ｉａｍ:CreateUser", "iam:CreateUser ", " iam:CreateUser",
    "cloudformation:Create\\Stack", "sagemaker:CreatePresigned*", "s3:Get*", "s3:*", "sts:AssumeRole",
    "iam:PassRole", "iam:Put\"Policy", "\\*", "iam:**", "iam:Create[", "iam:Create{",
]
PRINCIPALS = [
    "*", {"AWS": "*"}, {"AWS": ["*", "arn:aws:iam::111122223333:root"]}, {"Service": "sagemaker.amazonaws.com"},
    {"Service": ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]}, {"Service": "SageMaker.amazonaws.com"},
    {"Service": "sagemaker.amazonaws.com\u0000"}, {"Federated": "cognito-identity.amazonaws.com"},
    {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, {}, [], None,
]
CONDITIONS = [
    {"Bool": {"aws:SecureTransport": "false"}}, {"Bool": {"aws:SecureTransport": False}},
    {"StringEquals": {"aws:SourceAccount": ["111122223333", "１１１"]}},
    {"ForAnyValue:StringLike": {"aws:PrincipalTag/team": "*"}}, {"Null": {"aws:MultiFactorAuthAge": "true"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": 2 ** 64}}, {},
]
TAG_KEYS = ["environment", "Environment", "ENVIRONMENT", "environment ", "entorno", "Entorno", "año", "owner",
            "Owner", "project", "cost-center", "cost\u2011center", "ＥＮＶＩＲＯＮＭＥＮＴ", "env\u0000ironment"]
TAG_VALUES = ["prod", "PROD", "Prod", "production", "prod ", "staging", "dev", *CONFUSABLE[:12], "", "\u0000",
              "\"prod\"", "prod\\"]

# Settings a team may write: the shipped defaults, a strict organisation, and one in
# another language, with confusable and escaped characters where settings hold text.
SETTINGS_VARIANTS: dict[str, dict] = {
    "defaults": {},
    "strict": synthetic.SETTINGS_VARIANTS["strict"],
    "unicode": {
        "required_tags": ["año", "owner", "Ｐroject", "cost\u2011center", "entorno"],
        "allowed_tag_values": {"entorno": ["producción", "desarrollo", "prueba\"s", "ıntegración"],
                               "environment": ["prod", "PRODUCCIÓN"]},
        "production": {"tag": "entorno", "values": ["producción", "PRODUCCİÓN", "prod\\uction"]},
        "trusted_kms_keys": [synthetic.KEY_GOOD, "alias/clé"],
        "trusted_signing_profiles": ["models", "modèles"],
        "allowed_instance_types": ["ml.m5.large", "ml.t3.medium", "ml.ｍ5.large"],
        "personas": {"científico_de_datos": {
            "role_patterns": ["*DataScientist*", "*Científico*", "*data\\-scientist*", "*[Dd]ata*"],
            "forbidden_action_prefixes": ["iam:Create", "iam:Put\\", "ıam:Attach", "cloudformation:*"]}},
        "required_model_metadata": ["dataset_hash", "marco_de_trabajo", "ﬁle"],
        "max_training_runtime_seconds": 2 ** 63,
        "long_training_job_seconds": 0.5,
        "quota_headroom_percent": 99.999999,
    },
}


def settings(name: str) -> dict:
    base = settings_mod.defaults()
    return settings_mod.merge(base, copy.deepcopy(SETTINGS_VARIANTS[name]), "conformance", "")


# --- mutations ------------------------------------------------------------------------

def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every scalar leaf (and of every empty container) under node."""
    if isinstance(node, dict):
        out = [p for k, v in node.items() for p in _leaves(v, path + (k,))]
        return out or [path]
    if isinstance(node, list):
        out = [p for i, v in enumerate(node) for p in _leaves(v, path + (i,))]
        return out or [path]
    return [path]


def _set(root: dict, path: tuple, value: Any) -> None:
    node = root
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _get(root: Any, path: tuple) -> Any:
    for part in path:
        root = root[part]
    return root


def _text(rng: random.Random, base: str = "") -> str:
    """An adversarial string, often built around the original value."""
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice(CONFUSABLE)
    if kind == 1:
        return rng.choice(SPECIALS)
    if kind == 2:
        return base.upper() if rng.random() < 0.5 else base.swapcase()
    if kind == 3:
        return base + rng.choice(["\u0000", "\\", "\"", " ", "\u0301", "ı", "😀"])
    if kind == 4:
        return rng.choice(["\"", "'", "\\\""]) + base + rng.choice(["\"", "'", "\\\""])
    if kind == 5:
        return json.dumps(base) if rng.random() < 0.5 else json.dumps({"v": base})
    if kind == 6:
        return base.translate({ord("i"): "ı", ord("I"): "İ", ord("e"): "é", ord("a"): "а"})  # Cyrillic а
    if kind == 7:
        return "".join(chr(0xFEE0 + ord(c)) if "!" <= c <= "~" else c for c in base)  # fullwidth
    # A long string, bounded: a value mutated again (or shared) must not grow without end.
    return (base * rng.randint(2, 40))[:4096]


def _number(rng: random.Random, base: Any) -> Any:
    if rng.random() < 0.7:
        return rng.choice(NUMBERS)
    if isinstance(base, (int, float)) and not isinstance(base, bool):
        new = rng.choice([base * 2 ** 63, -base, base + 0.5, float(base), str(base), base * 10 ** 20])
        # Infinity and NaN are not JSON values: the input layer refuses or replaces them
        # (tests/test_poison_input.py); here every value must be one an inventory can hold.
        if not isinstance(new, float) or math.isfinite(new):
            return new
    return rng.choice(NUMBERS)


def _mutate_leaf(doc: dict, rng: random.Random) -> None:
    paths = [p for p in _leaves(doc) if p]
    if not paths:
        return
    path = rng.choice(paths)
    value = _get(doc, path)
    if isinstance(value, bool):
        new = rng.choice(["true", "True", 1, 0, None, not value, "\u0000true"])
    elif isinstance(value, (int, float)):
        new = _number(rng, value)
    elif isinstance(value, str):
        new = _text(rng, value)
    else:  # null or an empty container
        new = rng.choice([_text(rng, ""), rng.choice(NUMBERS), {"\u0000": 1}, ["\u0000"], {"": ""}])
    _set(doc, path, new)


def _mutate_key(doc: dict, rng: random.Random) -> None:
    """Rename an object key: a case variant, a NUL or a confusable, keeping the original
    beside it half of the time (two keys that differ only in case)."""
    objects = [p for p in _leaves(doc) for n in range(len(p)) if isinstance(_get(doc, p[:n]), dict)]
    if not objects:
        return
    path = rng.choice(objects)
    parent = _get(doc, path[:-1]) if len(path) > 1 else doc
    if not isinstance(parent, dict) or path[-1] not in parent:
        parent = doc
        key = rng.choice(list(doc)) if doc else None
    else:
        key = path[-1]
    if key is None or not isinstance(key, str):
        return
    new = rng.choice([key.lower(), key.upper(), key + "\u0000", "\u0000" + key, _text(rng, key)])
    value = parent[key] if rng.random() < 0.5 else parent.pop(key)
    parent[new] = copy.deepcopy(value)


def iam_document(rng: random.Random) -> dict:
    """An IAM policy document in one of the shapes AWS accepts."""
    def statement() -> dict:
        s: dict[str, Any] = {"Effect": rng.choice(["Allow", "Allow", "Deny", "allow", "ALLOW", "Allow\u0000"])}
        if rng.random() < 0.3:
            s["Sid"] = _text(rng, "Sid1")
        key = rng.choice(["Action", "Action", "NotAction"])
        acts = rng.sample(ACTIONS, rng.randint(1, 4))
        s[key] = acts[0] if len(acts) == 1 and rng.random() < 0.5 else acts
        s["Resource" if rng.random() < 0.8 else "NotResource"] = rng.choice(
            ["*", ["*"], "arn:aws:s3:::ml-good/*", ["arn:aws:iam::111122223333:role/*", "arn:aws:s3:::ünï/*"]])
        if rng.random() < 0.5:
            s["Principal" if rng.random() < 0.8 else "NotPrincipal"] = rng.choice(PRINCIPALS)
        if rng.random() < 0.4:
            s["Condition"] = rng.choice(CONDITIONS)
        return s
    stmts = [statement() for _ in range(rng.randint(1, 3))]
    doc: dict[str, Any] = {"Statement": stmts[0] if len(stmts) == 1 and rng.random() < 0.5 else stmts}
    if rng.random() < 0.7:
        doc["Version"] = rng.choice(["2012-10-17", "2008-10-17", "2012-10-17\u0000"])
    return doc


def _trust_document(rng: random.Random) -> dict:
    doc = iam_document(rng)
    stmts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    for s in stmts:  # trust statements always name a principal and usually sts:AssumeRole
        s.setdefault("Principal", rng.choice(PRINCIPALS))
        if rng.random() < 0.7:
            s.pop("NotAction", None)
            s["Action"] = rng.choice(["sts:AssumeRole", ["sts:AssumeRole", "sts:TagSession"], "sts:*", "*"])
    return doc


def _actions_fact(rng: random.Random) -> dict:
    pick = lambda: rng.sample(ACTIONS, rng.randint(0, 3))  # noqa: E731
    return {"admin_star": rng.choice([True, False, "true", None]), "passrole_on_star": rng.choice([True, False]),
            "service_wildcards": rng.sample(["s3", "iam", "iam:*", "*", "ıam", "s3\\", "IAM"], rng.randint(0, 2)),
            "privilege_escalation": pick(), "data_exfiltration": pick(), "write_actions": pick(),
            "permissions_management": pick(), "tagging_actions": pick(), "wildcard_actions": pick()}


def _pipeline_definition(rng: random.Random) -> Any:
    """A pipeline definition as an object or as the JSON text SageMaker returns,
    written with the escapes, exponents and numbers JSON allows."""
    step = {"Name": _text(rng, "Train"), "Type": rng.choice(["Training", "Processing", "Model", "RegisterModel"]),
            "Arguments": {"EnableNetworkIsolation": rng.choice([True, False, "true"]),
                          "OutputDataConfig": {"KmsKeyId": rng.choice([synthetic.KEY_GOOD, "", {"Get": "Parameters.Key"}])},
                          "ResourceConfig": {"VolumeKmsKeyId": rng.choice([synthetic.KEY_GOOD, "ключ"]),
                                             "InstanceCount": rng.choice(NUMBERS)}}}
    params = [{"Name": "Key", "Type": "String", "DefaultValue": rng.choice([synthetic.KEY_GOOD, "", "clé\u0000"])}]
    doc = {"Version": "2020-12-01", "Parameters": params, "Steps": [step]}
    if rng.random() < 0.3:
        return doc
    text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    tweak = rng.randrange(8)
    if tweak == 0:
        text = text.replace("/", "\\/")                           # an escaped solidus
    elif tweak == 1:
        text = text.replace("\"Version\"", "\"\\u0056ersion\"")   # an escaped letter in a key
    elif tweak == 2:
        text = text.replace("2020", "2.020E3").replace("\"2.020E3", "\"2020")  # exponent outside strings
    elif tweak == 3:
        text = text.replace("\"Steps\"", "\"St\\u00e9ps\"")
    elif tweak == 4:
        text = text + rng.choice(["", " ", "\n", "x", "}", "\u0000"])
    elif tweak == 5:
        text = text.replace("[", "[ ", 1).replace(": ", ":\t")
    elif tweak == 6:
        text = text.replace("\"Name\"", "\"Name\", \"Name\"", 1)  # invalid JSON on purpose
    return text


def _type_specific(r, rng: random.Random) -> None:
    p, f = r.properties, r.facts
    if r.type == "AWS::IAM::Role":
        p["AssumeRolePolicyDocument"] = _trust_document(rng)
        p["Policies"] = [{"PolicyName": _text(rng, "inline"), "PolicyDocument": iam_document(rng)}
                         for _ in range(rng.randint(0, 2))]
        p["RoleName"] = rng.choice(["DataScientist-alice", "datascientist-ñ", "DATASCİENTİST-x",
                                    "Científico-1", "PlatformEngineer-ops", "data-scientist\u0000", "ml-exec"])
        f["actions"] = _actions_fact(rng)
    elif r.type == "AWS::S3::Bucket":
        p["PolicyDocument"] = iam_document(rng)
    elif r.type == "AWS::SageMaker::Pipeline":
        p["PipelineDefinition"] = _pipeline_definition(rng)
    elif r.type == "AWS::SageMaker::ModelPackage":
        p["CreationTime"] = rng.choice(TIMESTAMPS)
        if rng.random() < 0.5:
            p["CustomerMetadataProperties"] = {
                "dataset_hash": rng.choice([synthetic.DATASET_HASH, synthetic.DATASET_HASH.upper(),
                                            "sha256:" + "ａｂ" * 32, "sha256:" + "ab" * 32 + "\n",
                                            "sha256:" + "ab" * 31 + "a\u0301b"]),
                rng.choice(["training_job", "Training_Job", "marco_de_trabajo"]): _text(rng, "tj-1"),
                "framework": "xgboost", "ﬁle": "x"}
        f["age_days"] = rng.choice(NUMBERS)
    elif r.type == "MLW::SageMaker::TrainingJob":
        stopping = p.get("StoppingCondition")
        p["StoppingCondition"] = {**(stopping if isinstance(stopping, dict) else {}),
                                  "MaxRuntimeInSeconds": rng.choice(NUMBERS)}
        f["runtime_seconds"] = rng.choice(NUMBERS)


def _tags(rng: random.Random) -> dict:
    tags = dict(rng.choice(synthetic.TAGS))
    for _ in range(rng.randint(0, 4)):
        tags[rng.choice(TAG_KEYS)] = rng.choice(TAG_VALUES)
    return tags


MUTATIONS: list[Callable] = [
    lambda r, rng: _mutate_leaf(r.properties, rng),
    lambda r, rng: _mutate_leaf(r.properties, rng),
    lambda r, rng: _mutate_leaf(r.facts, rng),
    lambda r, rng: _mutate_key(r.properties, rng),
    lambda r, rng: _type_specific(r, rng),
    lambda r, rng: setattr(r, "tags", _tags(rng)),
]


def inventory(n: int, seed: int) -> Inventory:
    """About n resources of every judged type, each mutated one to four times; the
    relation targets only lightly, so related documents keep resolving."""
    inv = synthetic.inventory(n, seed=seed)
    rng = random.Random(seed)
    targets = sum(len(ids) for ids in synthetic.RELATED_IDS.values())
    for i, r in enumerate(inv.resources):
        # The synthetic generator may hand several resources one value object (a choice
        # of its spec): mutate a copy, or mutations pile up on that object across the
        # estate and inputs grow with the square of its size (3 GB at 5,000 resources).
        r.properties, r.facts, r.tags = (copy.deepcopy(r.properties), copy.deepcopy(r.facts),
                                         copy.deepcopy(r.tags))
        _type_specific(r, rng) if rng.random() < 0.6 else None
        for _ in range(rng.randint(1, 4) if i >= targets else rng.randint(0, 1)):
            rng.choice(MUTATIONS)(r, rng)
        if i >= targets and rng.random() < 0.2:  # odd text in ids shows up in every message
            r.id = f"{r.id}-{_text(rng, 'x')}"
            r.arn = f"{r.arn}-{i}" if rng.random() < 0.5 else ""
    return inv
