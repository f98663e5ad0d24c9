#!/usr/bin/env bash
# Blue-green switching for k8s/overlays/production (two Deployments, <app>-blue and <app>-green; the active Service
# selects one slot, the preview Service the other). See docs/kubernetes.md.
#
#   k8s/bluegreen.sh status
#   k8s/bluegreen.sh deploy <image>        # to the idle slot (the one behind the preview Service)
#   k8s/bluegreen.sh promote [--no-scale-down]
#   k8s/bluegreen.sh rollback [--force]
#   k8s/bluegreen.sh scale-down            # scale the idle slot to 0
#
# Environment (defaults in brackets):
#   NAMESPACE [service-template]   APP [service-template]   CONTAINER [app]   KUBECTL [kubectl]
#   ROLLOUT_TIMEOUT [600s]          time allowed for the idle slot to roll out
#   SCALE_DOWN_DELAY_SECONDS [300]  promote waits this long (the rollback window) before scaling the old slot to 0
#   SMOKE_API_KEY                   if set, the smoke test also calls GET SMOKE_PATH with this X-API-Key
#   SMOKE_PATH [/api/v1/orders?size=1]  an API read that must answer 200 (point it at your own once the example is gone)
#   SMOKE_COMMAND                   if set, run after the built-in smoke test with BASE_URL=http://127.0.0.1:<port>
#                                   (the preview Service, port-forwarded); a non-zero exit refuses the promotion
#   SMOKE_READINESS_ONLY [0]        promote needs SMOKE_API_KEY or SMOKE_COMMAND; 1 promotes on /livez and /readyz alone
set -euo pipefail

NAMESPACE="${NAMESPACE:-service-template}"
APP="${APP:-service-template}"
CONTAINER="${CONTAINER:-app}"
KUBECTL="${KUBECTL:-kubectl}"
ROLLOUT_TIMEOUT="${ROLLOUT_TIMEOUT:-600s}"
SCALE_DOWN_DELAY_SECONDS="${SCALE_DOWN_DELAY_SECONDS:-300}"
PORT_FORWARD_TIMEOUT_SECONDS="${PORT_FORWARD_TIMEOUT_SECONDS:-20}"
ACTIVE_SERVICE="${APP}"
PREVIEW_SERVICE="${APP}-preview"

log() { printf '%s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

k() { "${KUBECTL}" --namespace "${NAMESPACE}" "$@"; }

other_slot() {
  case "$1" in
  blue) echo green ;;
  green) echo blue ;;
  *) die "unknown slot '$1'" ;;
  esac
}

# The slot a Service selects ("blue" or "green"), read from the cluster.
service_slot() {
  local slot
  slot="$(k get service "$1" -o 'jsonpath={.spec.selector.slot}')" || die "cannot read Service $1"
  case "${slot}" in
  blue | green) echo "${slot}" ;;
  *) die "Service $1 selects slot '${slot}', expected blue or green" ;;
  esac
}

# Active and idle slot; refuses to go on when both Services select the same slot.
read_slots() {
  ACTIVE="$(service_slot "${ACTIVE_SERVICE}")"
  IDLE="$(service_slot "${PREVIEW_SERVICE}")"
  [[ "${ACTIVE}" != "${IDLE}" ]] ||
    die "both Services select slot ${ACTIVE}; fix by hand: kubectl -n ${NAMESPACE} patch service ${PREVIEW_SERVICE} -p '{\"spec\":{\"selector\":{\"slot\":\"$(other_slot "${ACTIVE}")\"}}}'"
}

deployment() { echo "${APP}-$1"; }

# Sets SPEC READY UPDATED AVAILABLE CURRENT GENERATION OBSERVED IMAGE for a slot's Deployment.
read_deployment() {
  local out
  out="$(k get deployment "$(deployment "$1")" -o "jsonpath={.spec.replicas}|{.status.readyReplicas}|{.status.updatedReplicas}|{.status.availableReplicas}|{.status.replicas}|{.metadata.generation}|{.status.observedGeneration}|{.spec.template.spec.containers[?(@.name==\"${CONTAINER}\")].image}")" ||
    die "cannot read Deployment $(deployment "$1")"
  IFS='|' read -r SPEC READY UPDATED AVAILABLE CURRENT GENERATION OBSERVED IMAGE <<<"${out}"
  SPEC="${SPEC:-0}" READY="${READY:-0}" UPDATED="${UPDATED:-0}" AVAILABLE="${AVAILABLE:-0}" CURRENT="${CURRENT:-0}"
}

slot_summary() {
  read_deployment "$1"
  printf '%-6s %-8s replicas %s desired, %s ready, %s updated, %s available  image %s\n' \
    "$1" "$2" "${SPEC}" "${READY}" "${UPDATED}" "${AVAILABLE}" "${IMAGE}"
}

cmd_status() {
  read_slots
  echo "namespace ${NAMESPACE}: Service ${ACTIVE_SERVICE} -> ${ACTIVE}, Service ${PREVIEW_SERVICE} -> ${IDLE}"
  slot_summary "${ACTIVE}" active
  slot_summary "${IDLE}" idle
}

# A slot is fully rolled out: the controller saw the latest spec, every desired pod runs the new template and is
# Ready and available, no old or terminating pod is left, and there is at least one pod.
check_rolled_out() {
  local slot="$1" pods
  read_deployment "${slot}"
  [[ "${SPEC}" -gt 0 ]] || die "slot ${slot} has 0 replicas: deploy to it first"
  [[ "${OBSERVED:-0}" -ge "${GENERATION:-1}" ]] || die "slot ${slot}: the Deployment controller has not seen the latest spec yet"
  [[ "${UPDATED}" -eq "${SPEC}" && "${CURRENT}" -eq "${SPEC}" ]] ||
    die "slot ${slot} is not fully rolled out (${UPDATED} of ${SPEC} updated, ${CURRENT} pods)"
  [[ "${READY}" -eq "${SPEC}" && "${AVAILABLE}" -eq "${SPEC}" ]] ||
    die "slot ${slot}: only ${READY} of ${SPEC} pods Ready (${AVAILABLE} available)"
  k wait --for=condition=Ready pod -l "app.kubernetes.io/name=${APP},slot=${slot}" --timeout=10s >/dev/null ||
    die "slot ${slot}: not every pod is Ready"
  pods="$(k get pods -l "app.kubernetes.io/name=${APP},slot=${slot}" -o name | grep -c . || true)"
  [[ "${pods}" -eq "${SPEC}" ]] || die "slot ${slot}: ${pods} pods for ${SPEC} replicas (old pods still terminating?)"
}

http_status() { curl -sS -o /dev/null --max-time 5 -w '%{http_code}' "$@" || true; }

# Smoke tests through the preview Service (kubectl port-forward: no pod to create, so nothing for the restricted
# Pod Security profile or the NetworkPolicies to reject).
smoke_test() {
  local pf_log pf_pid port="" code i
  command -v curl >/dev/null || die "curl is needed for the smoke test"
  # /readyz alone is what the readiness probe already saw: an image that is ready but cannot serve (writes failing,
  # a broken route) would pass. Promoting on that takes an explicit choice.
  if [[ -z "${SMOKE_API_KEY:-}" && -z "${SMOKE_COMMAND:-}" && "${SMOKE_READINESS_ONLY:-0}" != 1 ]]; then
    die "no API smoke test: set SMOKE_API_KEY (a key the new slot accepts) or SMOKE_COMMAND; SMOKE_READINESS_ONLY=1 promotes on /livez and /readyz alone"
  fi
  pf_log="$(mktemp)"
  k port-forward "service/${PREVIEW_SERVICE}" :8080 >"${pf_log}" 2>&1 &
  pf_pid=$!
  # shellcheck disable=SC2064 # expand now: the pid and file of this port-forward
  trap "kill ${pf_pid} 2>/dev/null || true; rm -f '${pf_log}'" EXIT
  for ((i = 0; i < PORT_FORWARD_TIMEOUT_SECONDS * 10; i++)); do
    port="$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "${pf_log}" | head -n 1)"
    [[ -z "${port}" ]] || break
    kill -0 "${pf_pid}" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "${port}" ]] || die "port-forward to service/${PREVIEW_SERVICE} failed: $(cat "${pf_log}")"
  local base="http://127.0.0.1:${port}" failed=0
  for path in /livez /readyz; do
    code="$(http_status "${base}${path}")"
    log "smoke: GET ${path} -> ${code}"
    [[ "${code}" == 200 ]] || failed=1
  done
  if [[ -n "${SMOKE_API_KEY:-}" ]]; then
    code="$(http_status -H "X-API-Key: ${SMOKE_API_KEY}" "${base}${SMOKE_PATH:-/api/v1/orders?size=1}")"
    log "smoke: GET ${SMOKE_PATH:-/api/v1/orders?size=1} -> ${code}"
    [[ "${code}" == 200 ]] || failed=1
  fi
  if [[ "${failed}" -eq 0 && -n "${SMOKE_COMMAND:-}" ]]; then
    BASE_URL="${base}" bash -c "${SMOKE_COMMAND}" || failed=1
  fi
  kill "${pf_pid}" 2>/dev/null || true
  wait "${pf_pid}" 2>/dev/null || true
  rm -f "${pf_log}"
  trap - EXIT
  [[ "${failed}" -eq 0 ]] || die "smoke tests through service/${PREVIEW_SERVICE} failed: not promoting"
}

# Point the active Service at $1 and the preview Service at the other slot.
switch_to() {
  local new="$1" old
  old="$(other_slot "${new}")"
  k patch service "${ACTIVE_SERVICE}" --type=merge -p "{\"spec\":{\"selector\":{\"slot\":\"${new}\"}}}" >/dev/null
  k patch service "${PREVIEW_SERVICE}" --type=merge -p "{\"spec\":{\"selector\":{\"slot\":\"${old}\"}}}" >/dev/null
  [[ "$(service_slot "${ACTIVE_SERVICE}")" == "${new}" ]] || die "Service ${ACTIVE_SERVICE} did not switch to ${new}"
  log "Service ${ACTIVE_SERVICE} -> ${new}, Service ${PREVIEW_SERVICE} -> ${old}"
}

valid_image() {
  local image="$1" ref="${1##*/}"
  [[ "${image}" == *@sha256:* ]] && return 0
  [[ "${ref}" == *:* ]] || return 1
  [[ "${ref##*:}" != latest ]]
}

cmd_deploy() {
  local image="${1:-}" replicas min
  [[ -n "${image}" ]] || die "usage: $0 deploy <image:version>"
  valid_image "${image}" || die "image '${image}' must carry an explicit version tag or digest (not 'latest')"
  read_slots
  read_deployment "${ACTIVE}"
  replicas="${SPEC}"
  min="$(k get hpa "$(deployment "${IDLE}")" -o 'jsonpath={.spec.minReplicas}' 2>/dev/null || true)"
  [[ "${min:-0}" -le "${replicas}" ]] || replicas="${min}"
  [[ "${replicas}" -gt 0 ]] || replicas=1
  log "deploying ${image} to idle slot ${IDLE} (${replicas} replicas); active slot ${ACTIVE} is not touched"
  k set image "deployment/$(deployment "${IDLE}")" "${CONTAINER}=${image}" >/dev/null
  k scale "deployment/$(deployment "${IDLE}")" --replicas="${replicas}" >/dev/null
  k rollout status "deployment/$(deployment "${IDLE}")" --timeout="${ROLLOUT_TIMEOUT}" ||
    die "slot ${IDLE} did not roll out; the active slot ${ACTIVE} still serves. Fix and deploy again."
  log "slot ${IDLE} runs ${image} behind Service ${PREVIEW_SERVICE}. Next: $0 promote"
}

cmd_scale_down() {
  read_slots
  # Never leave the cluster without a working slot: the active one must be healthy first.
  check_rolled_out "${ACTIVE}"
  log "scaling idle slot ${IDLE} to 0 (active slot ${ACTIVE} is healthy)"
  k scale "deployment/$(deployment "${IDLE}")" --replicas=0 >/dev/null
}

cmd_promote() {
  local scale_down=1
  [[ "${1:-}" == "--no-scale-down" ]] && scale_down=0
  read_slots
  local from="${ACTIVE}" to="${IDLE}"
  log "checking slot ${to} before promotion"
  check_rolled_out "${to}"
  smoke_test
  switch_to "${to}"
  if [[ "${scale_down}" -eq 0 ]]; then
    log "slot ${from} keeps running: '$0 rollback' switches back, '$0 scale-down' stops it"
    return 0
  fi
  log "slot ${from} keeps running for ${SCALE_DOWN_DELAY_SECONDS}s (rollback window: '$0 rollback'; Ctrl-C keeps it running)"
  sleep "${SCALE_DOWN_DELAY_SECONDS}"
  read_slots
  [[ "${ACTIVE}" == "${to}" ]] || die "the active slot changed during the delay (rollback?): not scaling anything down"
  cmd_scale_down
}

cmd_rollback() {
  local force=0
  [[ "${1:-}" == "--force" ]] && force=1
  read_slots
  local broken="${ACTIVE}" previous="${IDLE}"
  read_deployment "${previous}"
  if [[ "${READY}" -eq 0 && "${force}" -eq 0 ]]; then
    die "slot ${previous} has no Ready pod (${SPEC} desired): nothing to switch back to. Scale it up first ($0 deploy <previous image>), or --force"
  fi
  [[ "${READY}" -ge "${SPEC}" ]] || log "warning: slot ${previous} has only ${READY} of ${SPEC} pods Ready"
  switch_to "${previous}"
  log "rolled back: slot ${previous} is active again, slot ${broken} is idle (still running for inspection)"
}

main() {
  local command="${1:-}"
  shift || true
  case "${command}" in
  status) cmd_status ;;
  deploy) cmd_deploy "$@" ;;
  promote) cmd_promote "$@" ;;
  rollback) cmd_rollback "$@" ;;
  scale-down) cmd_scale_down ;;
  *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
    exit 2
    ;;
  esac
}

main "$@"
