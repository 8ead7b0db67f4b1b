//! The results of an HRM-scan round, computed once per state of the round and kept in
//! memory: reading and scoring every anonymous response (100,000 at a million students) on
//! each visit made the results page grow with the staff. A response is stored in the same
//! transaction that marks its invitation answered, so (round, instrument, status, closing
//! time, number answered) changes whenever the results can; the key is read with the round
//! on every request, so every instance serves current results.

use crate::error::WebResult;
use crate::state::AppState;
use koers_domain::staff::scan::{self, StageResult};
use koers_store::Tenant;
use koers_store::staff::scans::{self, Round};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rounds kept; more are dropped (all of them: results are cheap to compute again).
const KEPT: usize = 64;

pub struct RoundResults {
    pub stages: Vec<StageResult>,
    /// (stage, text) in random order; empty when fewer than the anonymity minimum answered.
    pub comments: Vec<(String, String)>,
}

type Key = (String, String, Option<i64>, i64);

#[derive(Default)]
pub struct Cache(Mutex<HashMap<String, (Key, Arc<RoundResults>)>>);

fn key(r: &Round) -> Key {
    (
        r.instrument_id.clone(),
        r.status.clone(),
        r.closed_at,
        r.responded,
    )
}

/// The results of the round as it is now.
pub async fn of_round(state: &AppState, t: Tenant<'_>, r: &Round) -> WebResult<Arc<RoundResults>> {
    let k = key(r);
    {
        let map = state
            .scan_results()
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((kept, results)) = map.get(&r.id)
            && *kept == k
        {
            return Ok(results.clone());
        }
    }
    let instrument = scans::instrument(t, &r.instrument_id).await?;
    let (responses, comments) = scans::responses(t, &r.id).await?;
    let results = Arc::new(RoundResults {
        stages: scan::results(&instrument, &responses),
        comments: if responses.len() >= scan::MIN_GROUP {
            comments
        } else {
            Vec::new()
        },
    });
    let mut map = state
        .scan_results()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if map.len() >= KEPT {
        map.clear();
    }
    map.insert(r.id.clone(), (k, results.clone()));
    Ok(results)
}
