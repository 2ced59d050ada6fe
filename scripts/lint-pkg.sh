#!/usr/bin/env bash
# Lints the package as npm users get it: publint and @arethetypeswrong/cli (attw) on the tarball
# that scripts/install-pkg.sh packed. Fails on any problem except the intended ones named here:
#
#   - `tim-sns/web` (the browser build), `tim-sns/webhook` (the handlers are ES modules) and
#     `tim-sns/redis` (ES modules over the caller's Redis client) are ESM only: a CommonJS `require` of them is refused by design (Node's `require("tim-sns")`
#     gets node/node.cjs). They are checked on their own
#     with attw's esm-only profile, which skips the node10 and node16-from-CJS resolutions.
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

esm_only=(./web ./webhook ./redis)
echo "lint-pkg: attw (strict profile) on every entry but ${esm_only[*]} and ./tim_sns_bg.wasm"
node_modules/.bin/attw "$tgz" --no-color --no-emoji --format table-flipped --no-definitely-typed --exclude-entrypoints "${esm_only[@]}" ./tim_sns_bg.wasm

echo "lint-pkg: attw (esm-only profile) on ${esm_only[*]}, the ESM-only entries"
node_modules/.bin/attw "$tgz" --no-color --no-emoji --format table-flipped --no-definitely-typed --profile esm-only --entrypoints "${esm_only[@]}"
echo "lint-pkg: publint and attw found no unintended problem"
