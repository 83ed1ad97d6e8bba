#!/bin/sh
# Strata's CI pipeline (docs/ci.md), run from the project's directory:
#   ci-recipe.sh pull_request   format, validate, test, and plan against the warehouse
#   ci-recipe.sh main           the same checks, then apply, then the data assertions
# It needs the strata binary on PATH, and the warehouse's connection
# string in the variable the target names (STRATA_PG_DSN in the example).
set -eu
mode=${1:?usage: ci-recipe.sh pull_request|main}
target=${STRATA_TARGET:-warehouse}

strata fmt --check           # every file formatted (exit 1 lists those that are not)
strata validate              # every problem of the project, every dialect it targets
strata test                  # unit tests, and the SQL snapshots under tests/sql/ if any

case "$mode" in
pull_request)
  # What the merge would deploy, and who enters and leaves each segment.
  # Exit 2 means "there are changes", which a pull request is for.
  status=0
  strata plan --target "$target" --detailed-exitcode || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 2 ]
  ;;
main)
  strata apply --target "$target"
  # The rules about the data, on what is now deployed.
  strata test --target "$target" --run none
  ;;
*)
  echo "ci-recipe.sh: unknown mode $mode (pull_request or main)" >&2
  exit 2
  ;;
esac
