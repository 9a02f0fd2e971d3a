#!/usr/bin/env bash
# Build the standalone bundle on Debian 11 "bullseye" (glibc 2.31), so that it
# runs on any Linux x86_64 with glibc 2.31 or newer. build.py alone builds on
# the machine it runs on, and the bundle then needs that machine's glibc.
#
#     sudo resources/bundle/build_portable.sh            # 6-7 minutes the first time
#     sudo resources/bundle/build_portable.sh --force    # rebuild the bundle, keep the rest
#
# Needs root (debootstrap, chroot, mount namespaces), debootstrap and curl, and
# the Debian mirror and PyPI. Steps, each reused when already done:
#   1. debootstrap bullseye (minbase, a C toolchain, the -dev packages CPython
#      needs, and the desktop libraries Qt's platform plugins link) into the
#      cache folder: $WORKBENCH_PORTABLE_CACHE, or ~/.cache/ach-workbench-portable;
#   2. build CPython 3.11.2 (Debian bookworm's upstream tarball, checked by its
#      sha256, plus the security and bug fixes of bookworm's patch series; not
#      Debian's layout patches) with --enable-shared into /opt/python3.11 there;
#   3. a venv there with this checkout installed with its [bundle] extra from PyPI;
#   4. build.py --require-glibc 2.31 there, writing to dist/bundle/ of this
#      checkout as build.py does on the host (the folder, the .tar.gz and
#      build-report.json, whose built_on says 2.31).
# tests/bundle/test_portable.py then runs the bundle inside the same bullseye
# root and on the host: pytest -m portable -n 0 (WORKBENCH_PORTABLE=1 builds first).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${WORKBENCH_PORTABLE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/ach-workbench-portable}
SUITE=bullseye
GLIBC=2.31
FORCE=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=(--force) ;;
    --print-root) echo "$CACHE/rootfs"; exit 0 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [[ $(id -u) != 0 ]]; then
  echo "error: run as root (debootstrap, chroot and mount need it)" >&2
  exit 2
fi

# CPython: the upstream source as Debian ships it (bookworm's python3.11), and
# Debian's patches, of which the security and bug fixes are applied (below).
PY_VERSION=3.11.2
PY_POOL=pool/main/p/python3.11
PY_ORIG=python3.11_3.11.2.orig.tar.gz
PY_ORIG_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
PY_DEBIAN=python3.11_3.11.2-6+deb12u8.debian.tar.xz
PY_DEBIAN_SHA256=ece2d63c70ac0b7a401fbe6b51b0103be997c294a01a3865549be1862794ba97
#: The first patch of Debian's series that is an upstream fix; those before it
#: change the layout (multiarch, dist-packages, distutils) and are left out.
PY_FIRST_FIX=shutdown-deadlock.diff
PREFIX=/opt/python3.11

PACKAGES=(
  # CPython's build and the bundle's (strip)
  gcc make libc6-dev binutils pkg-config patch xz-utils ca-certificates
  libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libbz2-dev liblzma-dev uuid-dev
  # what Qt's xcb and Wayland plugins link (PyInstaller reads them; they stay
  # out of the bundle) and what the window needs when run in this root
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-xinerama0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  libxcb-util1 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-render0 libx11-xcb1
  libxkbcommon0 libglib2.0-0 libfreetype6 libwayland-client0 libwayland-cursor0 libwayland-egl1
)

ROOTFS=$CACHE/rootfs
SOURCES=$CACHE/sources
DIST=$ROOT/dist/bundle
mkdir -p "$CACHE" "$SOURCES" "$DIST"
STARTED=$SECONDS

step() { echo "== [$((SECONDS - STARTED)) s] $*"; }

# Run a command in the root, in a mount namespace of its own (the mounts go
# away with it): /proc, /dev, this checkout's dist/bundle at its own path, and
# an empty environment.
in_root() {
  unshare --mount --propagation private -- /bin/bash -euc '
    root=$1 dist=$2; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root$dist"
    mount --bind "$dist" "$root$dist"
    exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
      PIP_CERT=/etc/ssl/certs/ca-certificates.crt "$@"
  ' in_root "$ROOTFS" "$DIST" "$@"
}

# -- 1. the bullseye root ------------------------------------------------------
packages_digest=$(printf '%s\n' "$SUITE" "${PACKAGES[@]}" | sha256sum | cut -c1-16)
if [[ ! -f $ROOTFS/.workbench-rootfs-$packages_digest ]]; then
  step "debootstrap $SUITE into $ROOTFS"
  rm -rf "$ROOTFS.new"
  list=$(IFS=,; echo "${PACKAGES[*]}")
  debootstrap --variant=minbase --include="$list" "$SUITE" "$ROOTFS.new" ${DEBIAN_MIRROR:-} \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  touch "$ROOTFS.new/.workbench-rootfs-$packages_digest"
  rm -rf "$ROOTFS"
  mv "$ROOTFS.new" "$ROOTFS"
fi
# Name resolution, and the certificates this machine trusts (a proxy's own CA,
# where there is one) so that pip in the root reaches PyPI as pip here does.
cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null
fi
glibc=$(in_root /usr/bin/ldd --version | sed -n 1p)
step "root ready: $glibc"

# -- 2. CPython with --enable-shared --------------------------------------------
mirror=${DEBIAN_MIRROR:-$(awk '$1 == "deb" {print $2; exit}' "$ROOTFS/etc/apt/sources.list")}
fetch() { # file sha256
  if [[ ! -f $SOURCES/$1 ]] || ! echo "$2  $SOURCES/$1" | sha256sum --check --status; then
    step "download $1"
    curl -sSf -o "$SOURCES/$1.part" "$mirror/$PY_POOL/$1"
    mv "$SOURCES/$1.part" "$SOURCES/$1"
  fi
  echo "$2  $SOURCES/$1" | sha256sum --check --status || { echo "error: $1: wrong sha256" >&2; exit 1; }
}
# The mirror keeps only the current revision of a package: when bookworm's
# python3.11 moves on, the pinned patch tarball is gone from it. Then take the
# current one, with the sha256 the mirror's (signed) source index gives for it.
current_debian_patches() { # prints "file sha256"
  curl -sSf "$mirror/dists/bookworm/main/source/Sources.xz" 2>/dev/null | xz -d | awk '
    /^Package: / { here = ($2 == "python3.11"); sums = 0; next }
    here && /^Checksums-Sha256:/ { sums = 1; next }
    here && sums && /^ / { if ($3 ~ /\.debian\.tar\.xz$/) { print $3, $1; exit } next }
    { sums = 0 }'
}
if [[ ! -f $SOURCES/$PY_DEBIAN ]] && ! curl -sfI -o /dev/null "$mirror/$PY_POOL/$PY_DEBIAN"; then
  read -r PY_DEBIAN PY_DEBIAN_SHA256 < <(current_debian_patches) || true
  [[ -n ${PY_DEBIAN_SHA256:-} ]] || { echo "error: no python3.11 patches on $mirror" >&2; exit 1; }
  step "the pinned Debian patches are gone from the mirror: using $PY_DEBIAN"
fi
python_stamp=$ROOTFS$PREFIX/.workbench-$PY_DEBIAN
if [[ ! -f $python_stamp ]]; then
  fetch "$PY_ORIG" "$PY_ORIG_SHA256"
  fetch "$PY_DEBIAN" "$PY_DEBIAN_SHA256"
  step "build CPython $PY_VERSION in the root (3-5 minutes on 2 cores)"
  src=$ROOTFS/build/python
  rm -rf "$src" "$ROOTFS$PREFIX"
  mkdir -p "$src"
  tar -xzf "$SOURCES/$PY_ORIG" -C "$src" --strip-components=1
  tar -xJf "$SOURCES/$PY_DEBIAN" -C "$src" debian/patches
  sed -n "/^$PY_FIRST_FIX\$/,\$p" "$src/debian/patches/series" >"$src/applied-patches"
  [[ -s $src/applied-patches ]] || { echo "error: $PY_FIRST_FIX not in the series" >&2; exit 1; }
  while read -r name; do
    patch -d "$src" -p1 -s --no-backup-if-mismatch <"$src/debian/patches/$name"
  done <"$src/applied-patches"
  # CVE-2026-4224's fix includes an internal header in pyexpat.c, which Debian
  # builds into the interpreter (setup-modules.diff, left out here); built as a
  # shared module it must say it is a core module, as 3.12's pyexpat.c does.
  if grep -q '^#include "pycore_' "$src/Modules/pyexpat.c" \
    && ! grep -q Py_BUILD_CORE_MODULE "$src/Modules/pyexpat.c"; then
    sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' \
      "$src/Modules/pyexpat.c"
  fi
  echo "   applied $(wc -l <"$src/applied-patches") of Debian's patches ($PY_FIRST_FIX on)"
  in_root /bin/sh -ec "cd /build/python
    ./configure --prefix=$PREFIX --enable-shared LDFLAGS=-Wl,-rpath,$PREFIX/lib \
      --with-ensurepip=install >configure.log 2>&1 || { tail -30 configure.log; exit 1; }
    nice -n 10 make -j\$(nproc) >make.log 2>&1 || { tail -40 make.log; exit 1; }
    make install >install.log 2>&1 || { tail -40 install.log; exit 1; }" \
    || exit 1
  cp "$src/applied-patches" "$ROOTFS$PREFIX/debian-patches-applied.txt"
  in_root "$PREFIX/bin/python3.11" -c 'import ssl, sqlite3, lzma, bz2, zlib, ctypes, uuid, sys; print(sys.version, "sqlite", sqlite3.sqlite_version)'
  touch "$python_stamp"
  rm -rf "$src"
fi

# -- 3. the venv and this checkout in it ----------------------------------------
step "copy the sources into the root and install them with [bundle]"
rm -rf "$ROOTFS/build/src"
mkdir -p "$ROOTFS/build/src"
tar -C "$ROOT" -cf - --exclude=__pycache__ workbench resources pyproject.toml README.md \
  | tar -C "$ROOTFS/build/src" -xf -
if [[ ! -x $ROOTFS/build/venv/bin/python ]]; then
  in_root "$PREFIX/bin/python3.11" -m venv /build/venv
  in_root /build/venv/bin/python -m pip install -q --upgrade pip
fi
in_root /build/venv/bin/python -m pip install -q '/build/src[bundle]'
in_root /build/venv/bin/python -m pip list --format=freeze 2>/dev/null \
  | grep -i -E '^(pyside6|numpy|pyinstaller|python-calamine|psycopg)' | sed 's/^/   /'

# -- 4. build.py in the root ------------------------------------------------------
step "build.py --require-glibc $GLIBC in the root"
in_root /build/venv/bin/python /build/src/resources/bundle/build.py \
  --dist "$DIST" --work /build/pyinstaller --require-glibc "$GLIBC" "${FORCE[@]}"
step "done: $DIST"
