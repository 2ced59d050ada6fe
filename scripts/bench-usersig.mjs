// Benchmark (not a test): UserSig generations per second, ours vs the official npm library
// tls-sig-api-v2@1.0.2, in one Node process with the same inputs; plus our decode and verify.
// Run after building and installing the package: node scripts/bench-usersig.mjs
import { createRequire } from "node:module";
import { genUserSig, decodeUserSig, verifyUserSig } from "tim-sns";

const require = createRequire(import.meta.url);
const { Api } = require("tls-sig-api-v2");

const SDKAPPID = 1400000000;
const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const IDS = Array.from({ length: 64 }, (_, i) => `user_${i}_${"x".repeat(i % 20)}`);
const ROUNDS = 7;
const COUNT = 20_000;

function measure(fn) {
  for (let i = 0; i < 2_000; i++) fn(i); // warm-up
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < COUNT; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push(COUNT / (ns / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

const official = new Api(SDKAPPID, KEY);
const sigs = IDS.map((identifier) => genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier }));
const rows = [
  ["genUserSig (tim-sns, wasm)", measure((i) => genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: IDS[i & 63], expireSeconds: 86400 }))],
  ["genUserSig (tls-sig-api-v2 1.0.2)", measure((i) => official.genUserSig(IDS[i & 63], 86400))],
  ["decodeUserSig (tim-sns)", measure((i) => decodeUserSig(sigs[i & 63]))],
  ["verifyUserSig (tim-sns)", measure((i) => verifyUserSig(sigs[i & 63], { sdkAppId: SDKAPPID, secretKey: KEY, identifier: IDS[i & 63] }))],
];

console.log(`node ${process.version}, ${ROUNDS} rounds x ${COUNT} calls, median ops/s`);
for (const [name, rate] of rows) console.log(`${name.padEnd(36)} ${Math.round(rate).toLocaleString("en-US").padStart(10)} ops/s`);
console.log(`ratio ours / official (generation): ${(rows[0][1] / rows[1][1]).toFixed(2)}x`);
