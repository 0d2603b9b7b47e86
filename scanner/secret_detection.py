"""Is this value a plaintext secret? A detector's verdict, computed before redaction.

Policies never see redacted values, so a rule like "no plaintext secret in an
environment variable" judges `facts.secret_findings`: where a detector fired and
which one, never the value. The detector is Yelp's detect-secrets with its
pattern plugins (AWS keys, private keys, GitHub/Slack/Stripe/... tokens, basic-auth
URLs, JWTs) and its keyword plugin (a password-like name with a literal value), and
its heuristics that drop references such as `{{resolve:secretsmanager:…}}` and
`${VAR}`. The high-entropy plugins are left out: on model URIs, image digests and
hyperparameters they fire on nearly everything.
"""
from __future__ import annotations

import re
import threading
from importlib.metadata import PackageNotFoundError, version

_LOCK = threading.Lock()
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
# detect-secrets' keyword plugin knows passwords, secrets and keys but not tokens or
# credentials; a literal under such a name counts too ("Secret Name").
_SECRET_NAME = re.compile(r"(token|secret|passw(or)?d|pwd|api_?key|private_?key|credentials?)$", re.I)
_NOT_A_SECRET = re.compile(r"^(true|false|yes|no|none|null|\d{1,5})$", re.I)
# Values that point at a secret rather than hold one.
_REFERENCE = re.compile(r"^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|\{\{resolve:|\$\{|\$\()")


def _plugins() -> list[dict]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    return [{"name": cls.__name__} for cls in get_mapping_from_secret_type_to_class().values()
            if "HighEntropy" not in cls.__name__]


def detector_name() -> str:
    try:
        return f"detect-secrets {version('detect-secrets')} (pattern and keyword plugins)"
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        return "detect-secrets (not installed)"


class Detector:
    """Reusable across many values; detect-secrets' settings are process-global, so
    the scans of one detector run under one lock."""

    def __enter__(self) -> "Detector":
        from detect_secrets.settings import get_settings, transient_settings
        _LOCK.acquire()
        self._settings = transient_settings({"plugins_used": _plugins()})
        self._settings.__enter__()
        # What detect-secrets' scan_line sets up on every call, once: it made a scan of
        # 10,000 jobs take minutes instead of seconds.
        from detect_secrets.settings import get_filters, get_plugins
        get_settings().disable_filters("detect_secrets.filters.common.is_invalid_file")
        get_filters.cache_clear()
        self._plugins_loaded = list(get_plugins())
        self._memo: dict[str, list[str]] = {}
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._settings.__exit__(*exc)
        finally:
            _LOCK.release()

    def value(self, name: str, value: str) -> list[str]:
        """Detectors that fire on `value`, held under the name `name` (an environment
        variable, a hyperparameter, a parameter)."""
        if not value or _REFERENCE.match(value):
            return []
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        # One line: the pattern plugins find a key inside it as well as on its own.
        hits = self._lines([f'{_identifier(name)}="{quoted}"'])
        if not hits and _SECRET_NAME.search(name) and len(value) >= 6 and not _NOT_A_SECRET.match(value):
            hits = ["Secret Name"]
        return hits

    def script(self, text: str) -> list[tuple[int, str]]:
        """(line number, detector) for each line of a shell script that holds a secret;
        `NAME=value` assignments are also judged as name and value."""
        out = []
        for n, line in enumerate(text.splitlines(), 1):
            hits = self._lines([line])
            m = _ASSIGNMENT.match(line)
            if m:
                hits += self.value(m.group(1), m.group(2).strip("'\""))
            out += [(n, d) for d in dict.fromkeys(hits)]
        return out

    def _lines(self, lines: list[str]) -> list[str]:
        found: list[str] = []
        for line in lines:
            if line not in self._memo:   # values repeat across jobs, steps and accounts
                self._memo[line] = self._scan(line)
            found += self._memo[line]
        return list(dict.fromkeys(found))

    def _scan(self, line: str) -> list[str]:
        """detect-secrets' `scan_line` without its per-call setup (done in __enter__)."""
        from detect_secrets.core.scan import _is_filtered_out, _scan_line
        from detect_secrets.util.code_snippet import get_code_snippet
        context = get_code_snippet(lines=[line], line_number=1)
        return [secret.type for plugin in self._plugins_loaded
                for secret in _scan_line(plugin=plugin, filename="adhoc-string-scan", line=line, line_number=0,
                                         enable_eager_search=True, context=context)
                if not _is_filtered_out(required_filter_parameters=["context"], filename=secret.filename,
                                        secret=secret.secret_value, plugin=plugin, line=line, context=context)]


def _identifier(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name) or "value"
