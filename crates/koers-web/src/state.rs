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
    /// The address people reach Koers at (`https://koers.example.nl`), for absolute links such
    /// as calendar feeds; without it, links are built from the request's `Host`.
    pub public_url: Option<String>,
}

/// Shared state of all requests.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: WebConfig,
    ready: AtomicBool,
    /// Progress of the background imports this instance runs: run id → (done, total).
    progress: Mutex<HashMap<String, (usize, usize)>>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> Self {
        Self(Arc::new(Inner {
            db,
            config,
            ready: AtomicBool::new(false),
            progress: Mutex::new(HashMap::new()),
        }))
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
