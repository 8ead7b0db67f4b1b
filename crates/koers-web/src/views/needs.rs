//! Field needs and the alignment matrix in the browser. School coordinators submit their
//! organisation's needs and read the institute's triage; the institute triages them with a
//! status and rationale, reads the matrix of needs × activities and offer (with the gap list,
//! the field survey beside it and a CSV download), and sets an alignment status by hand with a
//! reason where the competences do not tell the whole story.

use super::csv::Csv;
use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::field::{self as access, Matrix};
use crate::forms::{FormData, SignedForm};
use crate::staff::CompetenceOption;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::field::needs::visible as visible_needs;
use koers_domain::FieldError;
use koers_domain::field::alignment::Alignment;
use koers_domain::field::input::NeedDraft;
use koers_domain::field::{NeedStatus, Urgency};
use koers_domain::policy::Action;
use koers_store::field::needs::{self, Need};
use koers_store::field::partners::{self, Partner};

#[derive(Template)]
#[template(path = "needs.html")]
struct NeedsPage {
    ctx: Ctx,
    needs: Vec<Need>,
    can_triage: bool,
    can_submit: bool,
    /// The institute chooses the partner; a school coordinator submits for their own.
    partners: Vec<Partner>,
    options: Vec<CompetenceOption>,
    urgencies: &'static [Urgency],
    statuses: &'static [NeedStatus],
    errors: Vec<FieldMsg>,
    fields: FormData,
}

impl NeedsPage {
    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map_or(key, |o| o.label.as_str())
    }
    fn chosen(&self, key: &str) -> bool {
        self.fields.all("competence").contains(&key)
    }
}

async fn needs_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
    fields: FormData,
) -> WebResult<Response> {
    let needs = visible_needs(&a.cx(state)).await?;
    let can_triage = a.actor.may(Action::ManageField);
    let can_submit = can_triage || a.actor.has_role(koers_domain::Role::PartnerCoordinator);
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &NeedsPage {
            ctx: Ctx::user(a, "/field-needs", "field").with_flash(flash),
            needs,
            can_triage,
            can_submit,
            partners: if can_triage {
                partners::list(a.tenant(state)).await?
            } else {
                Vec::new()
            },
            options: koers_app::competences::options(&a.cx(state)).await?,
            urgencies: Urgency::ALL,
            statuses: NeedStatus::ALL,
            errors,
            fields,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    needs_page(&state, &a, q.ok.as_deref(), Vec::new(), FormData::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let draft = NeedDraft {
        partner_id: form.get("partner").to_owned(),
        topic: form.get("topic").to_owned(),
        description: form.get("description").to_owned(),
        competences: form
            .all("competence")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        urgency: form.get("urgency").to_owned(),
        teachers: form.get("teachers").to_owned(),
    };
    match koers_app::field::needs::submit(&a.cx(&state), &draft).await {
        Ok(done) => {
            finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to("/field-needs?ok=created").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            needs_page(&state, &a, None, msgs, form).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn need_for_triage(state: &AppState, a: &Authenticated, id: &str) -> WebResult<Need> {
    a.require(Action::ManageField)?;
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    needs::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)
}

/// The institute's triage: a status and the rationale the partner reads.
pub async fn triage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let n = need_for_triage(&state, &a, &id).await?;
    let Some(status) = NeedStatus::parse(form.get("status")) else {
        let msgs = field_msgs(&a.tr, &[FieldError::new("status", "status-invalid")]);
        return needs_page(&state, &a, None, msgs, FormData::default()).await;
    };
    let rationale = form.get("rationale").trim();
    if rationale.chars().count() > 2000 {
        let msgs = field_msgs(&a.tr, &[FieldError::new("rationale", "too-long")]);
        return needs_page(&state, &a, None, msgs, FormData::default()).await;
    }
    needs::triage(a.tenant(&state), &n.id, status, rationale).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "field_need.triage",
        &n.id,
        serde_json::json!({"status": status.key()}),
    )
    .await?;
    Ok(Redirect::to("/field-needs?ok=saved").into_response())
}

#[derive(Template)]
#[template(path = "alignment.html")]
struct AlignmentPage {
    ctx: Ctx,
    m: Matrix,
    options: Vec<CompetenceOption>,
    survey: Option<koers_store::field::survey::Results>,
    statuses: &'static [Alignment],
    errors: Vec<FieldMsg>,
}

impl AlignmentPage {
    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map_or(key, |o| o.label.as_str())
    }
    fn covers(&self, need: &koers_domain::field::alignment::Row, source: &usize) -> bool {
        need.covered_by.contains(source)
    }
    fn gaps(&self) -> Vec<&(Need, koers_domain::field::alignment::Row)> {
        self.m.gaps()
    }
    fn is_override(&self, n: &Need, s: &Alignment) -> bool {
        n.alignment_override == Some(*s)
    }
    fn rating(&self, mean: &f64) -> String {
        format!("{mean:.1}")
    }
}

async fn alignment_page(
    state: &AppState,
    a: &Authenticated,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    a.require(Action::ViewField)?;
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &AlignmentPage {
            ctx: Ctx::user(a, "/alignment", "field"),
            m: access::matrix(state, a).await?,
            options: koers_app::competences::options(&a.cx(state)).await?,
            survey: koers_store::field::survey::latest(a.tenant(state)).await?,
            statuses: Alignment::ALL,
            errors,
        },
    ))
}

pub async fn alignment(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    alignment_page(&state, &a, Vec::new()).await
}

/// The matrix as CSV for Dutch Excel: one row per need.
pub async fn alignment_csv(
    State(state): State<AppState>,
    WebUser(a): WebUser,
) -> WebResult<Response> {
    a.require(Action::ViewField)?;
    let m = access::matrix(&state, &a).await?;
    let tr = a.tr;
    let mut out = Csv::new();
    out.row([
        tr.t("need-topic"),
        tr.t("need-partner"),
        tr.t("need-urgency"),
        tr.t("need-teachers"),
        tr.t("alignment-status"),
        tr.t("alignment-covered-by"),
        tr.t("alignment-missing"),
    ]);
    for (n, r) in &m.needs {
        let by: Vec<&str> = r
            .covered_by
            .iter()
            .map(|i| m.sources[*i].title.as_str())
            .collect();
        out.row([
            n.topic.clone(),
            n.partner_name.clone(),
            tr.tk("urgency", n.urgency.key()),
            n.teachers.to_string(),
            tr.tk("alignment", r.status.key()),
            by.join(", "),
            r.missing.join(", "),
        ]);
    }
    Ok(out.response("afstemming-werkveld.csv"))
}

/// Set (or clear) an alignment status by hand, with a reason.
pub async fn set_alignment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let n = need_for_triage(&state, &a, &id).await?;
    let status = match form.get("status") {
        "" => None,
        s => match Alignment::parse(s) {
            Some(x) => Some(x),
            None => {
                let msgs = field_msgs(&a.tr, &[FieldError::new("status", "status-invalid")]);
                return alignment_page(&state, &a, msgs).await;
            }
        },
    };
    let reason = form.get("reason").trim();
    if status.is_some() && (reason.is_empty() || reason.chars().count() > 1000) {
        let msgs = field_msgs(
            &a.tr,
            &[FieldError::new("reason", "alignment-reason-required")],
        );
        return alignment_page(&state, &a, msgs).await;
    }
    needs::set_alignment(a.tenant(&state), &n.id, status, reason).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "field_need.alignment",
        &n.id,
        serde_json::json!({"status": status.map(Alignment::key)}),
    )
    .await?;
    Ok(Redirect::to("/alignment#h-matrix").into_response())
}

#[derive(Template)]
#[template(path = "field_survey.html")]
struct SurveyPage {
    ctx: Ctx,
    year: i64,
    partner: Partner,
    /// (competence key, label, the rating given this year)
    items: Vec<(String, String, Option<i64>)>,
    errors: Vec<FieldMsg>,
}

impl SurveyPage {
    fn is(&self, given: &Option<i64>, v: &i64) -> bool {
        *given == Some(*v)
    }
}

/// The school coordinator's organisation (the survey is theirs to fill in).
async fn survey_partner(state: &AppState, a: &Authenticated) -> WebResult<Partner> {
    if !a.actor.has_role(koers_domain::Role::PartnerCoordinator) {
        return Err(WebError::Forbidden);
    }
    let own = access::own_partner(state, a)
        .await?
        .ok_or(WebError::Forbidden)?;
    partners::get(a.tenant(state), &own)
        .await?
        .ok_or(WebError::NotFound)
}

async fn survey_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let partner = survey_partner(state, a).await?;
    let t = a.tenant(state);
    let year = i64::from(koers_domain::time::today().year());
    let given = koers_store::field::survey::of_partner(t, &partner.id, year).await?;
    let items = koers_app::competences::options(&a.cx(state))
        .await?
        .into_iter()
        .filter(|o| o.key.starts_with("counsellor-profile/"))
        .map(|o| {
            let r = given.iter().find(|(k, _)| *k == o.key).map(|(_, r)| *r);
            (o.key, o.label, r)
        })
        .collect();
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &SurveyPage {
            ctx: Ctx::user(a, "/field-survey", "field").with_flash(flash),
            year,
            partner,
            items,
            errors,
        },
    ))
}

pub async fn survey(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    survey_page(&state, &a, q.ok.as_deref(), Vec::new()).await
}

/// The school coordinator rates graduates' LOB competence per competence (1..5) for this year.
pub async fn save_survey(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let partner = survey_partner(&state, &a).await?;
    let keys: Vec<String> = koers_app::competences::options(&a.cx(&state))
        .await?
        .into_iter()
        .filter(|o| o.key.starts_with("counsellor-profile/"))
        .map(|o| o.key)
        .collect();
    let mut ratings = Vec::new();
    for k in &keys {
        match form.get(k) {
            "" => {}
            v => match v.parse::<i64>() {
                Ok(r) if (1..=5).contains(&r) => ratings.push((k, r)),
                _ => {
                    let msgs = field_msgs(&a.tr, &[FieldError::new("rating", "rating-invalid")]);
                    return survey_page(&state, &a, None, msgs).await;
                }
            },
        }
    }
    if ratings.is_empty() {
        let msgs = field_msgs(&a.tr, &[FieldError::new("rating", "rating-invalid")]);
        return survey_page(&state, &a, None, msgs).await;
    }
    let year = i64::from(koers_domain::time::today().year());
    let t = a.tenant(&state);
    for (k, r) in ratings {
        koers_store::field::survey::rate(t, &partner.id, year, k, r).await?;
    }
    Ok(Redirect::to("/field-survey?ok=saved").into_response())
}
