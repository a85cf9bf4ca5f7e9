#!/usr/bin/env bash
# Every test of the project, from a fresh machine: prepares the controller (scripts/bootstrap.sh),
# runs the linters, then the API test suite and every Molecule scenario as parallel jobs. Each job
# writes its own log under build/ci/; a job's log is printed when it ends. Ends with one line
# counting the stages.
#
# Environment: CI_JOBS, how many jobs run at once (default 3: most of a scenario's time is spent
#              waiting on package installs and health checks, not on the CPU).
set -uo pipefail

cd "$(dirname "$0")/.."
scripts/bootstrap.sh || { echo "stages: 0 passed, 1 failed (bootstrap)"; exit 1; }
export PATH="$PWD/.venv/bin:$PATH"
EPHEMERIS_RELEASE=$(cat build/images/latest-release)
export EPHEMERIS_RELEASE
readonly CI_JOBS=${CI_JOBS:-3}
readonly LOG_DIR=build/ci

passed=0
failed=()

summary() {
  if ((${#failed[@]})); then
    echo "stages: $passed passed, ${#failed[@]} failed (${failed[*]})"
    exit 1
  fi
  echo "stages: $passed passed, 0 failed"
}

# A quick stage, run in the foreground. A failure stops the run before the long jobs start.
stage() {
  local name=$1 started=$SECONDS
  shift
  printf '\n=== %s ===\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s passed in %d s ===\n' "$name" $((SECONDS - started))
  else
    printf '=== %s FAILED after %d s ===\n' "$name" $((SECONDS - started))
    failed+=("$name")
    summary
  fi
}

molecule_scenario() {
  (cd "$1" && molecule test --scenario-name "$2")
}

# The online scenarios run Traefik and Portainer for real, so they need their images from a
# registry. Where none can be reached they are skipped here with the reason, before any test host
# is created (each scenario would also skip itself, but only after creating one).
online_scenarios() {
  local image
  for image in $(sed -n 's/^traefik_image: *//p' roles/traefik/defaults/main.yml) \
      $(sed -n 's/^portainer_image: *//p' roles/portainer/defaults/main.yml); do
    if ! docker manifest inspect "$image" >/dev/null 2>&1 \
        && ! docker image inspect "$image" >/dev/null 2>&1; then
      echo "SKIPPED traefik/online and portainer/online:" \
        "image $image can neither be pulled nor found locally"
      return 0
    fi
  done
  molecule_scenario roles/traefik online && molecule_scenario roles/portainer online
}

# One long job in the background; its log goes to build/ci/<name>.log and its exit status to
# build/ci/<name>.rc, which `finish_jobs` reads.
declare -a job_names=()
job() {
  local name=$1
  shift
  while (($(jobs -rp | wc -l) >= CI_JOBS)); do
    wait -n
  done
  job_names+=("$name")
  printf '=== %s started ===\n' "$name"
  (
    started=$SECONDS
    "$@" >"$LOG_DIR/$name.log" 2>&1
    rc=$?
    if ((rc == 0)); then
      verdict="passed in $((SECONDS - started)) s"
    else
      verdict="FAILED after $((SECONDS - started)) s"
    fi
    # One job's log at a time, so two ending together do not interleave.
    {
      flock 9
      printf '\n=== %s: log ===\n' "$name"
      cat "$LOG_DIR/$name.log"
      printf '=== %s %s ===\n' "$name" "$verdict"
    } 9>"$LOG_DIR/.print.lock"
    echo "$rc" >"$LOG_DIR/$name.rc"
  ) &
}

finish_jobs() {
  wait
  local name
  for name in "${job_names[@]}"; do
    if [[ "$(cat "$LOG_DIR/$name.rc" 2>/dev/null)" == 0 ]]; then
      passed=$((passed + 1))
    else
      failed+=("$name")
    fi
  done
}

rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

stage yamllint yamllint --strict .
stage ruff sh -c 'ruff check app roles && ruff format --check app roles'

# Longest first, so the short ones fill the gaps at the end.
job molecule-api-stack-releases molecule_scenario roles/api_stack releases
job molecule-deploy molecule_scenario . default
job molecule-api-stack molecule_scenario roles/api_stack default
job molecule-portainer molecule_scenario roles/portainer default
job molecule-traefik molecule_scenario roles/traefik default
job ansible-lint ansible-lint --profile production
job pytest-app pytest app/tests
job pytest-roles pytest roles/api_stack/tests
job molecule-docker molecule_scenario roles/docker default
job molecule-docker-bookworm-preflight molecule_scenario roles/docker bookworm-preflight
job molecule-sandbox molecule_scenario roles/sandbox default
job molecule-online online_scenarios
finish_jobs

summary
