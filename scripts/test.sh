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

stage yamllint yamllint --strict .
stage ansible-lint ansible-lint --profile production
stage ruff sh -c 'ruff check app && ruff format --check app'
stage pytest-app pytest app/tests
stage molecule-sandbox molecule_scenarios roles/sandbox
stage molecule-docker molecule_scenarios roles/docker
stage molecule-api-stack molecule_scenarios roles/api_stack
stage molecule-deploy molecule_scenarios .

echo "stages: $passed passed, 0 failed"
