#!/usr/bin/env bash
# Every test of the project, from a fresh machine: prepares the controller (scripts/bootstrap.sh),
# then runs the linters, the API test suite and every Molecule scenario. Stops at the first
# failing stage; ends with one line counting the stages.
set -uo pipefail

cd "$(dirname "$0")/.."
scripts/bootstrap.sh || { echo "bootstrap: 0 passed, 1 failed"; exit 1; }
export PATH="$PWD/.venv/bin:$PATH"
EPHEMERIS_RELEASE=$(cat build/images/latest-release)
export EPHEMERIS_RELEASE

passed=0
stage() {
  local name=$1
  shift
  printf '\n=== %s ===\n' "$name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s passed in %d s ===\n' "$name" $((SECONDS - started))
  else
    printf '=== %s FAILED after %d s ===\n' "$name" $((SECONDS - started))
    echo "stages: $passed passed, 1 failed"
    exit 1
  fi
}

# Every scenario of one role (or of the repository root, for the end-to-end one).
molecule_scenarios() {
  (cd "$1" && molecule test --all)
}

molecule_scenario() {
  (cd "$1" && molecule test --scenario-name "$2")
}

# The online scenarios run Traefik and Portainer for real, so they need their images from a
# registry. Where none can be reached they are skipped here with the reason, before any test host
# is created (each scenario would also skip itself, but only after creating one).
online_scenarios() {
  local image reason=""
  for image in $(sed -n 's/^traefik_image: *//p' roles/traefik/defaults/main.yml) \
      $(sed -n 's/^portainer_image: *//p' roles/portainer/defaults/main.yml); do
    if ! docker manifest inspect "$image" >/dev/null 2>&1 \
        && ! docker image inspect "$image" >/dev/null 2>&1; then
      reason="image $image can neither be pulled nor found locally"
      break
    fi
  done
  if [[ -n "$reason" ]]; then
    echo "SKIPPED traefik/online and portainer/online: $reason"
    return 0
  fi
  molecule_scenario roles/traefik online && molecule_scenario roles/portainer online
}

stage yamllint yamllint --strict .
stage ansible-lint ansible-lint --profile production
stage ruff sh -c 'ruff check app && ruff format --check app'
stage pytest-app pytest app/tests
stage molecule-sandbox molecule_scenarios roles/sandbox
stage molecule-docker molecule_scenarios roles/docker
stage molecule-api-stack molecule_scenarios roles/api_stack
stage molecule-traefik molecule_scenario roles/traefik default
stage molecule-portainer molecule_scenario roles/portainer default
stage molecule-online online_scenarios
stage molecule-deploy molecule_scenarios .

echo "stages: $passed passed, 0 failed"
