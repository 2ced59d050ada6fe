//! One table decides what is retried: the error catalogue's retry class. The client's retry
//! policy (whole requests), the bulk engine (items) and `ApiError.retryable` (what a user is
//! told, built from `explain`) must agree on every code, catalogued or not.

use tim_sns::client::bulk::item_retryable;
use tim_sns::client::retry::Failure;
use tim_sns::errors::{CATALOGUE, explain, retry_class};

#[test]
fn the_retry_policy_the_bulk_engine_and_api_error_agree_code_by_code() {
    let uncatalogued = [0, 1, 30000, 30999, 38123, 40000, 60000, 60029, 70011, 79999, 99999];
    let codes = CATALOGUE.iter().map(|c| c.code).chain(uncatalogued);
    let mut retried = 0;
    for code in codes {
        let table = retry_class(code).retryable();
        assert_eq!(Failure::Api(code).retryable(), table, "retry policy, code {code}");
        assert_eq!(item_retryable(code), table, "bulk engine, code {code}");
        assert_eq!(explain(code).retryable, table, "ApiError.retryable, code {code}");
        retried += usize::from(table);
    }
    // The table is not trivially all-or-nothing.
    assert!(retried >= 10 && retried < CATALOGUE.len() / 2, "{retried} retryable codes");
}
