#!/bin/sh
# Builds Parafrac (installing what it needs) and launches the desktop app. Arguments go to the
# app: ./run.sh --strategy processes --workers 4
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)" --target parafrac parafrac-cli
exec build/bin/parafrac "$@"
