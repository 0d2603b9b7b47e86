"""One cheap call before a scan collects anything: sts:GetCallerIdentity with short
timeouts. An unreachable endpoint, refused keys or a missing profile become one line
naming the cause, instead of a scan whose every read fails (or hangs) the same way."""
from __future__ import annotations

from dataclasses import dataclass

from botocore.config import Config
from botocore.exceptions import (BotoCoreError, ClientError, ConnectionClosedError, ConnectTimeoutError,
                                 EndpointConnectionError, NoCredentialsError, PartialCredentialsError,
                                 ProfileNotFound, ReadTimeoutError)

from ..errors import InputError
from . import readonly
from .regions import RegionChoice, enabled_regions
from .session import AwsContext, AwsOptions

PROBE_CONFIG = Config(connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 2},
                      user_agent_extra="mlwarden")
# Error codes that mean "these credentials are not accepted", whatever the service.
REFUSED = frozenset({"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
                     "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "AuthFailure",
                     "AccessDenied", "AccessDeniedException", "RequestExpired"})


@dataclass(frozen=True, kw_only=True)
class Identity:
    account: str
    arn: str
    credentials: str   # where boto3 found them: env, shared-credentials-file, assume-role, …


def _where(options: AwsOptions, region: str) -> str:
    if options.endpoint_url:
        return f"--endpoint-url {options.endpoint_url}"
    return f"AWS STS in {region}"


def check_identity(options: AwsOptions, region: str) -> Identity:
    """Who the scan runs as; InputError (one line) if AWS cannot be reached or refuses."""
    ctx = AwsContext(options=options)
    try:
        session = ctx.session
        creds = session.get_credentials()
        if creds is None:
            raise NoCredentialsError()
        # Its own client: short timeouts and two attempts, where a scan's clients wait
        # and retry much longer. Guarded like every client a scan creates.
        sts = session.client("sts", region_name=region, endpoint_url=options.endpoint_url,
                             config=PROBE_CONFIG)
        if options.read_only:
            readonly.install(sts, ctx.guard())
        who = sts.get_caller_identity()
    except ProfileNotFound as exc:
        raise InputError(f"--profile: {exc}") from None
    except (NoCredentialsError, PartialCredentialsError) as exc:
        raise InputError(f"AWS credentials: {exc} (use --profile, AWS_PROFILE or the AWS_* variables)") from None
    except (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError) as exc:
        raise InputError(f"{_where(options, region)}: cannot be reached ({_one_line(exc)})") from None
    except ClientError as exc:
        err = exc.response.get("Error", {})
        code, message = err.get("Code") or "error", _one_line(err.get("Message") or exc)
        if code in REFUSED:
            raise InputError(f"AWS credentials ({_source(creds)}) were refused by {_where(options, region)}: "
                             f"{code}: {message}") from None
        raise InputError(f"{_where(options, region)}: sts:GetCallerIdentity failed: {code}: {message}") from None
    except BotoCoreError as exc:  # an answer that is not AWS's (an HTML page, a proxy's error)
        raise InputError(f"{_where(options, region)}: sts:GetCallerIdentity failed: {_one_line(exc)}") from None
    return Identity(account=who["Account"], arn=who.get("Arn", ""), credentials=_source(creds))


def resolve_regions(choice: RegionChoice, options: AwsOptions, probe_region: str) -> RegionChoice:
    """Turn `--regions all` into the account's enabled regions (one line if refused)."""
    if not choice.all_enabled:
        return choice
    try:
        names = enabled_regions(AwsContext(options=options), probe_region)
    except ClientError as exc:
        err = exc.response.get("Error", {})
        raise InputError(f"--regions all: ec2:DescribeRegions failed: {err.get('Code')}: "
                         f"{_one_line(err.get('Message') or exc)} (grant it, or name the regions)") from None
    except BotoCoreError as exc:
        raise InputError(f"--regions all: ec2:DescribeRegions failed: {_one_line(exc)}") from None
    return RegionChoice(regions=names, all_enabled=True, source="--regions all")


def _source(creds) -> str:
    method = getattr(creds, "method", None) or "unknown source"
    return {"env": "environment variables", "shared-credentials-file": "~/.aws/credentials",
            "config-file": "~/.aws/config"}.get(method, method)


def _one_line(value) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__
