//! The improvement plan: actions with a source (an HRM-scan stage, an indicator, a self-scan
//! aspect), an owner, a deadline, a status and notes.

use crate::{AppError, AppResult, Ctx, Done, Event};
use koers_domain::FieldError;
use koers_domain::improvement::{ActionDraft, CheckedAction, Source, SourceDraft};
use koers_domain::policy::Action as Do;
use koers_store::improvement::{self as actions, Action, ActionInput, Filter};
use koers_store::staff::scans;

/// The actions the actor may read under a filter: all for those who read the plan, else only
/// their own.
pub async fn visible(cx: &Ctx<'_>, mut f: Filter<'_>) -> AppResult<Vec<Action>> {
    if !cx.actor.may(Do::ViewImprovementActions) {
        f.owner_id = Some(&cx.user.id);
    }
    Ok(actions::list(cx.tenant(), &f).await?)
}

/// Whether the actor manages actions of any source kind at all.
pub fn require_some_kind(cx: &Ctx<'_>) -> AppResult<()> {
    use koers_domain::improvement::SourceKind;
    if SourceKind::ALL
        .iter()
        .any(|k| cx.actor.may(Do::ManageImprovementActions(*k)))
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Check a source as typed: its form, and that its round or programme is the institution's.
pub async fn check_source(cx: &Ctx<'_>, draft: &SourceDraft) -> AppResult<Source> {
    let source = draft.parse()?;
    let t = cx.tenant();
    match &source {
        Source::ScanStage { round_id, .. } => {
            if scans::round(t, round_id).await?.is_none() {
                return Err(AppError::invalid("source", "round-unknown"));
            }
        }
        Source::Indicator { key } => {
            let scope = koers_domain::vision::indicator::parse_action_reference(key)
                .map(|(_, scope, _)| scope)
                .unwrap_or_default();
            if !scope.is_empty()
                && koers_store::platform::programmes::get(t, scope)
                    .await?
                    .is_none()
            {
                return Err(AppError::invalid("source", "programme-unknown"));
            }
        }
        Source::SelfScanAspect { .. } => {}
    }
    Ok(source)
}

/// A checked action with its owner found.
struct Resolved {
    action: CheckedAction,
    owner_id: Option<String>,
}

impl Resolved {
    fn input(&self) -> ActionInput<'_> {
        ActionInput {
            title: &self.action.title,
            item_keys: &self.action.items,
            owner_id: self.owner_id.as_deref(),
            due_on: self.action.due_on.as_deref(),
            status: self.action.status,
            notes: &self.action.notes,
        }
    }
}

/// Check what an action says against its source and the staff; every problem at once.
async fn resolve(cx: &Ctx<'_>, source: &Source, draft: &ActionDraft) -> AppResult<Resolved> {
    let t = cx.tenant();
    let mut found = Vec::new();
    let items: Vec<&str> = draft
        .items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    if !items.is_empty() {
        let known = match source {
            Source::ScanStage { round_id, stage } => {
                let round = scans::round(t, round_id).await?.ok_or(AppError::NotFound)?;
                let inst = scans::instrument(t, &round.instrument_id).await?;
                items.iter().all(|k| {
                    inst.items
                        .iter()
                        .any(|it| it.key == *k && it.stage == *stage)
                })
            }
            _ => items.iter().all(|k| k.len() <= 100),
        };
        if !known {
            found.push(FieldError::new("items", "item-unknown"));
        }
    }
    let mut owner_id = None;
    let email = draft.owner_email.trim();
    if !email.is_empty() {
        // Owners are staff members of the institution.
        let owner = match koers_store::platform::users::active_by_email(t, email).await? {
            Some((id, _)) => koers_store::platform::users::get(t, &id)
                .await?
                .filter(|u| u.roles.iter().any(|r| r.role.is_staff()))
                .map(|u| u.id),
            None => None,
        };
        match owner {
            Some(id) => owner_id = Some(id),
            None => found.push(FieldError::new("owner", "owner-unknown")),
        }
    }
    let action = draft.parse(found)?;
    Ok(Resolved { action, owner_id })
}

/// Add an action to the improvement plan (who manages the source's kind).
pub async fn create(cx: &Ctx<'_>, source: &Source, draft: &ActionDraft) -> AppResult<Done<String>> {
    cx.require(Do::ManageImprovementActions(source.kind()))?;
    let r = resolve(cx, source, draft).await?;
    let mut tx = cx.begin().await?;
    let id = actions::create(&mut tx, source, &r.input(), &cx.user.id).await?;
    tx.audit(cx.change(
        "improvement_action.create",
        &id,
        serde_json::json!({"source": source.reference()}),
    ))
    .await?;
    tx.commit().await?;
    let events = match &r.owner_id {
        Some(owner) if owner != &cx.user.id => vec![Event::ImprovementActionAssigned {
            action_id: id.clone(),
            owner_id: owner.clone(),
        }],
        _ => Vec::new(),
    };
    Ok(Done::new(id, events))
}

/// Load an action the actor may change: who manages its source kind, or its owner (who may
/// change only its status and notes). Returns the action and whether the actor manages it.
pub async fn load_for_change(cx: &Ctx<'_>, id: &str) -> AppResult<(Action, bool)> {
    let x = actions::get(cx.tenant(), crate::id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager = cx.actor.may(Do::ManageImprovementActions(x.source.kind()));
    let owner = x.owner_id.as_deref() == Some(cx.user.id.as_str());
    if !manager && !owner {
        return Err(if cx.actor.may(Do::ViewImprovementActions) {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    Ok((x, manager))
}

/// Change an action (loaded by [`load_for_change`]); an owner who does not manage the plan
/// changes status and notes only.
pub async fn update(
    cx: &Ctx<'_>,
    x: &Action,
    manager: bool,
    draft: &ActionDraft,
) -> AppResult<Done<()>> {
    let r = resolve(cx, &x.source, draft).await?;
    if !manager
        && (r.action.title != x.title
            || r.action.items != x.item_keys
            || r.owner_id != x.owner_id
            || r.action.due_on != x.due_on)
    {
        return Err(AppError::Forbidden);
    }
    let mut tx = cx.begin().await?;
    actions::update(&mut tx, &x.id, &r.input()).await?;
    tx.audit(cx.change(
        "improvement_action.update",
        &x.id,
        serde_json::json!({"status": r.action.status.key()}),
    ))
    .await?;
    tx.commit().await?;
    let events = match &r.owner_id {
        Some(owner) if r.owner_id != x.owner_id && owner != &cx.user.id => {
            vec![Event::ImprovementActionAssigned {
                action_id: x.id.clone(),
                owner_id: owner.clone(),
            }]
        }
        _ => Vec::new(),
    };
    Ok(Done::new((), events))
}
