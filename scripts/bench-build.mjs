// Benchmark (not a test): validating and building a 100-item friend_import body from a JS object
// with tim-sns, against plain JSON.stringify of the same object (no checks), in one Node process.
// Run after building and installing the package: node scripts/bench-build.mjs
import { buildFriendImport, buildRequest } from "tim-sns";

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
const ROUNDS = 7;
const COUNT = 2_000;

function measure(fn) {
  for (let i = 0; i < 300; i++) fn();
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < COUNT; i++) fn();
    rates.push(COUNT / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return rates.sort((a, b) => a - b)[ROUNDS >> 1];
}

const bytes = JSON.stringify(body).length;
const ours = measure(() => buildFriendImport(body));
const generic = measure(() => buildRequest("friend_import", body));
const plain = measure(() => JSON.stringify(body));
console.log(`node ${process.version}; 100-item friend_import body, ${bytes} bytes of JSON; median of ${ROUNDS} rounds x ${COUNT}`);
console.log(`buildFriendImport (validate + build)   ${Math.round(ours).toLocaleString("en-US").padStart(9)} ops/s  ${(1e6 / ours).toFixed(1)} us/op`);
console.log(`buildRequest("friend_import", ...)     ${Math.round(generic).toLocaleString("en-US").padStart(9)} ops/s  ${(1e6 / generic).toFixed(1)} us/op`);
console.log(`JSON.stringify (no checks)             ${Math.round(plain).toLocaleString("en-US").padStart(9)} ops/s  ${(1e6 / plain).toFixed(1)} us/op`);
console.log(`JSON.stringify is ${(plain / ours).toFixed(1)}x faster; validation costs ${((1e6 / ours) - (1e6 / plain)).toFixed(1)} us per 100-item call`);
