#!/usr/bin/env bash
# Renames the project in one step: the Maven groupId, the Java package (com.example.service, in src/ and bench/jmh/)
# and the service name (service-template: artifactId, spring.application.name and so the `application` metric tag,
# the jar, image and Kubernetes object names, the Prometheus job, alert names). Run it on a clean work tree, once;
# review with `git status` and `git diff`, then `./mvnw verify`. CI runs it on a scratch clone (.ci/renamed.sh).
#
# Usage: scripts/rename.sh <groupId> <java.package> <service-name>
#   e.g. scripts/rename.sh org.acme org.acme.billing billing-service
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 3 ]; then
  sed -n '7,8p' "$0" | sed 's/^# //' >&2
  exit 2
fi
group=$1 package=$2 name=$3
java_name='^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'
[[ $group =~ $java_name ]] || { echo "not a groupId: $group" >&2; exit 2; }
[[ $package =~ $java_name ]] || { echo "not a Java package name: $package" >&2; exit 2; }
# The name becomes Kubernetes object names and DNS labels: lower case, digits, '-', at most 63 characters in all.
[[ $name =~ ^[a-z]([a-z0-9-]{0,40}[a-z0-9])?$ ]] || { echo "not a lower-case DNS label of 1-42 characters: $name" >&2; exit 2; }

old_package=com.example.service old_name=service-template
# Alert names take the service name in CamelCase: billing-service -> BillingService.
camel=$(printf '%s' "$name" | perl -pe 's/(^|-)([a-z0-9])/\U$2/g')

for root in src/main/java src/test/java bench/jmh/src/jmh/java; do
  [ -d "$root/${old_package//.//}" ] || continue
  mkdir -p "$(dirname "$root/${package//.//}")"
  git mv "$root/${old_package//.//}" "$root/${package//.//}"
  # Leave no empty com/example behind.
  find "$root" -type d -empty -delete
done

# Text files only, not the recorded benchmark results (they describe the runs that made them).
grep -rIl --exclude-dir=.git --exclude-dir=target --exclude-dir=work --exclude-dir=results --exclude=rename.sh \
  -e 'com.\{1,3\}example' -e "${old_package//.//}" -e "$old_name" -e 'ServiceTemplate' . |
  while IFS= read -r file; do
    # The package also appears as a regular expression: escaped once (grep) and twice (a Java string literal).
    OLD_PACKAGE=$old_package PACKAGE=$package OLD_NAME=$old_name NAME=$name CAMEL=$camel perl -pi -e '
      for my $n (2, 1) {
        my ($from, $to) = map { join(("\\" x $n) . ".", split(/\./, $_)) } $ENV{OLD_PACKAGE}, $ENV{PACKAGE};
        s/\Q$from\E/$to/g;
      }
      s/\Q$ENV{OLD_PACKAGE}\E/$ENV{PACKAGE}/g;
      s/\Q@{[ $ENV{OLD_PACKAGE} =~ s{\.}{\/}gr ]}\E/@{[ $ENV{PACKAGE} =~ s{\.}{\/}gr ]}/g;
      s/\Q$ENV{OLD_NAME}\E/$ENV{NAME}/g;
      s/ServiceTemplate/$ENV{CAMEL}/g;
    ' "$file"
  done
GROUP=$group perl -pi -e 's{<groupId>com\.example</groupId>}{<groupId>$ENV{GROUP}</groupId>}' pom.xml

echo "Renamed to $group:$name, package $package. Review: git status; then ./mvnw verify"
