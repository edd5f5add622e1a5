#!/usr/bin/env bash
# Source it: a rootful podman of this project's own (its own storage and config under
# .runnerly/podman, nothing shared with the machine's podman), set up the way this machine's kernel
# needs it: runc (crun fails on its cgroup layout), cgroupfs (no systemd), vfs storage (no overlay),
# netavark networks (Debian packages: podman runc netavark aardvark-dns; debootstrap for the base images).
# RUNNERLY_PODMAN_DIR moves it elsewhere.
__root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export RUNNERLY_PODMAN_DIR="${RUNNERLY_PODMAN_DIR:-$__root/.runnerly/podman}"
mkdir -p "$RUNNERLY_PODMAN_DIR/storage" "$RUNNERLY_PODMAN_DIR/run" "$RUNNERLY_PODMAN_DIR/cache"
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
driver = "vfs"
runroot = "$RUNNERLY_PODMAN_DIR/run"
graphroot = "$RUNNERLY_PODMAN_DIR/storage"
CONF
export CONTAINERS_CONF="$RUNNERLY_PODMAN_DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$RUNNERLY_PODMAN_DIR/storage.conf"
unset __root
