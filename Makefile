# Strata. `make run` builds the example project on the embedded DuckDB and
# shows it; `make test` runs every test. See README.md.

export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin/strata
EXAMPLE := examples/saas
# The example data ends on this day; pinning as-of keeps `make run` reproducible.
AS_OF   := 2025-06-30

.PHONY: all build run test checkers fuzz golden bench bench-compile bench-one-entity bench-cli bench-revenue bench-views bench-build fmt clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/strata

run: build
	@test -f $(EXAMPLE)/data/customers.csv || ./$(BIN) sample-data --out $(EXAMPLE)/data
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) build
	@echo
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) show at_risk --limit 5
	@echo
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) show segment_at_risk_changes --limit 6
	@echo
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) segments
	@echo
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) show mrr_movements_summary --limit 6
	@echo
	./$(BIN) --project $(EXAMPLE) --as-of $(AS_OF) show cohort_paying --limit 6

# The parsers that check the SQL of the dialects Strata cannot execute
# here (internal/dialectcheck), pinned: sqlglot and sqlfluff in a virtual
# environment of their own, installed from PyPI once, again when
# requirements.txt changes; sqlparser-rs (WebAssembly, run by Node) from
# npm, again when package-lock.json changes.
CHECKERS := .cache/checkers/venv
CHECKERS_NPM := .cache/checkers/npm
ZETASQL := .cache/zetasql
ENGINES := .cache/engines/venv

checkers: $(CHECKERS)/.installed $(CHECKERS_NPM)/.installed $(ZETASQL)/.installed $(ENGINES)/.installed

$(CHECKERS)/.installed: internal/dialectcheck/requirements.txt
	python3 -m venv $(CHECKERS)
	$(CHECKERS)/bin/pip install --quiet --disable-pip-version-check -r internal/dialectcheck/requirements.txt
	touch $@

$(CHECKERS_NPM)/.installed: internal/dialectcheck/package.json internal/dialectcheck/package-lock.json
	mkdir -p $(CHECKERS_NPM)
	cp internal/dialectcheck/package.json internal/dialectcheck/package-lock.json $(CHECKERS_NPM)/
	npm ci --prefix $(CHECKERS_NPM) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# ZetaSQL, BigQuery's own analyser (internal/zetasqlcheck), from npm.

$(ZETASQL)/.installed: internal/zetasqlcheck/package.json internal/zetasqlcheck/package-lock.json
	mkdir -p $(ZETASQL)
	cp internal/zetasqlcheck/package.json internal/zetasqlcheck/package-lock.json $(ZETASQL)/
	npm ci --prefix $(ZETASQL) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The engines the goldens run on besides DuckDB and PostgreSQL
# (internal/enginecheck): chDB (ClickHouse), PySpark, Trino's client and
# fakesnow (Snowflake emulated over DuckDB, a secondary signal), pinned,
# in a virtual environment of their own. The Trino server itself is
# internal/enginecheck/trino/server.sh's.

$(ENGINES)/.installed: internal/enginecheck/requirements.txt
	python3 -m venv $(ENGINES)
	$(ENGINES)/bin/pip install --quiet --disable-pip-version-check -r internal/enginecheck/requirements.txt
	touch $@

# The 60 min timeout guards against a hung engine; it is not a budget:
# the fixtures package runs every case on six engines and took 21 min of
# CI's 22 (1,246 s), and at 30 min a busy machine tripped it, nothing hung.
test: checkers
	@if [ -z "$$STRATA_TEST_PG_DSN" ]; then \
	  echo "NOTE: STRATA_TEST_PG_DSN is not set: the PostgreSQL tests will be SKIPPED."; \
	  echo "      (bash .ci/run starts a throwaway server and runs them; CI=true makes a missing server fail.)"; \
	fi
	@if [ -z "$$STRATA_TEST_TRINO" ]; then \
	  echo "NOTE: STRATA_TEST_TRINO is not set: the Trino tests will be SKIPPED."; \
	  echo "      (eval \"\$$(internal/enginecheck/trino/server.sh start)\" starts one; bash .ci/run does.)"; \
	fi
	$(GO) test -timeout 60m ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=15s FUZZCOMPILE=20000x

# Fuzz the compiler with arbitrary HCL, segment rules on DuckDB and
# PostgreSQL, the chunked parser against a whole-file parse and the fast
# parser against hclsyntax, for FUZZTIME each (make test runs 15s each; the corpus and
# every input that once failed run in every `go test`). A failure writes
# the input to testdata/fuzz/<target>/: commit it as a regression case.
FUZZTIME ?= 10m
# make test gives FuzzCompile a count of inputs (about 15 s here) rather
# than a time: on a busy machine a 15 s deadline could end while an input
# was still compiling, and go test reported "context deadline exceeded"
# as a failure with no failing input.
FUZZCOMPILE ?= $(FUZZTIME)
fuzz:
	$(GO) test ./compiler -run '^$$' -fuzz '^FuzzCompile$$' -fuzztime $(FUZZCOMPILE) -fuzzminimizetime 0
	$(GO) test ./internal/hostile -run '^$$' -fuzz '^FuzzRules$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0
	$(GO) test ./compiler/decode -run '^$$' -fuzz '^FuzzChunkedParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0
	$(GO) test ./compiler/decode -run '^$$' -fuzz '^FuzzFastParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0

# Rewrite the golden files after an intended change; review the diff.
golden:
	$(GO) test ./fixtures -run 'TestGolden$$' -update

bench: bench-compile bench-one-entity bench-cli bench-views bench-revenue bench-build

# Compile synthetic projects of 1k, 10k and 100k definitions for both dialects.
bench-compile:
	$(GO) test ./compiler -run '^$$' -bench BenchmarkCompile -benchmem -benchtime 3x

# One entity with 1k to 300k metrics and segments, the shape real projects
# have: hclsyntax alone, Load, Render, validate and compile, with memory.
bench-one-entity: build
	$(GO) run ./internal/synthetic/benchcompile -sizes 1000,10000,100000,300000 -rounds 3

# The command line on a 10,000-definition project: wall time and peak memory.
bench-cli: build
	@rm -rf /tmp/strata-bench && $(GO) run ./internal/synthetic/writesynthetic -n 10000 -out /tmp/strata-bench/project
	@if [ -x /usr/bin/time ]; then TIME="/usr/bin/time -f %es_wall_%MKB_peak_RSS"; else TIME=""; fi; \
	  echo "validate (both dialects):"; $$TIME ./$(BIN) --project /tmp/strata-bench/project --as-of $(AS_OF) validate; \
	  echo "compile --dialect postgres:"; $$TIME ./$(BIN) --project /tmp/strata-bench/project --as-of $(AS_OF) compile --dialect postgres --out /tmp/strata-bench/sql

# Strata's MRR, movements and 24-month cohort views against hand-written
# SQL on 1M generated customers, on the same DuckDB.
bench-revenue:
	$(GO) run ./internal/handsql/benchrevenue -customers 1000000

# The example's profile and segment views against hand-written SQL, and
# the build's summary against the whole build, on 1M customers.
bench-views:
	$(GO) run ./internal/handsql/benchviews -customers 1000000 -rounds 5

bench-build: build
	$(GO) run ./internal/handsql/benchbuild -customers 1000000 -rounds 3

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin $(EXAMPLE)/build $(EXAMPLE)/data
