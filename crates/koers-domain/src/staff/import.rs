//! Importing staff from CSV (an HR system's export): the guidance import's conventions —
//! the separator detected, a BOM or Windows-1252 read, columns found by their header (Dutch or
//! English), and either every line is valid or every problem is returned with its line.

use crate::Role;
use crate::guidance::import::{ImportError, decode, detect_separator};
use crate::platform::{DisplayName, Email};
use std::collections::HashMap;

/// One valid line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffRow {
    pub line: u64,
    pub name: String,
    pub email: String,
    /// Besides `employee`, which every staff member holds.
    pub roles: Vec<String>,
}

/// The most lines one import takes.
pub const MAX_ROWS: usize = 20_000;

fn header_key(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .collect()
}

fn column(h: &str) -> Option<&'static str> {
    match header_key(h).as_str() {
        "naam" | "name" | "volledigenaam" | "fullname" => Some("name"),
        "email" | "emailadres" | "mail" | "emailaddress" => Some("email"),
        "rollen" | "rol" | "roles" | "role" => Some("roles"),
        _ => None,
    }
}

/// A role as written: its key or its Dutch or English name. Only staff roles are imported
/// here (students come with the student import, partner people by invitation).
pub fn staff_role(s: &str) -> Result<Option<Role>, &'static str> {
    let k = header_key(s);
    let role = match k.as_str() {
        "" => return Ok(None),
        "administrator" | "beheerder" | "admin" => Role::Administrator,
        "programmemanager" | "opleidingsmanager" | "manager" => Role::ProgrammeManager,
        "counsellor" | "loopbaanbegeleider" | "slb" | "slber" | "studieloopbaanbegeleider" => {
            Role::Counsellor
        }
        "lecturer" | "docent" => Role::Lecturer,
        "hradviser" | "hradviseur" | "hr" => Role::HrAdviser,
        "employee" | "medewerker" => Role::Employee,
        "student" | "placementmentor" | "werkplekbegeleider" | "partnercoordinator"
        | "schoolopleider" => return Err("role-not-staff"),
        _ => return Err("role-unknown"),
    };
    Ok(Some(role))
}

/// Parse a staff file: every line valid, or every problem.
pub fn parse(bytes: &[u8]) -> Result<Vec<StaffRow>, Vec<ImportError>> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(vec![ImportError::new(1, None, "empty", None)]);
    }
    let sep = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(_) => return Err(vec![ImportError::new(1, None, "unreadable", None)]),
    };
    let mut at: HashMap<&'static str, (usize, String)> = HashMap::new();
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match column(h) {
            Some(c) if at.contains_key(c) => {
                errors.push(ImportError::new(1, Some(h), "duplicate-column", None))
            }
            Some(c) => {
                at.insert(c, (i, h.clone()));
            }
            None => {}
        }
    }
    for required in ["name", "email"] {
        if !at.contains_key(required) {
            errors.push(ImportError::new(
                1,
                None,
                "missing-column",
                Some(required.into()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(ImportError::new(line, None, "unreadable", None));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
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
        let get = |c: &str| {
            at.get(c)
                .and_then(|(i, _)| record.get(*i))
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let head = |c: &str| at.get(c).map(|(_, h)| h.as_str());
        let mut ok = true;
        let name = match DisplayName::parse(&get("name")) {
            Ok(n) => n.as_str().to_owned(),
            Err(e) => {
                errors.push(ImportError::new(
                    line,
                    head("name"),
                    e.code,
                    Some(get("name")),
                ));
                ok = false;
                String::new()
            }
        };
        let email = match Email::parse(&get("email")) {
            Ok(e) => e.as_str().to_owned(),
            Err(_) => {
                errors.push(ImportError::new(
                    line,
                    head("email"),
                    "email-invalid",
                    Some(get("email")),
                ));
                ok = false;
                String::new()
            }
        };
        if !email.is_empty() {
            if let Some(first) = seen.get(&email) {
                errors.push(ImportError::new(
                    line,
                    head("email"),
                    "duplicate-email",
                    Some(first.to_string()),
                ));
                ok = false;
            } else {
                seen.insert(email.clone(), line);
            }
        }
        let mut roles = Vec::new();
        for part in get("roles").split([',', '|', '/']) {
            match staff_role(part) {
                Ok(Some(r)) if r != Role::Employee => {
                    if !roles.contains(&r.key().to_owned()) {
                        roles.push(r.key().to_owned());
                    }
                }
                Ok(_) => {}
                Err(code) => {
                    errors.push(ImportError::new(
                        line,
                        head("roles"),
                        code,
                        Some(part.trim().to_owned()),
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            rows.push(StaffRow {
                line,
                name,
                email,
                roles,
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
    fn a_dutch_excel_file_is_read() {
        let file = "\u{feff}Naam;E-mailadres;Rollen\r\nAnna de Vries;Anna@Hogeschool.nl;docent, slb\r\n\
                    Bas Jansen;bas@hogeschool.nl;\r\n;;\r\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email, "anna@hogeschool.nl");
        assert_eq!(rows[0].roles, ["lecturer", "counsellor"]);
        assert!(rows[1].roles.is_empty());
        let comma = "name,email,roles\nCor,cor@x.nl,HR\n";
        assert_eq!(parse(comma.as_bytes()).unwrap()[0].roles, ["hr_adviser"]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let file =
            "naam;email;rol\nAnna;anna@x.nl;docent\n;geen-adres;tovenaar\nBas;ANNA@x.nl;student\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
        assert_eq!(
            found,
            [
                (3, "required"),
                (3, "email-invalid"),
                (3, "role-unknown"),
                (4, "duplicate-email"),
                (4, "role-not-staff"),
            ]
        );
        assert_eq!(errors[3].value.as_deref(), Some("2"));
        // Old Mac line ends (a bare CR) count as lines too (found by fuzzing).
        let cr = parse(b"naam;email\rAnna;geen-adres\r").unwrap_err();
        assert_eq!((cr[0].line, cr[0].code), (2, "email-invalid"));
        let missing = parse(b"naam;rol\nAnna;docent\n").unwrap_err();
        assert_eq!(missing[0].code, "missing-column");
        assert_eq!(parse(b"").unwrap_err()[0].code, "empty");
    }
}
