#!/usr/bin/env bash
# Deletes the example feature (orders, with its inventory client, tests, migration and settings) and keeps every
# production concern. A database that already applied V2__orders.sql keeps the table: number new migrations from V3
# (README, "Delete the example feature").
# CI runs it on a scratch clone and then the whole test suite (.ci/example-deleted.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf src/main/java/com/example/service/order src/test/java/com/example/service/order \
  src/main/resources/db/migration/V2__orders.sql
# The feature's settings sit between these markers.
for file in src/main/resources/application*.yml; do
  perl -ni -e 'print unless /# >>> example feature/ .. /# <<< example feature/' "$file"
done

echo "Deleted the example feature. Next: ./mvnw verify"
echo "These still name it: deployment settings and smoke checks to point at your own endpoints and services:"
grep -rIl --exclude-dir=.git --exclude-dir=target --exclude-dir=bench --exclude-dir=docs --exclude="*.md" \
  --exclude=delete-example-feature.sh \
  -e '/api/v1/orders' -e 'orders_placed' -e 'INVENTORY' . | sed 's|^\./|  |' || true
