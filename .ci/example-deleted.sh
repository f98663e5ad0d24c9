#!/usr/bin/env bash
# Backs README's "Delete the example feature": on a scratch clone of the committed HEAD, scripts/delete-example-feature.sh
# and then the whole suite, integration tests included (they must run, not skip). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q . "$scratch/service"
cd "$scratch/service"
scripts/delete-example-feature.sh
if grep -rlq '^package com\.example\.service\.order' src || [ -e src/main/resources/db/migration/V2__orders.sql ]; then
  echo "the example feature is still there" >&2
  exit 1
fi
./mvnw -B -ntp verify -Djacoco.skip=true "$@"
.ci/assert-its-ran.sh
