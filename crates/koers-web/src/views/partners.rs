//! Partner organisations in the browser: the registry (programme managers and administrators
//! manage it, lecturers read it), one partner's page with contacts, partnerships, people,
//! invitations, needs and placements, and the page where an invited person activates their
//! account. Partner people see their own organisation only.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render, render_status};
use crate::auth::{Authenticated, RequestTr, WebUser};
use crate::commands::finish;
use crate::csrf::{PreSessionToken, verify};
use crate::error::{WebError, WebResult};
use crate::field as access;
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_domain::FieldError;
use koers_domain::field::PartnerKind;
use koers_domain::field::input::{ContactDraft, InvitationDraft, PartnerDraft};
use koers_domain::policy::Action;
use koers_store::field::invitations::{self, Invitation};
use koers_store::field::needs::Need;
use koers_store::field::partners::{self, Contact, Partner, Partnership};
use koers_store::field::placements::Placement;

#[derive(Template)]
#[template(path = "partners.html")]
struct ListPage {
    ctx: Ctx,
    partners: Vec<Partner>,
    can_manage: bool,
    kinds: &'static [PartnerKind],
    errors: Vec<FieldMsg>,
    fields: FormData,
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
    fields: FormData,
) -> WebResult<Response> {
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &ListPage {
            ctx: Ctx::user(a, "/partners", "field").with_flash(flash),
            partners: partners::list(a.tenant(state)).await?,
            can_manage: a.actor.may(Action::ManageField),
            kinds: PartnerKind::ALL,
            errors,
            fields,
        },
    ))
}

/// The registry; partner people go to their own organisation's page.
pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    if !a.actor.may(Action::ViewField) {
        let own = access::own_partner(&state, &a)
            .await?
            .ok_or(WebError::Forbidden)?;
        return Ok(Redirect::to(&format!("/partners/{own}")).into_response());
    }
    list_page(&state, &a, q.ok.as_deref(), Vec::new(), FormData::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let draft = PartnerDraft {
        name: form.get("name").to_owned(),
        kind: form.get("kind").to_owned(),
        city: form.get("city").to_owned(),
        brin: form.get("brin").to_owned(),
        contacts: Vec::new(),
    };
    let errors = match koers_app::field::partners::register(&a.cx(&state), &draft).await {
        Ok(done) => {
            let id = finish(&state, &a, &headers, done).await?;
            return Ok(Redirect::to(&format!("/partners/{id}?ok=created")).into_response());
        }
        Err(AppError::Conflict(_)) => vec![FieldError::new("name", "partner-taken")],
        Err(AppError::Invalid(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let msgs = field_msgs(&a.tr, &errors);
    list_page(&state, &a, None, msgs, form).await
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage {
    ctx: Ctx,
    p: Partner,
    contacts: Vec<Contact>,
    partnerships: Vec<Partnership>,
    people: Vec<(String, String, String)>,
    invitations: Vec<Invitation>,
    needs: Vec<Need>,
    placements: Vec<Placement>,
    can_manage: bool,
    /// The link of an invitation just made (shown once, while no mail server is configured).
    new_link: Option<String>,
    errors: Vec<FieldMsg>,
    fields: FormData,
    now: i64,
}

async fn partner_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    new_link: Option<String>,
    errors: Vec<FieldMsg>,
    fields: FormData,
) -> WebResult<Response> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let p = partners::get(t, id).await?.ok_or(WebError::NotFound)?;
    let own = access::own_partner(state, a).await?.as_deref() == Some(p.id.as_str());
    a.require(Action::ViewPartner { own })?;
    let can_manage = a.actor.may(Action::ManageField);
    let placements = access::visible_placements(state, a)
        .await?
        .into_iter()
        .filter(|x| x.partner_id == p.id)
        .collect();
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &PartnerPage {
            ctx: Ctx::user(a, &format!("/partners/{}", p.id), "field").with_flash(flash),
            contacts: partners::contacts(t, &p.id).await?,
            partnerships: partners::partnerships(t, &p.id).await?,
            people: partners::members(t, &p.id).await?,
            invitations: if can_manage {
                invitations::of_partner(t, &p.id).await?
            } else {
                Vec::new()
            },
            needs: koers_store::field::needs::list(t, Some(&p.id)).await?,
            placements,
            can_manage,
            new_link,
            errors,
            fields,
            now: koers_store::now_ms(),
            p,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    partner_page(
        &state,
        &a,
        &id,
        q.ok.as_deref(),
        None,
        Vec::new(),
        FormData::default(),
    )
    .await
}

pub async fn add_contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let draft = ContactDraft {
        name: form.get("name").to_owned(),
        role: form.get("role").to_owned(),
        email: form.get("email").to_owned(),
    };
    match koers_app::field::partners::add_contact(&a.cx(&state), &id, &draft).await {
        Ok(done) => {
            finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/partners/{id}?ok=saved#h-contacts")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            partner_page(&state, &a, &id, None, None, msgs, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Record a partnership agreement: kind, period, the school coordinator (a person of the
/// partner) and the institute coordinator (a staff member, by email).
pub async fn add_partnership(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let t = a.tenant(&state);
    if !koers_domain::is_id(&id) || partners::get(t, &id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let mut errors = Vec::new();
    let starts = koers_domain::time::parse_date(form.get("starts_on"));
    if starts.is_none() {
        errors.push(FieldError::new("starts_on", "date-invalid"));
    }
    let ends = match form.get("ends_on").trim() {
        "" => None,
        e => match koers_domain::time::parse_date(e) {
            Some(d) if starts.is_none_or(|s| d >= s) => Some(d),
            _ => {
                errors.push(FieldError::new("ends_on", "period-invalid"));
                None
            }
        },
    };
    let school = match form.get("school_coordinator") {
        "" => None,
        u => {
            let people = partners::members(t, &id).await?;
            if people.iter().any(|(p, _, _)| p == u) {
                Some(u.to_owned())
            } else {
                errors.push(FieldError::new(
                    "school_coordinator",
                    "mentor-not-of-partner",
                ));
                None
            }
        }
    };
    let institute = match form.get("institute_coordinator").trim() {
        "" => None,
        email => match koers_store::platform::users::active_by_email(t, email).await? {
            Some((uid, _)) => Some(uid),
            None => {
                errors.push(FieldError::new("institute_coordinator", "owner-unknown"));
                None
            }
        },
    };
    if let (true, Some(starts)) = (errors.is_empty(), starts) {
        let (starts, ends) = (starts.to_string(), ends.map(|d| d.to_string()));
        partners::add_partnership(
            t,
            &id,
            &partners::NewPartnership {
                kind: "opleiden_in_de_school",
                starts_on: &starts,
                ends_on: ends.as_deref(),
                school_coordinator_id: school.as_deref(),
                institute_coordinator_id: institute.as_deref(),
            },
        )
        .await?;
        crate::commands::audit_change(
            &state,
            &a,
            "partner.partnership",
            &id,
            serde_json::json!({}),
        )
        .await?;
        return Ok(
            Redirect::to(&format!("/partners/{id}?ok=saved#h-partnerships")).into_response(),
        );
    }
    let msgs = field_msgs(&a.tr, &errors);
    partner_page(&state, &a, &id, None, None, msgs, form).await
}

/// Invite a partner person; the page shows the activation link once.
pub async fn invite_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let draft = InvitationDraft {
        email: form.get("email").to_owned(),
        name: form.get("name").to_owned(),
        role: form.get("role").to_owned(),
    };
    match koers_app::field::partners::invite(&a.cx(&state), &id, &draft).await {
        Ok(done) => {
            let invited = finish(&state, &a, &headers, done).await?;
            partner_page(
                &state,
                &a,
                &id,
                None,
                Some(format!("/invitations/{}", invited.token)),
                Vec::new(),
                FormData::default(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            partner_page(&state, &a, &id, None, None, msgs, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct AcceptPage {
    ctx: Ctx,
    inv: Option<Invitation>,
    token: String,
    errors: Vec<FieldMsg>,
    done: bool,
}

fn usable(inv: Option<Invitation>) -> Option<Invitation> {
    inv.filter(|i| i.accepted_at.is_none() && !i.expired(koers_store::now_ms()))
}

/// The activation page of an invitation link (no login needed: the link is the proof).
pub async fn accept_form(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let inv = usable(invitations::by_token(state.db(), &token).await?);
    let status = if inv.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok(render_status(
        status,
        &AcceptPage {
            ctx: Ctx::anonymous(tr, pre.0, "/login"),
            inv,
            token,
            errors: Vec::new(),
            done: false,
        },
    ))
}

pub async fn accept(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    Path(token): Path<String>,
    form: FormData,
) -> WebResult<Response> {
    verify(&pre.0, form.get("_csrf"))?;
    let Some(inv) = usable(invitations::by_token(state.db(), &token).await?) else {
        return Err(WebError::NotFound);
    };
    let page = |errors: Vec<FieldMsg>, inv: Option<Invitation>, done: bool| AcceptPage {
        ctx: Ctx::anonymous(tr, pre.0.clone(), "/login"),
        inv,
        token: token.clone(),
        errors,
        done,
    };
    let new = koers_domain::NewPassword::parse(form.get("password"), Some(&inv.email));
    let mut errors = Vec::new();
    if let Err(e) = &new {
        errors.push(FieldError {
            field: "password",
            code: e.code,
        });
    } else if form.get("password") != form.get("confirm_password") {
        errors.push(FieldError::new("confirm_password", "password-mismatch"));
    }
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(field_msgs(&tr, &errors), Some(inv), false),
        ));
    }
    let password = new.expect("checked above").expose().to_owned();
    let hash =
        tokio::task::spawn_blocking(move || koers_store::platform::passwords::hash(&password))
            .await
            .unwrap_or_default();
    match invitations::accept(state.db(), &token, hash).await {
        Ok(user) => {
            crate::audit_trail::record(
                state.db(),
                koers_store::platform::audit::NewEvent {
                    institution_id: Some(&inv.institution_id),
                    actor_id: Some(&user.id),
                    actor_email: Some(&user.email),
                    action: "partner.invitation_accepted",
                    subject_type: Some("user"),
                    subject_id: Some(&user.id),
                    ..Default::default()
                },
            )
            .await?;
            Ok(render(&page(Vec::new(), Some(inv), true)))
        }
        Err(koers_store::StoreError::Conflict(_)) => Ok(render_status(
            StatusCode::CONFLICT,
            &page(
                field_msgs(&tr, &[FieldError::new("email", "email-taken")]),
                Some(inv),
                false,
            ),
        )),
        Err(koers_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
