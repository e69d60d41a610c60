# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help
DOTNET ?= dotnet
CONFIG ?= Release
BIN := $(CURDIR)/bin
RESULTS := $(CURDIR)/TestResults
TEST_PROJECTS := $(wildcard tests/*.Tests/*.Tests.csproj)
EXECUTABLES := Operator:hipaa-mongo LocalCluster:local-cluster MongodSimulator:mongod-sim
# The operator image: the chart's appVersion is its tag, and config/manager names the same reference (tested).
IMAGE ?= hipaa-mongo:$(shell awk '/^appVersion:/{gsub(/"/,"",$$2); print $$2}' charts/hipaa-mongo-operator/Chart.yaml)
CONTAINER_ENGINE ?= $(shell command -v docker || command -v podman)

.PHONY: help build test run bench format format-check clean prereqs image image-ref

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

prereqs: ## install what builds and tests need (idempotent)
	@bash scripts/prereqs.sh

build: ## build everything; executables land in bin/
	$(DOTNET) build MongoOperator.sln -c $(CONFIG) --nologo -v quiet
	@mkdir -p $(BIN)
	@for e in $(EXECUTABLES); do proj=$${e%%:*}; exe=$${e##*:}; \
	  out=$$(ls -d artifacts/bin/$$proj/$$(echo $(CONFIG) | tr A-Z a-z) 2>/dev/null); \
	  [ -n "$$out" ] || { echo "no build output for $$proj" >&2; exit 1; }; \
	  printf '#!/usr/bin/env bash\nexec "%s/%s" "$$@"\n' "$(CURDIR)/$$out" "$$exe" > $(BIN)/$$exe; chmod +x $(BIN)/$$exe; \
	done

test: prereqs build ## run every test project; ends with one line "N passed, N failed"
	@rm -rf $(RESULTS)
	@status=0; $(DOTNET) test --solution MongoOperator.sln -c $(CONFIG) --no-build --max-parallel-test-modules 2 \
	  --results-directory $(RESULTS) --report-xunit-trx --output Detailed || status=1; \
	python3 scripts/test-summary.py $(RESULTS) $(words $(TEST_PROJECTS)) || status=1; exit $$status

run: prereqs build ## the operator end to end on the embedded LocalCluster
	@bash scripts/run-local.sh

bench: ## benchmarks, printed as ratios in one run (BENCH_FULL=1: 20,000-object scale, 1,000-resource drift, 100-set members, 1,000 users, full jobs)
	$(DOTNET) run -c Release --project tests/Benchmarks -- scale $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- drift $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- members $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- users $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- rollout $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- footprint $(if $(BENCH_FULL),,--quick)
	$(DOTNET) run -c Release --project tests/Benchmarks -- micro $(if $(BENCH_FULL),,--quick) --filter '*'

format: ## apply dotnet format
	$(DOTNET) format MongoOperator.sln

format-check: ## fail if dotnet format would change anything
	$(DOTNET) format MongoOperator.sln --verify-no-changes

image: ## build the operator image (Dockerfile) with docker or podman; IMAGE=... to name it
	@[ -n "$(CONTAINER_ENGINE)" ] || { echo "make image: no container engine (docker or podman) on PATH" >&2; exit 1; }
	$(CONTAINER_ENGINE) build -t $(IMAGE) .

image-ref: ## print the image reference that `make image` builds
	@echo $(IMAGE)

clean:
	rm -rf artifacts bin $(RESULTS)
