//! Fetching programs, their courses and the courses' offerings from an institution's Open
//! Education API (OOAPI v5), with its bearer token. Lists are read page by page (bounded, and
//! each id once, so a server that keeps saying there is a next page cannot keep Koers busy).

use koers_domain::curriculum::ooapi::{
    self, Change, Course, Program, ProgrammePlan, Skipped, plan,
};
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;

/// Items per page asked for.
const PAGE_SIZE: u32 = 100;
/// At most this many pages of one list.
const MAX_PAGES: u32 = 20;
/// At most this many programs and courses in one import.
const MAX_PROGRAMS: usize = 500;
const MAX_COURSES: usize = 5000;
/// The largest response read.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// Why fetching failed; each is shown as its own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the address is not an http(s) URL")]
    BadUrl,
    /// The host is on this machine or an internal network (server-side request forgery
    /// guard; `--ooapi-allow-private` allows it, e.g. for a test server).
    #[error("the address points to an internal network")]
    Private,
    #[error("the API cannot be reached: {0}")]
    Unreachable(String),
    #[error("the API refused the token ({0})")]
    Unauthorized(u16),
    #[error("the API answered {status} for {path}")]
    Status { status: u16, path: String },
    #[error("the API's answer for {path} is not OOAPI: {reason}")]
    Format { path: String, reason: String },
}

impl FetchError {
    pub fn key(&self) -> &'static str {
        match self {
            FetchError::BadUrl => "ooapi-url",
            FetchError::Private => "ooapi-url-private",
            FetchError::Unreachable(_) => "ooapi-unreachable",
            FetchError::Unauthorized(_) => "ooapi-token",
            FetchError::Status { .. } => "ooapi-status",
            FetchError::Format { .. } => "ooapi-format",
        }
    }
}

/// What an OOAPI endpoint holds for Koers.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    pub programs: Vec<(Program, Vec<Course>)>,
    pub skipped: Vec<Skipped>,
    pub requests: usize,
}

/// The API's base address, checked: http or https, no credentials in it, no query.
pub fn base_url(input: &str) -> Result<String, FetchError> {
    let s = input.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or(FetchError::BadUrl)?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || host.contains('@')
        || s.contains(['?', '#', ' '])
        || s.len() > 500
        || s.chars().any(char::is_control)
    {
        return Err(FetchError::BadUrl);
    }
    Ok(s.to_owned())
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    requests: usize,
}

impl Client {
    async fn get(&mut self, path: &str) -> Result<Value, FetchError> {
        self.requests += 1;
        let mut req = self
            .http
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "application/json");
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        let mut res = req
            .send()
            .await
            .map_err(|e| FetchError::Unreachable(e.to_string()))?;
        let status = res.status().as_u16();
        if status == 401 || status == 403 {
            return Err(FetchError::Unauthorized(status));
        }
        if !res.status().is_success() {
            return Err(FetchError::Status {
                status,
                path: path.to_owned(),
            });
        }
        let format = |reason: String| FetchError::Format {
            path: path.to_owned(),
            reason,
        };
        let mut body = Vec::new();
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| FetchError::Unreachable(e.to_string()))?
        {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(format("the answer is too large".into()));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| format(e.to_string()))
    }

    /// Every item of a paged list (bounded; each page once).
    async fn list(&mut self, path: &str, max_items: usize) -> Result<Vec<Value>, FetchError> {
        let mut items = Vec::new();
        let sep = if path.contains('?') { '&' } else { '?' };
        for number in 1..=MAX_PAGES {
            let page_path = format!("{path}{sep}pageSize={PAGE_SIZE}&pageNumber={number}");
            let v = self.get(&page_path).await?;
            let page = ooapi::page(&v).map_err(|e| FetchError::Format {
                path: page_path.clone(),
                reason: e.0,
            })?;
            let empty = page.items.is_empty();
            items.extend(page.items);
            if empty
                || !page.has_next
                || page.total_pages.is_some_and(|t| number >= t)
                || items.len() >= max_items
            {
                break;
            }
        }
        items.truncate(max_items);
        Ok(items)
    }
}

fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether an address is on this machine or an internal network: loopback, private (RFC 1918,
/// unique local), link-local (cloud metadata), carrier-grade NAT, unspecified, multicast,
/// broadcast or reserved — where an administrator's address must not make Koers go.
pub fn is_internal(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240
        }
        IpAddr::V6(v6) => {
            // An IPv4 address carried inside IPv6 gets the IPv4 rules.
            if let Some(v4) = embedded_ipv4(v6) {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // IPv4-compatible (::a.b.c.d, deprecated) and the rest of ::/96
                || s[..6] == [0; 6]
                // NAT64 for local use (64:ff9b:1::/48)
                || s[..3] == [0x64, 0xff9b, 1]
                // discard-only (100::/64)
                || s[..4] == [0x100, 0, 0, 0]
                // IETF protocol assignments, Teredo and documentation (2001::/23, 2001:db8::/32)
                || (s[0] == 0x2001 && s[1] < 0x200)
                || (s[0] == 0x2001 && s[1] == 0xdb8)
                // documentation (3fff::/20) and segment routing (5f00::/16)
                || (s[0] & 0xfff0) == 0x3ff0
                || s[0] == 0x5f00
                // unique local (fc00::/7), link-local (fe80::/10), site-local (fec0::/10)
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0
        }
    }
}

/// The IPv4 address an IPv6 address stands for, where the address says so: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64 well-known prefix
/// (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`).
fn embedded_ipv4(v6: std::net::Ipv6Addr) -> Option<std::net::Ipv4Addr> {
    let s = v6.segments();
    let last = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        std::net::Ipv4Addr::new(a, b, c, d)
    };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    match s {
        [0, 0, 0, 0, 0xffff, 0, hi, lo] => Some(last(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(last(hi, lo)),
        [0x2002, hi, lo, ..] => Some(last(hi, lo)),
        _ => None,
    }
}

/// Resolve the host of a base URL once and refuse internal addresses unless allowed. The
/// client then connects to exactly these addresses, so a second lookup cannot point elsewhere
/// (DNS rebinding); redirects are not followed. Returns the domain to pin (none for an IP).
async fn checked_addresses(
    base: &str,
    allow_internal: bool,
) -> Result<Option<(String, Vec<std::net::SocketAddr>)>, FetchError> {
    let url = reqwest::Url::parse(base).map_err(|_| FetchError::BadUrl)?;
    let port = url.port_or_known_default().ok_or(FetchError::BadUrl)?;
    let host = url.host_str().ok_or(FetchError::BadUrl)?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let (pin, addrs): (Option<String>, Vec<std::net::SocketAddr>) =
        match bare.parse::<std::net::IpAddr>() {
            Ok(ip) => (None, vec![(ip, port).into()]),
            Err(_) => (
                Some(bare.to_owned()),
                tokio::net::lookup_host((bare, port))
                    .await
                    .map_err(|e| FetchError::Unreachable(e.to_string()))?
                    .collect(),
            ),
        };
    if addrs.is_empty() {
        return Err(FetchError::Unreachable("the host has no address".into()));
    }
    if !allow_internal && addrs.iter().any(|a| is_internal(a.ip())) {
        return Err(FetchError::Private);
    }
    Ok(pin.map(|d| (d, addrs)))
}

/// Read the programs, their courses, and each course's first offering (for its period).
/// Addresses on this machine or an internal network are refused unless `allow_internal`.
pub async fn fetch(base: &str, token: &str, allow_internal: bool) -> Result<Fetched, FetchError> {
    let base = base_url(base)?;
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none());
    if let Some((domain, addrs)) = checked_addresses(&base, allow_internal).await? {
        builder = builder.resolve_to_addrs(&domain, &addrs);
    }
    let http = builder
        .build()
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    let mut client = Client {
        http,
        base,
        token: token.trim().to_owned(),
        requests: 0,
    };
    let mut out = Fetched::default();
    let mut seen_programs = HashSet::new();
    let mut seen_courses = HashSet::new();
    let mut course_count = 0;
    for v in client.list("/programs", MAX_PROGRAMS).await? {
        let program = match ooapi::program(&v) {
            Ok(p) => p,
            Err(s) => {
                out.skipped.push(s);
                continue;
            }
        };
        if !seen_programs.insert(program.id.clone()) {
            continue;
        }
        let mut courses = Vec::new();
        let path = format!("/programs/{}/courses", segment(&program.id));
        for c in client
            .list(&path, MAX_COURSES.saturating_sub(course_count))
            .await?
        {
            let mut course = match ooapi::course(&c) {
                Ok(c) => c,
                Err(s) => {
                    out.skipped.push(s);
                    continue;
                }
            };
            if !seen_courses.insert(course.id.clone()) {
                continue;
            }
            let offerings = client
                .get(&format!(
                    "/courses/{}/offerings?pageSize=10&pageNumber=1",
                    segment(&course.id)
                ))
                .await?;
            course.period = offerings["items"].as_array().and_then(|items| {
                items
                    .iter()
                    .find_map(|o| o["startDate"].as_str().and_then(ooapi::period_of))
            });
            courses.push(course);
        }
        course_count += courses.len();
        out.programs.push((program, courses));
    }
    out.requests = client.requests;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_addresses_are_used() {
        assert_eq!(
            base_url(" https://api.hogeschool.nl/ooapi/v5/ "),
            Ok("https://api.hogeschool.nl/ooapi/v5".into())
        );
        for bad in [
            "ftp://x.nl",
            "https://user:pw@x.nl",
            "https://x.nl/?a=1",
            "x.nl",
            "https:///pad",
        ] {
            assert_eq!(base_url(bad), Err(FetchError::BadUrl), "{bad}");
        }
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
    }
}

#[cfg(test)]
mod ssrf_tests {
    use super::is_internal;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            // IPv6 that carries an internal IPv4 address, and special-purpose ranges
            "64:ff9b::a00:1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::a00:1",
            "2002:a00:1::1",
            "2002:c0a8:101::1",
            "::a00:1",
            "::8.8.8.8",
            "::ffff:0:a00:1",
            "fec0::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "100::1",
            "3fff::1",
            "5f00::1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "145.100.1.1",
            "8.8.8.8",
            "2001:610::1",
            "2a00:1450::1",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }
}

/// Counts of a plan: (new, updated, unchanged) for programmes and for activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub new: i64,
    pub updated: i64,
    pub unchanged: i64,
}

impl Counts {
    fn add(&mut self, c: Change) {
        match c {
            Change::New => self.new += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

pub fn counts(plans: &[ProgrammePlan]) -> (Counts, Counts) {
    let (mut p, mut a) = (Counts::default(), Counts::default());
    for plan in plans {
        p.add(plan.change);
        for (_, c, _) in &plan.courses {
            a.add(*c);
        }
    }
    (p, a)
}

/// Fetch and plan against what the institution has now.
pub async fn dry_run(
    t: koers_store::Tenant<'_>,
    url: &str,
    token: &str,
    allow_internal: bool,
) -> Result<crate::error::WebResult<(Fetched, Vec<ProgrammePlan>)>, FetchError> {
    let fetched = fetch(url, token, allow_internal).await?;
    Ok(async {
        let (existing, activities) = koers_store::curriculum::ooapi::existing(t).await?;
        let plans = plan(&fetched.programs, &existing, &activities);
        Ok((fetched, plans))
    }
    .await)
}
