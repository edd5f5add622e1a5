#!/usr/bin/env bash
# Source it: a rootful podman of this project's own (its own storage and config under
# .runnerly/podman, nothing shared with the machine's podman), set up the way this machine's kernel
# needs it: runc (crun fails on its cgroup layout), cgroupfs (no systemd), overlay storage where the
# kernel lets us mount an overlay (a layer is a diff: builds take minutes), else vfs (a layer is a
# full copy of the image: the same builds take half an hour and tens of GB), netavark networks (Debian packages: podman runc netavark aardvark-dns; debootstrap for the base images).
# RUNNERLY_PODMAN_DIR moves it elsewhere.
__root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export RUNNERLY_PODMAN_DIR="${RUNNERLY_PODMAN_DIR:-$__root/.runnerly/podman}"
mkdir -p "$RUNNERLY_PODMAN_DIR/cache"
if [ -z "${RUNNERLY_PODMAN_STORAGE_DRIVER:-}" ]; then
  __probe="$(mktemp -d "$RUNNERLY_PODMAN_DIR/cache/overlay-probe.XXXX")"
  mkdir "$__probe/lower" "$__probe/upper" "$__probe/work" "$__probe/merged"
  if mount -t overlay overlay -o "lowerdir=$__probe/lower,upperdir=$__probe/upper,workdir=$__probe/work" \
    "$__probe/merged" 2>/dev/null; then
    umount "$__probe/merged"
    RUNNERLY_PODMAN_STORAGE_DRIVER=overlay
  else
    RUNNERLY_PODMAN_STORAGE_DRIVER=vfs
  fi
  rm -rf "$__probe"
  unset __probe
fi
export RUNNERLY_PODMAN_STORAGE_DRIVER
# One store per driver: podman refuses a store made by another driver.
mkdir -p "$RUNNERLY_PODMAN_DIR/storage-$RUNNERLY_PODMAN_STORAGE_DRIVER"
cat >"$RUNNERLY_PODMAN_DIR/containers.conf" <<CONF
[containers]
default_ulimits = []
pids_limit = 0

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
# Compose's networks with names that resolve (aardvark-dns); CNI here has no DNS plugin.
network_backend = "netavark"
network_config_dir = "$RUNNERLY_PODMAN_DIR/networks"
CONF
cat >"$RUNNERLY_PODMAN_DIR/storage.conf" <<CONF
[storage]
driver = "$RUNNERLY_PODMAN_STORAGE_DRIVER"
runroot = "$RUNNERLY_PODMAN_DIR/run-$RUNNERLY_PODMAN_STORAGE_DRIVER"
graphroot = "$RUNNERLY_PODMAN_DIR/storage-$RUNNERLY_PODMAN_STORAGE_DRIVER"
CONF
export CONTAINERS_CONF="$RUNNERLY_PODMAN_DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$RUNNERLY_PODMAN_DIR/storage.conf"
unset __root
