//! Data-center domains (listed on Tencent's "RESTful API Overview" page:
//! <https://www.tencentcloud.com/document/product/1047/34620>). The domain must match where the
//! SDKAppID was created; a mismatch answers 60026, 70016 or 70020.

use serde::Serialize;
use tsify::Tsify;

/// One data center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// The name used in `SnsClient` options, e.g. `"singapore"`.
    pub id: &'static str,
    /// A readable name.
    pub name: &'static str,
    /// The primary REST domain.
    pub domain: &'static str,
    /// The backup domain, for when the primary's DNS fails.
    pub backup_domain: &'static str,
    /// True where the domain is inferred rather than documented (Tokyo's backup).
    pub unconfirmed: bool,
}

const fn r(id: &'static str, name: &'static str, domain: &'static str, backup_domain: &'static str, unconfirmed: bool) -> Region {
    Region { id, name, domain, backup_domain, unconfirmed }
}

/// Every documented data center.
pub static REGIONS: &[Region] = &[
    r("china", "China", "console.tim.qq.com", "adminapi.my-imcloud.com", false),
    r("singapore", "Singapore", "adminapisgp.im.qcloud.com", "adminapisgp.my-imcloud.com", false),
    r("seoul", "Seoul", "adminapikr.im.qcloud.com", "adminapikr.my-imcloud.com", false),
    r("tokyo", "Tokyo", "adminapijpn.im.qcloud.com", "adminapijpn.my-imcloud.com", true),
    r("frankfurt", "Frankfurt", "adminapiger.im.qcloud.com", "adminapiger.my-imcloud.com", false),
    r("mumbai", "Mumbai (India)", "adminapiind.im.qcloud.com", "adminapiind.my-imcloud.com", false),
    r("silicon-valley", "Silicon Valley (USA)", "adminapiusa.im.qcloud.com", "adminapiusa.my-imcloud.com", false),
    r("jakarta", "Jakarta", "adminapiidn.im.qcloud.com", "adminapiidn.my-imcloud.com", false),
];

/// The data center with this id.
pub fn find(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_distinct_domains() {
        let mut all: Vec<&str> = REGIONS.iter().flat_map(|r| [r.domain, r.backup_domain]).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), REGIONS.len() * 2);
        assert_eq!(find("singapore").unwrap().domain, "adminapisgp.im.qcloud.com");
        assert!(find("mars").is_none());
    }
}
