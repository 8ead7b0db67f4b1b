//! Partner organisations with contacts, partnership agreements and their people.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::field::PartnerKind;

#[derive(Debug, Clone)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
    pub city: String,
    pub brin: String,
    /// People of the organisation with an account.
    pub members: i64,
    pub placements: i64,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct Partnership {
    pub id: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub school_coordinator: Option<String>,
    pub institute_coordinator_id: Option<String>,
    pub institute_coordinator: Option<String>,
}

pub struct NewPartner<'a> {
    pub name: &'a str,
    pub kind: PartnerKind,
    pub city: &'a str,
    pub brin: &'a str,
}

const SELECT: &str = "SELECT p.id, p.name, p.kind, p.city, p.brin, \
    (SELECT COUNT(*) FROM partner_members m WHERE m.partner_id = p.id), \
    (SELECT COUNT(*) FROM placements x WHERE x.partner_id = p.id) FROM partners p";

type Row = (String, String, String, String, String, i64, i64);

fn partner((id, name, kind, city, brin, members, placements): Row) -> Partner {
    Partner {
        id,
        name,
        kind: PartnerKind::parse(&kind).unwrap_or(PartnerKind::Business),
        city,
        brin,
        members,
        placements,
    }
}

pub async fn create(t: &mut TenantTx<'_>, n: &NewPartner<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let done = sqlx::query(
        "INSERT INTO partners (id, institution_id, name, kind, city, brin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (institution_id, name) DO NOTHING",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.name)
    .bind(n.kind.key())
    .bind(n.city)
    .bind(n.brin)
    .bind(now_ms())
    .execute(t.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("partner"));
    }
    Ok(id)
}

pub async fn list(t: Tenant<'_>) -> Result<Vec<Partner>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.institution_id = $1 ORDER BY p.name"
    )))
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows.into_iter().map(partner).collect())
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Partner>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.institution_id = $1 AND p.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    Ok(row.map(partner))
}

pub async fn add_contact(t: &mut TenantTx<'_>, partner_id: &str, c: &Contact) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_contacts (id, institution_id, partner_id, name, role, email) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(&c.name)
    .bind(&c.role)
    .bind(&c.email)
    .execute(t.conn())
    .await?;
    Ok(())
}

pub async fn contacts(t: Tenant<'_>, partner_id: &str) -> Result<Vec<Contact>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, role, email FROM partner_contacts WHERE institution_id = $1 AND partner_id = $2 ORDER BY name, id",
    )
    .bind(t.institution_id)
    .bind(partner_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, role, email)| Contact { name, role, email })
        .collect())
}

pub struct NewPartnership<'a> {
    pub kind: &'a str,
    pub starts_on: &'a str,
    pub ends_on: Option<&'a str>,
    pub school_coordinator_id: Option<&'a str>,
    pub institute_coordinator_id: Option<&'a str>,
}

pub async fn add_partnership(
    t: Tenant<'_>,
    partner_id: &str,
    n: &NewPartnership<'_>,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO partnerships (id, institution_id, partner_id, kind, starts_on, ends_on, school_coordinator_id, \
         institute_coordinator_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(n.kind)
    .bind(n.starts_on)
    .bind(n.ends_on)
    .bind(n.school_coordinator_id)
    .bind(n.institute_coordinator_id)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// A stored row (id, kind, starts on, ends on, school coordinator, institute coordinator id and name).
type PartnershipRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub async fn partnerships(t: Tenant<'_>, partner_id: &str) -> Result<Vec<Partnership>> {
    let rows: Vec<PartnershipRow> = sqlx::query_as(
        "SELECT s.id, s.kind, s.starts_on, s.ends_on, sc.name, s.institute_coordinator_id, ic.name \
             FROM partnerships s LEFT JOIN users sc ON sc.id = s.school_coordinator_id \
             LEFT JOIN users ic ON ic.id = s.institute_coordinator_id \
             WHERE s.institution_id = $1 AND s.partner_id = $2 ORDER BY s.starts_on DESC",
    )
    .bind(t.institution_id)
    .bind(partner_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, starts_on, ends_on, sc, ic_id, ic)| Partnership {
                id,
                kind,
                starts_on,
                ends_on,
                school_coordinator: sc,
                institute_coordinator_id: ic_id,
                institute_coordinator: ic,
            },
        )
        .collect())
}

/// Whether a staff member is the institute coordinator of a partnership with this partner.
pub async fn is_institute_coordinator(
    t: Tenant<'_>,
    partner_id: &str,
    user_id: &str,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM partnerships WHERE institution_id = $1 AND partner_id = $2 AND institute_coordinator_id = $3",
    )
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

/// The partners whose partnership names this staff member as institute coordinator.
pub async fn coordinated_by(t: Tenant<'_>, user_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT partner_id FROM partnerships WHERE institution_id = $1 AND institute_coordinator_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?)
}

/// The organisation a partner person belongs to.
pub async fn of_member(t: Tenant<'_>, user_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT partner_id FROM partner_members WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?)
}

pub async fn add_member(t: Tenant<'_>, partner_id: &str, user_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_members (user_id, partner_id, institution_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET partner_id = excluded.partner_id",
    )
    .bind(user_id)
    .bind(partner_id)
    .bind(t.institution_id)
    .execute(t.pool())
    .await?;
    Ok(())
}

/// A partner's people with an account: (user id, name, email).
pub async fn members(t: Tenant<'_>, partner_id: &str) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM partner_members m JOIN users u ON u.id = m.user_id \
         WHERE m.institution_id = $1 AND m.partner_id = $2 ORDER BY u.name",
    )
    .bind(t.institution_id)
    .bind(partner_id)
    .fetch_all(t.pool())
    .await?)
}
