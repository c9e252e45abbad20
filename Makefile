# Thin wrapper over the CMake presets: the README's two commands (`make demo`, `make test`) and
# the longer campaigns. Every target installs what it needs first (scripts/deps.sh).
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory
FUZZ_SECONDS ?= 30
PREFIX ?= /usr/local
BUILD_LOG ?= build/build.log

.PHONY: all deps host asan firmware fuzz-build test demo lint format fuzz sweep bench clean \
	install package

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

# The demo shows the demo: both builds run quietly into $(BUILD_LOG), printed only on failure.
demo: deps
	@mkdir -p build
	@echo "building wbota, wbota-emu and the firmware (log: $(BUILD_LOG)) ..."
	@if ! { cmake --preset host && cmake --build --preset host -j $(JOBS) && \
	        cmake --preset firmware && cmake --build --preset firmware -j $(JOBS); } \
	        >$(BUILD_LOG) 2>&1; then \
	    cat $(BUILD_LOG); echo "make demo: the build FAILED (log above, kept in $(BUILD_LOG))"; \
	    exit 1; fi
	@./scripts/demo.sh

# wbota, wbota-emu, the app kit (headers, sources, linker fragments) and the docs under PREFIX
install: host
	@cmake --install build/host --prefix $(PREFIX)

# Debian package of the host tools (CPack): build/host/package/wbota_<version>_<arch>.deb
package: host
	@cd build/host && cpack -G DEB

fuzz: fuzz-build
	@./scripts/run-fuzz.sh build/fuzz 600

sweep: host firmware
	@./scripts/sweep.sh full
	@WBOTA_SWEEP_STRIDE=1 ./build/host/tests/test_staged_loop
	@WBOTA_SWEEP_STRIDE=1 ./build/host/tests/test_swap

bench: host firmware
	@for b in bench/*.sh; do echo "== $$b =="; $$b || exit 1; done

lint: deps
	@cmake --preset host >/dev/null
	@./scripts/lint.sh

format:
	@git ls-files '*.c' '*.h' | grep -v '^firmware/keys/' | xargs clang-format -i

clean:
	rm -rf build
