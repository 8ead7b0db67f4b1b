//! Importing students in the browser: upload a CSV, see a preview (or every error with its
//! line and column), then confirm. Nothing is written before the confirmation, and then all
//! lines or none. The confirmed import runs in the background; its page shows the progress
//! (updated by script, or on reload without it) and then the result.

use super::{Ctx, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult, import_message};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::guidance::import as importing;
use koers_domain::policy::Action;
use koers_store::guidance::import;
use koers_store::platform::import_runs::{self, ImportRun, RunStatus};

const KIND: &str = "students";

/// One problem as shown in the table.
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// One line of the preview.
pub struct PreviewRow {
    pub line: u64,
    pub student_number: String,
    pub name: String,
    pub email: String,
    pub programme: String,
    pub cohort: i32,
    pub action: &'static str,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: Ctx,
    problems: Vec<Problem>,
    filename: String,
    preview: Option<Preview>,
    done: Option<(u64, u64)>,
    scoped: bool,
    runs: Vec<ImportRun>,
    /// The problems are those of a study-progress (BSA) file.
    progress_file: bool,
    /// BSA signals just written.
    progress_done: Option<u64>,
}

pub struct Preview {
    pub upload_id: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub new_cohorts: Vec<(String, i64)>,
    pub rows: Vec<PreviewRow>,
    pub more: usize,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    created: Option<u64>,
    updated: Option<u64>,
    progress: Option<u64>,
}

fn page(a: &Authenticated) -> ImportPage {
    ImportPage {
        ctx: Ctx::user(a, "/students/import", "students"),
        problems: Vec::new(),
        filename: String::new(),
        preview: None,
        done: None,
        scoped: importing::scope(&a.actor).is_some(),
        runs: Vec::new(),
        progress_file: false,
        progress_done: None,
    }
}

/// Whether `a` may follow a run: the one who started it, or an administrator.
fn may_see(a: &Authenticated, run: &ImportRun) -> bool {
    run.user_id.as_deref() == Some(a.user.id.as_str())
        || a.actor.has_role(koers_domain::Role::Administrator)
}

pub async fn form(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    a.require(Action::ImportStudents)?;
    let mut p = page(&a);
    if let (Some(c), Some(u)) = (q.created, q.updated) {
        p.done = Some((c, u));
    }
    p.progress_done = q.progress;
    p.runs = import_runs::recent(a.tenant(&state), KIND, 10)
        .await?
        .into_iter()
        .filter(|r| may_see(&a, r))
        .collect();
    Ok(render(&p))
}

/// A CSV with the headers and one example line, to fill in.
pub async fn template(WebUser(a): WebUser) -> WebResult<Response> {
    a.require(Action::ImportStudents)?;
    let body = "\u{feff}studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort;loopbaanbegeleider\r\n\
                123456;Sanne;van den;Berg;sanne.vandenberg@student.example.nl;LO-ECO;2026;\r\n";
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"studenten-voorbeeld.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub(crate) fn problems(
    a: &Authenticated,
    errors: &[koers_domain::guidance::import::ImportError],
) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| Problem {
            line: e.line,
            column: e.column.clone().unwrap_or_default(),
            message: import_message(&a.tr, e),
        })
        .collect()
}

/// Read the multipart upload: the CSRF token, the file's name and its bytes.
async fn read_upload(
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<(String, String, Vec<u8>)> {
    let u = crate::forms::Upload::read(mp).await?;
    Ok((u.csrf().to_owned(), u.file_name, u.file))
}

pub async fn upload(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::ImportStudents)?;
    let (csrf, filename, bytes) = read_upload(mp).await?;
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    let mut p = page(&a);
    p.filename = filename.clone();
    match importing::plan(&a.cx(&state), &bytes).await {
        Ok(plan) => {
            let text = koers_domain::guidance::import::decode(&bytes);
            let upload_id =
                import::save_upload(a.tenant(&state), &a.user.id, KIND, &filename, &text).await?;
            let rows = plan
                .rows
                .iter()
                .take(25)
                .map(|r| PreviewRow {
                    line: r.row.line,
                    student_number: r.row.student_number.clone(),
                    name: r.row.display_name(),
                    email: r.row.email.as_str().to_owned(),
                    programme: r.row.programme.as_str().to_owned(),
                    cohort: r.row.cohort.get(),
                    action: match (&r.existing, r.changes) {
                        (None, _) => "new",
                        (Some(_), true) => "update",
                        (Some(_), false) => "unchanged",
                    },
                })
                .collect();
            p.preview = Some(Preview {
                upload_id,
                created: plan.created(),
                updated: plan.updated(),
                unchanged: plan.unchanged(),
                more: plan.rows.len().saturating_sub(25),
                new_cohorts: plan.new_cohorts.clone(),
                rows,
            });
            Ok(render(&p))
        }
        Err(AppError::Import(errors)) => {
            p.problems = problems(&a, &errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}

/// Upload a study-progress (BSA) file: written at once when every line is valid (it only
/// adds signals), otherwise every problem is shown and nothing is written.
pub async fn upload_progress(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    headers: axum::http::HeaderMap,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::ImportStudents)?;
    let (csrf, filename, bytes) = read_upload(mp).await?;
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    match importing::progress(&a.cx(&state), &bytes).await {
        Ok(done) => {
            let n = crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/students/import?progress={n}")).into_response())
        }
        Err(AppError::Import(errors)) => {
            let mut p = page(&a);
            p.filename = filename;
            p.progress_file = true;
            p.problems = problems(&a, &errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ImportStudents)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(&state);
    let (filename, content) = import::get_upload(t, &id, &a.user.id, KIND)
        .await?
        .ok_or(WebError::NotFound)?;
    // Checked again: the database may have changed since the preview.
    let plan = importing::plan(&a.cx(&state), content.as_bytes()).await?;
    let run = import_runs::start(t, &a.user.id, KIND, &filename, plan.rows.len()).await?;
    import::delete_upload(t, &id).await?;
    state.set_progress(&run, Some((0, plan.rows.len())));
    let (state2, run2) = (state.clone(), run.clone());
    tokio::spawn(async move { write_in_background(state2, a, plan, run2).await });
    Ok(Redirect::to(&format!("/students/import/runs/{run}")).into_response())
}

/// Write a confirmed plan (all or nothing), keeping the run's progress and result.
async fn write_in_background(state: AppState, a: Authenticated, plan: import::Plan, run: String) {
    let t = a.tenant(&state);
    let progress = |done: usize, total: usize| state.set_progress(&run, Some((done, total)));
    let result = importing::apply(&a.cx(&state), &plan, Some(&run), &progress).await;
    let ended = match result {
        Ok(done) => {
            let (created, updated) = done.value;
            import_runs::finish(t, &run, created, updated).await
        }
        Err(e) => {
            tracing::error!(error = %e, run = %run, "student import failed; nothing was written");
            import_runs::fail(t, &run, "database").await
        }
    };
    if let Err(e) = ended {
        tracing::error!(error = %e, run = %run, "recording the end of an import failed");
    }
    state.set_progress(&run, None);
}

#[derive(Template)]
#[template(path = "import_run.html")]
struct RunPage {
    ctx: Ctx,
    run: ImportRun,
    /// Lines written so far (known on the instance that runs it), and in all.
    done: usize,
    total: usize,
}

async fn load_run(state: &AppState, a: &Authenticated, id: &str) -> WebResult<ImportRun> {
    a.require(Action::ImportStudents)?;
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let run = import_runs::get(a.tenant(state), id)
        .await?
        .filter(|r| r.kind == KIND && may_see(a, r))
        .ok_or(WebError::NotFound)?;
    Ok(run)
}

/// The page of one run: progress while it runs, then the result.
pub async fn run(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let run = load_run(&state, &a, &id).await?;
    let (done, total) = state
        .progress(&run.id)
        .unwrap_or((0, run.total.max(0) as usize));
    Ok(render(&RunPage {
        ctx: Ctx::user(&a, "/students/import", "students"),
        run,
        done,
        total,
    }))
}

#[derive(serde::Serialize)]
pub struct RunProgress {
    status: RunStatus,
    done: usize,
    total: usize,
}

/// The progress of a run as JSON, for the script on its page.
pub async fn run_progress(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let run = load_run(&state, &a, &id).await?;
    let total = run.total.max(0) as usize;
    let (done, total) = match run.status {
        RunStatus::Running => state.progress(&run.id).unwrap_or((0, total)),
        _ => (total, total),
    };
    Ok(axum::Json(RunProgress {
        status: run.status,
        done,
        total,
    })
    .into_response())
}
