//! Versions of the LOB vision (of the institution or a programme): a draft is proposed and
//! adopted; adopting archives the version adopted before.

use crate::{AppError, AppResult, Ctx, Done};
use koers_domain::policy::Action;
use koers_domain::vision::{self, Document, Status};
use koers_store::platform::programmes::{self, Programme};
use koers_store::vision as store;

/// The programme of a `programme` code (none: the institution).
pub async fn scope_of(cx: &Ctx<'_>, code: Option<&str>) -> AppResult<Option<Programme>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => Ok(Some(
            programmes::by_code(cx.tenant(), &c.to_uppercase())
                .await?
                .ok_or_else(|| AppError::invalid("programme", "programme-unknown"))?,
        )),
    }
}

/// The first problem of a document, on the form field it belongs to.
fn check(doc: &Document, note: &str) -> AppResult<()> {
    let problems = vision::check(doc);
    if let Some((path, code)) = problems.first() {
        let field = if path.starts_with("ambitions") {
            "ambitions"
        } else if path == "principles" {
            "principles"
        } else {
            "mission"
        };
        return Err(AppError::invalid(field, code));
    }
    if note.chars().count() > 1000 {
        return Err(AppError::invalid("note", "too-long"));
    }
    Ok(())
}

/// Keep a new draft version; returns its number.
pub async fn add(
    cx: &Ctx<'_>,
    programme_id: Option<&str>,
    doc: &Document,
    note: &str,
) -> AppResult<Done<i64>> {
    cx.require(Action::ManageVision { programme_id })?;
    check(doc, note)?;
    let mut tx = cx.begin().await?;
    let n = store::create(&mut tx, programme_id, doc, note.trim(), &cx.user.id).await?;
    tx.audit(cx.change(
        "vision.create",
        &n.to_string(),
        serde_json::json!({"programme_id": programme_id}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new(n, Vec::new()))
}

/// Move a version along the workflow to the status `to` names (a conflict when the step is
/// not allowed).
pub async fn step(
    cx: &Ctx<'_>,
    programme_id: Option<&str>,
    version: i64,
    to: &str,
) -> AppResult<Done<()>> {
    cx.require(Action::ManageVision { programme_id })?;
    if store::get(cx.tenant(), programme_id, version)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let to = Status::parse(to.trim()).ok_or(AppError::invalid("to", "status-invalid"))?;
    let mut tx = cx.begin().await?;
    match store::set_status(&mut tx, programme_id, version, to, &cx.user.id).await {
        Err(koers_store::StoreError::Conflict(_)) => {
            return Err(AppError::Conflict("vision status"));
        }
        r => r?,
    }
    tx.audit(cx.change(
        &format!("vision.{}", to.key()),
        &version.to_string(),
        serde_json::json!({"programme_id": programme_id}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new((), Vec::new()))
}
