//! The application: what Koers can do, as commands (changes) and queries (reads), one module
//! per context, used alike by the HTML pages and the JSON API of `koers-web`. It knows no
//! HTTP.
//!
//! A command takes an input that `koers-domain` parsed and checked, asks the access policy,
//! writes its changes and its audit line in one transaction, and returns what happened as
//! [`Event`]s: the one place where notifications and mail hook in.
//!
//! Queries return what one page or API response shows. Errors are [`AppError`]s; the web layer
//! maps them to HTTP once.

pub mod competences;
pub mod events;
pub mod field;
pub mod guidance;
pub mod platform;
pub mod staff;
pub mod vision;

pub use events::Event;

use koers_domain::FieldError;
use koers_domain::policy::{Action, Actor};
use koers_store::platform::audit::NewEvent;
use koers_store::platform::users::User;
use koers_store::{Db, StoreError, Tenant, TenantTx};

/// Who acts: the person, their roles for the access policy, and their language (for labels a
/// query returns).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a Db,
    pub actor: &'a Actor,
    pub user: &'a User,
    /// `nl` or `en`.
    pub lang: &'static str,
    /// Told the user id of each person whose record an access check loaded, so the web
    /// layer's generic audit event of a request can name the person it was about.
    pub note_person: fn(&str),
}

impl<'a> Ctx<'a> {
    /// The actor's institution: everything a command or query touches is in it.
    pub fn tenant(&self) -> Tenant<'a> {
        Tenant::new(self.db, &self.user.institution_id)
    }

    /// Ask the access policy.
    pub fn require(&self, action: Action<'_>) -> AppResult<()> {
        if self.actor.may(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Begin the command's transaction.
    pub async fn begin(&self) -> AppResult<TenantTx<'a>> {
        Ok(self.tenant().begin().await?)
    }

    /// An audit line of the actor (who, in which institution); the caller adds the rest.
    pub fn event<'e>(&'e self, action: &'e str) -> NewEvent<'e> {
        NewEvent {
            institution_id: Some(&self.user.institution_id),
            actor_id: Some(&self.user.id),
            actor_email: Some(&self.user.email),
            action,
            ..Default::default()
        }
    }

    /// The audit line of a change the actor made to a `subject` (its kind is the action's
    /// first part: `offer.create` → `offer`).
    pub fn change<'e>(
        &'e self,
        action: &'e str,
        subject_id: &'e str,
        details: serde_json::Value,
    ) -> NewEvent<'e> {
        NewEvent {
            subject_type: action.split('.').next(),
            subject_id: Some(subject_id),
            details,
            ..self.event(action)
        }
    }
}

/// What a command did: its result and the events it caused.
#[derive(Debug)]
pub struct Done<T> {
    pub value: T,
    pub events: Vec<Event>,
}

impl<T> Done<T> {
    pub fn new(value: T, events: Vec<Event>) -> Self {
        Self { value, events }
    }
}

/// Why a command or query did not go through.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The input is wrong: which fields, and why (translation keys `error-<code>`).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A file to import has errors (with line numbers); nothing was written.
    #[error("the import has errors")]
    Import(Vec<koers_domain::guidance::import::ImportError>),
    #[error(transparent)]
    Store(StoreError),
}

impl AppError {
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        AppError::Invalid(vec![FieldError::new(field, code)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(what),
            e => AppError::Store(e),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(e: Vec<FieldError>) -> Self {
        AppError::Invalid(e)
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Whether a path parameter can be an id at all (anything else is not found).
pub(crate) fn id(s: &str) -> AppResult<&str> {
    if koers_domain::is_id(s) {
        Ok(s)
    } else {
        Err(AppError::NotFound)
    }
}
