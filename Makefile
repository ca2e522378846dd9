# netxray — the two commands a fresh machine needs are `make demo` and
# `make test`; both install what they need.

GO      ?= go
BIN     := bin/netxray
PKGS    := ./...
SHARED  ?= $(abspath ../shared)
APT_PKGS_TEST := openvswitch-switch shellcheck xz-utils

export NETXRAY := $(abspath $(BIN))
export GO

.PHONY: all build unit test vet fmt-check deps-test fuzz bench demo clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/netxray

# Fast inner loop: no race detector, no lab, no real-switch comparison.
unit:
	$(GO) vet $(PKGS)
	$(GO) test -short $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Installs the Debian packages the full tests need, only when missing.
deps-test:
	@missing=""; for p in $(APT_PKGS_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The full truth: vet, formatting, unit + corpus tests with -race, the
# real-switch differential test, and the lab job (a real Neutron lab, the
# real collector, netxray on what it collected).
test: deps-test fmt-check vet build
	$(GO) test -race -timeout 60m $(PKGS)
	$(MAKE) lab-test

# Runs every Fuzz target for a short while.
FUZZTIME ?= 10s
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

# Go benchmarks, then the same-run comparisons with the reference tools
# (Open vSwitch's Python flow parser).
bench:
	@dpkg -s python3-openvswitch >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-openvswitch; }
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
	bash bench/flows.sh

demo: build
	@bash fixtures/demo.sh

clean:
	rm -rf bin

include fixtures/lab/lab.mk
