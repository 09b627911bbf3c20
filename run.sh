#!/bin/sh
# Builds Parafrac (installing what it needs) and launches it.
# Until the desktop app lands, this renders the default view with parafrac-cli.
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)" --target parafrac-cli
mkdir -p out
build/bin/parafrac-cli render -o out/parafrac.png "$@"
echo "parafrac: your image is at $(pwd)/out/parafrac.png"
