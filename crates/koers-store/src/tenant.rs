use crate::Db;

/// One institution's view of the database. Every storage function for tenant data takes a
/// `Tenant` and filters on its institution: nothing crosses tenants.
#[derive(Clone, Copy, Debug)]
pub struct Tenant<'a> {
    pub(crate) db: &'a Db,
    pub(crate) institution_id: &'a str,
}

impl<'a> Tenant<'a> {
    /// Scope to an institution. Callers get the id from an authenticated session or from an
    /// operator command, never from request input.
    pub fn new(db: &'a Db, institution_id: &'a str) -> Self {
        Self { db, institution_id }
    }

    pub fn institution_id(&self) -> &'a str {
        self.institution_id
    }

    pub(crate) fn pool(&self) -> &'a sqlx::AnyPool {
        self.db.pool()
    }
}
