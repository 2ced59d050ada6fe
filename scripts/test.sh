#!/usr/bin/env bash
# Sets up a fresh machine (scripts/setup.sh) and runs every test layer:
#   1. native cargo test (core, UserSig vectors)
#   2. wasm-bindgen-test in Node (the JS boundary)
#   3. the package build (size printed and checked against the budget), then publint and attw
#      on the packed tarball
#   4. tsc --strict consumer checks with TypeScript 5.9 and 7 (nodenext ESM + CJS, bundler,
#      TypeScript 7's tsc --init defaults, node10), of examples/ and of every code block of the docs
#   5. the API reference built with TypeDoc from the package's declarations (no warning allowed)
#   6. node --test on the packed package: ESM, CJS, interop with the official libraries,
#      the www/ page and a Vite build in headless Chromium; the Node and command tests again on
#      the oldest Node that `engines` names
#   7. a short bounded run of each fuzz target after the native tests (cargo-fuzz; long runs:
#      scripts/fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# A test run leaves the checkout as it found it: artefacts go under ignored folders (target/,
# node_modules/), and the lock file is installed with `npm ci`. Checked at the end.
tree_state() { git status --porcelain=v1 --untracked-files=all 2>/dev/null; git diff 2>/dev/null | cksum; }
tree_before=$(tree_state)

step "setup"
bash scripts/setup.sh

step "native tests (cargo test)"
cargo test

step "fuzz targets, a few seconds each (scripts/fuzz.sh)"
bash scripts/fuzz.sh all "${FUZZ_SECONDS:-5}"

step "wasm tests in Node (wasm-bindgen-test)"
# No -q here: cargo forwards it to the runner, which rejects it.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm_node

step "package build"
bash scripts/build-pkg.sh
bash scripts/install-pkg.sh

step "package lint (publint, attw) on the packed tarball"
bash scripts/lint-pkg.sh

step "TypeScript consumers (tsc --strict)"
# Both compilers users have: TypeScript 5.9 and 7 (npm's latest), each by its own path (both
# packages install a `tsc` bin). node10 resolution exists in 5.x only.
tsc5="node node_modules/typescript/bin/tsc" tsc7="node node_modules/typescript7/bin/tsc"
# The programs in examples/ are checked under each setting too (init and bundler-node include them).
for config in nodenext bundler bundler-node init examples-nodenext; do
  $tsc5 -p "tests/types/tsconfig.$config.json"
  $tsc7 -p "tests/types/tsconfig.$config.json"
done
$tsc5 -p tests/types/tsconfig.node10.json
$tsc5 -p tests/types/tsconfig.examples-node10.json
# Every TypeScript block of README.md, docs/ and the npm README, each a whole program.
node scripts/check-doc-blocks.mjs
echo "tsc: TypeScript $($tsc5 --version | awk '{print $2}') and $($tsc7 --version | awk '{print $2}'): nodenext (ESM + CJS), bundler (browser and Node scripts), tsc --init defaults and (5.x) node10 consumers type-check"

step "API reference (TypeDoc, fails on any warning or undocumented export)"
node scripts/api-docs.mjs

step "package tests (node --test)"
node --test tests/node/ tests/interop/ tests/cli/ tests/browser/

# The package's `engines` is a promise: the Node and command tests run again on the oldest Node
# it names, a binary from npm's node-linux-<arch> package (cached under target/).
min_node=$(node -p 'require("./pkg-template/package.json").engines.node.replace(/^>=\s*/, "").split(".").concat("0", "0").slice(0, 3).join(".")')
step "package tests on the oldest Node the package supports ($min_node)"
node_arch=$(node -p 'process.arch')
node_dir="target/node-$min_node"
if [ ! -x "$node_dir/node_modules/node-linux-$node_arch/bin/node" ]; then
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-$node_arch@$min_node" >/dev/null
fi
PATH="$PWD/$node_dir/node_modules/node-linux-$node_arch/bin:$PATH" node --test tests/node/ tests/cli/

# Silent when clean, so that the test runner's summary stays the last thing printed.
if [ "$(tree_state)" != "$tree_before" ]; then
  echo "test: the test run changed the checkout:" >&2
  git status --short >&2
  exit 1
fi
