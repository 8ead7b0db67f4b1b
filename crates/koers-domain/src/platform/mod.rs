//! Platform context: institutions, users, roles, programmes, cohorts.

mod email;
mod names;
mod password;
mod role;
pub mod sso;
pub mod totp;

pub use email::Email;
pub use names::{CohortYear, DisplayName, ProgrammeCode, ProgrammeName};
pub use password::{NewPassword, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
pub use role::{Role, RoleAssignment, UnknownRole, normalise_roles};

/// A validation failure of one input field, with a stable machine code.
///
/// `code` doubles as the translation key suffix: the web layer shows
/// `error-<code>` in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

/// A new identifier: UUIDv7 (time ordered) as a string.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A random identifier without a time in it (UUIDv4), for records that must not reveal when
/// they were made (anonymous scan responses).
pub fn random_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether a string is a well-formed identifier (protects lookups from junk).
pub fn is_id(s: &str) -> bool {
    uuid::Uuid::try_parse(s).is_ok()
}
