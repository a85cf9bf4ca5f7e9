#!/usr/bin/env bash
# Prepares this machine as the controller: host packages, the Python tool environment, a running
# Docker engine, the offline base images and the app image archive. Safe to run again: every
# step skips what is already in place.
set -euo pipefail

cd "$(dirname "$0")/.."
log() { printf '[bootstrap] %s\n' "$*"; }

host_packages=(docker.io debootstrap swetest swe-basic-data wrk redis-server nodejs)
missing=()
for package in "${host_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# Python packages install in the background while the offline images build: the two take
# minutes each and wait mostly on downloads.
install_python_packages() {
  if [[ ! -x .venv/bin/python ]]; then
    log "creating the tool environment in .venv"
    python3 -m venv .venv
  fi
  local requirements=(requirements-dev.txt app/requirements.txt app/requirements-test.txt)
  local stamp=.venv/.requirements.sha256
  if ! sha256sum -c --status "$stamp" 2>/dev/null; then
    log "installing Python packages"
    .venv/bin/pip install -q --disable-pip-version-check \
      "${requirements[@]/#/-r}" -e app
    sha256sum "${requirements[@]}" app/pyproject.toml >"$stamp"
  else
    log "Python packages up to date"
  fi
}

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p build
  nohup dockerd >build/dockerd.log 2>&1 &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not start: see build/dockerd.log"; exit 1; }
else
  log "Docker engine running"
fi

install_python_packages &
python_packages=$!
images_status=0
scripts/offline-images.sh || images_status=$?
wait "$python_packages" || { log "installing the Python packages failed"; exit 1; }
((images_status == 0)) || { log "building the offline images failed"; exit 1; }
scripts/build-app-image.sh
