# gradflow — the two commands of the Quick start are `make demo` and `make test`.
# Each installs what a fresh Debian/Ubuntu machine lacks (only what is missing), then builds.

SWIFT      ?= swift
BIN        := .build/debug/gradflow
RELEASE    := .build/release/gradflow
DEMO_SCENE ?= Scenes/survey.scene
# Debian packages: ncurses and Graphviz headers for the C targets, Graphviz's render plugins,
# OpenBLAS (cblas.h and libopenblas) for the engine's matrix products, tmux for the end-to-end
# terminal tests, pkg-config for SwiftPM, strace for the security tests.
APT_PACKAGES := libncurses-dev libgraphviz-dev graphviz libopenblas-dev tmux pkg-config strace
# Test-only: Debian's headless Chromium opens the HTML slideshow as a browser would (about
# 20 packages, ~65 MB; 48 s to download and install on a machine of this kind). python3-venv for
# the capture tests' virtual environment. texlive-latex-base, the smallest Debian TeX with
# pdflatex, compiles every scene's `trace --format latex`.
APT_TEST_PACKAGES := chromium-headless-shell python3-venv texlive-latex-base
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The Swift driver leaves an empty `TemporaryDirectory.*` (holding only `.keep-directory`) in
# TMPDIR at each compiler run, dozens a build: each SwiftPM command runs with a TMPDIR of its own
# under .build/tmp, removed when it ends (its own, so that `make build` beside `make fuzz` never
# removes a directory the other's compiler is using). The tests' own files live in one directory
# per test process, removed when it exits.
SWIFT_TMPDIR := $(CURDIR)/.build/tmp
IN_SWIFT_TMPDIR := mkdir -p $(SWIFT_TMPDIR) && tmp=$$(mktemp -d $(SWIFT_TMPDIR)/run.XXXXXX) && TMPDIR=$$tmp
SWIFT_TMPDIR_CLEAN := rm -rf "$$tmp"

.PHONY: all deps test-deps install-missing build release demo test test-capture capture-env bench clean fuzz sanitize

all: build

deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(APT_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(APT_TEST_PACKAGES)"

# Installs those of PACKAGES that dpkg does not know, and nothing when none is missing.
install-missing:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(IN_SWIFT_TMPDIR) $(SWIFT) build; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status

release: deps
	$(IN_SWIFT_TMPDIR) $(SWIFT) build -c release; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status

demo: build
	$(BIN) step $(DEMO_SCENE)

test: test-deps capture-env
	$(IN_SWIFT_TMPDIR) $(SWIFT) build --build-tests; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status
	$(IN_SWIFT_TMPDIR) $(SWIFT) test --skip-build; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status
	$(CAPTURE_PYTHON) -m unittest discover -s python/tests

# The Python capture package (python/, docs/capture.md) is tested against real installs of the
# frameworks it captures from, in python/.venv, each installed only when missing. PyTorch is the
# large one: about 3 GB, 2 min 10 s to install on this machine (measured), so it is part of
# `make test`. `make test-capture` runs only the Python round trips.
CAPTURE_VENV       := python/.venv
CAPTURE_PYTHON     := $(CAPTURE_VENV)/bin/python
# NumPy (which jax brings anyway) is named for the tensor scenes' independent reference
# (python/tests/tensor_reference.py).
CAPTURE_FRAMEWORKS := micrograd jax torch numpy

capture-env: test-deps
	@[ -x $(CAPTURE_PYTHON) ] || python3 -m venv $(CAPTURE_VENV)
	@missing=""; for module in $(CAPTURE_FRAMEWORKS); do \
	  $(CAPTURE_PYTHON) -c "import $$module" >/dev/null 2>&1 || missing="$$missing $$module"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing into $(CAPTURE_VENV):$$missing"; \
	  $(CAPTURE_VENV)/bin/pip install -q --disable-pip-version-check $$missing; \
	fi
	@$(CAPTURE_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall ./python

test-capture: build capture-env
	$(CAPTURE_PYTHON) -m unittest discover -s python/tests

clean:
	rm -rf .build

# Benchmarks (see Benchmarks/README section in the main README): medians and ratios.
bench: deps
	$(IN_SWIFT_TMPDIR) ./Benchmarks/run.sh; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status

# Hardening (see the README's hardening section). `make fuzz` runs libFuzzer over the scene
# parser and tracer for FUZZ_SECONDS and minimises what it found into Fuzz/corpus.
FUZZ_SECONDS ?= 180
fuzz: deps
	$(IN_SWIFT_TMPDIR) FUZZ_SECONDS=$(FUZZ_SECONDS) ./Fuzz/run.sh; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status

# The whole test suite under AddressSanitizer, then ThreadSanitizer, each in its own build
# directory. The CLI tests run the gradflow binary of the same sanitized build.
sanitize: deps
	$(IN_SWIFT_TMPDIR) ./Fuzz/sanitize.sh; status=$$?; $(SWIFT_TMPDIR_CLEAN); exit $$status
