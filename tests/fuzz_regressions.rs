//! Replays saved inputs through the fuzz targets' own checks (`fuzz/src/checks.rs`), natively
//! and without libFuzzer: every crash the fuzzer found (kept in `tests/fuzz-regressions/TARGET/`)
//! and every documented sample in `tests/fixtures/`, laid out as the fuzzer's seeds are.

#[path = "../fuzz/src/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::fs;
use std::path::Path;

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    out.sort();
    out
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions").join(target);
    let saved = files(&dir).into_iter().filter(|p| p.file_name().is_some_and(|n| n != ".gitkeep"));
    let mut n = 0;
    for path in saved {
        check(&fs::read(&path).unwrap());
        n += 1;
    }
    n
}

/// Every fixture of one kind (`request` or `response`) as `command\nbody`.
fn fixtures(kind: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let cmd = dir.file_name().unwrap().to_string_lossy().into_owned();
        for f in files(&dir).into_iter().filter(|f| f.to_string_lossy().ends_with(&format!("-{kind}.json"))) {
            let mut input = format!("{cmd}\n").into_bytes();
            input.extend(fs::read(&f).unwrap());
            out.push((f.display().to_string(), input));
        }
    }
    out
}

#[test]
fn saved_request_inputs_pass_the_request_checks() {
    replay("request", checks::request);
    let seeds = fixtures("request");
    assert!(seeds.len() > 20, "the request fixtures are missing");
    for (_, input) in seeds {
        checks::request(&input);
    }
}

#[test]
fn saved_reply_inputs_pass_the_reply_checks() {
    replay("reply", checks::reply);
    let seeds = fixtures("response");
    assert!(seeds.len() > 20, "the response fixtures are missing");
    for (_, mut input) in seeds {
        checks::reply(&input);
        // The same body read for the envelope alone.
        let body = input.split_off(input.iter().position(|&b| b == b'\n').unwrap());
        checks::reply(&[b"*".as_slice(), &body].concat());
    }
}

#[test]
fn saved_usersig_inputs_pass_the_usersig_checks() {
    replay("usersig", checks::usersig);
    for input in ["", "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__", "好\"\\\u{0}"] {
        checks::usersig(input.as_bytes());
    }
}

#[test]
fn saved_webhook_inputs_pass_the_webhook_checks() {
    replay("webhook", checks::webhook);
    // Every sample callback body behind a query signed for the checks' token and time, as the
    // fuzzer's seeds are, and the same bodies unsigned, stale and for another app.
    let sign = tim_sns::webhook::sign::sign("fuzz-webhook-token", "1700000000");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks");
    let bodies: Vec<_> = files(&root).into_iter().filter(|f| f.to_string_lossy().ends_with("-request.json")).collect();
    assert!(bodies.len() >= 3, "the webhook fixtures are missing");
    for f in bodies {
        let body = fs::read_to_string(&f).unwrap();
        let cmd: serde_json::Value = serde_json::from_str(&body).unwrap();
        let cmd = cmd["CallbackCommand"].as_str().unwrap();
        for query in [
            format!("SdkAppid=1400000000&CallbackCommand={cmd}&Sign={sign}&RequestTime=1700000000"),
            format!("SdkAppid=1400000000&CallbackCommand={cmd}&Sign={sign}&RequestTime=1700000100"),
            format!("SdkAppid=1400000001&CallbackCommand={cmd}&Sign={sign}&RequestTime=1700000000"),
            format!("SdkAppid=1400000000&CallbackCommand={cmd}"),
        ] {
            checks::webhook(format!("/callback?{query}\n{body}").as_bytes());
        }
    }
}
