//! Access to the receiving field, shared by the pages and the API: the actor's partner
//! organisation, a placement with the actor's relation to it, and the alignment matrix.

use crate::auth::Authenticated;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use koers_domain::field::alignment::{self, Alignment, Row, Source};
use koers_domain::policy::{Action, PlacementRef};
use koers_store::field::needs::Need;
use koers_store::field::placements::Placement;
use koers_store::field::{needs, partners, placements};
use std::collections::BTreeSet;

/// The partner organisation the actor belongs to (partner people only).
pub async fn own_partner(state: &AppState, a: &Authenticated) -> WebResult<Option<String>> {
    if !a.actor.roles.iter().any(|r| r.role.is_partner()) {
        return Ok(None);
    }
    Ok(partners::of_member(a.tenant(state), &a.user.id).await?)
}

/// A placement and how the actor relates to it.
pub struct PlacementAccess {
    pub p: Placement,
    pub same_partner: bool,
    pub institute_coordinator: bool,
}

impl PlacementAccess {
    pub fn pref(&self) -> PlacementRef<'_> {
        PlacementRef {
            student_user_id: &self.p.student_user_id,
            programme_id: &self.p.programme_id,
            mentor_id: self.p.mentor_id.as_deref(),
            same_partner: self.same_partner,
            institute_coordinator: self.institute_coordinator,
        }
    }
    pub fn may_assess(&self, a: &Authenticated) -> bool {
        a.actor.may(Action::AssessPlacementTask(self.pref()))
    }
    pub fn may_submit(&self, a: &Authenticated) -> bool {
        a.actor.may(Action::SubmitPlacementTask(self.pref()))
    }
}

/// Load a placement the actor may read (404 unknown, 403 without a relation).
pub async fn load_placement(
    state: &AppState,
    a: &Authenticated,
    id: &str,
) -> WebResult<PlacementAccess> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let p = placements::get(t, id).await?.ok_or(WebError::NotFound)?;
    let same_partner = own_partner(state, a).await?.as_deref() == Some(p.partner_id.as_str());
    let institute_coordinator = a.actor.is_staff()
        && partners::is_institute_coordinator(t, &p.partner_id, &a.user.id).await?;
    let access = PlacementAccess {
        p,
        same_partner,
        institute_coordinator,
    };
    if !a.actor.may(Action::ViewPlacement(access.pref())) {
        return Err(WebError::Forbidden);
    }
    Ok(access)
}

/// The placements the actor may see in a list.
pub async fn visible_placements(state: &AppState, a: &Authenticated) -> WebResult<Vec<Placement>> {
    use koers_domain::Role;
    let t = a.tenant(state);
    if a.actor.has_role(Role::Administrator) {
        return Ok(placements::list(t, &placements::Filter::default()).await?);
    }
    let mut out: Vec<Placement> = Vec::new();
    let scope = a.actor.scope_of(&[Role::ProgrammeManager, Role::Lecturer]);
    match scope {
        Some(koers_domain::policy::Scope::Institution) => {
            return Ok(placements::list(t, &placements::Filter::default()).await?);
        }
        Some(koers_domain::policy::Scope::Programmes(ps)) => {
            out.extend(
                placements::list(
                    t,
                    &placements::Filter {
                        programmes: Some(&ps),
                        ..Default::default()
                    },
                )
                .await?,
            );
        }
        None => {}
    }
    if a.actor.has_role(Role::PlacementMentor) {
        out.extend(
            placements::list(
                t,
                &placements::Filter {
                    mentor_id: Some(&a.user.id),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    if a.actor.has_role(Role::PartnerCoordinator)
        && let Some(partner) = own_partner(state, a).await?
    {
        out.extend(
            placements::list(
                t,
                &placements::Filter {
                    partner_id: Some(&partner),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    if a.actor.has_role(Role::Student) {
        out.extend(
            placements::list(
                t,
                &placements::Filter {
                    student_user_id: Some(&a.user.id),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    if a.actor.is_staff() {
        // Placements at partners where the actor is the institute coordinator.
        for partner in partners::coordinated_by(t, &a.user.id).await? {
            out.extend(
                placements::list(
                    t,
                    &placements::Filter {
                        partner_id: Some(&partner),
                        ..Default::default()
                    },
                )
                .await?,
            );
        }
    }
    out.sort_by(|x, y| y.starts_on.cmp(&x.starts_on).then(x.id.cmp(&y.id)));
    out.dedup_by(|x, y| x.id == y.id);
    Ok(out)
}

/// The alignment matrix: the sources (activities, then offer items), and per need its row.
pub struct Matrix {
    pub sources: Vec<Source>,
    pub needs: Vec<(Need, Row)>,
}

impl Matrix {
    /// Needs that are not covered, most urgent first, then those asked by most partners.
    pub fn gaps(&self) -> Vec<&(Need, Row)> {
        let mut rows: Vec<(Row, koers_domain::field::Urgency, usize)> = self
            .needs
            .iter()
            .filter(|(_, r)| r.status != Alignment::Covered)
            .map(|(n, r)| {
                let askers: BTreeSet<&str> = self
                    .needs
                    .iter()
                    .filter(|(m, _)| {
                        m.competences.iter().any(|c| n.competences.contains(c))
                            || m.topic.eq_ignore_ascii_case(&n.topic)
                    })
                    .map(|(m, _)| m.partner_id.as_str())
                    .collect();
                (r.clone(), n.urgency, askers.len())
            })
            .collect();
        alignment::gap_order(&mut rows);
        rows.iter()
            .filter_map(|(r, _, _)| self.needs.iter().find(|(n, _)| n.id == r.need_id))
            .collect()
    }
}

pub async fn matrix(state: &AppState, a: &Authenticated) -> WebResult<Matrix> {
    let t = a.tenant(state);
    let sources = koers_store::field::alignment_sources(t).await?;
    let needs = needs::list(t, None)
        .await?
        .into_iter()
        .filter(|n| n.status != koers_domain::field::NeedStatus::Declined)
        .map(|n| {
            let row = alignment::derive(&n.for_alignment(), &sources);
            (n, row)
        })
        .collect();
    Ok(Matrix { sources, needs })
}
