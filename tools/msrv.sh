#!/usr/bin/env bash
# The minimum Rust version the crates claim (`rust-version` in Cargo.toml),
# checked with that compiler: Debian's rustc-web package of that version
# (installed with apt-get when missing; /usr/bin/rustc and cargo, beside
# rustup's, which stay first on PATH), on a copy of the workspace whose
# lockfile picks, for each dependency, the newest version that supports
# it (cargo's MSRV-aware resolver), as a user's project on that Rust does.
#
# fastrs is checked with every cargo feature but `chrono`, which needs
# Rust 1.88 (its parser, speedate, does): that the resolver says so, and
# names nothing else, is checked too.
#
#     tools/msrv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ -n "$msrv" ] || { echo "msrv: no rust-version in Cargo.toml" >&2; exit 1; }

rustc_old=/usr/bin/rustc
cargo_old=/usr/bin/cargo
if ! "$rustc_old" --version 2>/dev/null | grep -q "^rustc $msrv\."; then
  echo "msrv: installing Debian's rustc-web $msrv"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  package=$(apt-cache madison rustc-web | awk -v v="$msrv." '$3 ~ "^" v { print $3; exit }')
  if [ -z "$package" ]; then
    echo "msrv: Debian offers no rustc-web $msrv (apt-cache madison rustc-web); cannot check the claim" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    "rustc-web=$package" "cargo-web=$package" \
    "libstd-rust-web-dev=$package" "libstd-rust-web-${msrv}=$package" >/dev/null
fi
"$rustc_old" --version | grep -q "^rustc $msrv\." \
  || { echo "msrv: $rustc_old is not rustc $msrv" >&2; exit 1; }

# A copy of the committed workspace, with a lockfile for that Rust.
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$copy"
cd "$copy"
CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile --quiet

features=$(awk '/^\[features\]/ { on = 1; next } /^\[/ { on = 0 } on && /^[a-z0-9_-]+ =/ { print $1 }' \
  "$root/fastrs/Cargo.toml" | grep -vx 'default\|chrono' | paste -sd, -)
old() { RUSTC="$rustc_old" RUSTDOC=/usr/bin/rustdoc CARGO_TARGET_DIR="$root/target/msrv" "$cargo_old" "$@"; }
echo "msrv: rustc $msrv checks fastrs with the features $features"
old check --quiet --locked -p fastrs --features "$features"

# chrono: refused for speedate's sake only.
if refused=$(old check --quiet --locked -p fastrs --features chrono 2>&1); then
  echo "msrv: fastrs with chrono now builds on $msrv: say so in the README and fastrs/README.md" >&2
  exit 1
fi
if ! echo "$refused" | grep -q 'speedate@.* requires rustc 1.88' \
  || echo "$refused" | grep 'requires rustc' | grep -vq speedate; then
  echo "msrv: fastrs with chrono is refused on $msrv for another reason than speedate's 1.88:" >&2
  echo "$refused" >&2
  exit 1
fi
echo "msrv: fastrs builds on rustc $msrv with every feature but chrono (speedate needs 1.88)"
