//! Koers web layer: the axum router, HTML views, the JSON API, authentication and i18n.
//!
//! Handlers stay thin: parse and authenticate here, decide in `koers-domain`, read and write
//! through `koers-store`, render here.

pub mod api;
mod app;
mod assets;
pub mod audit_trail;
mod auth;
pub mod badges;
mod calendar_feed;
mod charts;
mod commands;
mod csrf;
mod curriculum;
mod error;
mod field;
mod forms;
mod health;
pub mod i18n;
mod indicators;
pub mod mailer;
mod metrics;
pub mod notify;
mod ooapi;
mod personal_data;
mod report;
mod scan_results;
pub mod second_factor;
pub mod sso;
mod staff;
mod state;
mod views;

pub use app::make_app;
pub use error::WebError;
pub use state::{AppState, SmtpConfig, WebConfig};
