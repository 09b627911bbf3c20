#!/bin/sh
# Installs the Debian 12 packages Parafrac builds, runs and tests with, when any is missing.
# Runs `apt-get update` once, only when something has to be installed.
set -eu

PACKAGES="g++ make cmake pkg-config
  libcli11-dev nlohmann-json3-dev libpng-dev
  libglfw3-dev libimgui-dev libstb-dev python3-glad libgl-dev libgl1-mesa-dri
  libegl-dev libegl1 libegl-mesa0
  libgtest-dev libgmock-dev libbenchmark-dev libhwy-dev libtbb-dev libomp-dev
  python3 python3-numpy xvfb xauth xdotool desktop-file-utils
  clang libclang-rt-14-dev"

missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

echo "parafrac: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "parafrac: these packages are missing and I am not root (and there is no sudo):$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update
# shellcheck disable=SC2086  # the list is meant to split into words
$as_root apt-get install -y --no-install-recommends $missing
