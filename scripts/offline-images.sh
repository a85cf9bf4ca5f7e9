#!/usr/bin/env bash
# Build the ephemeris-offline/* images from Debian packages only.
#
# This machine (and an offline CI) cannot reach Docker Hub, so every base image the project needs
# is made here: debootstrap a minimal Debian root file system, import it as an image, then build
# the derived images (systemd test hosts with and without Docker, Python runtime, Redis) with small Dockerfiles in images/.
#
# Usage: scripts/offline-images.sh [--force] [--refresh] [--help]
#   --force    rebuild every image even when it exists (root file systems still come from cache)
#   --refresh  also run debootstrap again, picking up new Debian package versions
#
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian),
#              DEBIAN_SECURITY_MIRROR (default http://deb.debian.org/debian-security),
#              OFFLINE_IMAGES_CACHE (default <repo>/build/cache).
# Needs root (debootstrap) and a running Docker daemon. A second run without flags only inspects
# the existing images and returns in a few seconds.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly IMAGES_DIR="$REPO_ROOT/images"
readonly CACHE_DIR="${OFFLINE_IMAGES_CACHE:-$REPO_ROOT/build/cache}"
readonly DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
readonly PREFIX="ephemeris-offline"
readonly SUITES=(bookworm trixie)
readonly SOURCE_LABEL="org.opencontainers.image.source"
readonly BASE_ID_LABEL="ephemeris-offline.base-id"

# The host's docker client has no buildx plugin, so BuildKit would fail; the legacy builder does
# everything these Dockerfiles need. A caller with a working BuildKit may override this.
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}"

force=0
refresh=0
scratch_dirs=()
replaced_ids=()

log() { printf '%s offline-images: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() { [[ ${#scratch_dirs[@]} -eq 0 ]] || rm -rf "${scratch_dirs[@]}"; }
trap cleanup EXIT

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

# After a rebuild the previous image of a tag is left untagged. Remove it, unless a container
# still uses it; an old base still used by old derived images is retried once those are replaced.
drop_replaced() {
  local tag="$1" old_id="$2"
  [[ -n "$old_id" && "$old_id" != "$(image_id "$tag")" ]] || return 0
  if docker image rm "$old_id" >/dev/null 2>&1; then
    log "$tag: removed replaced image ${old_id:7:12}"
  else
    replaced_ids+=("$old_id")
  fi
}

drop_replaced_leftovers() {
  local id
  for id in "${replaced_ids[@]}"; do
    if docker image rm "$id" >/dev/null 2>&1; then
      log "removed replaced image ${id:7:12}"
    else
      log "kept replaced image ${id:7:12}: still used by a container or image"
    fi
  done
}

image_label() {
  docker image inspect --format "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true
}

# Create build/cache/debian-<suite>-minbase.tar once; later runs (and --force) reuse it, because
# debootstrap is the slow step and its result only changes when Debian publishes updates.
ensure_rootfs_tarball() {
  local suite="$1"
  local tarball="$CACHE_DIR/debian-$suite-minbase.tar"
  if [[ -s "$tarball" && "$refresh" -eq 0 ]]; then
    log "rootfs $suite: using cached $tarball"
    return
  fi

  command -v debootstrap >/dev/null \
    || die "debootstrap not found; install it with: apt-get install debootstrap"
  [[ "$(id -u)" -eq 0 ]] || die "debootstrap needs root; run this script as root"
  local workdir
  workdir="$(mktemp -d "$CACHE_DIR/rootfs-$suite.XXXXXX")"
  # The work directory holds a full root file system; never leave it behind, even on failure.
  scratch_dirs+=("$workdir")
  log "rootfs $suite: debootstrap --variant=minbase from $DEBIAN_MIRROR (about a minute)"
  debootstrap --variant=minbase "$suite" "$workdir/root" "$DEBIAN_MIRROR" \
    >"$workdir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$workdir/debootstrap.log" >&2; die "debootstrap of $suite failed"; }

  configure_rootfs "$suite" "$workdir/root"
  tar --numeric-owner --xattrs -C "$workdir/root" \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$workdir/rootfs.tar" .
  mv "$workdir/rootfs.tar" "$tarball"
  log "rootfs $suite: wrote $tarball ($(du -h "$tarball" | cut -f1))"
  rm -rf "$workdir"
}

# Make the debootstrapped tree behave like the official Debian images: all suite pockets, no
# cached packages, lists or documentation baked into layers. Recommends stay on, as on a real
# host: trixie's docker.io, for one, only recommends the docker-cli package.
configure_rootfs() {
  local suite="$1" root="$2"
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $suite $suite-updates
Components: main

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: $suite-security
Components: main
SOURCES
  cat >"$root/etc/apt/apt.conf.d/90container" <<'APT'
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT
  cat >"$root/etc/dpkg/dpkg.cfg.d/90container-excludes" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
  find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
  : >"$root/etc/machine-id"
  printf '%s\n' "$suite-container" >"$root/etc/hostname"
}

build_base() {
  local suite="$1"
  local tag="$PREFIX/debian:$suite"
  local old_id
  old_id="$(image_id "$tag")"
  if [[ -n "$old_id" && "$force" -eq 0 ]]; then
    log "$tag: exists, skipped (use --force to rebuild)"
    return
  fi

  ensure_rootfs_tarball "$suite"
  log "$tag: importing root file system"
  docker import \
    --change "LABEL $SOURCE_LABEL=\"debootstrap --variant=minbase $suite $DEBIAN_MIRROR\"" \
    --change "LABEL org.opencontainers.image.title=\"Debian $suite minbase\"" \
    --change "LABEL ephemeris-offline.built-by=scripts/offline-images.sh" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$CACHE_DIR/debian-$suite-minbase.tar" "$tag" >/dev/null
  log "$tag: built $(image_id "$tag" | cut -c8-19)"
  drop_replaced "$tag" "$old_id"
}

# Build images/<dir>/Dockerfile FROM the given base. The base image id is stored as a label so a
# rebuilt base also rebuilds everything derived from it, even without --force.
build_derived() {
  local tag="$1" dir="$2" base="$3"
  shift 3
  local base_id old_id
  base_id="$(image_id "$base")"
  old_id="$(image_id "$tag")"
  [[ -n "$base_id" ]] || die "$tag needs base image $base, which is missing"
  if [[ -n "$old_id" && "$force" -eq 0 ]]; then
    if [[ "$(image_label "$tag" "$BASE_ID_LABEL")" == "$base_id" ]]; then
      log "$tag: exists, skipped (use --force to rebuild)"
      return
    fi
    log "$tag: base $base changed, rebuilding"
  fi

  log "$tag: building from images/$dir/Dockerfile on $base"
  local build_log
  build_log="$(mktemp)"
  if ! docker build --no-cache=false --rm --force-rm \
      --build-arg "BASE_IMAGE=$base" "$@" \
      --label "$SOURCE_LABEL=images/$dir/Dockerfile FROM $base (Debian packages)" \
      --label "org.opencontainers.image.title=$tag" \
      --label "org.opencontainers.image.base.name=$base" \
      --label "$BASE_ID_LABEL=$base_id" \
      --tag "$tag" "$IMAGES_DIR/$dir" >"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    rm -f "$build_log"
    die "docker build of $tag failed (output above)"
  fi
  rm -f "$build_log"
  log "$tag: built $(image_id "$tag" | cut -c8-19)"
  drop_replaced "$tag" "$old_id"
}

# Every image built on one suite's root file system, in order. Runs in its own subshell.
build_chain() {
  local suite="$1"
  trap cleanup EXIT
  build_base "$suite"
  build_derived "$PREFIX/systemd-host:$suite" systemd-host "$PREFIX/debian:$suite"
  case "$suite" in
    trixie)
      build_derived "$PREFIX/docker-host:trixie" docker-host "$PREFIX/systemd-host:trixie"
      ;;
    bookworm)
      build_derived "$PREFIX/python:3.11-bookworm" python "$PREFIX/debian:bookworm"
      build_derived "$PREFIX/redis:7" redis "$PREFIX/debian:bookworm"
      ;;
  esac
  drop_replaced_leftovers
}

main() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --force) force=1 ;;
      --refresh) refresh=1; force=1 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'; accepted: --force, --refresh, --help" ;;
    esac
    shift
  done

  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || die "cannot reach the Docker daemon; start dockerd or set DOCKER_HOST"
  mkdir -p "$CACHE_DIR"
  local started=$SECONDS

  # The two suites share nothing, and each chain waits mostly on Debian's mirror: build them
  # side by side.
  local suite failed=()
  local -A chain=()
  for suite in "${SUITES[@]}"; do
    build_chain "$suite" &
    chain[$suite]=$!
  done
  for suite in "${SUITES[@]}"; do
    wait "${chain[$suite]}" || failed+=("$suite")
  done
  ((${#failed[@]} == 0)) || die "the images of ${failed[*]} failed (output above)"

  log "done in $((SECONDS - started)) s:"
  docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.ID}}  {{.Size}}' "$PREFIX/*" >&2
}

main "$@"
