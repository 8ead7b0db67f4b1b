//! Invitations of partner people: an activation link with an expiry. Only the hash of the
//! token is stored; accepting creates the account in the inviting institution and links it
//! to the partner organisation.

use crate::platform::sessions::{hash_token, random_token};
use crate::platform::users::{self, NewUser};
use crate::{Db, Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::field::{INVITATION_DAYS, PartnerRole};
use koers_domain::platform::RoleAssignment;

#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: String,
    pub institution_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub email: String,
    pub name: String,
    pub role: PartnerRole,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

impl Invitation {
    pub fn expired(&self, now: i64) -> bool {
        now >= self.expires_at
    }
}

/// Invite someone; returns the invitation id and the token for the link (shown or mailed once).
pub async fn create(
    t: &mut TenantTx<'_>,
    partner_id: &str,
    email: &str,
    name: &str,
    role: PartnerRole,
    invited_by: &str,
) -> Result<(String, String)> {
    let id = koers_domain::new_id();
    let token = random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO partner_invitations (id, institution_id, partner_id, email, name, role, token_hash, expires_at, \
         invited_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(email)
    .bind(name)
    .bind(role.key())
    .bind(hash_token(&token))
    .bind(now + INVITATION_DAYS * 86_400_000)
    .bind(invited_by)
    .bind(now)
    .execute(t.conn())
    .await?;
    Ok((id, token))
}

const SELECT: &str = "SELECT i.id, i.institution_id, i.partner_id, p.name, i.email, i.name, i.role, i.expires_at, \
    i.accepted_at FROM partner_invitations i JOIN partners p ON p.id = i.partner_id";

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);

fn invitation(
    (id, institution_id, partner_id, partner_name, email, name, role, expires_at, accepted_at): Row,
) -> Invitation {
    Invitation {
        id,
        institution_id,
        partner_id,
        partner_name,
        email,
        name,
        role: PartnerRole::parse(&role).unwrap_or(PartnerRole::PlacementMentor),
        expires_at,
        accepted_at,
    }
}

/// The invitation of a link. Not scoped to a tenant: the invitee has no session yet, and the
/// token (256 random bits) is the proof; its institution comes from the row.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Invitation>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE i.token_hash = $1"
    )))
    .bind(hash_token(token))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(invitation))
}

/// A partner's invitations, the newest first.
pub async fn of_partner(t: Tenant<'_>, partner_id: &str) -> Result<Vec<Invitation>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE i.institution_id = $1 AND i.partner_id = $2 ORDER BY i.created_at DESC"
    )))
    .bind(t.institution_id)
    .bind(partner_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows.into_iter().map(invitation).collect())
}

/// Accept: create the account with its role and link it to the organisation. `NotFound` for
/// an unknown, used or expired link; `Conflict` when the email has an account already.
pub async fn accept(db: &Db, token: &str, password_hash: String) -> Result<users::User> {
    let inv = by_token(db, token).await?.ok_or(StoreError::NotFound)?;
    if inv.accepted_at.is_some() || inv.expired(now_ms()) {
        return Err(StoreError::NotFound);
    }
    let t = Tenant::new(db, &inv.institution_id);
    // Claim the invitation first, so a second use of the link finds it used.
    let claimed = sqlx::query(
        "UPDATE partner_invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL",
    )
    .bind(&inv.id)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    if claimed.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let created = users::create(
        t,
        NewUser {
            email: &inv.email,
            name: &inv.name,
            password_hash: Some(password_hash),
            locale: None,
            roles: &[RoleAssignment {
                role: inv.role.role(),
                programme_id: None,
            }],
        },
    )
    .await;
    let user = match created {
        Ok(u) => u,
        Err(e) => {
            // Give the link back, so the problem can be solved and the link used after all.
            sqlx::query("UPDATE partner_invitations SET accepted_at = NULL WHERE id = $1")
                .bind(&inv.id)
                .execute(db.pool())
                .await?;
            return Err(e);
        }
    };
    super::partners::add_member(t, &inv.partner_id, &user.id).await?;
    sqlx::query("UPDATE partner_invitations SET user_id = $2 WHERE id = $1")
        .bind(&inv.id)
        .bind(&user.id)
        .execute(db.pool())
        .await?;
    Ok(user)
}
