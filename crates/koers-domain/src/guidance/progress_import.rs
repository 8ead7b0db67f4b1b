//! Importing first-year study-advice (BSA) signals: per student the credits so far against
//! the norm, from a CSV export of the student information system. Same rules as the student
//! import: separator and encoding detected, Dutch or English headers, and either every line
//! is valid or every problem is returned with its line (the header is line 1) and column.

use super::import::{ImportError, decode, detect_separator, header_key, parse_date};
use jiff::civil::Date;
use std::collections::HashMap;

/// The norm when the file has no `norm` column: 45 of the first year's 60 credits.
pub const DEFAULT_NORM: i64 = 45;
/// Credits and norms are whole numbers up to four years of study.
pub const MAX_CREDITS: i64 = 240;

/// One valid line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRow {
    pub line: u64,
    pub student_number: String,
    pub credits: i64,
    pub norm: i64,
    /// The date the credits were counted on (`None`: the day of the import).
    pub on_date: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    StudentNumber,
    Credits,
    Norm,
    Date,
}

impl Col {
    const ALL: [Col; 4] = [Col::StudentNumber, Col::Credits, Col::Norm, Col::Date];

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Col::StudentNumber => &["studentnummer", "studentnumber", "studentnr"],
            Col::Credits => &[
                "studiepunten",
                "behaaldestudiepunten",
                "ec",
                "ects",
                "credits",
            ],
            Col::Norm => &["norm", "bsanorm", "normstudiepunten"],
            Col::Date => &["peildatum", "datum", "date", "ondate"],
        }
    }

    /// The Dutch header, as in the documentation.
    fn canonical(self) -> &'static str {
        match self {
            Col::StudentNumber => "studentnummer",
            Col::Credits => "studiepunten",
            Col::Norm => "norm",
            Col::Date => "peildatum",
        }
    }
}

fn whole_number(s: &str, min: i64) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=MAX_CREDITS).contains(n))
}

/// Parse the whole file: every line valid, or every problem.
pub fn parse(bytes: &[u8]) -> Result<Vec<ProgressRow>, Vec<ImportError>> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(vec![ImportError::new(1, None, "empty", None)]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_separator(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) => return Err(vec![ImportError::new(1, None, "malformed", None)]),
        None => return Err(vec![ImportError::new(1, None, "empty", None)]),
    };
    let mut at: HashMap<Col, (usize, String)> = HashMap::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let key = header_key(h);
        if let Some(c) = Col::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&key.as_str()))
        {
            let name = h.trim().trim_start_matches('\u{feff}').to_owned();
            if at.insert(c, (i, name.clone())).is_some() {
                errors.push(ImportError::new(
                    1,
                    Some(&name),
                    "duplicate-column",
                    Some(name.clone()),
                ));
            }
        }
    }
    for c in [Col::StudentNumber, Col::Credits] {
        if !at.contains_key(&c) {
            errors.push(ImportError::new(
                1,
                None,
                "missing-column",
                Some(c.canonical().into()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let width = header.len();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(ImportError::new(line, None, "malformed", None));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() + errors.len() >= super::import::MAX_ROWS {
            let max = super::import::MAX_ROWS.to_string();
            errors.push(ImportError::new(line, None, "too-many-rows", Some(max)));
            break;
        }
        if record.len() != width {
            let counts = format!("{}/{}", record.len(), width);
            errors.push(ImportError::new(line, None, "column-count", Some(counts)));
            continue;
        }
        let get = |c: Col| -> (&str, Option<&str>) {
            at.get(&c).map_or(("", None), |(i, name)| {
                (record.get(*i).unwrap_or("").trim(), Some(name.as_str()))
            })
        };
        let before = errors.len();
        let mut fail = |col: Option<&str>, code: &'static str, value: &str| {
            let value = (!value.is_empty()).then(|| value.to_owned());
            errors.push(ImportError::new(line, col, code, value));
        };
        let (number, col) = get(Col::StudentNumber);
        if number.is_empty() {
            fail(col, "required", "");
        } else if !super::import::valid_student_number(number) {
            fail(col, "student-number-invalid", number);
        } else if let Some(first) = seen.insert(number.to_owned(), line) {
            fail(col, "duplicate-student-number", &first.to_string());
        }
        let (credits_raw, col) = get(Col::Credits);
        let credits = whole_number(credits_raw, 0);
        if credits_raw.is_empty() {
            fail(col, "required", "");
        } else if credits.is_none() {
            fail(col, "credits-invalid", credits_raw);
        }
        let (norm_raw, col) = get(Col::Norm);
        let norm = if norm_raw.is_empty() {
            Some(DEFAULT_NORM)
        } else {
            whole_number(norm_raw, 1)
        };
        if norm.is_none() {
            fail(col, "norm-invalid", norm_raw);
        }
        let (date_raw, col) = get(Col::Date);
        let on_date = (!date_raw.is_empty()).then(|| parse_date(date_raw));
        if on_date == Some(None) {
            fail(col, "date-invalid", date_raw);
        }
        if errors.len() > before {
            continue;
        }
        if let (Some(credits), Some(norm)) = (credits, norm) {
            rows.push(ProgressRow {
                line,
                student_number: number.to_owned(),
                credits,
                norm,
                on_date: on_date.flatten(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![ImportError::new(2, None, "no-rows", None)]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_file_with_defaults() {
        let rows = parse(
            b"studentnummer;studiepunten;norm;peildatum\n500000;42;45;1-2-2026\n500001;15;;\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].credits, 42);
        assert_eq!(rows[0].on_date, Some(Date::constant(2026, 2, 1)));
        assert_eq!(rows[1].norm, DEFAULT_NORM);
        assert_eq!(rows[1].on_date, None);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn english_headers_and_comma() {
        let rows = parse(b"Student number,Credits\nS-1,60\n").unwrap();
        assert_eq!(rows[0].student_number, "S-1");
        assert_eq!(rows[0].credits, 60);
    }

    #[test]
    fn every_problem_with_line_and_column() {
        let errs = parse(b"studentnummer;studiepunten;norm\n1;x;45\n2;300;0\n1;10;45\n;;\n3;;45\n")
            .unwrap_err();
        let got: Vec<(u64, Option<&str>, &str)> = errs
            .iter()
            .map(|e| (e.line, e.column.as_deref(), e.code))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("studiepunten"), "credits-invalid"),
                (3, Some("studiepunten"), "credits-invalid"),
                (3, Some("norm"), "norm-invalid"),
                (4, Some("studentnummer"), "duplicate-student-number"),
                (6, Some("studiepunten"), "required"),
            ]
        );
    }

    #[test]
    fn missing_columns_and_empty_files() {
        let errs = parse(b"studentnummer;norm\n1;45\n").unwrap_err();
        assert_eq!(errs[0].code, "missing-column");
        assert_eq!(errs[0].value.as_deref(), Some("studiepunten"));
        assert_eq!(parse(b"").unwrap_err()[0].code, "empty");
        assert_eq!(
            parse(b"studentnummer;studiepunten\n").unwrap_err()[0].code,
            "no-rows"
        );
    }
}
