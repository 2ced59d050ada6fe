#!/usr/bin/env bash
# Coverage-guided fuzzing of the core with cargo-fuzz (libFuzzer).
#   bash scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#   bash scripts/fuzz.sh all SECONDS                 # each target in turn
# TARGET: request (every request validator and builder, the command picked from the input),
# reply (the reply parser), usersig (the UserSig decoder, verifier and generator), webhook
# (callback verification, parsing and the handlers' intake).
#
# Works on a machine with only a stable Rust toolchain: cargo-fuzz is installed when missing,
# its nightly-only flags are let through with RUSTC_BOOTSTRAP=1, and AddressSanitizer is used
# when the toolchain ships its runtime (FUZZ_SANITIZER=none turns it off). The working corpus
# lives in target/fuzz/corpus/TARGET, seeded from tests/fixtures/ and the UserSig vectors;
# a crash is saved in target/fuzz/artifacts/TARGET/ and the run fails. Make each crash a
# regression test: copy it to tests/fuzz-regressions/TARGET/ (tests/fuzz_regressions.rs
# replays every file there through the same checks).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer flags...]}
seconds=${2:?usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer flags...]}
shift 2
targets=(request reply usersig webhook)

if [ "$target" = all ]; then
  for t in "${targets[@]}"; do bash "$0" "$t" "$seconds" "$@"; done
  exit 0
fi
case " ${targets[*]} " in *" $target "*) ;; *) echo "unknown fuzz target: $target (one of: ${targets[*]}, all)" >&2; exit 2 ;; esac

if ! command -v cargo-fuzz >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]; then
  echo "installing cargo-fuzz (once, about 2 minutes)"
  cargo install cargo-fuzz
fi
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1

sanitizer=${FUZZ_SANITIZER:-}
if [ -z "$sanitizer" ]; then
  sysroot_lib="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/lib"
  if ls "$sysroot_lib" 2>/dev/null | grep -q 'rt\.asan'; then sanitizer=address; else sanitizer=none; fi
fi

corpus=target/fuzz/corpus/$target
artifacts=target/fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"

# Seeds: every documented sample, as `command\nbody` (replies also once as `*\nbody`, the
# envelope alone), the UserSig test vectors, and the saved regression inputs.
seed() { # name, content
  printf '%s' "$2" > "$corpus/seed-$1"
}
case "$target" in
  request|reply)
    want=request; [ "$target" = reply ] && want=response
    for f in tests/fixtures/*/*-"$want".json; do
      cmd=$(basename "$(dirname "$f")")
      seed "$cmd-$(basename "$f" .json)" "$cmd"$'\n'"$(cat "$f")"
      [ "$target" = reply ] && seed "any-$cmd-$(basename "$f" .json)" "*"$'\n'"$(cat "$f")"
    done ;;
  webhook)
    # Each sample callback body behind a query signed for the checks' token and time, so that
    # the fuzzer starts from requests the verifier accepts.
    sign=$(printf '%s' "fuzz-webhook-token1700000000" | sha256sum | cut -d' ' -f1)
    for f in tests/fixtures/webhooks/*-request.json; do
      cmd=$(grep -o '"CallbackCommand": *"[^"]*"' "$f" | sed 's/.*"\([^"]*\)"$/\1/')
      seed "$(basename "$f" .json)" "/callback?SdkAppid=1400000000&CallbackCommand=$cmd&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign=$sign&RequestTime=1700000000"$'\n'"$(cat "$f")"
    done ;;
  usersig)
    i=0
    for s in $(grep -o '"eJ[A-Za-z0-9*_-]*"' tests/usersig_vectors.rs | tr -d '"'); do
      i=$((i + 1)); seed "vector-$i" "$s"
    done ;;
esac
# And every saved regression input, byte for byte (the bulk input shape has no fixture).
for f in tests/fuzz-regressions/"$target"/*; do
  if [ -f "$f" ] && [ "$(basename "$f")" != .gitkeep ]; then cp "$f" "$corpus/seed-regression-$(basename "$f")"; fi
done

echo "fuzzing $target for ${seconds}s (sanitizer: $sanitizer, corpus: $corpus, $(ls "$corpus" | wc -l) inputs)"
cargo fuzz run --sanitizer "$sanitizer" --release "$target" "$corpus" -- \
  -max_total_time="$seconds" -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
