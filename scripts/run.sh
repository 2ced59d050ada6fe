#!/usr/bin/env bash
# The main job: set up (no browser or Python needed), build and install the package, run the
# example admin script against the embedded emulator (no Tencent account), then serve the
# debugging page on http://127.0.0.1:8080/www/ until Ctrl-C. PORT=N picks another port;
# NO_SERVE=1 stops after the examples.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --no-browser --no-python
bash scripts/build-pkg.sh
bash scripts/install-pkg.sh
node scripts/example-usersig.mjs
node scripts/example-admin.mjs
[ "${NO_SERVE:-}" = 1 ] && exit 0
exec node scripts/serve.mjs --port "${PORT:-8080}"
