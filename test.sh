#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test and prints the totals.
# Usage: ./test.sh [extra arguments passed to the test runner]
set -euo pipefail
cd "$(dirname "$0")"
. eng/common.sh
medserve_require_dotnet

bash eng/install-deps.sh

echo "== build"
dotnet build MedServe.slnx -c Release --nologo -v minimal

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

echo "== test"
status=0
dotnet test --solution MedServe.slnx -c Release --no-build \
  --results-directory "$results" --report-xunit-trx "$@" 2>&1 | tee "$results/console.log" || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

# Two test hosts can write the same TRX file name (it is made of the user, machine and time), so the
# runner's own summary of every project, when present, is the count that is reported.
summary=$(sed -n '/^Test run summary/,$p' "$results/console.log")
sum() { echo "$summary" | sed -n "s/^  $1: \([0-9]*\)$/\1/p" | tail -n 1; }
if [ -n "$(sum total)" ]; then
  passed=$(sum succeeded); failed=$(sum failed); skipped=$(sum skipped); crashed=$(sum error)
  passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
  # A test host that crashed (e.g. a native fault) reports "error: N" and no failed test: count it as failed.
  failed=$((failed + ${crashed:-0}))
fi

# Regression guard of the benchmark harness (docs/benchmarks.md#regression-guard): a short in-process
# run on the tiny demo package that must answer every request 2xx and print its figures. It checks that
# the harness works, not how fast anything is.
echo "== bench guard"
guard=artifacts/bench-guard
rm -rf "$guard"
mkdir -p "$guard"
guard_status=0
# The CLI that the solution build above just wrote (./medserve would build a second copy into artifacts/cli).
cli=src/MedServe.Cli/bin/Release/net10.0/medserve.dll
{
  dotnet "$cli" demo --packages-only "$guard" >/dev/null &&
  echo '{"input_data": {"columns": ["text"], "data": [["x-ray chest anteroposterior Atelectasis."], ["mri brain axial t2"]]}}' > "$guard/text.json" &&
  dotnet "$cli" bench --in-process --model "$guard/medimageinsight" --request-file "$guard/text.json" \
    --concurrency 2 --duration 2 --warmup 20 --json-out "$guard/bench.json" &&
  grep -q '"status_counts": {[^}]*"200": [1-9]' <(tr -d '\n' < "$guard/bench.json") &&
  ! grep -q '"[3-5][0-9][0-9]": [1-9]' "$guard/bench.json"
} || guard_status=$?
if [ "$guard_status" -ne 0 ]; then
  echo "error: the bench guard failed (medserve bench --in-process did not answer every request 2xx)" >&2
  failed=$((failed + 1))
  status=1
fi

if [ "$files" -eq 0 ]; then
  echo "error: no test results were written" >&2
  status=1
fi
if [ "$status" -eq 0 ] && [ "$failed" -gt 0 ]; then status=1; fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
