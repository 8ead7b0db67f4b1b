//! The HRM-scan instrument: versions of the questionnaire, imported or edited.

use crate::{AppError, AppResult, Ctx, Done};
use koers_domain::policy::Action;
use koers_domain::staff::scan::Instrument;
use koers_store::staff::scans;

/// Keep a checked document as the new current version (`origin`: how it came: `imported`,
/// `edited`); a conflict when that version exists.
pub async fn keep(cx: &Ctx<'_>, i: &Instrument, origin: &str) -> AppResult<Done<String>> {
    cx.require(Action::RunHrmScan)?;
    let mut tx = cx.begin().await?;
    let id = match scans::store_instrument(&mut tx, i, origin).await {
        Err(koers_store::StoreError::Conflict(_)) => {
            return Err(AppError::Conflict("instrument version"));
        }
        r => r?,
    };
    tx.audit(cx.change(
        "hrm_instrument.store",
        &id,
        serde_json::json!({"version": i.version, "origin": origin}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new(id, Vec::new()))
}
