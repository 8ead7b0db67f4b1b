use koers_store::Db;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when Koers is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// When set, `/metrics` requires `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// The mail server; without it, mail stays in the outbox for administrators to read.
    pub smtp: Option<SmtpConfig>,
    /// The address people reach Koers at (`https://koers.example.nl`), for absolute links such
    /// as calendar feeds; without it, links are built from the request's `Host`.
    pub public_url: Option<String>,
    /// Single sign-on with an OpenID provider (SURFconext); without it, passwords only.
    pub oidc: Option<crate::sso::OidcConfig>,
    /// Roles whose holders must log in with a second factor (TOTP) when they log in with a
    /// password; single sign-on can require the provider's `acr` instead.
    pub second_factor_roles: Vec<koers_domain::Role>,
    /// How long personal data are kept, per category (shown on the privacy page; applied by
    /// the daily retention job).
    pub retention: koers_store::platform::retention::Policy,
    /// Let the OOAPI import reach addresses on this machine or an internal network (refused
    /// by default: an administrator's address must not make Koers probe the inside).
    pub ooapi_allow_internal: bool,
    /// Serve `/baseline`, the benchmark's one-query page (only when the bench starts Koers).
    pub benchmark: bool,
}

/// How Koers reaches its mail server.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// STARTTLS (required) or a plain connection (only for a server on the same machine).
    pub starttls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `Koers <noreply@hogeschool.nl>`.
    pub from: String,
}

/// Shared state of all requests.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: WebConfig,
    ready: AtomicBool,
    /// The database could not be reached; requests are answered 503 at once until a probe
    /// reaches it again.
    db_down: AtomicBool,
    /// Progress of the background imports this instance runs: run id → (done, total).
    progress: Mutex<HashMap<String, (usize, usize)>>,
    /// Wakes the mail sender when something was queued.
    pub mail_waiting: tokio::sync::Notify,
    /// The OpenID provider's discovered metadata.
    sso_cache: crate::sso::ProviderCache,
    /// The results of HRM-scan rounds, by their state.
    scan_results: crate::scan_results::Cache,
}

impl AppState {
    /// The deployment's rules for logging in.
    pub fn login_rules(&self) -> koers_app::platform::login::Rules {
        koers_app::platform::login::Rules {
            second_factor_roles: self.config().second_factor_roles.clone(),
        }
    }

    pub fn new(db: Db, config: WebConfig) -> Self {
        Self(Arc::new(Inner {
            db,
            config,
            mail_waiting: tokio::sync::Notify::new(),
            sso_cache: Default::default(),
            scan_results: Default::default(),
            ready: AtomicBool::new(false),
            db_down: AtomicBool::new(false),
            progress: Mutex::new(HashMap::new()),
        }))
    }

    /// Wake the mail sender (something was queued).
    pub fn wake_mailer(&self) {
        self.0.mail_waiting.notify_one();
    }

    /// Wait until the mail sender is woken.
    pub async fn mail_queued(&self) {
        self.0.mail_waiting.notified().await;
    }

    pub fn sso_cache(&self) -> &crate::sso::ProviderCache {
        &self.0.sso_cache
    }

    pub fn scan_results(&self) -> &crate::scan_results::Cache {
        &self.0.scan_results
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }

    /// Called when migrations and demo seeding are complete.
    pub fn set_ready(&self) {
        self.0.ready.store(true, Ordering::Release);
    }

    pub fn is_ready(&self) -> bool {
        self.0.ready.load(Ordering::Acquire)
    }

    /// Whether the database is known to be unreachable (see [`AppState::mark_db_down`]).
    pub fn db_is_down(&self) -> bool {
        self.0.db_down.load(Ordering::Acquire)
    }

    /// A request found the database unreachable: answer the next requests 503 at once instead
    /// of letting each wait for the pool, and probe every second until it answers again.
    pub fn mark_db_down(&self) {
        if self.0.db_down.swap(true, Ordering::AcqRel) {
            return; // a probe is already running
        }
        tracing::warn!("the database is unreachable; answering 503 until it is back");
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if state
                    .db()
                    .ping_within(std::time::Duration::from_secs(2))
                    .await
                {
                    state.0.db_down.store(false, Ordering::Release);
                    tracing::info!("the database is reachable again");
                    return;
                }
            }
        });
    }

    /// Record the progress of a background run (`None`: it ended).
    pub fn set_progress(&self, run_id: &str, progress: Option<(usize, usize)>) {
        let mut map = self.0.progress.lock().unwrap_or_else(|e| e.into_inner());
        match progress {
            Some(p) => {
                map.insert(run_id.to_owned(), p);
            }
            None => {
                map.remove(run_id);
            }
        }
    }

    /// The progress of a run on this instance: (done, total).
    pub fn progress(&self, run_id: &str) -> Option<(usize, usize)> {
        let map = self.0.progress.lock().unwrap_or_else(|e| e.into_inner());
        map.get(run_id).copied()
    }
}
