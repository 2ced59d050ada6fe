//! UserSig test vectors, produced by the official npm and PyPI `tls-sig-api-v2` libraries with
//! a fixed clock.

use base64::Engine;
use serde_json::{Value, json};
use tim_sns::usersig::{
    Expectation, GenUserSigOptions, Refusal, SigParams, VerifyUserSigOptions, decode, generate, verify,
};

struct Vector {
    sdk_app_id: u64,
    key: &'static str,
    identifier: &'static str,
    time: u64,
    expire: u64,
    userbuf: Option<&'static [u8]>,
    tls_sig: &'static str,
    node_json: &'static str,
    sigs: &'static [&'static str],
}

const DEMO_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

const VECTORS: &[Vector] = &[
    Vector {
        sdk_app_id: 1400000000,
        key: DEMO_KEY,
        identifier: "xiaojun",
        time: 1700000000,
        expire: 15552000,
        userbuf: None,
        tls_sig: "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=",
        node_json: r#"{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}"#,
        sigs: &[
            "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__",
            "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__",
        ],
    },
    Vector {
        sdk_app_id: 1400123456,
        key: "secret-key-for-tests",
        identifier: "administrator",
        time: 1735689600,
        expire: 86400,
        userbuf: None,
        tls_sig: "qrfosv3vobDg0txEN4lVoyH3OFyAP5cB6okCgKWAgPM=",
        node_json: r#"{"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400123456,"TLS.time":1735689600,"TLS.expire":86400,"TLS.sig":"qrfosv3vobDg0txEN4lVoyH3OFyAP5cB6okCgKWAgPM="}"#,
        sigs: &[
            "eJw1yl0LgjAYhuH-8h6HTDeXDTqwL4K*hKKOrc3xYjrbhijRfw*0Dp-rud9w2Z*DVlkQEAUEJsNGqWqPBQ6cywprdN7m3thf4GSZNw1KECEjJIwoi-n4eKwUiHBKY57MOCGjqq5Bq0AknP3JoQYBL1sY19LW3Fea*G59ZM*r6bf0tOnTLH4suCmXendLdXaYw*cL5RA02Q__",
            "eJw9zV0LgjAYhuG-IjsOmU6XBR3YF0FfQmHH1uZ4MZ1tYyjRf0-LOr3uB54nOu9OruUKTR3kuxiNnI8A45WBHL4hYyVUoI3KjFS-iWZFVtfAuoEXYOz5JAjp0HhTg*JdiWiXBjRQ9uSNSUijCf27BtGfPFQutSVWXpcCm2Z1CO6pbDfkuG7jJLzNqSwWYnuJRbKfodcbdBY2OQ__",
        ],
    },
    Vector {
        sdk_app_id: 20000001,
        key: "k",
        identifier: "user_01-a",
        time: 1600000000,
        expire: 1,
        userbuf: None,
        tls_sig: "jLdrQiSGsFO2so6Gd0J+7LU1774pyqyUV9wOY7haBk8=",
        node_json: r#"{"TLS.ver":"2.0","TLS.identifier":"user_01-a","TLS.sdkappid":20000001,"TLS.time":1600000000,"TLS.expire":1,"TLS.sig":"jLdrQiSGsFO2so6Gd0J+7LU1774pyqyUV9wOY7haBk8="}"#,
        sigs: &[
            "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqXFqUXxBoa6iVDJ4pTsxIKCzBQlKyMDMDCEiJdk5qYqWRmaGUABRDS1oiCzCCQO1ZyZrmSllOWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAPxwv9w__",
            "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkSotTi*INDHUTYdLFKdmJBQWZKUBJIwMwMITKpFYUZBalAsVhAiWZuWCumQEUwIzITAcZneWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAtDkxVw__",
        ],
    },
    Vector {
        sdk_app_id: 1400000000,
        key: DEMO_KEY,
        identifier: "xiaojun",
        time: 1700000000,
        expire: 3600,
        userbuf: Some(&[0x00, 0x01, 0x02, 0xff]),
        tls_sig: "7klicCP1KqMGHrEo4s1O6mkCd8qySddINYWArqISC3I=",
        node_json: r#"{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":3600,"TLS.userbuf":"AAEC/w==","TLS.sig":"7klicCP1KqMGHrEo4s1O6mkCd8qySddINYWArqISC3I="}"#,
        sigs: &[
            "eJxVjF0LgjAYRv-Lex3mUjQGXsiQGn3CgujS2ow382PTlRH998D0oufunAPPGw5r4TyUAQozx4VJzyhV2WKGve4wrW62HFIj87SuUQIlvjvsV1osFFAS-lvV1WgUUC8YjW2UOdsMKMRxwqbPKBqv8QoUwvyOF7YnK71ZLE1S*Q3ZBUXO5Fy-hJR8ezrGRnPBPB7B5wv6Xzhr",
        ],
    },
];

/// Inflates a UserSig into its JSON document (test-side, independent of the crate's decoder).
fn inflate(sig: &str) -> Value {
    let std: String = sig.chars().map(|c| match c { '*' => '+', '-' => '/', '_' => '=', c => c }).collect();
    let z = base64::engine::general_purpose::STANDARD.decode(std).expect("base64");
    let json = miniz_oxide::inflate::decompress_to_vec_zlib(&z).expect("zlib");
    serde_json::from_slice(&json).expect("json")
}

fn expect<'a>(v: &'a Vector, now: u64) -> Expectation<'a> {
    Expectation { sdk_app_id: v.sdk_app_id, secret_key: v.key, identifier: Some(v.identifier), now }
}

fn params(v: &Vector) -> SigParams<'_> {
    SigParams { sdk_app_id: v.sdk_app_id, identifier: v.identifier, time: v.time, expire: v.expire, userbuf: v.userbuf }
}

#[test]
fn generated_sigs_carry_the_official_document() {
    for v in VECTORS {
        let ours = generate(v.key, &params(v));
        assert!(ours.chars().all(|c| c.is_ascii_alphanumeric() || "*-_".contains(c)), "alphabet: {ours}");
        let doc = inflate(&ours);
        assert_eq!(doc, serde_json::from_str::<Value>(v.node_json).unwrap(), "vector {}", v.identifier);
        assert_eq!(doc["TLS.sig"], json!(v.tls_sig));
    }
}

#[test]
fn official_sigs_verify_and_decode() {
    for v in VECTORS {
        for sig in v.sigs {
            let d = verify(sig, &expect(v, v.time)).unwrap_or_else(|e| panic!("{}: {e}", v.identifier));
            assert_eq!((d.identifier.as_str(), d.sdk_app_id, d.time, d.expire), (v.identifier, v.sdk_app_id, v.time, v.expire));
            assert_eq!(d.version, "2.0");
            assert_eq!(d.userbuf.is_some(), v.userbuf.is_some());
            assert_eq!(decode(sig).unwrap(), d);
        }
    }
}

#[test]
fn vector_3_expiry_boundary_and_mismatches() {
    let v = &VECTORS[2];
    for sig in v.sigs {
        assert!(verify(sig, &expect(v, 1600000000)).is_ok());
        assert!(verify(sig, &expect(v, 1600000001)).is_ok(), "valid at now == time + expire");
        assert_eq!(verify(sig, &expect(v, 1600000002)), Err(Refusal::Expired { expired_at: 1600000001 }));
        let wrong_key = Expectation { secret_key: "K", ..expect(v, v.time) };
        assert_eq!(verify(sig, &wrong_key), Err(Refusal::BadSignature));
        let wrong_id = Expectation { identifier: Some("user_01-b"), ..expect(v, v.time) };
        assert_eq!(verify(sig, &wrong_id), Err(Refusal::IdentifierMismatch { found: "user_01-a".into() }));
        let wrong_app = Expectation { sdk_app_id: 20000002, ..expect(v, v.time) };
        assert_eq!(verify(sig, &wrong_app), Err(Refusal::SdkAppIdMismatch { found: 20000001 }));
        let any_id = Expectation { identifier: None, ..expect(v, v.time) };
        assert!(verify(sig, &any_id).is_ok());
    }
}

#[test]
fn refusals_map_to_server_codes() {
    let v = &VECTORS[2];
    let cases = [
        (verify("garbage!", &expect(v, v.time)).unwrap_err(), "malformed", 70003),
        (verify(v.sigs[0], &Expectation { sdk_app_id: 1, ..expect(v, v.time) }).unwrap_err(), "sdkappid-mismatch", 70014),
        (verify(v.sigs[0], &Expectation { identifier: Some("x"), ..expect(v, v.time) }).unwrap_err(), "identifier-mismatch", 70013),
        (verify(v.sigs[0], &expect(v, v.time + 2)).unwrap_err(), "expired", 70001),
        (verify(v.sigs[0], &Expectation { secret_key: "K", ..expect(v, v.time) }).unwrap_err(), "bad-signature", 70009),
    ];
    for (refusal, reason, code) in cases {
        assert_eq!((refusal.reason(), refusal.error_code()), (reason, code));
        assert!(!refusal.to_string().contains(v.sigs[0]), "messages never echo the sig");
    }
}

#[test]
fn round_trip_through_the_option_api() {
    let opts = GenUserSigOptions::from_json(&json!({
        "sdkAppId": 1400000000u64, "secretKey": DEMO_KEY, "identifier": "administrator",
    }))
    .unwrap();
    let sig = opts.generate(1_800_000_000);
    let d = decode(&sig).unwrap();
    assert_eq!((d.time, d.expire), (1_800_000_000, 15_552_000), "time from now, default expiry 180 days");
    let check = VerifyUserSigOptions::from_json(&json!({
        "sdkAppId": 1400000000u64, "secretKey": DEMO_KEY, "identifier": "administrator",
    }))
    .unwrap();
    let ok = check.verify(&sig, 1_800_000_000 + 15_552_000);
    assert!(ok.valid && ok.reason.is_none() && ok.error_code.is_none());
    let late = check.verify(&sig, 1_800_000_000 + 15_552_001);
    assert_eq!((late.valid, late.error_code), (false, Some(70001)));
    assert_eq!(late.decoded.unwrap().expires_at, 1_815_552_000, "decoded content shown with a refusal");
}
