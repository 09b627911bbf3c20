#!/bin/sh
# Builds Parafrac and runs every test (installing what it needs): the plain build with warnings
# as errors, then the same suites under ThreadSanitizer and AddressSanitizer+UBSan, then each
# libFuzzer harness for a bounded number of inputs (scripts/fuzz.sh runs them for longer).
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh
jobs=$(nproc)
# Mesa is installed (llvmpipe runs compute shaders on the CPU where there is no GPU): the gpu
# strategy must be available, so its tests cannot be skipped unnoticed.
export PARAFRAC_REQUIRE_GPU=1

echo "== release build, warnings are errors"
scripts/build.sh build -DPARAFRAC_WERROR=ON
(cd build && ctest --output-on-failure --parallel "$jobs")

echo "== ThreadSanitizer build"
scripts/build.sh build-tsan -DPARAFRAC_SANITIZE=thread -DPARAFRAC_WERROR=ON \
  -DPARAFRAC_BUILD_GUI=OFF -DPARAFRAC_BUILD_BENCHMARKS=OFF
# TSan's shadow memory needs a predictable layout on kernels with high mmap randomisation.
# tests/tsan.supp: what TSan cannot see inside the uninstrumented oneTBB, libgomp and Mesa (read it).
suppressions="$PWD/tests/tsan.supp"
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$suppressions" \
  setarch "$(uname -m)" -R ctest --output-on-failure --parallel "$jobs")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
scripts/build.sh build-asan -DPARAFRAC_SANITIZE=address -DPARAFRAC_WERROR=ON \
  -DPARAFRAC_BUILD_GUI=OFF -DPARAFRAC_BUILD_BENCHMARKS=OFF
(cd build-asan && ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1" \
  ctest --output-on-failure --parallel "$jobs")

echo "== fuzzers (libFuzzer, ASan+UBSan), bounded"
CC=clang CXX=clang++ scripts/build.sh build-fuzz -DPARAFRAC_FUZZ=ON -DPARAFRAC_WERROR=ON \
  -DPARAFRAC_BUILD_GUI=OFF -DPARAFRAC_BUILD_TESTS=OFF -DPARAFRAC_BUILD_BENCHMARKS=OFF
(cd build-fuzz && ctest --output-on-failure --parallel "$jobs")

echo "parafrac: every suite passed (release, TSan, ASan+UBSan, fuzzers)"
