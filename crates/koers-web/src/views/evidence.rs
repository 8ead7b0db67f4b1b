//! Evidence and assessment: the student adds evidence (text, link or file) to competences of
//! any framework and asks for an assessment; assessors pick a rubric level and write
//! feedback; a lecturer of the student's programme signs off the competence. The student sees
//! progress per framework; lecturers see the progress of a group.

use super::{Ctx, FieldMsg, field_msgs, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::curriculum as access;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::evidence::{EvidenceInput, sniff};
use koers_domain::curriculum::framework::{Competence, Level};
use koers_domain::policy::{Action, WorkRef};
use koers_store::curriculum::evidence::{self, Evidence, SignOff};
use koers_store::curriculum::frameworks::{self, CompetenceRef, FrameworkSummary, StoredFramework};
use koers_store::curriculum::reviews::{self, Feedback, ReviewRequest};

/// Progress in one framework.
pub struct FrameworkProgress {
    pub f: FrameworkSummary,
    pub competences: Vec<CompetenceRef>,
    pub evidenced: usize,
    pub signed: usize,
}

#[derive(Default)]
pub struct EvidenceForm {
    pub competence: String,
    pub title: String,
    pub body: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct ListPage {
    ctx: Ctx,
    progress: Vec<FrameworkProgress>,
    items: Vec<Evidence>,
    names: Vec<CompetenceRef>,
    sign_offs: Vec<SignOff>,
    requests: Vec<ReviewRequest>,
    can_write: bool,
    form: EvidenceForm,
    errors: Vec<FieldMsg>,
    lang: &'static str,
}

impl ListPage {
    fn competence_name(&self, id: &str) -> String {
        self.names
            .iter()
            .find(|c| c.id == id)
            .map(|c| {
                format!(
                    "{} ({})",
                    c.name.get(self.lang),
                    c.framework_name.get(self.lang)
                )
            })
            .unwrap_or_default()
    }

    fn is_signed(&self, id: &str) -> bool {
        self.sign_offs.iter().any(|s| s.competence_id == id)
    }
}

/// Open to everyone logged in: students see their own evidence, and anyone asked to assess
/// (placement mentors too) finds the requests here.
async fn list_page(
    state: &AppState,
    a: &Authenticated,
    form: EvidenceForm,
    errors: Vec<FieldMsg>,
) -> WebResult<ListPage> {
    let t = a.tenant(state);
    let can_write = a.actor.may(Action::WriteOwnWork);
    let (items, sign_offs) = if can_write {
        (
            evidence::for_person(t, &a.user.id).await?,
            evidence::sign_offs(t, &a.user.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut progress = Vec::new();
    let mut names = Vec::new();
    let shown = if can_write {
        frameworks::list(t).await?
    } else {
        Vec::new()
    };
    for f in shown {
        let competences = frameworks::competences_of(t, std::slice::from_ref(&f.id)).await?;
        let evidenced = competences
            .iter()
            .filter(|c| items.iter().any(|e| e.competence_id == c.id))
            .count();
        let signed = competences
            .iter()
            .filter(|c| sign_offs.iter().any(|s| s.competence_id == c.id))
            .count();
        names.extend(competences.iter().cloned());
        progress.push(FrameworkProgress {
            f,
            competences,
            evidenced,
            signed,
        });
    }
    // Evidence may belong to an earlier framework version: name those competences too.
    let missing: Vec<String> = items
        .iter()
        .filter(|e| !names.iter().any(|c| c.id == e.competence_id))
        .map(|e| e.competence_id.clone())
        .collect();
    names.extend(frameworks::competences(t, &missing).await?);
    let requests = reviews::for_reviewer(t, &a.user.id)
        .await?
        .into_iter()
        .filter(|r| r.subject_kind == reviews::EVIDENCE)
        .collect();
    Ok(ListPage {
        ctx: Ctx::user(a, "/evidence", "evidence"),
        progress,
        items,
        names,
        sign_offs,
        requests,
        can_write,
        form,
        errors,
        lang: a.tr.lang(),
    })
}

pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    Ok(render(
        &list_page(&state, &a, EvidenceForm::default(), Vec::new()).await?,
    ))
}

/// Add evidence: text, a link and/or a file (checked by content and size).
pub async fn create(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::WriteOwnWork)?;
    let upload = crate::forms::Upload::read(mp).await?;
    let f = &upload.fields;
    let csrf = upload.csrf().to_owned();
    let form = EvidenceForm {
        competence: f.get("competence").to_owned(),
        title: f.get("title").to_owned(),
        body: f.get("body").to_owned(),
        link: f.get("link").to_owned(),
    };
    let (file_name, file) = (upload.file_name, upload.file);
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    let t = a.tenant(&state);
    let mut errors = Vec::new();
    let competence_ok = koers_domain::is_id(&form.competence)
        && !frameworks::competences(t, std::slice::from_ref(&form.competence))
            .await?
            .is_empty();
    if !competence_ok {
        errors.push(koers_domain::FieldError::new(
            "competence",
            "competence-unknown",
        ));
    }
    let content_type = if file.is_empty() {
        None
    } else {
        match sniff(&file_name, &file) {
            Ok(ct) => Some(ct),
            Err(code) => {
                errors.push(koers_domain::FieldError::new("file", code));
                None
            }
        }
    };
    let input = EvidenceInput::parse(&form.title, &form.body, &form.link, content_type.is_some())
        .map_err(|e| errors.extend(e))
        .ok();
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        let page = list_page(&state, &a, form, field_msgs(&a.tr, &errors)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let safe_name: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '/' | '\\'))
        .take(200)
        .collect();
    let id = evidence::create(
        t,
        &evidence::NewEvidence {
            person_id: &a.user.id,
            competence_id: &form.competence,
            title: &input.title,
            body: &input.body,
            link: input.link.as_deref(),
            file: content_type.map(|ct| evidence::NewFile {
                name: if safe_name.is_empty() {
                    "bestand"
                } else {
                    &safe_name
                },
                content_type: ct,
                data: &file,
            }),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/evidence/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "evidence_show.html")]
struct ShowPage {
    ctx: Ctx,
    e: Evidence,
    competence: Competence,
    framework: StoredFramework,
    feedback: Vec<Feedback>,
    requests: Vec<ReviewRequest>,
    sign_off: Option<SignOff>,
    own: bool,
    can_assess: bool,
    can_sign: bool,
    message: Option<String>,
    lang: &'static str,
}

impl ShowPage {
    fn level_name(&self, key: &str) -> String {
        self.framework
            .framework
            .levels
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.name.get(self.lang).to_owned())
            .unwrap_or_else(|| key.to_owned())
    }

    fn levels(&self) -> &[Level] {
        &self.framework.framework.levels
    }
}

async fn show_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    message: Option<String>,
) -> WebResult<ShowPage> {
    let e = access::load_evidence(state, a, id, false).await?;
    let t = a.tenant(state);
    let refs = frameworks::competences(t, std::slice::from_ref(&e.competence_id)).await?;
    let r = refs.into_iter().next().ok_or(WebError::NotFound)?;
    let framework = frameworks::by_id(t, &r.framework_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let competence = framework
        .framework
        .competences
        .iter()
        .find(|c| c.key == r.key)
        .cloned()
        .ok_or(WebError::NotFound)?;
    let own = e.person_id == a.user.id;
    let (programme, asked) = access::work_ref_parts(state, a, &e.person_id, &e.id).await?;
    let w = WorkRef {
        owner_id: &e.person_id,
        programme_id: programme.as_deref(),
        asked,
    };
    let can_assess = !own && a.actor.may(Action::ReviewWork(w));
    let can_sign = !own
        && a.actor.may(Action::SignOff {
            programme_id: programme.as_deref(),
        });
    let sign_off = evidence::sign_offs(t, &e.person_id)
        .await?
        .into_iter()
        .find(|s| s.competence_id == e.competence_id);
    Ok(ShowPage {
        ctx: Ctx::user(a, "/evidence", "evidence"),
        feedback: reviews::feedback_for(t, &e.id).await?,
        requests: if own {
            reviews::requests_for(t, &e.id).await?
        } else {
            Vec::new()
        },
        e,
        competence,
        framework,
        sign_off,
        own,
        can_assess,
        can_sign,
        message,
        lang: a.tr.lang(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    Ok(render(&show_page(&state, &a, &id, None).await?))
}

/// The evidence file, always as a download (never shown inline in Koers's origin).
pub async fn file(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let e = access::load_evidence(&state, &a, &id, false).await?;
    let fid = e.file_id.ok_or(WebError::NotFound)?;
    let (name, ct, data) = evidence::file(a.tenant(&state), &fid)
        .await?
        .ok_or(WebError::NotFound)?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        data,
    )
        .into_response())
}

/// The rubric levels of a competence (those of its framework version).
async fn levels_of(
    state: &AppState,
    a: &Authenticated,
    competence_id: &str,
) -> WebResult<Vec<Level>> {
    let t = a.tenant(state);
    let r = frameworks::competences(t, &[competence_id.to_owned()])
        .await?
        .into_iter()
        .next()
        .ok_or(WebError::NotFound)?;
    let f = frameworks::by_id(t, &r.framework_id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(f.framework.levels)
}

/// An assessor's judgement: a level of the competence's rubric and feedback.
pub async fn assess(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = access::load_evidence(&state, &a, &id, true).await?;
    if e.person_id == a.user.id {
        return Err(WebError::Forbidden);
    }
    let level = form.get("level").trim();
    let text = form.get("text").trim();
    if !levels_of(&state, &a, &e.competence_id)
        .await?
        .iter()
        .any(|l| l.key == level)
    {
        let page = show_page(&state, &a, &id, Some(a.tr.t("evidence-level-required"))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    if text.chars().count() > 4000 {
        return Err(WebError::invalid("text", "text-too-long"));
    }
    reviews::add_feedback(
        a.tenant(&state),
        reviews::EVIDENCE,
        &e.id,
        &a.user.id,
        Some(&e.competence_id),
        Some(level),
        text,
    )
    .await?;
    Ok(Redirect::to(&format!("/evidence/{}#h-assessments", e.id)).into_response())
}

/// A lecturer of the student's programme signs off the competence at a level.
pub async fn sign_off(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let page = show_page(&state, &a, &id, None).await?;
    if !page.can_sign {
        return Err(WebError::Forbidden);
    }
    let level = form.get("level").trim();
    if !page.levels().iter().any(|l| l.key == level) {
        let page = show_page(&state, &a, &id, Some(a.tr.t("evidence-level-required"))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    evidence::sign_off(
        a.tenant(&state),
        &page.e.person_id,
        &page.e.competence_id,
        level,
        &a.user.id,
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "competence.sign_off",
        &page.e.person_id,
        serde_json::json!({"competence_id": page.e.competence_id, "level": level}),
    )
    .await?;
    // The last competence of a framework signed off: the student gets an Open Badge.
    crate::badges::award_after_change(
        &state,
        &headers,
        &a.user.institution_id,
        std::slice::from_ref(&page.e.person_id),
    )
    .await;
    Ok(Redirect::to(&format!("/evidence/{}#h-signoff", page.e.id)).into_response())
}

pub async fn ask_review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = access::load_evidence(&state, &a, &id, false).await?;
    if e.person_id != a.user.id {
        return Err(WebError::Forbidden);
    }
    if let Some(problem) = access::ask_review(
        &state,
        &a,
        reviews::EVIDENCE,
        &e.id,
        form.get("email"),
        form.get("message"),
    )
    .await?
    {
        let page = show_page(&state, &a, &id, Some(problem)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    Ok(Redirect::to(&format!("/evidence/{}#h-ask", e.id)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let e = access::load_evidence(&state, &a, &id, false).await?;
    if e.person_id != a.user.id {
        return Err(WebError::Forbidden);
    }
    evidence::delete(a.tenant(&state), &e).await?;
    Ok(Redirect::to("/evidence").into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct GroupQuery {
    #[serde(default)]
    cohort: String,
}

/// One student's row in the group overview.
pub struct GroupRow {
    pub user_id: String,
    pub name: String,
    /// (framework key, signed, evidenced)
    pub counts: Vec<(String, i64, i64)>,
}

#[derive(Template)]
#[template(path = "evidence_group.html")]
struct GroupPage {
    ctx: Ctx,
    programme: koers_store::platform::programmes::Programme,
    frameworks: Vec<FrameworkSummary>,
    rows: Vec<GroupRow>,
    cohort: String,
    lang: &'static str,
}

impl GroupPage {
    fn count(&self, row: &GroupRow, key: &str) -> (i64, i64) {
        row.counts
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or((0, 0), |(_, s, e)| (*s, *e))
    }
}

/// Lecturers of a programme (and its managers) see the progress of a group.
pub async fn group(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
    Query(q): Query<GroupQuery>,
) -> WebResult<Response> {
    let t = a.tenant(&state);
    let programme = koers_store::platform::programmes::by_code(t, &code)
        .await?
        .ok_or(WebError::NotFound)?;
    if !(a.actor.may(Action::SignOff {
        programme_id: Some(&programme.id),
    }) || a
        .actor
        .has_role_for(koers_domain::Role::ProgrammeManager, &programme.id))
    {
        return Err(WebError::Forbidden);
    }
    let cohort = q.cohort.trim().parse::<i64>().ok();
    let mut rows: Vec<GroupRow> = Vec::new();
    for (user_id, name, key, signed, evidenced) in
        evidence::group_progress(t, &programme.id, cohort).await?
    {
        match rows.last_mut() {
            Some(r) if r.user_id == user_id => r.counts.push((key, signed, evidenced)),
            _ => rows.push(GroupRow {
                user_id,
                name,
                counts: vec![(key, signed, evidenced)],
            }),
        }
    }
    Ok(render(&GroupPage {
        ctx: Ctx::user(&a, "/learning-line", "curriculum"),
        frameworks: frameworks::list(t).await?,
        programme,
        rows,
        cohort: cohort.map(|c| c.to_string()).unwrap_or_default(),
        lang: a.tr.lang(),
    }))
}
