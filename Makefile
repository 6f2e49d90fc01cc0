# The two quick-start commands of the README. Each installs the missing system packages
# (Debian's libopenblas-dev, pkg-config) first, so they work on a fresh Debian/Ubuntu machine
# as root or with sudo.

CARGO ?= cargo

# The committed docs/ and plots/ were produced with OpenBLAS's Haswell (AVX2) kernels. OpenBLAS
# picks its kernel per CPU, and another kernel (SkylakeX on AVX-512 machines) changes the last
# bits of some results (the rounding-level spread of orthogonal spectra, JSON digits), so the
# targets that produce or compare committed files pin it. Left unset on CPUs without AVX2.
REFERENCE_KERNEL := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell)

.PHONY: report test deps check-report bench-compare slurm-test python-test

## Regenerate docs/report.md and its figures in plots/ (the main job).
report: deps
	OPENBLAS_CORETYPE=$(REFERENCE_KERNEL) $(CARGO) run --release -- report --docs docs --plots plots

## Fail (listing the files) when docs/report.md or its figures are stale.
check-report: deps
	OPENBLAS_CORETYPE=$(REFERENCE_KERNEL) $(CARGO) run --release -- report --check

## Run the whole test suite (unit, statistical, CLI, report freshness, doctests).
test: deps
	$(CARGO) test --all-targets
	$(CARGO) test --doc

## End-to-end test of the Slurm path (scripts/slurm/rmspec-slurm) on a private single-node Slurm
## cluster: as root on Debian/Ubuntu (installs slurm-wlm and munge when missing); about 2 minutes.
## The binary is the test-profile build that `cargo run --profile test` (CI's report check) uses.
slurm-test: deps
	$(CARGO) build --profile test --bin rmspec
	RMSPEC=$${CARGO_TARGET_DIR:-target}/debug/rmspec timeout --kill-after=120 600 tests/slurm/end-to-end.sh

## The Python package (python/): a venv under target/ with numpy, pytest and maturin from PyPI
## (the versions pinned in python/requirements-test.txt),
## the package installed by the README's command (pip install ./python: a release build), the
## member linted, and its pytest suite run against the CLI of the same release build.
PYTHON ?= python3
PYTHON_VENV := target/python-venv
python-test: deps
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { command -v apt-get >/dev/null && apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install --quiet --disable-pip-version-check -r python/requirements-test.txt
	$(PYTHON_VENV)/bin/pip install --quiet --disable-pip-version-check ./python
	$(CARGO) build --release --bin rmspec
	PYO3_PYTHON=$(CURDIR)/$(PYTHON_VENV)/bin/python $(CARGO) clippy -p rmspec-python --release -- -D warnings
	RMSPEC_BIN=target/release/rmspec $(PYTHON_VENV)/bin/python -m pytest -q python/tests

## Time rmspec against a numpy/scipy pipeline doing the same work (installs numpy into bench/.venv).
bench-compare: deps
	bench/compare

## Install missing system packages (no-op when present).
deps:
	@scripts/ensure-system-deps.sh
