#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen glue for browsers (web) and Node
# CommonJS (nodejs), one wasm-opt'd .wasm shared by both, and the shell from pkg-template/.
# Prints the .wasm size, raw and gzipped, and fails if it exceeds the budget.
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_GZ_BYTES=$((120 * 1024))
WASM=target/wasm32-unknown-unknown/release/tim_sns.wasm
OUT=target/bindgen

cargo build --target wasm32-unknown-unknown --release
rm -rf "$OUT" pkg
for target in web nodejs; do
  wasm-bindgen --remove-name-section --remove-producers-section \
    --target "$target" --out-dir "$OUT/$target" "$WASM"
done

# Both targets emit the same .wasm; optimise it once. npm binaryen only: Debian's wasm-opt 108
# produces a module that fails at load time.
WASM_OPT=node_modules/.bin/wasm-opt
[ -x "$WASM_OPT" ] || { echo "build-pkg: $WASM_OPT missing; run scripts/setup.sh" >&2; exit 1; }
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/web/tim_sns_bg.wasm" -o "$OUT/tim_sns_bg.opt.wasm"

mkdir -p pkg
cp pkg-template/package.json pkg-template/README.md pkg-template/node.mjs pkg/
mkdir -p pkg/bin && cp pkg-template/bin/tim-sns.mjs pkg/bin/ && chmod +x pkg/bin/tim-sns.mjs
# `tim-sns page` serves the debugging page from the package, with the same static server.
cp scripts/static-server.mjs pkg/bin/
mkdir -p pkg/www && cp www/*.html www/*.js www/*.css pkg/www/
cp "$OUT/tim_sns_bg.opt.wasm" pkg/tim_sns_bg.wasm
cp "$OUT/web/tim_sns.js" pkg/web.js
cp "$OUT/web/tim_sns.d.ts" pkg/web.d.ts
cp "$OUT/nodejs/tim_sns.js" pkg/node.cjs
cp "$OUT/nodejs/tim_sns.d.ts" pkg/node.d.cts
# The glue names its types by the generated file name; point it at the renamed files.
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./web.d.ts"#' pkg/web.js
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./node.d.cts"#' pkg/node.cjs
# wasm-bindgen declares `[Symbol.dispose]()` on classes, which fails to type-check unless the
# consumer's lib includes esnext.disposable; the method still exists at run time.
sed -i '/\[Symbol\.dispose\]()/d' pkg/web.d.ts pkg/node.d.cts

# The emulator entry (tim-sns/emulator): the same crate with the `emulator` feature, in its own
# .wasm and target dir, so the client package above stays small.
cargo build --target wasm32-unknown-unknown --release --features emulator --target-dir target/emulator
EMU_OUT=target/bindgen-emulator
rm -rf "$EMU_OUT"
for target in web nodejs; do
  wasm-bindgen --remove-name-section --remove-producers-section \
    --target "$target" --out-dir "$EMU_OUT/$target" target/emulator/wasm32-unknown-unknown/release/tim_sns.wasm
done
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$EMU_OUT/web/tim_sns_bg.wasm" -o "$EMU_OUT/tim_sns_bg.opt.wasm"
mkdir -p pkg/emulator
cp pkg-template/node.mjs pkg/emulator/
cp "$EMU_OUT/tim_sns_bg.opt.wasm" pkg/emulator/tim_sns_bg.wasm
cp "$EMU_OUT/web/tim_sns.js" pkg/emulator/web.js
cp "$EMU_OUT/web/tim_sns.d.ts" pkg/emulator/web.d.ts
cp "$EMU_OUT/nodejs/tim_sns.js" pkg/emulator/node.cjs
cp "$EMU_OUT/nodejs/tim_sns.d.ts" pkg/emulator/node.d.cts
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./web.d.ts"#' pkg/emulator/web.js
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./node.d.cts"#' pkg/emulator/node.cjs
sed -i '/\[Symbol\.dispose\]()/d' pkg/emulator/web.d.ts pkg/emulator/node.d.cts
# The migration entry (tim-sns/migrate): the client with the migration core, and the glue
# that installs exportUsers, diffUsers and restoreUsers on its SnsClient.
cargo build --target wasm32-unknown-unknown --release --features migrate --target-dir target/migrate
MIG_OUT=target/bindgen-migrate
rm -rf "$MIG_OUT"
for target in web nodejs; do
  wasm-bindgen --remove-name-section --remove-producers-section \
    --target "$target" --out-dir "$MIG_OUT/$target" target/migrate/wasm32-unknown-unknown/release/tim_sns.wasm
done
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$MIG_OUT/web/tim_sns_bg.wasm" -o "$MIG_OUT/tim_sns_bg.opt.wasm"
mkdir -p pkg/migrate pkg/schema
cp pkg-template/node.mjs pkg-template/migrate/* pkg/migrate/
cp "$MIG_OUT/tim_sns_bg.opt.wasm" pkg/migrate/tim_sns_bg.wasm
cp "$MIG_OUT/web/tim_sns.js" pkg/migrate/web.js
cp "$MIG_OUT/web/tim_sns.d.ts" pkg/migrate/web.d.ts
cp "$MIG_OUT/nodejs/tim_sns.js" pkg/migrate/node.cjs
cp "$MIG_OUT/nodejs/tim_sns.d.ts" pkg/migrate/node.d.cts
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./web.d.ts"#' pkg/migrate/web.js
sed -i 's#@ts-self-types="./tim_sns.d.ts"#@ts-self-types="./node.d.cts"#' pkg/migrate/node.cjs
sed -i '/\[Symbol\.dispose\]()/d' pkg/migrate/web.d.ts pkg/migrate/node.d.cts
cp docs/snapshot.schema.json pkg/schema/
cp pkg-template/bin/migrate.mjs pkg/bin/
mig_gz=$(gzip -9 -c pkg/migrate/tim_sns_bg.wasm | wc -c)
echo "build-pkg: pkg/migrate/tim_sns_bg.wasm $(wc -c < pkg/migrate/tim_sns_bg.wasm) bytes, gzip -9 $mig_gz bytes (the separate migration entry)"
emu_gz=$(gzip -9 -c pkg/emulator/tim_sns_bg.wasm | wc -c)
echo "build-pkg: pkg/emulator/tim_sns_bg.wasm $(wc -c < pkg/emulator/tim_sns_bg.wasm) bytes, gzip -9 $emu_gz bytes (the separate emulator entry)"

raw=$(wc -c < pkg/tim_sns_bg.wasm)
gz=$(gzip -9 -c pkg/tim_sns_bg.wasm | wc -c)
awk -v r="$raw" -v g="$gz" -v b="$BUDGET_GZ_BYTES" 'BEGIN {
  printf "build-pkg: pkg/tim_sns_bg.wasm %d bytes (%.1f KB), gzip -9 %d bytes (%.1f KB); budget %d KB gzipped\n", r, r/1024, g, g/1024, b/1024 }'
if [ "$gz" -gt "$BUDGET_GZ_BYTES" ]; then
  echo "build-pkg: over the size budget" >&2
  exit 1
fi
