#!/usr/bin/env bash
# Lints the package as npm users get it: publint and @arethetypeswrong/cli (attw) on the tarball
# that scripts/install-pkg.sh packed. Fails on any problem except the intended ones named here:
#
#   - `tim-sns/web` is the browser build and is ESM only: a CommonJS `require` of it is refused by
#     design (Node's `require("tim-sns")` gets node.cjs). It is checked on its own with attw's
#     esm-only profile, which skips the node10 and node16-from-CJS resolutions for that entry only.
#   - `tim-sns/tim_sns_bg.wasm` is exported for bundlers and servers that want the file itself; it
#     is not a module and has no types, so attw's "no resolution" for it says nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
tarballs=(target/npm/tim-sns-*.tgz)
[ "${#tarballs[@]}" = 1 ] || { echo "lint-pkg: expected one packed tarball in target/npm/ (run scripts/install-pkg.sh)" >&2; exit 1; }
tgz=${tarballs[0]}

echo "lint-pkg: publint --strict $tgz"
node_modules/.bin/publint run "$tgz" --strict

echo "lint-pkg: attw (strict profile) on every entry but ./web and ./tim_sns_bg.wasm"
node_modules/.bin/attw "$tgz" --no-color --no-emoji --format table-flipped --no-definitely-typed --exclude-entrypoints ./web ./tim_sns_bg.wasm

echo "lint-pkg: attw (esm-only profile) on ./web, the ESM-only browser entry"
node_modules/.bin/attw "$tgz" --no-color --no-emoji --format table-flipped --no-definitely-typed --profile esm-only --entrypoints ./web
echo "lint-pkg: publint and attw found no unintended problem"
