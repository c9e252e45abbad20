# Thin wrapper over the CMake presets: the README's two commands (`make demo`, `make test`) and
# the longer campaigns. Every target installs what it needs first (scripts/deps.sh).
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
FUZZ_SECONDS ?= 30

.PHONY: all deps host asan firmware fuzz-build test demo lint format fuzz sweep bench clean

all: host firmware

deps:
	@./scripts/deps.sh

host: deps
	@cmake --preset host >/dev/null
	@cmake --build --preset host -j $(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

firmware: deps
	@cmake --preset firmware >/dev/null
	@cmake --build --preset firmware -j $(JOBS)

fuzz-build: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

# Everything CI checks: unit + integration tests (normal and ASan/UBSan), firmware build with
# size budget, bounded fuzz runs.
test: host asan firmware fuzz-build
	@echo "== tests (gcc) =="
	@WBOTA_NO_SKIP=1 ctest --preset host -j $(JOBS)
	@echo "== tests (ASan+UBSan) =="
	@WBOTA_NO_SKIP=1 ctest --preset asan -j $(JOBS)
	@echo "== firmware sizes =="
	@./scripts/fw-sizes.sh build/firmware
	@echo "== fuzz ($(FUZZ_SECONDS) s per harness) =="
	@./scripts/run-fuzz.sh build/fuzz $(FUZZ_SECONDS)

demo: host firmware
	@./scripts/demo.sh

fuzz: fuzz-build
	@./scripts/run-fuzz.sh build/fuzz 600

sweep: host firmware
	@./scripts/sweep.sh full
	@WBOTA_SWEEP_STRIDE=1 ./build/host/tests/test_staged_loop

bench: host firmware
	@for b in bench/*.sh; do echo "== $$b =="; $$b || exit 1; done

lint: deps
	@cmake --preset host >/dev/null
	@./scripts/lint.sh

format:
	@git ls-files '*.c' '*.h' | grep -v '^firmware/keys/' | xargs clang-format -i

clean:
	rm -rf build
