// Bundles the page's body editor (www/editor/index.js and the pinned @codemirror packages) into
// one ES module with esbuild: node scripts/build-editor.mjs OUTFILE (scripts/build-pkg.sh writes
// pkg/www/editor.js, which both the package's page and the repository's dev page load).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/build-editor.mjs OUTFILE");
  process.exit(2);
}
const result = await build({
  entryPoints: [fileURLToPath(new URL("../www/editor/index.js", import.meta.url))],
  outfile: out,
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`build-editor: ${out} ${bytes} bytes`);
