#!/usr/bin/env bash
# Reproducible release build: static binaries for the three 信创 targets
# (linux/amd64, linux/arm64 for Kunpeng and Phytium, linux/loong64 for
# Loongson), SHA256SUMS, and with --deb a Debian package for each.
#
#   build/release.sh            # binaries + SHA256SUMS in dist/
#   build/release.sh --deb      # also dist/zhendi_<version>_<arch>.deb
#   VERSION=1.0.0 build/release.sh --deb
#
# Two runs on the same commit with the same Go toolchain give byte-identical
# files: no cgo, -trimpath (no build paths), an empty build id, no VCS
# stamping beyond what -X writes, and every time taken from the commit
# (SOURCE_DATE_EPOCH) rather than the clock. The toolchain is part of the
# recipe: the Go version is written to dist/BUILDINFO.
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
TARGETS=${TARGETS:-"amd64 arm64 loong64"}
deb=0
for a in "$@"; do
  case "$a" in
    --deb) deb=1 ;;
    *) echo "用法：build/release.sh [--deb]" >&2; exit 2 ;;
  esac
done

COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dirty=""
if [ "$COMMIT" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  dirty="-dirty"
fi
# Debian versions must start with a digit: v1.2.0 -> 1.2.0; an untagged
# commit is 0.0.0~git<date>.<short sha>.
if [ -z "${VERSION:-}" ]; then
  if tag=$(git describe --tags --exact-match 2>/dev/null); then
    VERSION=${tag#v}
  else
    VERSION="0.0.0~git$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || echo 0).$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  fi
fi
VERSION="$VERSION$dirty"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
BUILD_TIME=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
export VERSION

mkdir -p dist
rm -f dist/zhendi-* dist/zhendi_*.deb dist/SHA256SUMS dist/BUILDINFO
for arch in $TARGETS; do
  out="dist/zhendi-$VERSION-linux-$arch"
  # GOAMD64/GOARM64 pinned: a builder's environment must not change the
  # instructions (and the sums), and v1/v8.0 run on every server of the arch.
  CGO_ENABLED=0 GOOS=linux GOARCH=$arch GOAMD64=v1 GOARM64=v8.0 GOFLAGS=-buildvcs=false \
    go build -trimpath \
      -ldflags "-s -w -buildid= -X main.version=$VERSION -X main.commit=$COMMIT$dirty -X main.buildTime=$BUILD_TIME" \
      -o "$out" ./cmd/zhendi
  touch -d "@$SOURCE_DATE_EPOCH" "$out"
  echo "built $out"
done

if [ "$deb" = 1 ]; then
  for arch in $TARGETS; do
    ARCH=$arch go run "$NFPM" package --config build/package/nfpm.yaml --packager deb --target dist/
  done
  for f in dist/*.deb; do touch -d "@$SOURCE_DATE_EPOCH" "$f"; done
  # Each package holds what the 运维 manual promises (checked where dpkg is).
  if command -v dpkg-deb >/dev/null 2>&1; then
    for f in dist/*.deb; do
      list=$(dpkg-deb -c "$f")
      for want in ./usr/bin/zhendi ./usr/lib/systemd/system/zhendi.service ./etc/zhendi/zhendi.toml ./var/lib/zhendi/; do
        grep -q " $want\$" <<<"$list" || { echo "$f: $want 缺失" >&2; exit 1; }
      done
      dpkg-deb -I "$f" postinst | grep -q "adduser --system" || { echo "$f: postinst 未建立 zhendi 账户" >&2; exit 1; }
    done
  fi
fi

go version > dist/BUILDINFO
echo "commit $COMMIT$dirty" >> dist/BUILDINFO
echo "source date $BUILD_TIME (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >> dist/BUILDINFO
(cd dist && sha256sum zhendi-* $(ls zhendi_*.deb 2>/dev/null) > SHA256SUMS)
cat dist/SHA256SUMS
