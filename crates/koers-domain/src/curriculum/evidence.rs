//! Evidence a student adds to a competence: text, a link, or a file. Files are checked by
//! their content (not by what the browser claims) and limited in size.

use crate::FieldError;

/// Largest file a student can add as evidence.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The content types Koers accepts as evidence files, found from the file's first bytes.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("file-empty");
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err("file-too-large");
    }
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let t = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.starts_with(b"PK\x03\x04") && matches!(ext, "docx" | "pptx" | "xlsx" | "odt") {
        match ext {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => "application/vnd.oasis.opendocument.text",
        }
    } else if matches!(ext, "txt" | "md" | "vtt") && std::str::from_utf8(bytes).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        return Err("file-type");
    };
    Ok(t)
}

/// A checked piece of evidence (the file is checked separately with [`sniff`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceInput {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

impl EvidenceInput {
    /// `has_file`: a file comes with it (then text and link may be empty).
    pub fn parse(
        title: &str,
        body: &str,
        link: &str,
        has_file: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "name-too-long"));
        }
        let body = body.trim().to_owned();
        if body.chars().count() > 10_000 {
            errors.push(FieldError::new("body", "text-too-long"));
        }
        let link = link.trim();
        let link = if link.is_empty() {
            None
        } else if valid_link(link) {
            Some(link.to_owned())
        } else {
            errors.push(FieldError::new("link", "link-invalid"));
            None
        };
        if body.is_empty() && link.is_none() && !has_file && errors.is_empty() {
            errors.push(FieldError::new("body", "evidence-empty"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EvidenceInput { title, body, link })
    }
}

/// An `http(s)` address without spaces or control characters, at most 2,000 characters.
pub fn valid_link(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && s.len() <= 2000
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_their_content() {
        assert_eq!(sniff("verslag.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(sniff("foto.PNG", b"\x89PNG\r\n\x1a\nrest"), Ok("image/png"));
        assert_eq!(
            sniff("notities.txt", "Reflectie: één".as_bytes()),
            Ok("text/plain; charset=utf-8")
        );
        assert!(
            sniff("plan.docx", b"PK\x03\x04...")
                .unwrap()
                .contains("wordprocessingml")
        );
        // A name does not make a file what it says.
        assert_eq!(sniff("verslag.pdf", b"<html><script>"), Err("file-type"));
        assert_eq!(sniff("archief.zip", b"PK\x03\x04"), Err("file-type"));
        assert_eq!(sniff("x.txt", b"\xff\xfe\x00"), Err("file-type"));
        assert_eq!(sniff("leeg.pdf", b""), Err("file-empty"));
        assert_eq!(
            sniff("groot.pdf", &vec![b'%'; MAX_FILE_BYTES + 1]),
            Err("file-too-large")
        );
    }

    #[test]
    fn evidence_needs_a_title_and_something() {
        let ok = EvidenceInput::parse(
            "  Mijn   BPV-verslag ",
            "",
            "https://example.nl/verslag",
            false,
        )
        .unwrap();
        assert_eq!(ok.title, "Mijn BPV-verslag");
        let fields = |r: Result<EvidenceInput, Vec<FieldError>>| -> Vec<&str> {
            r.unwrap_err().iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(EvidenceInput::parse("", "", "", false)), ["title"]);
        assert_eq!(
            fields(EvidenceInput::parse("Iets", "", "", false)),
            ["body"]
        );
        assert!(EvidenceInput::parse("Iets", "", "", true).is_ok());
        assert_eq!(
            fields(EvidenceInput::parse(
                "Iets",
                "",
                "javascript:alert(1)",
                false
            )),
            ["link"]
        );
        assert!(!valid_link("https://"));
        assert!(!valid_link("https://a b"));
    }
}
