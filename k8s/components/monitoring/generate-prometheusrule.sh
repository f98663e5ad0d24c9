#!/usr/bin/env bash
# Writes k8s/components/monitoring/prometheusrule.yaml from the one source of alert rules,
# monitoring/prometheus/alert-rules.yml (also loaded by the compose Prometheus).
# A PrometheusRule's spec has the same shape as a Prometheus rule file (groups:), so the file is embedded as is,
# indented under "spec:". KubernetesManifestsTest fails when the committed output differs from what this produces.
# Usage: k8s/components/monitoring/generate-prometheusrule.sh [--check]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
rules="${root}/monitoring/prometheus/alert-rules.yml"
out="${root}/k8s/components/monitoring/prometheusrule.yaml"

[[ -f "${rules}" ]] || { echo "error: ${rules} not found" >&2; exit 1; }
# Document markers or directives cannot be indented into a mapping: refuse them instead of writing broken YAML.
if grep -nE '^(---|\.\.\.|%)' "${rules}" >&2; then
  echo "error: ${rules} must be a single YAML document without '---', '...' or directives (lines above)" >&2
  exit 1
fi
grep -qE '^groups:' "${rules}" || { echo "error: ${rules} has no top-level 'groups:'" >&2; exit 1; }

generated="$(
  cat <<'HEADER'
# GENERATED from monitoring/prometheus/alert-rules.yml by k8s/components/monitoring/generate-prometheusrule.sh.
# Do not edit: change the rules file and run the script again (a test fails when this file is out of date).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: service-template
  labels:
    app.kubernetes.io/name: service-template
spec:
HEADER
  sed -e 's/^./  &/' "${rules}"
)"

if [[ "${1:-}" == "--check" ]]; then
  if [[ "$(cat "${out}" 2>/dev/null)" != "${generated}" ]]; then
    echo "error: ${out#"${root}"/} is out of date; run k8s/components/monitoring/generate-prometheusrule.sh" >&2
    exit 1
  fi
  exit 0
fi
printf '%s\n' "${generated}" >"${out}"
echo "wrote ${out#"${root}"/}"
