# The two quick-start commands of the README. Each installs the missing system packages
# (Debian's libopenblas-dev, pkg-config) first, so they work on a fresh Debian/Ubuntu machine
# as root or with sudo.

CARGO ?= cargo

.PHONY: report test deps check-report bench-compare

## Regenerate docs/report.md and its figures in plots/ (the main job).
report: deps
	$(CARGO) run --release -- report --out docs --plots plots

## Fail (listing the files) when docs/report.md or its figures are stale.
check-report: deps
	$(CARGO) run --release -- report --check

## Run the whole test suite (unit, statistical, CLI, report freshness, doctests).
test: deps
	$(CARGO) test --all-targets
	$(CARGO) test --doc

## Time rmspec against a numpy/scipy pipeline doing the same work (installs numpy into bench/.venv).
bench-compare: deps
	bench/compare

## Install missing system packages (no-op when present).
deps:
	@scripts/ensure-system-deps.sh
