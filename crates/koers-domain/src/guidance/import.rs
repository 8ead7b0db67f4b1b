//! Reading a student list exported from a student information system (CSV).
//!
//! Accepts what such exports and Dutch Excel produce: `;`, `,` or tab as separator (detected
//! from the header line), UTF-8 with or without BOM, Windows-1252, UTF-16 with BOM; headers in
//! Dutch or English in any order; extra columns are ignored. Every problem is reported with
//! its line number (the header is line 1, as a spreadsheet shows it) and column, so the whole
//! file can be fixed in one go; nothing is accepted unless every line is right.

use crate::platform::{CohortYear, Email, ProgrammeCode};
use jiff::civil::Date;
use std::collections::HashMap;

/// The most lines one import may hold.
pub const MAX_ROWS: usize = 200_000;

/// A column Koers reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    StudentNumber,
    GivenName,
    NamePrefix,
    FamilyName,
    Email,
    Programme,
    Cohort,
    Counsellor,
    StartDate,
}

impl Column {
    const ALL: [Column; 9] = [
        Column::StudentNumber,
        Column::GivenName,
        Column::NamePrefix,
        Column::FamilyName,
        Column::Email,
        Column::Programme,
        Column::Cohort,
        Column::Counsellor,
        Column::StartDate,
    ];

    /// The names accepted in a header (compared lower-case, without spaces, `-` and `_`).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::StudentNumber => &["studentnummer", "studentnumber", "studentnr"],
            Column::GivenName => &["voornaam", "givenname", "roepnaam", "firstname"],
            Column::NamePrefix => &["tussenvoegsel", "tussenvoegsels", "nameprefix", "prefix"],
            Column::FamilyName => &["achternaam", "familyname", "lastname", "surname"],
            Column::Email => &["email", "emailadres", "mail"],
            Column::Programme => &["opleiding", "programme", "program", "opleidingscode"],
            Column::Cohort => &["cohort"],
            Column::Counsellor => &["loopbaanbegeleider", "counsellor", "counselor", "slb"],
            Column::StartDate => &["startdatum", "startdate", "begindatum"],
        }
    }

    /// The name used in messages (Dutch header as in the documentation).
    pub fn canonical(self) -> &'static str {
        match self {
            Column::StudentNumber => "studentnummer",
            Column::GivenName => "voornaam",
            Column::NamePrefix => "tussenvoegsel",
            Column::FamilyName => "achternaam",
            Column::Email => "e-mail",
            Column::Programme => "opleiding",
            Column::Cohort => "cohort",
            Column::Counsellor => "loopbaanbegeleider",
            Column::StartDate => "startdatum",
        }
    }

    const fn required(self) -> bool {
        !matches!(
            self,
            Column::NamePrefix | Column::Counsellor | Column::StartDate
        )
    }

    fn from_header(h: &str) -> Option<Column> {
        let key = header_key(h);
        Column::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&key.as_str()))
    }
}

/// A header as compared with the accepted names: lower-case, without a BOM, spaces, `-`,
/// `_` and `.`.
pub(crate) fn header_key(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .collect()
}

/// One problem in the file. `code` is a stable key (the web layer translates it as
/// `import-error-<code>` with `value` as argument).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    pub line: u64,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub code: &'static str,
    /// The offending value or a detail (another line number, a column count).
    pub value: Option<String>,
}

impl ImportError {
    pub(crate) fn new(
        line: u64,
        column: Option<&str>,
        code: &'static str,
        value: Option<String>,
    ) -> Self {
        Self {
            line,
            column: column.map(str::to_owned),
            code,
            value,
        }
    }
}

/// A valid line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub student_number: String,
    pub given_name: String,
    pub name_prefix: String,
    pub family_name: String,
    pub email: Email,
    pub programme: ProgrammeCode,
    pub cohort: CohortYear,
    pub counsellor: Option<Email>,
    pub start_date: Option<Date>,
}

impl ImportRow {
    pub fn display_name(&self) -> String {
        display_name(&self.given_name, &self.name_prefix, &self.family_name)
    }
}

/// "Zoë" + "van der" + "Meer" → "Zoë van der Meer".
pub fn display_name(given: &str, prefix: &str, family: &str) -> String {
    [given, prefix, family]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Turn the bytes of an upload into text: BOMs are removed; text that is not UTF-8 is read as
/// Windows-1252 (what Excel writes for "CSV (gescheiden door lijstscheidingsteken)").
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The separator of the header line: the most frequent of `;`, `,` and tab outside quotes.
pub fn detect_separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in counts.iter_mut() {
                if c == *sep {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(sep, n)| (*n, *sep == b';'))
        .map_or(b';', |(sep, _)| *sep)
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    // Dutch spreadsheets write 1-9-2025 or 01-09-2025.
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    if let [d, m, y] = parts.as_slice()
        && y.len() == 4
    {
        return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
    }
    None
}

/// A student number: 1–20 letters, digits or dashes.
pub fn valid_student_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 20 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A name part: not too long, no control characters.
fn valid_name(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// A file that parsed: its rows, and the headers as written in it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub rows: Vec<ImportRow>,
    headers: HashMap<&'static str, String>,
}

impl Parsed {
    /// The header of a column as written in the file, by its Dutch name (`"e-mail"`).
    pub fn header(&self, canonical: &str) -> String {
        self.headers
            .get(canonical)
            .cloned()
            .unwrap_or_else(|| canonical.to_owned())
    }
}

/// Parse the whole file. Either every line is valid, or every problem is returned.
pub fn parse_file(bytes: &[u8]) -> Result<Parsed, Vec<ImportError>> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(vec![ImportError::new(1, None, "empty", None)]);
    }
    let sep = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            let line = e.position().map_or(1, |p| p.line());
            return Err(vec![ImportError::new(line, None, "malformed", None)]);
        }
        None => return Err(vec![ImportError::new(1, None, "empty", None)]),
    };

    // Which field holds which column.
    let mut errors = Vec::new();
    let mut at: HashMap<Column, (usize, String)> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = Column::from_header(h) {
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
    for c in Column::ALL {
        if c.required() && !at.contains_key(&c) {
            errors.push(ImportError::new(
                1,
                None,
                "missing-column",
                Some(c.canonical().to_owned()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let width = header.len();

    let mut rows = Vec::new();
    let mut numbers: HashMap<String, u64> = HashMap::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
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
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(ImportError::new(
                line,
                None,
                "too-many-rows",
                Some(MAX_ROWS.to_string()),
            ));
            break;
        }
        if record.len() != width {
            errors.push(ImportError::new(
                line,
                None,
                "column-count",
                Some(format!("{}/{}", record.len(), width)),
            ));
            continue;
        }
        let get = |c: Column| -> (String, Option<&str>) {
            match at.get(&c) {
                Some((i, name)) => (
                    record.get(*i).unwrap_or("").trim().to_owned(),
                    Some(name.as_str()),
                ),
                None => (String::new(), None),
            }
        };
        let before = errors.len();
        let mut fail = |col: Option<&str>, code: &'static str, value: &str| {
            errors.push(ImportError::new(
                line,
                col,
                code,
                (!value.is_empty()).then(|| value.to_owned()),
            ));
        };

        let (number, col) = get(Column::StudentNumber);
        if number.is_empty() {
            fail(col, "required", "");
        } else if !valid_student_number(&number) {
            fail(col, "student-number-invalid", &number);
        }
        let (given, col) = get(Column::GivenName);
        let given = clean(&given);
        if given.is_empty() {
            fail(col, "required", "");
        } else if !valid_name(&given, 100) {
            fail(col, "name-invalid", &given);
        }
        let (prefix, col) = get(Column::NamePrefix);
        let prefix = clean(&prefix);
        if !valid_name(&prefix, 30) {
            fail(col, "name-invalid", &prefix);
        }
        let (family, col) = get(Column::FamilyName);
        let family = clean(&family);
        if family.is_empty() {
            fail(col, "required", "");
        } else if !valid_name(&family, 100) {
            fail(col, "name-invalid", &family);
        }
        let (email_raw, col) = get(Column::Email);
        let email = if email_raw.is_empty() {
            fail(col, "required", "");
            None
        } else {
            match Email::parse(&email_raw) {
                Ok(e) => Some(e),
                Err(_) => {
                    fail(col, "email-invalid", &email_raw);
                    None
                }
            }
        };
        let (prog_raw, col) = get(Column::Programme);
        let programme = if prog_raw.is_empty() {
            fail(col, "required", "");
            None
        } else {
            match ProgrammeCode::parse(&prog_raw) {
                Ok(p) => Some(p),
                Err(_) => {
                    fail(col, "programme-invalid", &prog_raw);
                    None
                }
            }
        };
        let (cohort_raw, col) = get(Column::Cohort);
        let cohort = if cohort_raw.is_empty() {
            fail(col, "required", "");
            None
        } else {
            match CohortYear::parse(&cohort_raw) {
                Ok(c) => Some(c),
                Err(_) => {
                    fail(col, "cohort-invalid", &cohort_raw);
                    None
                }
            }
        };
        let (couns_raw, col) = get(Column::Counsellor);
        let counsellor = if couns_raw.is_empty() {
            None
        } else {
            match Email::parse(&couns_raw) {
                Ok(e) => Some(e),
                Err(_) => {
                    fail(col, "email-invalid", &couns_raw);
                    None
                }
            }
        };
        let (start_raw, col) = get(Column::StartDate);
        let start_date = if start_raw.is_empty() {
            None
        } else {
            match parse_date(&start_raw) {
                Some(d) => Some(d),
                None => {
                    fail(col, "date-invalid", &start_raw);
                    None
                }
            }
        };
        if !number.is_empty() {
            if let Some(first) = numbers.get(&number) {
                let col = at.get(&Column::StudentNumber).map(|(_, n)| n.as_str());
                fail(col, "duplicate-student-number", &first.to_string());
            } else {
                numbers.insert(number.clone(), line);
            }
        }
        if let Some(e) = &email {
            if let Some(first) = emails.get(e.as_str()) {
                let col = at.get(&Column::Email).map(|(_, n)| n.as_str());
                fail(col, "duplicate-email", &first.to_string());
            } else {
                emails.insert(e.as_str().to_owned(), line);
            }
        }
        if errors.len() > before {
            continue;
        }
        if let (Some(email), Some(programme), Some(cohort)) = (email, programme, cohort) {
            rows.push(ImportRow {
                line,
                student_number: number,
                given_name: given,
                name_prefix: prefix,
                family_name: family,
                email,
                programme,
                cohort,
                counsellor,
                start_date,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![ImportError::new(2, None, "no-rows", None)]);
    }
    let headers = at
        .iter()
        .map(|(c, (_, name))| (c.canonical(), name.clone()))
        .collect();
    Ok(Parsed { rows, headers })
}

/// The rows of a file (see [`parse_file`]).
pub fn parse(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    parse_file(bytes).map(|p| p.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUTCH: &str = "studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort;loopbaanbegeleider\n\
        100001;Zoë;van der;Meer;zoe@example.nl;LO-ECO;2025;slb@example.nl\n\
        100002;Daan;;Jansen;daan@example.nl;lo-zw;2024;\n";

    #[test]
    fn reads_a_dutch_export() {
        let rows = parse(DUTCH.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].display_name(), "Zoë van der Meer");
        assert_eq!(rows[1].programme.as_str(), "LO-ZW");
        assert_eq!(rows[1].counsellor, None);
        assert_eq!(
            rows[0].counsellor.as_ref().unwrap().as_str(),
            "slb@example.nl"
        );
    }

    #[test]
    fn english_headers_commas_bom_and_any_order() {
        let csv = "\u{feff}email,student_number,family_name,given_name,programme,cohort,extra\r\n\
                   a@example.nl,7,Smit,Sem,LO-ECO,2025,x\r\n";
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows[0].student_number, "7");
        assert_eq!(rows[0].name_prefix, "");
    }

    #[test]
    fn windows_1252_is_recognised() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(DUTCH);
        assert!(std::str::from_utf8(&bytes).is_err());
        let rows = parse(&bytes).unwrap();
        assert_eq!(rows[0].given_name, "Zoë");
    }

    #[test]
    fn quoted_fields_with_separators_and_newlines_keep_line_numbers() {
        let csv = "studentnummer;voornaam;achternaam;e-mail;opleiding;cohort\n\
                   1;\"Anna; Maria\";Bos;a@x.nl;LO-ECO;2025\n\
                   2;\"Bo\nB\";Vos;b@x.nl;LO-ECO;2025\n\
                   3;Cas;Wit;not-an-email;LO-ECO;2025\n";
        let errs = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 5);
        assert_eq!(errs[0].column.as_deref(), Some("e-mail"));
        assert_eq!(errs[0].code, "email-invalid");
    }

    #[test]
    fn every_error_is_reported_with_line_and_column() {
        let csv = "studentnummer;voornaam;achternaam;e-mail;opleiding;cohort\n\
                   1;Anna;Bos;a@x.nl;LO-ECO;2025\n\
                   ;Bo;Vos;b@x.nl;LO-ECO;20x5\n\
                   1;Cas;Wit;c@x.nl;LO ECO;2025\n\
                   4;Dirk;Dam;a@x.nl;LO-ECO;2025;extra\n\
                   ;;;;;\n\
                   5;Eva;;e@x.nl;LO-ECO;2025\n";
        let errs = parse(csv.as_bytes()).unwrap_err();
        let got: Vec<(u64, Option<&str>, &str)> = errs
            .iter()
            .map(|e| (e.line, e.column.as_deref(), e.code))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, Some("studentnummer"), "required"),
                (3, Some("cohort"), "cohort-invalid"),
                (4, Some("opleiding"), "programme-invalid"),
                (4, Some("studentnummer"), "duplicate-student-number"),
                (5, None, "column-count"),
                (7, Some("achternaam"), "required"),
            ]
        );
        assert_eq!(errs[3].value.as_deref(), Some("2"));
    }

    #[test]
    fn missing_columns_are_named() {
        let errs = parse(b"studentnummer;voornaam\n1;A\n").unwrap_err();
        let missing: Vec<&str> = errs.iter().filter_map(|e| e.value.as_deref()).collect();
        assert_eq!(missing, vec!["achternaam", "e-mail", "opleiding", "cohort"]);
        assert!(errs.iter().all(|e| e.line == 1));
    }

    #[test]
    fn empty_files_and_header_only() {
        assert_eq!(parse(b"").unwrap_err()[0].code, "empty");
        assert_eq!(
            parse(b"studentnummer;voornaam;achternaam;e-mail;opleiding;cohort\n").unwrap_err()[0]
                .code,
            "no-rows"
        );
    }

    #[test]
    fn dates_in_dutch_and_iso_form() {
        assert_eq!(parse_date("1-9-2025"), Some(jiff::civil::date(2025, 9, 1)));
        assert_eq!(
            parse_date("2025-09-01"),
            Some(jiff::civil::date(2025, 9, 1))
        );
        assert_eq!(parse_date("31-02-2025"), None);
    }

    #[test]
    fn separator_detection_ignores_quoted_commas() {
        assert_eq!(detect_separator("\"a,b,c\";d;e"), b';');
        assert_eq!(detect_separator("a,b,c"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
    }
}
