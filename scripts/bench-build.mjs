// Benchmark (not a test) of the codec against the JS engine's own, in one Node process:
//   build:  buildFriendImport of a 100-item body (validate every rule, write the body)
//           ÷ a bare JSON.stringify of the same object;
//   parse:  parseFriendGet of a 100-friend page (check the documented shape, hand the object
//           to JS) ÷ a bare JSON.parse of the same text;
//   verify: verifyUserSig ÷ the reference check (Node's inflate + the official library's
//           HMAC, as in scripts/bench-usersig.mjs); above 1.0 means ours is faster.
// Each for both builds of the package: the Node build and the browser build (run here in Node).
// Run after building and installing the package: node scripts/bench-build.mjs
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import { readFileSync } from "node:fs";
import * as nodeBuild from "tim-sns";
// The browser build (the package's default entry, built for size), loaded from the installed
// package the way a page loads it: the same glue, instantiated from the same .wasm.
const web = await import(new URL("../node_modules/tim-sns/web.js", import.meta.url));
web.initSync({ module: readFileSync(new URL("../node_modules/tim-sns/tim_sns_bg.wasm", import.meta.url)) });
const { genUserSig } = nodeBuild;

const body = {
  From_Account: "alice",
  AddFriendItem: Array.from({ length: 100 }, (_, i) => ({
    To_Account: `user_${i}`,
    AddSource: "AddSource_Type_Import",
    Remark: `Friend number ${i}`,
    RemarkTime: 1700000000 + i,
    GroupName: ["Colleagues", "Climbing"],
    AddWording: "migrated from v1",
    AddTime: 1690000000 + i,
    CustomItem: [{ Tag: "Tag_SNS_Custom_Team", Value: "design" }, { Tag: "Tag_SNS_Custom_Score", Value: i }],
  })),
};
// A full friend_get page as the service sends it (the documented sample's shape, 100 friends).
const page = JSON.stringify({
  UserDataItem: Array.from({ length: 100 }, (_, i) => ({
    To_Account: `user_${i}`,
    ValueItem: [
      { Tag: "Tag_SNS_IM_AddSource", Value: "AddSource_Type_Web" },
      { Tag: "Tag_SNS_IM_Remark", Value: `Friend number ${i}` },
      { Tag: "Tag_SNS_IM_Group", Value: ["Colleagues", "Climbing"] },
      { Tag: "Tag_SNS_IM_AddTime", Value: 1690000000 + i },
      { Tag: "Tag_SNS_IM_AddWording", Value: "Hi, it's alice" },
      { Tag: "Tag_SNS_Custom_Score", Value: i },
    ],
  })),
  StandardSequence: 105,
  CustomSequence: 3,
  FriendNum: 250,
  CompleteFlag: 0,
  NextStartIndex: 100,
  ActionStatus: "OK",
  ErrorCode: 0,
  ErrorInfo: "",
  ErrorDisplay: "",
});

const ROUNDS = 41;

/**
 * Times `ours` against `theirs` in alternating rounds of `count` calls each, so that a change
 * in the machine's load (these machines are shared) falls on both alike; returns the median
 * time per call of each and the median of the rounds' ratios.
 */
function pair(ours, theirs, count) {
  for (let i = 0; i < count; i++) { ours(i); theirs(i); }
  const a = [], b = [], ratio = [];
  const time = (fn) => { const t0 = process.hrtime.bigint(); for (let i = 0; i < count; i++) fn(i); return Number(process.hrtime.bigint() - t0) / 1e3 / count; };
  for (let r = 0; r < ROUNDS; r++) {
    const x = time(ours), y = time(theirs);
    a.push(x); b.push(y); ratio.push(x / y);
  }
  const median = (xs) => xs.sort((p, q) => p - q)[xs.length >> 1];
  return { ours: median(a), theirs: median(b), ratio: median(ratio) };
}

// UserSig: the same sigs and the reference check of scripts/bench-usersig.mjs.
const require = createRequire(import.meta.url);
const { Api } = require("tls-sig-api-v2");
const SDKAPPID = 1400000000;
const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const official = new Api(SDKAPPID, KEY);
const IDS = Array.from({ length: 64 }, (_, i) => `user_${i}_${"x".repeat(i % 24)}`);
const sigs = IDS.map((identifier) => genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier, expireSeconds: 86400 }));
const referenceCheck = (sig) => {
  const doc = JSON.parse(inflateSync(Buffer.from(sig.replace(/_/g, "=").replace(/-/g, "/").replace(/\*/g, "+"), "base64")).toString());
  return official._hmacsha256(doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc["TLS.userbuf"] ?? null) === doc["TLS.sig"];
};

let sink = 0;
/** The three pairs for one build of the package. */
function measure(name, { buildFriendImport, parseFriendGet, verifyUserSig }) {
  // Sanity before timing: each pair does the same work and gives the same answer.
  if (buildFriendImport(body) !== JSON.stringify(body)) throw new Error("build differs from JSON.stringify");
  if (JSON.stringify(parseFriendGet(page)) !== JSON.stringify(JSON.parse(page))) throw new Error("parse differs from JSON.parse");
  for (const [i, sig] of sigs.entries()) {
    if (!verifyUserSig(sig, { sdkAppId: SDKAPPID, secretKey: KEY, identifier: IDS[i] }).valid || !referenceCheck(sig)) throw new Error("a sig is refused");
  }
  const build = pair(() => { sink += buildFriendImport(body).length; }, () => { sink += JSON.stringify(body).length; }, 100);
  const parse = pair(() => { sink += parseFriendGet(page).UserDataItem.length; }, () => { sink += JSON.parse(page).UserDataItem.length; }, 100);
  const verify = pair(
    (i) => { sink += verifyUserSig(sigs[i & 63], { sdkAppId: SDKAPPID, secretKey: KEY, identifier: IDS[i & 63] }).valid ? 1 : 0; },
    (i) => { sink += referenceCheck(sigs[i & 63]) ? 1 : 0; },
    2_000,
  );
  const us = (t) => `${t.toFixed(1).padStart(7)} us/op`;
  console.log(name);
  console.log(`buildFriendImport ${us(build.ours)}   JSON.stringify ${us(build.theirs)}   build ÷ stringify  ${build.ratio.toFixed(2)}x the time`);
  console.log(`parseFriendGet    ${us(parse.ours)}   JSON.parse     ${us(parse.theirs)}   parse ÷ JSON.parse ${parse.ratio.toFixed(2)}x the time`);
  console.log(`verifyUserSig     ${us(verify.ours)}   reference      ${us(verify.theirs)}   verify ÷ reference ${(1 / verify.ratio).toFixed(2)}x the speed`);
}

console.log(`node ${process.version}; ${ROUNDS} alternating rounds, medians; build: 100-item friend_import, ${JSON.stringify(body).length} bytes; parse: 100-friend friend_get page, ${page.length} bytes`);
measure("the Node build (what `tim-sns` resolves to in Node; built for speed):", nodeBuild);
measure("the browser build (the default entry; built for size):", web);
if (sink < 0) console.log(sink);
