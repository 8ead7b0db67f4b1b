//! CSV that opens in Dutch Excel: `;` between cells, CRLF, UTF-8 with a byte-order mark, and
//! cells that Excel would read as a formula made harmless.

use axum::http::header;
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

/// A CSV document being written.
pub(crate) struct Csv(String);

impl Csv {
    pub fn new() -> Csv {
        Csv(String::from("\u{feff}"))
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref())).collect();
        self.0 += &cells.join(";");
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

#[cfg(test)]
mod tests {
    use super::*;

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
