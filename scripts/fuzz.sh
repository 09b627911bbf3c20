#!/bin/sh
# Fuzzes Parafrac's parsers of outside input: scripts/fuzz.sh [SECONDS] [HARNESS...]
# Builds the libFuzzer harnesses (fuzz/, clang, ASan+UBSan) in build-fuzz, then runs each one
# named (all of them by default) for SECONDS (default 60), one after the other, starting from its
# committed seed corpus. New inputs go to fuzz/scratch/HARNESS/, never to the committed corpus;
# a crash is saved there too (fuzz/scratch/HARNESS/crash-...) and ends the run with its stack.
# A crash becomes a regression input: fix it, then copy the input into fuzz/corpus/HARNESS/.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [ $# -gt 0 ]; then shift; fi

CC=clang CXX=clang++ scripts/build.sh build-fuzz -DPARAFRAC_FUZZ=ON -DPARAFRAC_WERROR=ON \
  -DPARAFRAC_BUILD_GUI=OFF -DPARAFRAC_BUILD_TESTS=OFF -DPARAFRAC_BUILD_BENCHMARKS=OFF
harnesses=${*:-$(cd fuzz/corpus && echo *)}

failed=""
for harness in $harnesses; do
  scratch=fuzz/scratch/$harness
  mkdir -p "$scratch"
  echo "== $harness for $seconds s (new inputs: $scratch)"
  UBSAN_OPTIONS=print_stacktrace=1 build-fuzz/bin/"$harness" -max_total_time="$seconds" -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/" "$scratch" fuzz/corpus/"$harness" ||
    failed="$failed $harness"
done
[ -z "$failed" ] || { echo "fuzz: found crashes in:$failed (inputs in fuzz/scratch/HARNESS/)" >&2; exit 1; }
echo "fuzz: no crash in $seconds s each of: $harnesses"
