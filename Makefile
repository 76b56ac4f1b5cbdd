# The two commands of the README:
#   make run    install what is missing, build, run the conformance suite
#               and write its HTML report
#   make test   install what is missing, build, run every test (plain build,
#               release build, and a build with the address and
#               undefined-behaviour sanitizers)
# Everything else is meson; this file only strings the steps together.

BUILD   ?= build
RELEASE ?= build-release
ASAN    ?= build-asan
# The real libraries' scenarios name this folder (relative to the source
# root) whatever BUILD is, so every build's conformance test finds it.
LIBS    := build/libs

.PHONY: all deps test-deps libs build run test test-plain test-release \
        test-asan valgrind bench clean

all: build

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(RELEASE)/build.ninja:
	meson setup $(RELEASE) --buildtype=release

$(ASAN)/build.ninja:
	meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false \
	      --buildtype=debug

libs: deps
	@scripts/fetch-libs.sh $(LIBS)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build libs
	$(BUILD)/sim/rsim conformance scenarios -j 2 --html $(BUILD)/rsim-report.html \
	  --json $(BUILD)/rsim-results.json --junit $(BUILD)/rsim-junit.xml

test: test-plain test-release test-asan

test-plain: test-deps build libs
	meson test -C $(BUILD) --print-errorlogs

# what a packager builds (meson setup --buildtype=release): -O3 finds
# warnings the other builds do not
test-release: test-deps libs $(RELEASE)/build.ninja
	meson compile -C $(RELEASE)
	meson test -C $(RELEASE) --print-errorlogs

test-asan: test-deps libs $(ASAN)/build.ninja
	meson compile -C $(ASAN)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
	meson test -C $(ASAN) --print-errorlogs

valgrind: build
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	  $(BUILD)/sim/rsim run examples/hello.lua >/dev/null

bench: build
	$(BUILD)/bench/rsim-bench

clean:
	rm -rf $(BUILD) $(RELEASE) $(ASAN)
