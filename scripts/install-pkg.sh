#!/usr/bin/env bash
# Packs pkg/ as npm would publish it and installs the tarball as node_modules/tim-sns, so tests,
# examples and the page import exactly what users get (the `files` list and `exports` map).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/npm
rm -f target/npm/tim-sns-*.tgz
npm pack ./pkg --pack-destination target/npm --silent >/dev/null
npm install --no-save --no-audit --no-fund --silent target/npm/tim-sns-*.tgz
