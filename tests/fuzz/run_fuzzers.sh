#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (a CMake project of their own)
# and runs each one for a bounded time on a copy of its seed corpus.
# Fails on the first crash, leak, sanitizer report or timeout.
#
# usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR [SECONDS_PER_HARNESS]
set -euo pipefail

source_dir=$1
build_dir=$2
seconds=${3:-30}
harnesses=(cookie json router)

cxx=$(command -v clang++ || true)
if [[ -z $cxx ]]; then
  echo "clang++ is required for the fuzz harnesses" >&2
  exit 1
fi

cmake -S "$source_dir/tests/fuzz/project" -B "$build_dir" -DCMAKE_CXX_COMPILER="$cxx" \
  -DSTORK_SOURCE_DIR="$source_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build_dir.configure.log" 2>&1 ||
  { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" -j2 > "$build_dir.build.log" 2>&1 || { tail -50 "$build_dir.build.log"; exit 1; }

status=0
summary=()
for h in "${harnesses[@]}"; do
  work="$build_dir/run/$h"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$source_dir/tests/fuzz/corpus/$h/"* "$work/corpus/"
  log="$work/fuzz.log"
  # -timeout: one input taking over 10 s counts as a hang (a bug).
  if "$build_dir/${h}_fuzzer" "$work/corpus" "$source_dir/tests/fuzz/corpus/$h" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/" > "$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    tail -60 "$log"
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  summary+=("$h: $result, $execs executions in ${seconds}s")
done

printf 'fuzz %s\n' "${summary[@]}"
exit $status
