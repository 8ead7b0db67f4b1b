//! CSV that opens in Dutch Excel: `;` between cells, CRLF, UTF-8 with a byte-order mark, and
//! cells that Excel would read as a formula made harmless; or plain CSV with `,` for other
//! tools (`sep=comma`).
//!
//! Every list page exports itself: its list table carries `data-export="NAME"`, and the same
//! address with `format=csv` answers that table as `NAME.csv` (through [`export_layer`], so
//! the export shows exactly what the page shows, with its filters and its access checks).
//! Paged lists read [`Export`] to return every row instead of one page.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// One cell, quoted when needed; a leading `=`, `+`, `-` or `@` is escaped (CSV injection).
pub(crate) fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The separator: `;` with a byte-order mark for Excel (the default), or `,`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    Excel,
    Comma,
}

impl Sep {
    /// From a query string: `sep=comma` asks for commas.
    pub fn from_query(query: &str) -> Sep {
        if query.split('&').any(|p| p == "sep=comma") {
            Sep::Comma
        } else {
            Sep::Excel
        }
    }
}

/// One cell for a separator.
fn cell_for(s: &str, sep: Sep) -> String {
    match sep {
        Sep::Excel => cell(s),
        Sep::Comma => {
            let c = cell(s);
            if !c.starts_with('"') && c.contains(',') {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        }
    }
}

/// A CSV document being written.
pub(crate) struct Csv(String, Sep);

impl Csv {
    pub fn new() -> Csv {
        Csv::with(Sep::Excel)
    }

    pub fn with(sep: Sep) -> Csv {
        match sep {
            Sep::Excel => Csv(String::from("\u{feff}"), sep),
            Sep::Comma => Csv(String::new(), sep),
        }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let sep = self.1;
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| cell_for(c.as_ref(), sep))
            .collect();
        self.0 += &cells.join(if sep == Sep::Comma { "," } else { ";" });
        self.0 += "\r\n";
    }

    /// An empty line between two tables.
    pub fn blank(&mut self) {
        self.0 += "\r\n";
    }

    /// The download, as `filename`.
    pub fn response(self, filename: &str) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            self.0,
        )
            .into_response()
    }
}

/// Marks a request for a whole list as CSV (paged lists return every row).
#[derive(Debug, Clone, Copy)]
pub struct Export;

/// The most rows an export holds.
pub const MAX_EXPORT_ROWS: u32 = 50_000;

/// Answer `format=csv` requests with the page's list table as CSV.
pub async fn export_layer(mut req: Request, next: Next) -> Response {
    let query = req.uri().query().unwrap_or_default().to_owned();
    let wanted = req.method() == Method::GET && query.split('&').any(|p| p == "format=csv");
    if !wanted {
        return next.run(req).await;
    }
    req.extensions_mut().insert(Export);
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html {
        return res;
    }
    let Ok(body) = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match table(&String::from_utf8_lossy(&body)) {
        Some((name, rows)) => {
            let mut out = Csv::with(Sep::from_query(&query));
            for r in rows {
                out.row(r);
            }
            out.response(&format!("{name}.csv"))
        }
        None => crate::error::WebError::NotFound.into_response(),
    }
}

/// The text of `&amp;`-style references (what the templates escape, and numeric ones).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements whose text is not part of a cell's value (controls, and text only for screen
/// readers). Text in a `hidden` element is exported: lists use it for what a control shows.
const SKIPPED: &[&str] = &["button", "select", "script", "style", "caption", "form"];
/// Elements without an end tag.
const VOID: &[&str] = &["br", "img", "input", "meta", "link", "hr", "col", "wbr"];

/// The first table marked `data-export="NAME"` in a page we rendered: its name and rows
/// (header rows included), each cell's visible text with whitespace collapsed.
pub(crate) fn table(html: &str) -> Option<(String, Vec<Vec<String>>)> {
    let start = html.find("data-export=\"")?;
    let name_start = start + "data-export=\"".len();
    let name: String = html[name_start..]
        .chars()
        .take_while(|c| *c != '"')
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let open = html[start..].find('>')? + start + 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    // Open elements inside the table, and how many of them hide their text.
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut hidden = 0usize;
    let mut rest = &html[open..];
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else { break };
        if hidden == 0
            && let Some(c) = cell.as_mut()
        {
            c.push_str(&rest[..lt]);
        }
        rest = &rest[lt..];
        let gt = rest.find('>')?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(closing) = tag.strip_prefix('/') {
            let closing = closing.trim().to_ascii_lowercase();
            if closing == "table" && !stack.iter().any(|(t, _)| t == "table") {
                break;
            }
            if let Some(pos) = stack.iter().rposition(|(t, _)| *t == closing) {
                for (_, hides) in stack.drain(pos..) {
                    hidden -= usize::from(hides);
                }
            }
            if matches!(closing.as_str(), "td" | "th")
                && let (Some(c), Some(row)) = (cell.take(), rows.last_mut())
            {
                row.push(
                    unescape(&c)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let element = tag[..name_end].to_ascii_lowercase();
        if element.starts_with('!') || VOID.contains(&element.as_str()) || tag.ends_with('/') {
            continue;
        }
        match element.as_str() {
            "tr" if stack.iter().all(|(t, _)| t != "table") => rows.push(Vec::new()),
            "td" | "th" if stack.iter().all(|(t, _)| t != "table") => cell = Some(String::new()),
            _ => {}
        }
        let hides = SKIPPED.contains(&element.as_str()) || tag.contains("visually-hidden");
        hidden += usize::from(hides);
        stack.push((element, hides));
    }
    Some((
        if name.is_empty() {
            "export".into()
        } else {
            name
        },
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_table_becomes_rows_of_visible_text() {
        let html = r#"<main><table><tr><td>not this</td></tr></table>
<table class="x" data-export="studenten"><caption class="visually-hidden">Lijst</caption>
<thead><tr><th scope="col">Naam</th><th>Status <span class="visually-hidden">(uitleg)</span></th></tr></thead>
<tbody><tr><td><a href="/s/1">Zo&#235; van der Meer</a></td><td>op  koers<br>
nu</td></tr>
<tr><td>Bram &amp; co</td><td><form><button>Verwijder</button></form>=1+1</td></tr></tbody></table>
<table data-export="other"><tr><td>later</td></tr></table></main>"#;
        let (name, rows) = table(html).unwrap();
        assert_eq!(name, "studenten");
        assert_eq!(
            rows,
            vec![
                vec!["Naam", "Status"],
                vec!["Zoë van der Meer", "op koers nu"],
                vec!["Bram & co", "=1+1"],
            ]
        );
        let mut c = Csv::with(Sep::Comma);
        for r in rows {
            c.row(r);
        }
        assert_eq!(
            c.0,
            "Naam,Status\r\nZoë van der Meer,op koers nu\r\nBram & co,'=1+1\r\n"
        );
        assert!(table("<table><tr><td>x</td></tr></table>").is_none());
    }

    #[test]
    fn the_separator_comes_from_the_query() {
        assert_eq!(Sep::from_query("format=csv&sep=comma"), Sep::Comma);
        assert_eq!(Sep::from_query("format=csv"), Sep::Excel);
        let mut c = Csv::with(Sep::Comma);
        c.row(["a,b", "c;d"]);
        assert_eq!(c.0, "\"a,b\",\"c;d\"\r\n");
    }

    #[test]
    fn csv_cells_for_excel() {
        assert_eq!(cell("Jansen"), "Jansen");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn documents_start_with_a_bom_and_end_rows_with_crlf() {
        let mut c = Csv::new();
        c.row(["a", "b;c"]);
        c.blank();
        c.row([String::from("1")]);
        assert_eq!(c.0, "\u{feff}a;\"b;c\"\r\n\r\n1\r\n");
    }
}
