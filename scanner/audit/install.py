"""`mlwarden schedule install | status | remove`: the in-account audit stack.

What install creates, all named after the stack and tagged `mlwarden:stack`:
- an IAM role for the function, with the read-only scan policy generated from the
  collectors' declared permissions plus exactly what the audit writes (its bucket
  prefix, its KMS key, its topic, invoking itself for fan-out);
- the Lambda function (handler `mlwarden.audit.handler.handler`);
- an EventBridge schedule rule and, with --events, a rule for CloudTrail API calls
  (the event names the handler scans), each targeting the function, with the
  invoke permission.
Re-running install updates each piece in place; remove deletes exactly these.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from ..aws.session import AwsContext
from ..errors import InputError
from ..permissions import scanner_actions
from .config import AuditConfig
from .events import EVENT_TARGETS
from .package import build_package
from .runtime import LAMBDA_RUNTIME

HANDLER = "mlwarden.audit.handler.handler"
# The package is built for this runtime and architecture (see runtime.py for why 3.12).
RUNTIME = LAMBDA_RUNTIME.name
ARCHITECTURES = [LAMBDA_RUNTIME.architecture]
STACK_TAG = "mlwarden:stack"


@dataclass(frozen=True, kw_only=True)
class StackNames:
    stack: str = "mlwarden-audit"

    @property
    def role(self) -> str:
        return f"{self.stack}-role"

    @property
    def function(self) -> str:
        return self.stack

    @property
    def schedule_rule(self) -> str:
        return f"{self.stack}-schedule"

    @property
    def events_rule(self) -> str:
        return f"{self.stack}-events"


@dataclass(kw_only=True)
class InstallResult:
    function_arn: str
    role_arn: str
    rules: list[str]
    package_zipped: int
    package_unzipped: int
    changes: list[str] = field(default_factory=list)


def event_pattern() -> dict:
    sources = sorted({"aws." + t.event_source.split(".")[0] for t in EVENT_TARGETS.values()})
    return {"source": sources, "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventName": sorted(EVENT_TARGETS)}}


def role_policy(cfg: AuditConfig, function_arn: str, partition: str = "aws") -> dict:
    statements = [
        {"Sid": "ReadOnlyScan", "Effect": "Allow", "Action": scanner_actions(), "Resource": "*"},
        {"Sid": "WriteReports", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": f"arn:{partition}:s3:::{cfg.bucket}/{cfg.prefix}/*"},
        {"Sid": "ListReports", "Effect": "Allow", "Action": ["s3:ListBucket"],
         "Resource": f"arn:{partition}:s3:::{cfg.bucket}"},
        {"Sid": "EncryptReports", "Effect": "Allow",
         "Action": ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"], "Resource": _key_arn(cfg)},
        {"Sid": "FanOut", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": function_arn},
        {"Sid": "Logs", "Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
    ]
    if cfg.topic_arn:
        statements.append({"Sid": "Notify", "Effect": "Allow", "Action": ["sns:Publish"],
                           "Resource": cfg.topic_arn})
    if cfg.securityhub:
        statements.append({"Sid": "SecurityHub", "Effect": "Allow",
                           "Action": ["securityhub:BatchImportFindings"], "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def _key_arn(cfg: AuditConfig) -> str:
    return cfg.kms_key if cfg.kms_key.startswith("arn:") else "*"


LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def install(aws: AwsContext, region: str, cfg: AuditConfig, *, schedule: str, events: bool,
            names: StackNames = StackNames(), wait_for_role: float = 0.0) -> InstallResult:
    if not (schedule.startswith("rate(") or schedule.startswith("cron(")):
        raise InputError(f"--schedule: {schedule!r} must be an EventBridge expression like 'rate(1 day)'")
    account = aws.account_id(region)
    partition = aws.partition(region)
    iam, lam, ev = aws.client("iam", region), aws.client("lambda", region), aws.client("events", region)
    changes: list[str] = []
    tags = {STACK_TAG: names.stack}
    function_arn = f"arn:{partition}:lambda:{region}:{account}:function:{names.function}"
    cfg = AuditConfig(**{**cfg.__dict__, "function_name": names.function})

    # Role
    try:
        role_arn = iam.get_role(RoleName=names.role)["Role"]["Arn"]
        iam.update_assume_role_policy(RoleName=names.role, PolicyDocument=json.dumps(LAMBDA_TRUST))
        changes.append(f"updated role {names.role}")
    except iam.exceptions.NoSuchEntityException:
        role_arn = iam.create_role(RoleName=names.role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST),
                                   Description="mlwarden scheduled audit",
                                   Tags=[{"Key": k, "Value": v} for k, v in tags.items()])["Role"]["Arn"]
        changes.append(f"created role {names.role}")
        time.sleep(wait_for_role)  # IAM is eventually consistent; Lambda may not see a new role yet
    iam.put_role_policy(RoleName=names.role, PolicyName="mlwarden-audit",
                        PolicyDocument=json.dumps(role_policy(cfg, function_arn, partition)))

    # Function
    pkg = build_package()
    pkg.check_limits()
    env = {"Variables": {**cfg.to_env(), "MLWARDEN_FUNCTION_NAME": names.function}}
    try:
        lam.get_function(FunctionName=names.function)
        lam.update_function_code(FunctionName=names.function, ZipFile=pkg.data,
                                 Architectures=ARCHITECTURES)
        lam.update_function_configuration(FunctionName=names.function, Role=role_arn, Handler=HANDLER,
                                          Runtime=RUNTIME, Timeout=900, MemorySize=2048, Environment=env)
        changes.append(f"updated function {names.function}")
    except lam.exceptions.ResourceNotFoundException:
        function_arn = lam.create_function(
            FunctionName=names.function, Runtime=RUNTIME, Role=role_arn, Handler=HANDLER,
            Architectures=ARCHITECTURES, Code={"ZipFile": pkg.data}, Timeout=900, MemorySize=2048,
            Environment=env,
            Description="mlwarden compliance audit", Tags=tags)["FunctionArn"]
        changes.append(f"created function {names.function}")

    # Rules, targets and invoke permissions
    rules = [(names.schedule_rule, {"ScheduleExpression": schedule})]
    if events:
        rules.append((names.events_rule, {"EventPattern": json.dumps(event_pattern())}))
    for rule, spec in rules:
        rule_arn = ev.put_rule(Name=rule, State="ENABLED", Description="mlwarden audit", **spec,
                               Tags=[{"Key": k, "Value": v} for k, v in tags.items()])["RuleArn"]
        ev.put_targets(Rule=rule, Targets=[{"Id": "mlwarden", "Arn": function_arn}])
        try:
            lam.remove_permission(FunctionName=names.function, StatementId=rule)
        except lam.exceptions.ResourceNotFoundException:
            pass
        lam.add_permission(FunctionName=names.function, StatementId=rule, Action="lambda:InvokeFunction",
                           Principal="events.amazonaws.com", SourceArn=rule_arn)
        changes.append(f"rule {rule} → {names.function}")
    if not events:  # an earlier install may have had --events: remove what is no longer asked for
        _remove_rule(ev, lam, names.events_rule, names.function, changes)
    return InstallResult(function_arn=function_arn, role_arn=role_arn, rules=[r for r, _ in rules],
                         package_zipped=pkg.zipped_size, package_unzipped=pkg.unzipped_size,
                         changes=changes)


# What `schedule status` reads, beside the scan's own allow-list.
STATUS_READS = ("lambda:GetFunction", "events:DescribeRule", "events:ListTargetsByRule", "s3:GetObject")


def status(aws: AwsContext, region: str, names: StackNames = StackNames()) -> dict:
    aws = aws.reading(*STATUS_READS)
    lam, ev = aws.client("lambda", region), aws.client("events", region)
    out: dict = {"stack": names.stack, "function": None, "rules": [], "last_run": None}
    try:
        fn = lam.get_function(FunctionName=names.function)["Configuration"]
    except lam.exceptions.ResourceNotFoundException:
        return out
    env = (fn.get("Environment") or {}).get("Variables") or {}
    out["function"] = {"arn": fn["FunctionArn"], "last_modified": fn.get("LastModified"),
                       "code_size": fn.get("CodeSize"), "bucket": env.get("MLWARDEN_BUCKET"),
                       "regions": env.get("MLWARDEN_REGIONS")}
    for rule in (names.schedule_rule, names.events_rule):
        try:
            r = ev.describe_rule(Name=rule)
        except ev.exceptions.ResourceNotFoundException:
            continue
        targets = ev.list_targets_by_rule(Rule=rule)["Targets"]
        out["rules"].append({"name": rule, "state": r.get("State"),
                             "schedule": r.get("ScheduleExpression"),
                             "targets": [t["Arn"] for t in targets]})
    bucket, prefix = env.get("MLWARDEN_BUCKET"), env.get("MLWARDEN_PREFIX", "mlwarden")
    if bucket:
        s3 = aws.client("s3", region)
        try:
            out["last_run"] = json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}/latest/run.json")["Body"].read())
        except s3.exceptions.NoSuchKey:
            out["last_run"] = None
    return out


def remove(aws: AwsContext, region: str, names: StackNames = StackNames()) -> list[str]:
    iam, lam, ev = aws.client("iam", region), aws.client("lambda", region), aws.client("events", region)
    changes: list[str] = []
    for rule in (names.schedule_rule, names.events_rule):
        _remove_rule(ev, lam, rule, names.function, changes)
    try:
        lam.delete_function(FunctionName=names.function)
        changes.append(f"deleted function {names.function}")
    except lam.exceptions.ResourceNotFoundException:
        pass
    try:
        iam.delete_role_policy(RoleName=names.role, PolicyName="mlwarden-audit")
        iam.delete_role(RoleName=names.role)
        changes.append(f"deleted role {names.role}")
    except iam.exceptions.NoSuchEntityException:
        pass
    return changes


def _remove_rule(ev, lam, rule: str, function: str, changes: list[str]) -> None:
    try:
        ev.describe_rule(Name=rule)
    except ev.exceptions.ResourceNotFoundException:
        return
    targets = [t["Id"] for t in ev.list_targets_by_rule(Rule=rule)["Targets"]]
    if targets:
        ev.remove_targets(Rule=rule, Ids=targets)
    ev.delete_rule(Name=rule)
    try:
        lam.remove_permission(FunctionName=function, StatementId=rule)
    except lam.exceptions.ResourceNotFoundException:
        pass
    changes.append(f"deleted rule {rule}")
