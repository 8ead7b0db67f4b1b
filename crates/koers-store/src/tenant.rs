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

impl<'a> Tenant<'a> {
    /// Begin one institution's write transaction: a command's changes and its audit line are
    /// written through it and committed together, or not at all.
    pub async fn begin(self) -> crate::Result<TenantTx<'a>> {
        Ok(TenantTx {
            tx: self.db.begin().await?,
            db: self.db,
            institution_id: self.institution_id,
        })
    }
}

/// One institution's write transaction (see [`Tenant::begin`]). Storage functions that write
/// as part of a command take it instead of a [`Tenant`]; dropping it without [`commit`]
/// rolls everything back.
///
/// [`commit`]: TenantTx::commit
pub struct TenantTx<'a> {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    db: &'a Db,
    pub(crate) institution_id: &'a str,
}

impl<'a> TenantTx<'a> {
    pub fn institution_id(&self) -> &'a str {
        self.institution_id
    }

    /// The same institution outside the transaction (reads of what was committed).
    pub(crate) fn tenant(&self) -> Tenant<'a> {
        Tenant::new(self.db, self.institution_id)
    }

    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    pub(crate) fn tx(&mut self) -> &mut sqlx::Transaction<'static, sqlx::Any> {
        &mut self.tx
    }

    /// Record an audit event in this transaction (see [`crate::platform::audit::record_in`]).
    pub async fn audit(&mut self, e: crate::platform::audit::NewEvent<'_>) -> crate::Result<()> {
        crate::platform::audit::record_in(&mut self.tx, e).await
    }

    pub async fn commit(self) -> crate::Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
