#!/usr/bin/env bash
# Configures and builds Stork with AddressSanitizer and UBSan in a build
# tree of its own, then runs the unit and integration tests there. Any
# sanitizer report fails the test.
#
# usage: run_sanitized.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2

# -O1: sanitizers need optimization little, and it compiles much faster than -O2.
cmake -S "$source_dir" -B "$build_dir" -DSTORK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
targets=(stork)
for t in stork_unit_tests stork_integration_tests; do
  grep -q "add_executable($t" "$source_dir"/tests/*/CMakeLists.txt && targets+=("$t")
done
cmake --build "$build_dir" -j2 --target "${targets[@]}" > "$build_dir.build.log" 2>&1 ||
  { tail -60 "$build_dir.build.log"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
log="$build_dir.ctest.log"
status=0
ctest --test-dir "$build_dir" -R '^stork_(unit|integration)_tests$' --output-on-failure > "$log" 2>&1 || status=$?
tail -15 "$log"
if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" "$build_dir"/Testing/Temporary/LastTest.log; then
  echo "sanitizer reports found:"
  grep -E -A5 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" "$build_dir"/Testing/Temporary/LastTest.log | head -60
  exit 1
fi
if ! grep -q 'tests passed' "$log"; then
  echo "no sanitized test ran"
  exit 1
fi
exit $status
