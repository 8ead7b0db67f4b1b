//! Fetching programs, their courses and the courses' offerings from an institution's Open
//! Education API (OOAPI v5), with its bearer token. Lists are read page by page (bounded, and
//! each id once, so a server that keeps saying there is a next page cannot keep Koers busy).

use koers_domain::curriculum::ooapi::{self, Course, Program, Skipped};
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

/// Read the programs, their courses, and each course's first offering (for its period).
pub async fn fetch(base: &str, token: &str) -> Result<Fetched, FetchError> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    let mut client = Client {
        http,
        base: base_url(base)?,
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
