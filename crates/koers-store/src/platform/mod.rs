//! Storage of the platform context.

pub mod audit;
pub mod calendar_feeds;
pub mod import_runs;
pub mod institutions;
pub mod leases;
pub mod login_challenges;
pub mod login_failures;
pub mod notifications;
pub mod passwords;
pub mod personal_data;
pub mod programmes;
pub mod retention;
pub mod second_factor;
pub mod sessions;
pub mod sso;
pub mod students;
pub mod users;

/// A page of a collection and the cursor of the next page.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}
