#!/usr/bin/env bash
# Software Vulkan for Node WebGPU (Dawn, npm `webgpu`) on a machine without a GPU: Mesa 25's
# lavapipe from Debian bookworm-backports. Debian 12's own Mesa 22 lavapipe is rejected by Dawn.
#
# Nothing is installed system-wide: apt works on private lists in DIR, downloads exactly the
# packages this machine lacks for mesa-vulkan-drivers/bookworm-backports (newer libdrm, LLVM on a
# bare machine, ...) and unpacks them under DIR. Works without root. Needs Debian's Vulkan loader
# (apt-get install libvulkan1) and fails without it. Re-runs reuse DIR and touch no network.
#
# Usage: eval "$(scripts/setup-lavapipe.sh [DIR])"     DIR defaults to <project>/.cache/lavapipe
# Prints:  export VK_DRIVER_FILES=...  and  export LD_LIBRARY_PATH=...   (progress goes to stderr)
# Env:     DEBIAN_MIRROR  the mirror to use (default: the first Debian mirror in /etc/apt)
set -euo pipefail

SUITE=bookworm
DIR="${1:-$(cd "$(dirname "$0")/.." && pwd)/.cache/lavapipe}"
ICD="$DIR/lvp_icd.json"

fail() { echo "setup-lavapipe: $*" >&2; exit 1; }

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  # deb822 sources (Debian 12 default), then one-line sources; the security archive does not carry backports.
  { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { print $i; break } }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
  } | grep -E '/debian/?$' | head -1 || true # missing files and no match mean "none found"
}

# Downloads and unpacks into a fresh folder that replaces DIR only when complete, so an
# interrupted run never leaves a half-unpacked driver behind.
fetch_lavapipe() {
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "needs apt-get and dpkg (Debian 12)"
  local mirror
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || fail "no Debian mirror in /etc/apt; set DEBIAN_MIRROR=http://deb.debian.org/debian"
  mkdir -p "$(dirname "$DIR")"
  work=$(mktemp -d "$DIR.tmp.XXXXXX") # global: the EXIT trap runs after this function's locals are gone
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/debs"
  printf 'deb %s %s main\ndeb %s %s-backports main\n' "$mirror" "$SUITE" "$mirror" "$SUITE" >"$work/apt/sources.list"
  local apt=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
    -o "APT::Sandbox::User=$(id -un)") # the private folders are not readable by apt's _apt user
  echo "setup-lavapipe: fetching Mesa lavapipe from $mirror $SUITE-backports into $DIR" >&2
  apt-get "${apt[@]}" update -qq --error-on=any >&2 || fail "apt-get update of $SUITE-backports failed (no network or no mirror?)"
  # A simulated install against this machine's dpkg state names what is missing or too old.
  local packages
  packages=$(apt-get "${apt[@]}" install -s -t "$SUITE-backports" --no-install-recommends mesa-vulkan-drivers 2>/dev/null |
    sed -n 's/^Inst \([^ ]*\) \(\[[^]]*\] \)\{0,1\}(\([^ ]*\) .*/\1=\3/p')
  grep -q '^mesa-vulkan-drivers=' <<<"$packages" || fail "apt found no mesa-vulkan-drivers in $SUITE-backports"
  # shellcheck disable=SC2086 # one package=version per word
  (cd "$work/debs" && apt-get "${apt[@]}" download $packages >&2) || fail "apt-get download failed"
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
  rm -rf "$work/apt" "$work/debs" "$DIR"
  mv "$work" "$DIR"
  trap - EXIT
}

# Without the loader the driver is of no use to Dawn. (ldconfig lives in sbin, often off a user's PATH.)
[[ $(PATH="$PATH:/usr/sbin:/sbin" ldconfig -p 2>/dev/null) == *'libvulkan.so.1 '* ]] || fail "Dawn needs Debian's Vulkan loader first: apt-get install libvulkan1"

[ -e "$ICD" ] || {
  fetch_lavapipe
  lib=$(find "$DIR/root" -name libvulkan_lvp.so -print -quit)
  [ -n "$lib" ] || fail "the downloaded mesa-vulkan-drivers has no libvulkan_lvp.so"
  # The packaged ICD file points at /usr/lib (the system's Mesa); point it at the unpacked copy.
  packaged=$(find "$DIR/root/usr/share/vulkan/icd.d" -name 'lvp_icd*.json' -print -quit)
  sed "s|\"library_path\": *\"[^\"]*\"|\"library_path\": \"$lib\"|" "$packaged" >"$ICD.tmp"
  mv "$ICD.tmp" "$ICD"
}

lib_dir=$(dirname "$(sed -n 's/.*"library_path": *"\([^"]*\)".*/\1/p' "$ICD")")
printf 'export VK_DRIVER_FILES=%q\n' "$ICD"
printf 'export LD_LIBRARY_PATH=%q\n' "$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
