# The commands of the README. Each sets up what it needs first.
.PHONY: demo check test faults setup wasm

# The fast tier: no AWS stand-in, browser, Go tools or checkov (markers set in tests/conftest.py).
FAST = not (slow or aws or browser or opa or checkov or e2e)
# Test processes (pytest-xdist). Whole modules go to a worker (--dist loadscope), so a
# module's shared fixtures (moto servers, demo estates) are still built once, in the order
# tests/conftest.py gives (the longest first), not xdist's (most tests first). 2 is the CI
# machine's core count; `make check WORKERS=auto` on a bigger one, WORKERS=0 for one process.
WORKERS ?= 2
XDIST = -n $(WORKERS) --dist loadscope --no-loadscope-reorder

demo:            ## run the demo: local AWS stand-in, demo estate, scan, reports in out/demo
	@scripts/bootstrap.sh python
	.venv/bin/mlwarden demo --out out/demo --format json,html,sarif,junit,csv,asff

check:           ## the fast tier for the edit-test loop: unit, policy and CLI tests (about 2 minutes over 2 workers)
	@scripts/bootstrap.sh python
	.venv/bin/python -m pytest -q $(XDIST) -m "$(FAST)"

test:            ## the whole test suite, about 12.5 minutes over 2 workers (installs the browser and builds OPA/Regal on first run)
	@scripts/bootstrap.sh all
	PATH=$(CURDIR)/.tools/bin:$$PATH .venv/bin/python -m pytest -q $(XDIST) --durations=15

setup:
	@scripts/bootstrap.sh all

wasm:            ## rebuild the shipped policy module (scanner/engine/wasm/) after changing policies/
	@scripts/bootstrap.sh python
	@scripts/bootstrap.sh opa
	PATH=$(CURDIR)/.tools/bin:$$PATH .venv/bin/python -m mlwarden.engine.wasm_build

faults:          ## the whole fault matrix: every declared AWS operation x 9 fault kinds, 8 attempts (make test runs 7 kinds)
	@scripts/bootstrap.sh all
	MLWARDEN_FAULT_MATRIX=full PATH=$(CURDIR)/.tools/bin:$$PATH .venv/bin/python -m pytest -q -s tests/faults
