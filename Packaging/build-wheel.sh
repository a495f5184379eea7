#!/usr/bin/env bash
# Packaging/build-wheel.sh OUTDIR: builds the self-contained Linux x86_64 wheel
# OUTDIR/mlicense-<version>-py3-none-manylinux_2_<glibc>_x86_64.whl from this checkout.
#
# The release build links the Swift runtime and Foundation statically (--static-swift-stdlib),
# libgit2 statically and the executable at a fixed address (MLICENSE_FIXED_ADDRESS, Package.swift); the shared libraries left (libyaml, mbedTLS, GSSAPI and what
# it needs) are copied into the wheel, found through the RPATH `$ORIGIN/../lib/mlicense`
# (--disable-new-dtags makes it a DT_RPATH, which also serves the bundled libraries' own
# dependencies). Needs: Swift 6, libgit2-dev, libyaml-dev, python3, binutils (readelf, strip).
# MLICENSE_WHEEL_SCRATCH names the build folder (default: .build/wheel).
set -euo pipefail
out=${1:?usage: Packaging/build-wheel.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${MLICENSE_WHEEL_SCRATCH:-$root/.build/wheel}
mkdir -p "$out"
MLICENSE_FIXED_ADDRESS=1 swift build --package-path "$root" --scratch-path "$scratch" -c release --static-swift-stdlib --product mlicense \
  -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/../lib/mlicense' >&2
python3 "$root/Packaging/make_wheel.py" --binary "$scratch/release/mlicense" --root "$root" --out "$out"
