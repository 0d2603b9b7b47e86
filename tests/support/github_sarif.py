"""What GitHub code scanning requires of an uploaded SARIF file beyond the SARIF 2.1.0
schema, as its documentation states it ("SARIF support for code scanning",
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning,
and the limits in "SARIF results exceed one or more limits",
https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit).

`ingestion_problems(log)` returns one line per rule a file breaks; [] means GitHub
would take every result as an alert it can place and track across runs."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_RUNS = 20
MAX_RESULTS_PER_RUN = 25_000
MAX_RULES_PER_RUN = 25_000
MAX_LOCATIONS_PER_RESULT = 1_000
MAX_TAGS_PER_RULE = 20
MAX_RULE_NAME = 255
MAX_DESCRIPTION = 1024
LEVELS = {"none", "note", "warning", "error"}
DEFAULT_LEVELS = {"note", "warning", "error"}
NUMBER = re.compile(r"\d+(\.\d+)?")


def _text(obj, *path: str) -> str:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, str) else ""


def _rule_problems(where: str, rule: dict) -> list[str]:
    out = []
    if not _text(rule, "id"):
        out.append(f"{where}: no id")
    for field in ("shortDescription", "fullDescription"):
        text = _text(rule, field, "text")
        if not text:   # required, and "the empty string is not supported for required properties"
            out.append(f"{where}: no {field}.text")
        elif len(text) > MAX_DESCRIPTION:
            out.append(f"{where}: {field}.text longer than {MAX_DESCRIPTION} characters")
    if not _text(rule, "help", "text"):
        out.append(f"{where}: no help.text")
    if len(_text(rule, "name")) > MAX_RULE_NAME:
        out.append(f"{where}: name longer than {MAX_RULE_NAME} characters")
    level = (rule.get("defaultConfiguration") or {}).get("level")
    if level is not None and level not in DEFAULT_LEVELS:
        out.append(f"{where}: defaultConfiguration.level {level!r} is not one of {sorted(DEFAULT_LEVELS)}")
    props = rule.get("properties") or {}
    tags = props.get("tags") or []
    if len(tags) > MAX_TAGS_PER_RULE:
        out.append(f"{where}: {len(tags)} tags (at most {MAX_TAGS_PER_RULE})")
    if "security-severity" in props:
        score = props["security-severity"]
        if not (isinstance(score, str) and NUMBER.fullmatch(score) and 0.0 <= float(score) <= 10.0):
            out.append(f"{where}: security-severity {score!r} is not a numeric string in 0.0-10.0")
        elif "security" not in tags:
            out.append(f"{where}: security-severity without the 'security' tag is not read as security")
    return out


def _location_problems(where: str, loc: dict) -> list[str]:
    physical = loc.get("physicalLocation") or {}
    uri = _text(physical, "artifactLocation", "uri")
    if not uri:
        return [f"{where}: no physicalLocation.artifactLocation.uri"]
    out = []
    scheme = urlsplit(uri).scheme
    # Relative URIs are taken from the repository root; an absolute one must share the
    # source root's scheme (file:// from upload-sarif's checkout path) or the upload fails.
    if scheme and scheme != "file":
        out.append(f"{where}: uri {uri!r} is absolute with scheme {scheme!r}, not relative or file://")
    start = (physical.get("region") or {}).get("startLine")
    if not (isinstance(start, int) and start >= 1):
        out.append(f"{where}: no region.startLine >= 1")
    return out


def _result_problems(where: str, result: dict, rule_ids: list[str]) -> list[str]:
    out = []
    rule_id = result.get("ruleId")
    if not rule_id or rule_id not in rule_ids:
        out.append(f"{where}: ruleId {rule_id!r} names no rule of the run")
    index = result.get("ruleIndex")
    if index is not None and (not isinstance(index, int) or not 0 <= index < len(rule_ids)
                              or rule_ids[index] != rule_id):
        out.append(f"{where}: ruleIndex {index!r} does not point at rule {rule_id!r}")
    if result.get("level", "warning") not in LEVELS:
        out.append(f"{where}: level {result.get('level')!r} is not one of {sorted(LEVELS)}")
    if not _text(result, "message", "text"):
        out.append(f"{where}: no message.text")
    locations = result.get("locations") or []
    if not locations:
        out.append(f"{where}: no location (GitHub shows no alert for it)")
    elif len(locations) > MAX_LOCATIONS_PER_RESULT:
        out.append(f"{where}: {len(locations)} locations (at most {MAX_LOCATIONS_PER_RESULT})")
    else:
        # GitHub annotates the first location only.
        out += _location_problems(f"{where} location 0", locations[0])
    fingerprint = (result.get("partialFingerprints") or {}).get("primaryLocationLineHash")
    if not (isinstance(fingerprint, str) and fingerprint):
        # the only fingerprint code scanning uses; without it alerts are not tracked across runs
        out.append(f"{where}: no partialFingerprints.primaryLocationLineHash")
    return out


def ingestion_problems(log: dict) -> list[str]:
    out = []
    if log.get("version") != "2.1.0":
        out.append(f"version {log.get('version')!r} is not 2.1.0")
    if not log.get("$schema"):
        out.append("no $schema")
    runs = log.get("runs") or []
    if not runs or len(runs) > MAX_RUNS:
        out.append(f"{len(runs)} runs (1 to {MAX_RUNS})")
    for r, run in enumerate(runs):
        driver = (run.get("tool") or {}).get("driver") or {}
        if not _text(driver, "name"):
            out.append(f"run {r}: no tool.driver.name")
        rules = driver.get("rules") or []
        rule_ids = [rule.get("id") for rule in rules]
        if len(rules) > MAX_RULES_PER_RUN:
            out.append(f"run {r}: {len(rules)} rules (at most {MAX_RULES_PER_RUN})")
        if len(set(rule_ids)) != len(rule_ids):
            out.append(f"run {r}: rule ids are not unique")
        for i, rule in enumerate(rules):
            out += _rule_problems(f"run {r} rule {rule.get('id', i)!r}", rule)
        results = run.get("results")
        if not isinstance(results, list):
            out.append(f"run {r}: no results array")
            continue
        if len(results) > MAX_RESULTS_PER_RUN:
            out.append(f"run {r}: {len(results)} results (at most {MAX_RESULTS_PER_RUN})")
        keys = [(x.get("ruleId"), _text(((x.get("locations") or [{}])[0]), "physicalLocation", "artifactLocation",
                                        "uri"), (x.get("partialFingerprints") or {}).get("primaryLocationLineHash"))
                for x in results]
        if len(set(keys)) != len(keys):
            out.append(f"run {r}: two results of one rule at one artifact share a fingerprint "
                       "(GitHub would take them for one alert)")
        for i, result in enumerate(results):
            out += _result_problems(f"run {r} result {i}", result, rule_ids)
    return out
