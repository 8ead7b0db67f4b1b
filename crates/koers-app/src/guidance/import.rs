//! Importing students (CSV from the student information system) and study progress (BSA):
//! all or nothing, every error with its line.

use crate::{AppError, AppResult, Ctx, Done};
use koers_domain::Role;
use koers_domain::policy::{Action, Actor, Scope};
use koers_store::guidance::import::{self, Plan};

/// The programmes whose students the actor may import (`None`: all of the institution).
pub fn scope(actor: &Actor) -> Option<Vec<String>> {
    if actor.has_role(Role::Administrator) {
        return None;
    }
    match actor.scope_of(&[Role::ProgrammeManager]) {
        Some(Scope::Programmes(p)) => Some(p),
        Some(Scope::Institution) => None,
        None => Some(Vec::new()),
    }
}

/// Parse and check a students file: the plan, or every error.
pub async fn plan(cx: &Ctx<'_>, bytes: &[u8]) -> AppResult<Plan> {
    cx.require(Action::ImportStudents)?;
    let parsed = koers_domain::guidance::import::parse_file(bytes).map_err(AppError::Import)?;
    let scope = scope(cx.actor);
    let header_of = |c: &str| parsed.header(c);
    import::plan(
        cx.tenant(),
        parsed.rows.clone(),
        scope.as_deref(),
        &header_of,
    )
    .await?
    .map_err(AppError::Import)
}

/// Write a checked plan (in one transaction of the store), telling `progress` how far it is;
/// `run` names the background run it belongs to. Returns (created, updated).
pub async fn apply(
    cx: &Ctx<'_>,
    plan: &Plan,
    run: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> AppResult<Done<(usize, usize)>> {
    cx.require(Action::ImportStudents)?;
    let (created, updated) = import::apply(cx.tenant(), plan, Some(&cx.user.id), progress).await?;
    // The import writes tens of thousands of rows in its own transaction; its audit line
    // follows it (a crash in between loses the line, not the import).
    let mut details = serde_json::json!({"created": created, "updated": updated});
    if let Some(run) = run {
        details["run"] = run.into();
    }
    koers_store::platform::audit::record(cx.db, cx.change("student.import", &cx.user.id, details))
        .await?;
    Ok(Done::new((created, updated), Vec::new()))
}

/// Parse, check and write a study-progress (BSA) file: the number written, or every error.
pub async fn progress(cx: &Ctx<'_>, bytes: &[u8]) -> AppResult<Done<usize>> {
    cx.require(Action::ImportStudents)?;
    let rows = koers_domain::guidance::progress_import::parse(bytes).map_err(AppError::Import)?;
    let scope = scope(cx.actor);
    let created = koers_store::guidance::records::import_progress(
        cx.tenant(),
        &rows,
        scope.as_deref(),
        koers_domain::time::today(),
    )
    .await?
    .map_err(AppError::Import)?;
    koers_store::platform::audit::record(
        cx.db,
        cx.change(
            "student.progress.import",
            &cx.user.id,
            serde_json::json!({"created": created}),
        ),
    )
    .await?;
    Ok(Done::new(created, Vec::new()))
}
