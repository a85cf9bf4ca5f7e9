#!/usr/bin/env bash
# Build the ephemeris API image and save it as an archive the deploy can copy to a target host.
#
# Usage: scripts/build-app-image.sh [RELEASE]
#   RELEASE  image tag; default <app version>-<short git commit>, or <app version>-dev before the
#            first commit. Accepted: letters, digits, '_', '.', '-'; at most 128 characters,
#            not starting with '.' or '-'.
#
# Steps: download every wheel for the image's platform on this host (the image build itself never
# reaches PyPI), build the app's own wheel, `docker build` the image ephemeris-api:<RELEASE> and
# `docker save` it to build/images/ephemeris-api-<RELEASE>.tar, recorded as the latest release in
# build/images/latest-release. Each step is skipped when its
# inputs are unchanged, so a second run takes seconds. Logs go to stderr; stdout gets one line,
# the image reference, for callers.
#
# Environment:
#   BASE_IMAGE  base of both build stages. Default, first that works: python:3.11-slim-bookworm
#               already present locally; that image pulled from Docker Hub; the offline stand-in
#               ephemeris-offline/python:3.11-bookworm (made by scripts/offline-images.sh).
#   PYTHON      host Python whose pip downloads the wheels (default python3).
#   APP_SOURCE  value of the org.opencontainers.image.source label (default: git remote origin).
#   KEEP_ARCHIVES  how many release archives to keep in build/images (default 3).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly WHEELS_DIR="$REPO_ROOT/build/wheels"
# The app wheel has its own directory so the image build can install it in a later layer.
readonly APP_WHEEL_DIR="$WHEELS_DIR/app"
readonly ARCHIVE_DIR="$REPO_ROOT/build/images"
readonly IMAGE_NAME="ephemeris-api"
readonly OFFICIAL_BASE="python:3.11-slim-bookworm"
readonly OFFLINE_BASE="ephemeris-offline/python:3.11-bookworm"
# Both bases run CPython 3.11, so the wheels are fetched for exactly that interpreter and ABI.
readonly WHEEL_PYTHON_VERSION="3.11"
readonly WHEEL_ABI="cp311"
readonly PYTHON="${PYTHON:-python3}"

log() { printf '%s build-app-image: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# A stamp file holds the hash of a step's inputs; the step reruns only when the hash differs.
stamp_matches() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

app_version() {
  "$PYTHON" -c 'import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$REPO_ROOT/app/pyproject.toml" || die "cannot read project.version from app/pyproject.toml"
}

default_release() {
  local version commit
  version="$(app_version)"
  commit="$(git -C "$REPO_ROOT" rev-parse --quiet --verify --short=7 HEAD || echo dev)"
  echo "$version-$commit"
}

# The legacy builder is used unless buildx is installed: the host's docker client has no buildx,
# and without it BuildKit builds fail. The Dockerfile works with either.
select_builder() {
  if [[ -z "${DOCKER_BUILDKIT:-}" ]] && ! docker buildx version >/dev/null 2>&1; then
    export DOCKER_BUILDKIT=0
  fi
  log "builder: $([[ "${DOCKER_BUILDKIT:-1}" == 0 ]] && echo legacy || echo BuildKit)"
}

select_base_image() {
  if [[ -n "${BASE_IMAGE:-}" ]]; then
    [[ -n "$(image_id "$BASE_IMAGE")" ]] || docker pull "$BASE_IMAGE" >&2 \
      || die "BASE_IMAGE=$BASE_IMAGE is neither present nor pullable"
    return
  fi
  if [[ -n "$(image_id "$OFFICIAL_BASE")" ]] \
      || timeout 120 docker pull --quiet "$OFFICIAL_BASE" >/dev/null 2>&1; then
    BASE_IMAGE="$OFFICIAL_BASE"
  elif [[ -n "$(image_id "$OFFLINE_BASE")" ]]; then
    log "$OFFICIAL_BASE cannot be pulled; using the offline stand-in $OFFLINE_BASE"
    BASE_IMAGE="$OFFLINE_BASE"
  else
    die "no base image: $OFFICIAL_BASE cannot be pulled and $OFFLINE_BASE is missing;" \
      "run scripts/offline-images.sh or set BASE_IMAGE"
  fi
}

# Map the Docker daemon's architecture (not the host shell's) to manylinux platform tags. Both
# bases are Debian bookworm (glibc 2.36), so manylinux2014 and manylinux_2_28 wheels both run.
wheel_platforms() {
  local arch
  arch="$(docker info --format '{{.Architecture}}')"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "Docker daemon architecture '$arch' has no wheel mapping; supported: x86_64, aarch64" ;;
  esac
  echo "manylinux2014_$arch manylinux_2_28_$arch"
}

download_dependency_wheels() {
  local platforms="$1" args=() platform inputs
  for platform in $platforms; do args+=(--platform "$platform"); done
  inputs="$(sha256sum <"$REPO_ROOT/app/requirements.txt" | cut -d' ' -f1) $platforms"
  if stamp_matches "$WHEELS_DIR/.requirements.stamp" "$inputs"; then
    log "dependency wheels: app/requirements.txt unchanged, skipped"
    return
  fi
  log "dependency wheels: downloading for $platforms, CPython $WHEEL_PYTHON_VERSION"
  # Start from an empty set, so wheels of dropped or re-pinned packages do not pile up in the
  # build context.
  rm -f "$WHEELS_DIR"/*.whl
  "$PYTHON" -m pip download --quiet --only-binary=:all: "${args[@]}" \
    --python-version "$WHEEL_PYTHON_VERSION" --implementation cp --abi "$WHEEL_ABI" \
    -r "$REPO_ROOT/app/requirements.txt" -d "$WHEELS_DIR" \
    || die "pip download failed; every package in app/requirements.txt needs a wheel for" \
      "$platforms and CPython $WHEEL_PYTHON_VERSION"
  echo "$inputs" >"$WHEELS_DIR/.requirements.stamp"
}

# The app wheel is built from a copy of app/, because setuptools writes build/ and *.egg-info
# next to the sources, and app/ belongs to the API, not to the image build.
build_app_wheel() {
  local inputs scratch
  inputs="$(cd "$REPO_ROOT/app" && find pyproject.toml ephemeris_api -type f \
    ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum)"
  if stamp_matches "$APP_WHEEL_DIR/.stamp" "$inputs" \
      && compgen -G "$APP_WHEEL_DIR/*.whl" >/dev/null; then
    log "app wheel: app/ unchanged, skipped"
    return
  fi
  log "app wheel: building from app/"
  scratch="$(mktemp -d)"
  tar -C "$REPO_ROOT/app" --exclude=__pycache__ --exclude='*.egg-info' --exclude=build \
    --exclude=tests -cf - . | tar -C "$scratch" -xf -
  rm -f "$APP_WHEEL_DIR"/*.whl
  "$PYTHON" -m pip wheel --quiet --no-deps "$scratch" -w "$APP_WHEEL_DIR" \
    || { rm -rf "$scratch"; die "pip wheel of app/ failed"; }
  rm -rf "$scratch"
  echo "$inputs" >"$APP_WHEEL_DIR/.stamp"
}

build_image() {
  local release="$1" version revision source
  version="$(app_version)"
  revision="$(git -C "$REPO_ROOT" rev-parse --quiet --verify HEAD || echo unknown)"
  source="${APP_SOURCE:-$(git -C "$REPO_ROOT" remote get-url origin 2>/dev/null || echo unknown)}"
  log "image $IMAGE_NAME:$release: building on $BASE_IMAGE"
  local build_log old_id
  old_id="$(image_id "$IMAGE_NAME:$release")"
  build_log="$(mktemp)"
  if ! docker build --file "$REPO_ROOT/Dockerfile" --tag "$IMAGE_NAME:$release" \
      --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "APP_RELEASE=$release" \
      --build-arg "APP_VERSION=$version" --build-arg "APP_REVISION=$revision" \
      --build-arg "APP_SOURCE=$source" "$REPO_ROOT" >"$build_log" 2>&1; then
    tail -n 40 "$build_log" >&2
    rm -f "$build_log"
    die "docker build of $IMAGE_NAME:$release failed (output above)"
  fi
  rm -f "$build_log"
  # Rebuilding a release tag leaves its previous image untagged; drop it unless still in use.
  if [[ -n "$old_id" && "$old_id" != "$(image_id "$IMAGE_NAME:$release")" ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 \
      && log "image $IMAGE_NAME:$release: removed replaced image ${old_id:7:12}" || true
  fi
}

save_archive() {
  local release="$1" id archive
  id="$(image_id "$IMAGE_NAME:$release")"
  archive="$ARCHIVE_DIR/$IMAGE_NAME-$release.tar"
  if [[ -s "$archive" ]] && stamp_matches "$archive.id" "$id"; then
    log "archive: $archive holds image ${id:7:12} already, skipped"
  else
    log "archive: saving image ${id:7:12} to $archive"
    docker save --output "$archive.partial" "$IMAGE_NAME:$release"
    mv "$archive.partial" "$archive"
    echo "$id" >"$archive.id"
  fi
  local size_mb
  size_mb="$(( $(docker image inspect --format '{{.Size}}' "$IMAGE_NAME:$release") / 1000000 ))"
  log "image $IMAGE_NAME:$release: id ${id:7:12}, size $size_mb MB," \
    "archive $(du -h "$archive" | cut -f1)"
}

# The sandbox inventory and the tests deploy the release named here.
record_latest_release() {
  echo "$1" >"$ARCHIVE_DIR/latest-release.partial"
  mv "$ARCHIVE_DIR/latest-release.partial" "$ARCHIVE_DIR/latest-release"
}

# Archives are large; keep the newest few so a rollback to a recent release still has one.
prune_archives() {
  local keep="${KEEP_ARCHIVES:-3}" archive
  # shellcheck disable=SC2012  # names are ours: no newlines or other surprises
  ls -1t "$ARCHIVE_DIR/$IMAGE_NAME"-*.tar 2>/dev/null | tail -n +"$((keep + 1))" \
    | while read -r archive; do
      rm -f "$archive" "$archive.id"
      log "archive: removed old $archive (keeping the newest $keep)"
    done
}

main() {
  if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    usage
    exit 0
  fi
  [[ $# -le 1 ]] || die "expected at most one argument (RELEASE), got $#"
  [[ -f "$REPO_ROOT/app/requirements.txt" && -f "$REPO_ROOT/app/pyproject.toml" ]] \
    || die "app/requirements.txt and app/pyproject.toml are needed to build the image"
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || die "cannot reach the Docker daemon; start dockerd or set DOCKER_HOST"

  local release="${1:-$(default_release)}"
  [[ "$release" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] \
    || die "RELEASE '$release' is not a valid image tag; accepted: letters, digits," \
      "'_', '.', '-'; at most 128 characters, not starting with '.' or '-'"
  local started=$SECONDS

  mkdir -p "$WHEELS_DIR" "$APP_WHEEL_DIR" "$ARCHIVE_DIR"
  select_builder
  select_base_image
  download_dependency_wheels "$(wheel_platforms)"
  build_app_wheel
  build_image "$release"
  save_archive "$release"
  record_latest_release "$release"
  prune_archives
  log "done in $((SECONDS - started)) s"
  echo "$IMAGE_NAME:$release"
}

main "$@"
