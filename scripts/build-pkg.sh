#!/usr/bin/env bash
# Builds the npm package into pkg/ from pkg-template/ and these wasm builds of the crate:
#   pkg/            the browser build (default features): the client without the bulk helpers
#                   and migration, wasm-bindgen's web glue; its size is checked against the budget
#   pkg/node/       the Node build (feature `node`): the client with the bulk helpers and the
#                   migration core, ESM (initSync) and CommonJS glue
#   pkg/emulator/   the emulator entry;  pkg/webhook/  the webhook entry
# Prints each .wasm size, raw and gzipped, and fails if the browser build exceeds the budget.
set -euo pipefail
cd "$(dirname "$0")/.."

# 124 KB: see docs/performance.md for what the last 4 KB bought and why not opt-level "z".
BUDGET_GZ_BYTES=$((124 * 1024))
WASM=target/wasm32-unknown-unknown/release/tim_sns.wasm
OUT=target/bindgen

cargo build --target wasm32-unknown-unknown --release
rm -rf "$OUT" pkg
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-dir "$OUT/web" "$WASM"

# Optimise the .wasm. npm binaryen only: Debian's wasm-opt 108
# produces a module that fails at load time.
WASM_OPT=node_modules/.bin/wasm-opt
[ -x "$WASM_OPT" ] || { echo "build-pkg: $WASM_OPT missing; run scripts/setup.sh" >&2; exit 1; }
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/web/tim_sns_bg.wasm" -o "$OUT/tim_sns_bg.opt.wasm"

mkdir -p pkg
cp pkg-template/package.json pkg-template/README.md LICENSE CHANGELOG.md pkg/
# Every module of the command (one a command, and their shared helpers).
mkdir -p pkg/bin && cp pkg-template/bin/*.mjs pkg/bin/ && chmod +x pkg/bin/tim-sns.mjs
# `tim-sns page` serves the debugging page from the package, with the same static server.
cp scripts/static-server.mjs pkg/bin/
mkdir -p pkg/www && cp www/*.html www/*.js www/*.css www/*.json pkg/www/
# The body editor: CodeMirror from the pinned dev dependencies, bundled into one module.
node scripts/build-editor.mjs pkg/www/editor.js
cp "$OUT/tim_sns_bg.opt.wasm" pkg/tim_sns_bg.wasm
cp "$OUT/web/tim_sns.js" pkg/web.js
cp "$OUT/web/tim_sns.d.ts" pkg/web.d.ts
cp -r "$OUT/web/snippets" pkg/
# The glue names its types by the generated file name; point it at the renamed files.
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./web.d.ts"#' pkg/web.js
# wasm-bindgen declares `[Symbol.dispose]()` on classes, which fails to type-check unless the
# consumer's lib includes esnext.disposable; the method still exists at run time.
sed -i '/\[Symbol\.dispose\]()/d' pkg/web.d.ts
# Doc comments for what wasm-bindgen leaves undocumented (the API reference requires them).
node scripts/document-glue.mjs pkg/web.d.ts

# The error classes live in a JS module of the crate (src/wasm/error_classes.js) that the glue
# imports from snippets/<crate-hash>/; the glue exports only what Rust exports, so the classes
# are re-exported from the same module (one class of each for ESM and CommonJS alike).
# The classes are read from the module itself, so the list is written once.
ERROR_CLASSES=$(sed -n 's/^export class \([A-Za-z]*\) .*/\1/p' src/wasm/error_classes.js | paste -sd, - | sed 's/,/, /g')
[ -n "$ERROR_CLASSES" ] || { echo "build-pkg: no error classes found in src/wasm/error_classes.js" >&2; exit 1; }
export_error_classes() {
  local dir=$1 snippet
  snippet=$(cd "$dir" && ls snippets/*/src/wasm/error_classes.js)
  printf '\nexport { %s } from "./%s";\n' "$ERROR_CLASSES" "$snippet" >> "$dir/web.js"
  if [ -f "$dir/node.cjs" ]; then
    printf '\n{ const classes = require("./%s"); for (const name of "%s".split(", ")) exports[name] = classes[name]; }\n' "$snippet" "$ERROR_CLASSES" >> "$dir/node.cjs"
  fi
}
export_error_classes pkg

# Another build: the same crate with a cargo feature, in its own .wasm and target dir, so the
# browser build above stays small. build_entry FEATURE DIR [PROFILE [WASM_OPT_LEVEL]] builds
# pkg/DIR/ (default: cargo's release profile and wasm-opt -Oz, the size-first settings).
build_entry() {
  local feature=$1 dir=$2 profile=${3:-release} level=${4:--Oz} out=target/bindgen-$1
  cargo build --target wasm32-unknown-unknown --profile "$profile" --features "$feature" --target-dir "target/$feature"
  rm -rf "$out"
  for target in web nodejs; do
    wasm-bindgen --remove-name-section --remove-producers-section \
      --target "$target" --out-dir "$out/$target" "target/$feature/wasm32-unknown-unknown/$profile/tim_sns.wasm"
  done
  "$WASM_OPT" "$level" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$out/web/tim_sns_bg.wasm" -o "$out/tim_sns_bg.opt.wasm"
  mkdir -p "pkg/$dir"
  cp pkg-template/node.mjs "pkg/$dir/"
  cp "$out/tim_sns_bg.opt.wasm" "pkg/$dir/tim_sns_bg.wasm"
  cp "$out/web/tim_sns.js" "pkg/$dir/web.js"
  cp "$out/web/tim_sns.d.ts" "pkg/$dir/web.d.ts"
  cp "$out/nodejs/tim_sns.js" "pkg/$dir/node.cjs"
  cp "$out/nodejs/tim_sns.d.ts" "pkg/$dir/node.d.cts"
  # JS the Rust code imports (`#[wasm_bindgen(module = ...)]`): both glues load it from here.
  if [ -d "$out/web/snippets" ]; then cp -r "$out/web/snippets" "pkg/$dir/"; fi
  sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./web.d.ts"#' "pkg/$dir/web.js"
  sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./node.d.cts"#' "pkg/$dir/node.cjs"
  sed -i '/\[Symbol\.dispose\]()/d' "pkg/$dir/web.d.ts" "pkg/$dir/node.d.cts"
  node scripts/document-glue.mjs "pkg/$dir/web.d.ts" "pkg/$dir/node.d.cts"
  export_error_classes "pkg/$dir"
}

# The emulator entry (tim-sns/emulator); it includes the webhook functions. The small
# package.json lets resolvers that predate `exports` (TypeScript's node10) find it too.
build_entry emulator emulator
printf '{ "type": "module", "main": "./node.cjs", "types": "./node.d.cts" }\n' > pkg/emulator/package.json
# The webhook entry (tim-sns/webhook): verification, parsing, replies, and the Node and fetch
# handlers, a small hand-written module over the wasm functions.
build_entry webhook webhook
cp pkg-template/webhook/* pkg/webhook/
wh_gz=$(gzip -9 -c pkg/webhook/tim_sns_bg.wasm | wc -c)
echo "build-pkg: pkg/webhook/tim_sns_bg.wasm $(wc -c < pkg/webhook/tim_sns_bg.wasm) bytes, gzip -9 $wh_gz bytes (the separate webhook entry)"
# The Node build (what `tim-sns` resolves to in Node): the client with the bulk helpers and the
# migration core, and the glue that installs exportUsers, diffUsers and restoreUsers. Nothing
# downloads it, so it is built for speed (cargo profile release-node, wasm-opt -O3).
build_entry node node release-node -O3
cp pkg-template/node/* pkg/node/
cp docs/snapshot.schema.json pkg/
# tim-sns/redis: the rate budget and the journal shared through the caller's Redis client, plain
# ES modules over no wasm (the CLI's --redis loads them through bin/redis.mjs).
mkdir -p pkg/redis && cp pkg-template/redis/* pkg/redis/
node_gz=$(gzip -9 -c pkg/node/tim_sns_bg.wasm | wc -c)
echo "build-pkg: pkg/node/tim_sns_bg.wasm $(wc -c < pkg/node/tim_sns_bg.wasm) bytes, gzip -9 $node_gz bytes (the Node build)"
emu_gz=$(gzip -9 -c pkg/emulator/tim_sns_bg.wasm | wc -c)
echo "build-pkg: pkg/emulator/tim_sns_bg.wasm $(wc -c < pkg/emulator/tim_sns_bg.wasm) bytes, gzip -9 $emu_gz bytes (the separate emulator entry)"

raw=$(wc -c < pkg/tim_sns_bg.wasm)
gz=$(gzip -9 -c pkg/tim_sns_bg.wasm | wc -c)
awk -v r="$raw" -v g="$gz" -v b="$BUDGET_GZ_BYTES" 'BEGIN {
  printf "build-pkg: pkg/tim_sns_bg.wasm (the browser build) %d bytes (%.1f KB), gzip -9 %d bytes (%.1f KB); budget %d KB gzipped\n", r, r/1024, g, g/1024, b/1024 }'
if [ "$gz" -gt "$BUDGET_GZ_BYTES" ]; then
  echo "build-pkg: over the size budget" >&2
  exit 1
fi
