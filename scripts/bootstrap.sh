#!/usr/bin/env bash
# Set up everything the demo and the tests need, on a fresh machine, idempotently:
#   .venv/                 the scanner's own environment (mlwarden + test extras)
#   /usr/bin/chromium      Debian's Chromium, for the HTML report tests and PDF output
#   .tools/bin/opa, regal  built from the Go module proxy (policy checks, OPA engine)
#   .tools/checkov-venv/   checkov in its own environment (it pins an old boto3)
# Usage: scripts/bootstrap.sh [python|browser|opa|checkov|all]   (default: python)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
OPA_VERSION=${OPA_VERSION:-v1.20.0}
# Regal moved to github.com/open-policy-agent/regal after v0.35; the Go module proxy
# reachable here serves only the older path, github.com/styrainc/regal (v0.35.1 is
# its last release there).
REGAL_VERSION=${REGAL_VERSION:-v0.35.1}
CHECKOV_VERSION=${CHECKOV_VERSION:-3.3.30}

python_env() {
  local stamp=.venv/.mlwarden-installed
  if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    [[ -x .venv/bin/python ]] || "$PY" -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -e '.[test]'
    touch "$stamp"
  fi
}

browser() {
  if [[ ! -x /usr/bin/chromium ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "bootstrap: /usr/bin/chromium missing; install Debian's 'chromium' package" >&2
    fi
  fi
}

opa_tools() {
  mkdir -p .tools/bin
  export GOBIN=$ROOT/.tools/bin GOFLAGS=-mod=mod
  [[ -x .tools/bin/opa ]] || go install "github.com/open-policy-agent/opa@${OPA_VERSION}"
  # `go install mod@version` asks the proxy for the module's version list (to print
  # deprecations), which the proxy refuses for regal; download that exact version
  # and build it from the module cache instead.
  if [[ ! -x .tools/bin/regal ]]; then
    local dir
    dir=$(go mod download -json "github.com/styrainc/regal@${REGAL_VERSION}" \
          | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    (cd "$dir" && GOFLAGS=-mod=readonly go build -trimpath -o "$ROOT/.tools/bin/regal" .)
  fi
}

checkov_env() {
  if [[ ! -x .tools/checkov-venv/bin/checkov ]]; then
    "$PY" -m venv .tools/checkov-venv
    .tools/checkov-venv/bin/pip install --quiet "checkov==${CHECKOV_VERSION}"
  fi
}

case "${1:-python}" in
  python) python_env ;;
  browser) browser ;;
  opa) opa_tools ;;
  checkov) checkov_env ;;
  all) python_env; browser; opa_tools; checkov_env ;;
  *) echo "usage: $0 [python|browser|opa|checkov|all]" >&2; exit 2 ;;
esac
