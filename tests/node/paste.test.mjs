// The paste functions of tim-sns/emulator across the wasm boundary: the options checked, nothing
// of the usersig returned but its decoded fields, and offsets in UTF-16 code units as JS counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { genUserSig, isValidationError } from "tim-sns";
import { inspectPaste, locatePaths, completeAt } from "tim-sns/emulator";

const KEY = "paste-node-test-key";

test("inspectPaste: the expired sig's code, the body's violations, the sig redacted and returned nowhere", () => {
  const sig = genUserSig({ sdkAppId: 1400000000, secretKey: KEY, identifier: "administrator", time: 1_700_000_000, expireSeconds: 60 });
  const text = `curl 'https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=1400000000&identifier=administrator&usersig=${sig}&random=5&contenttype=json' -d '{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"web!"}]}'`;
  const found = inspectPaste(text, { now: 1_700_000_061, secretKey: KEY });
  assert.equal(found.command, "friend_add");
  assert.deepEqual(found.sig.problems.map((p) => [p.reason, p.errorCode]), [["expired", 70001]]);
  assert.equal(found.sig.verified, true);
  assert.deepEqual(found.violations.map((v) => v.path), ["AddFriendItem[0].AddSource"]);
  assert.ok(!JSON.stringify(found).includes(sig), "nothing of the sig but its decoded fields");
  assert.ok(!JSON.stringify(found).includes(KEY));
  assert.match(found.redacted, /usersig=REDACTED&random=5/);
});

test("inspectPaste reports every bad argument at once", () => {
  assert.throws(() => inspectPaste(42, { secretKey: 7, now: -1 }), (e) => isValidationError(e) &&
    e.violations.map((v) => v.path).join() === "text,options.secretKey,options.now");
});

test("locatePaths and completeAt count UTF-16 code units, as editors do", () => {
  const text = '{"From_Account":"é😀","AddFriendItem":[{"To_Account":"b","AddSource":"web!"}]}';
  const [range, missing, none] = locatePaths(text, ["AddFriendItem[0].AddSource", "AddFriendItem[0].Remark", "Nope[3]"]);
  assert.equal(text.slice(range.from, range.to), '"web!"');
  assert.equal(range.exact, true);
  assert.equal(text.slice(missing.from, missing.to), '{"To_Account":"b","AddSource":"web!"}');
  assert.equal(missing.exact, false);
  assert.equal(none.exact, false);
  const typing = `${text.slice(0, -1)},"AddType":"A`;
  const c = completeAt("friend_add", typing, typing.length);
  assert.equal(typing.slice(c.from, c.to), "A");
  assert.deepEqual(c.options.map((o) => o.apply), ["Add_Type_Single", "Add_Type_Both"]);
  assert.equal(completeAt("not_a_command", text, 3), null);
});
