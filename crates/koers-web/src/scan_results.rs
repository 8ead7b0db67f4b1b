//! The results of an HRM-scan round, computed once per state of the round and kept in
//! memory: reading and scoring every anonymous response (100,000 at a million students) on
//! each visit made the results page grow with the staff. A response is stored in the same
//! transaction that marks its invitation answered, so (round, instrument, status, closing
//! time, number answered) changes whenever the results can; the key is read with the round
//! on every request, so every instance serves current results.
//!
//! A round has results only once it has closed: while it is open, two reads a response apart
//! would give that person's answers away. The page, the API, the exports and the annual report
//! all take their figures from here (the indicators score closed rounds with the same rule in
//! `koers_domain::staff::scan`).

use crate::error::WebResult;
use crate::state::AppState;
use koers_domain::staff::scan::RoundResults;
use koers_store::Tenant;
use koers_store::staff::scans::{self, Round};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rounds kept; more are dropped (all of them: results are cheap to compute again).
const KEPT: usize = 64;

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

/// The results of the round, or `None` while it has not closed.
pub async fn of_round(
    state: &AppState,
    t: Tenant<'_>,
    r: &Round,
) -> WebResult<Option<Arc<RoundResults>>> {
    if r.status != "closed" {
        return Ok(None);
    }
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
            return Ok(Some(results.clone()));
        }
    }
    let instrument = scans::instrument(t, &r.instrument_id).await?;
    let responses = scans::responses(t, &r.id).await?;
    let results = Arc::new(RoundResults::of(&instrument, &responses));
    let mut map = state
        .scan_results()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if map.len() >= KEPT {
        map.clear();
    }
    map.insert(r.id.clone(), (k, results.clone()));
    Ok(Some(results))
}
