# The two commands of the README. Each sets up what it needs first.
.PHONY: demo test setup wasm

demo:            ## run the demo: local AWS stand-in, demo estate, scan, reports in out/demo
	@scripts/bootstrap.sh python
	.venv/bin/mlwarden demo --out out/demo --format json,html,sarif,junit,csv,asff

test:            ## the whole test suite (installs the browser and builds OPA/Regal on first run)
	@scripts/bootstrap.sh all
	PATH=$(CURDIR)/.tools/bin:$$PATH .venv/bin/python -m pytest -q

setup:
	@scripts/bootstrap.sh all

wasm:            ## rebuild the shipped policy module (scanner/engine/wasm/) after changing policies/
	@scripts/bootstrap.sh python
	@scripts/bootstrap.sh opa
	PATH=$(CURDIR)/.tools/bin:$$PATH .venv/bin/python -m mlwarden.engine.wasm_build
