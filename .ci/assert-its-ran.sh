#!/usr/bin/env bash
# Fails unless the failsafe summary shows integration tests that ran, none skipped and none failed:
# a skipped integration test must never count as a pass in CI.
set -euo pipefail
summary=${1:-target/failsafe-reports/failsafe-summary.xml}
[ -f "$summary" ] || { echo "no failsafe summary at $summary: integration tests did not run" >&2; exit 1; }
value() { sed -n "s:.*<$1>\([0-9]*\)</$1>.*:\1:p" "$summary"; }
completed=$(value completed); skipped=$(value skipped); failures=$(value failures); errors=$(value errors)
echo "integration tests: completed=$completed skipped=$skipped failures=$failures errors=$errors"
[ "${completed:-0}" -gt 0 ] && [ "${skipped:-0}" -eq 0 ] && [ "${failures:-0}" -eq 0 ] && [ "${errors:-0}" -eq 0 ]
