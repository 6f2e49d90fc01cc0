# The two quick-start commands of the README. Each installs the missing system packages
# (Debian's libopenblas-dev, pkg-config) first, so they work on a fresh Debian/Ubuntu machine
# as root or with sudo.

CARGO ?= cargo

# The committed docs/ and plots/ were produced with OpenBLAS's Haswell (AVX2) kernels. OpenBLAS
# picks its kernel per CPU, and another kernel (SkylakeX on AVX-512 machines) changes the last
# bits of some results (the rounding-level spread of orthogonal spectra, JSON digits), so the
# targets that produce or compare committed files pin it. Left unset on CPUs without AVX2.
REFERENCE_KERNEL := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell)

.PHONY: report test deps check-report bench-compare slurm-test

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

## Time rmspec against a numpy/scipy pipeline doing the same work (installs numpy into bench/.venv).
bench-compare: deps
	bench/compare

## Install missing system packages (no-op when present).
deps:
	@scripts/ensure-system-deps.sh
