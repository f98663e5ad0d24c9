#!/usr/bin/env bash
# Backs README's "Rename the project": on a scratch clone of the committed HEAD, scripts/rename.sh to another group,
# package and name, then the unit and slice tests (the integration tests see nothing a rename changes). Fails if the
# old names survive anywhere but the recorded benchmark results. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q . "$scratch/service"
cd "$scratch/service"
scripts/rename.sh org.acme org.acme.billing billing-service
if left=$(grep -rIl --exclude-dir=.git --exclude-dir=results --exclude=rename.sh --exclude=renamed.sh \
  -e 'com.\{1,3\}example.\{1,3\}service' -e 'com/example/service' -e 'service-template' -e 'ServiceTemplate' .); then
  echo "the old names survive in:" >&2
  echo "$left" >&2
  exit 1
fi
./mvnw -B -ntp verify -DskipITs -Djacoco.skip=true "$@"
