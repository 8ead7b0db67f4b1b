//! Practice conversations: the student uploads a transcript, sees the analysis explained
//! utterance by utterance and their growth over conversations, and asks a lecturer, mentor or
//! fellow student for feedback; reviewers give it with a level of the counsellor profile.

use super::{Ctx, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::curriculum as access;
use crate::error::{WebError, WebResult, transcript_message};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::framework::Level;
use koers_domain::curriculum::transcript::{self, Analysis, Format, MarkKind, Utterance};
use koers_domain::policy::{Action, WorkRef};
use koers_store::curriculum::frameworks;
use koers_store::curriculum::practice::{self, Practice};
use koers_store::curriculum::reviews::{self, Feedback, ReviewRequest};

/// The counsellor-profile competence that feedback on practice conversations is given on.
const PROFILE: &str = "counsellor-profile";
const CONVERSATIONS: &str = "career-conversations";

/// One conversation in the list and growth chart.
pub struct Row {
    pub p: Practice,
    pub met: usize,
    pub student_pct: i64,
    pub open: u64,
    pub closed: u64,
}

#[derive(Default)]
pub struct UploadForm {
    pub title: String,
    pub format: String,
    pub counsellor: String,
    pub text: String,
    /// Speakers found in the transcript, offered when the counsellor's name did not match.
    pub speakers: Vec<String>,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    requests: Vec<ReviewRequest>,
    can_practise: bool,
    form: UploadForm,
    error: Option<String>,
}

fn row(p: Practice) -> Row {
    let parsed = Format::parse(&p.format).and_then(|f| {
        access::read_transcript(p.transcript.as_bytes(), f, &p.counsellor_speaker).ok()
    });
    let (met, student_pct, open, closed) = match parsed.map(|(_, a)| a) {
        Some(a) => (
            a.criteria.iter().filter(|c| c.met).count(),
            (a.student_share * 100.0).round() as i64,
            a.open_questions,
            a.closed_questions,
        ),
        None => (0, 0, 0, 0),
    };
    Row {
        p,
        met,
        student_pct,
        open,
        closed,
    }
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    form: UploadForm,
    error: Option<String>,
) -> WebResult<ListPage> {
    let t = a.tenant(state);
    let can_practise = a.actor.may(Action::WriteOwnWork);
    let rows = if can_practise {
        practice::for_person(t, &a.user.id)
            .await?
            .into_iter()
            .map(row)
            .collect()
    } else {
        Vec::new()
    };
    let requests = reviews::for_reviewer(t, &a.user.id)
        .await?
        .into_iter()
        .filter(|r| r.subject_kind == reviews::PRACTICE)
        .collect();
    Ok(ListPage {
        ctx: Ctx::user(a, "/practice", "practice"),
        rows,
        requests,
        can_practise,
        form: UploadForm {
            format: if form.format.is_empty() {
                "webvtt".into()
            } else {
                form.format
            },
            ..form
        },
        error,
    })
}

pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    Ok(render(
        &list_page(&state, &a, UploadForm::default(), None).await?,
    ))
}

/// Upload a transcript (file or pasted text). When the counsellor's name does not match a
/// speaker, the form comes back with the text kept and the speakers to choose from.
pub async fn upload(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::WriteOwnWork)?;
    let upload = crate::forms::Upload::read(mp).await?;
    let f = &upload.fields;
    let csrf = upload.csrf().to_owned();
    let mut form = UploadForm {
        title: f.get("title").trim().to_owned(),
        format: f.get("format").trim().to_owned(),
        counsellor: f.get("counsellor").trim().to_owned(),
        text: f.get("text").to_owned(),
        speakers: Vec::new(),
    };
    let file = upload.file;
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    let Some(format) = Format::parse(&form.format) else {
        let msg = a.tr.t("error-format-invalid");
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &list_page(&state, &a, form, Some(msg)).await?,
        ));
    };
    // A chosen file wins over pasted text; its text is kept in the form if something is wrong.
    let bytes = if file.is_empty() {
        form.text.clone().into_bytes()
    } else {
        file
    };
    match access::create_practice(&state, &a, &form.title, format, &bytes, &form.counsellor).await {
        Ok((p, _)) => Ok(Redirect::to(&format!("/practice/{}", p.id)).into_response()),
        Err(WebError::Transcript(e)) => {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                form.text = text.to_owned();
                if matches!(e.code, "counsellor-unknown" | "counsellor-missing")
                    && let Ok(turns) = transcript::parse(&bytes, format)
                {
                    form.speakers = transcript::speakers(&turns);
                }
            }
            let mut msg = transcript_message(&a.tr, &e);
            if let Some(l) = e.line {
                msg = format!("{} {msg}", a.tr.t1("practice-error-line", "line", l));
            }
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &list_page(&state, &a, form, Some(msg)).await?,
            ))
        }
        Err(WebError::Invalid(_)) => {
            let msg = a.tr.t("error-name-too-long");
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &list_page(&state, &a, form, Some(msg)).await?,
            ))
        }
        Err(e) => Err(e),
    }
}

/// One utterance with what it counted as.
pub struct Line {
    pub u: Utterance,
    pub counsellor: bool,
    pub marks: Vec<(MarkKind, String)>,
}

#[derive(Template)]
#[template(path = "practice_show.html")]
struct ShowPage {
    ctx: Ctx,
    p: Practice,
    a: Analysis,
    lines: Vec<Line>,
    own: bool,
    can_review: bool,
    levels: Vec<Level>,
    feedback: Vec<Feedback>,
    requests: Vec<ReviewRequest>,
    explanations: Vec<String>,
    message: Option<String>,
    lang: &'static str,
}

impl ShowPage {
    fn level_name(&self, key: &str) -> String {
        self.levels
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.name.get(self.lang).to_owned())
            .unwrap_or_default()
    }

    fn mark_label(&self, k: &MarkKind) -> String {
        match k {
            MarkKind::Competency(c) => self.ctx.tr.tk("competency", c.key()),
            MarkKind::OpenQuestion => self.ctx.tr.t("practice-mark-open"),
            MarkKind::ClosedQuestion => self.ctx.tr.t("practice-mark-closed"),
            MarkKind::Summary => self.ctx.tr.t("practice-mark-summary"),
            MarkKind::Experience => self.ctx.tr.t("practice-mark-experience"),
            MarkKind::Future => self.ctx.tr.t("practice-mark-future"),
            MarkKind::NextStep => self.ctx.tr.t("practice-mark-next-step"),
        }
    }

    fn pct(&self, f: &f64) -> i64 {
        (f * 100.0).round() as i64
    }
}

async fn counsellor_profile(
    state: &AppState,
    a: &Authenticated,
) -> WebResult<(Vec<Level>, Option<String>)> {
    let f = frameworks::by_key(a.tenant(state), PROFILE, None).await?;
    Ok(match f {
        Some(f) => {
            let id = f.competence_id(CONVERSATIONS).map(str::to_owned);
            (f.framework.levels, id)
        }
        None => (Vec::new(), None),
    })
}

async fn show_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    message: Option<String>,
) -> WebResult<ShowPage> {
    let (p, analysis, turns) = access::load_practice(state, a, id, false).await?;
    let t = a.tenant(state);
    let own = p.person_id == a.user.id;
    let (programme, asked) = access::work_ref_parts(state, a, &p.person_id, &p.id).await?;
    let can_review = !own
        && a.actor.may(Action::ReviewWork(WorkRef {
            owner_id: &p.person_id,
            programme_id: programme.as_deref(),
            asked,
        }));
    let mut lines: Vec<Line> = turns
        .into_iter()
        .map(|u| Line {
            counsellor: u.speaker == p.counsellor_speaker,
            u,
            marks: Vec::new(),
        })
        .collect();
    for m in &analysis.marks {
        if let Some(l) = lines.get_mut(m.utterance) {
            l.marks.push((m.kind, m.evidence.clone()));
        }
    }
    let explanations = analysis
        .criteria
        .iter()
        .map(|c| crate::curriculum::explanation(&a.tr, &analysis, c.key, c.met))
        .collect();
    let (levels, _) = counsellor_profile(state, a).await?;
    Ok(ShowPage {
        ctx: Ctx::user(a, "/practice", "practice"),
        feedback: reviews::feedback_for(t, &p.id).await?,
        requests: if own {
            reviews::requests_for(t, &p.id).await?
        } else {
            Vec::new()
        },
        p,
        a: analysis,
        lines,
        own,
        can_review,
        levels,
        explanations,
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

/// A reviewer's feedback: a level of the counsellor profile's conversation competence, and text.
pub async fn add_feedback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (p, _, _) = access::load_practice(&state, &a, &id, true).await?;
    if p.person_id == a.user.id {
        return Err(WebError::Forbidden);
    }
    let (levels, competence) = counsellor_profile(&state, &a).await?;
    let level = form.get("level").trim();
    let level = (!level.is_empty()).then_some(level);
    if level.is_some_and(|l| !levels.iter().any(|x| x.key == l)) {
        return Err(WebError::invalid("level", "required"));
    }
    let text = form.get("text").trim();
    if text.is_empty() && level.is_none() {
        let page = show_page(&state, &a, &id, Some(a.tr.t("practice-feedback-empty"))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    if text.chars().count() > 4000 {
        return Err(WebError::invalid("text", "text-too-long"));
    }
    reviews::add_feedback(
        a.tenant(&state),
        reviews::PRACTICE,
        &p.id,
        &a.user.id,
        competence.as_deref().filter(|_| level.is_some()),
        level,
        text,
    )
    .await?;
    Ok(Redirect::to(&format!("/practice/{}#h-feedback", p.id)).into_response())
}

/// The owner asks someone of the institution (by email) for feedback.
pub async fn ask_review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (p, _, _) = access::load_practice(&state, &a, &id, false).await?;
    if p.person_id != a.user.id {
        return Err(WebError::Forbidden);
    }
    if let Some(problem) = access::ask_review(
        &state,
        &a,
        reviews::PRACTICE,
        &p.id,
        form.get("email"),
        form.get("message"),
    )
    .await?
    {
        let page = show_page(&state, &a, &id, Some(problem)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    Ok(Redirect::to(&format!("/practice/{}#h-reviewers", p.id)).into_response())
}

/// The owner deletes a practice conversation (with its feedback).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let (p, _, _) = access::load_practice(&state, &a, &id, false).await?;
    if p.person_id != a.user.id {
        return Err(WebError::Forbidden);
    }
    practice::delete(a.tenant(&state), &p.id).await?;
    Ok(Redirect::to("/practice").into_response())
}
