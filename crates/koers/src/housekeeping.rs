//! The background work of a running Koers: pruning, retention, kept statuses, reminders,
//! digests and indicator values.

use koers_store::Db;

/// Every ten minutes (and at start): remove expired sessions and old login failures, and
/// bring the kept guidance statuses up to today (after midnight they are a day old; without
/// this, the first coverage page of the day pays about a second per programme at 100k
/// students), send reminders and digests, and refresh the indicator values of the LOB vision.
/// With several instances on one database, the instance holding the `housekeeping` lease does
/// it (the lease outlives a tick by a little, so a stopped instance's work moves to another
/// within two ticks); reminders and digests are also claimed one by one.
pub async fn run(db: Db, retention: koers_store::platform::retention::Policy) {
    let instance = koers_domain::new_id();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        match koers_store::platform::leases::acquire(&db, "housekeeping", &instance, 660_000).await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::debug!("another instance does the housekeeping");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "taking the housekeeping lease failed");
                continue;
            }
        }
        if let Err(e) = koers_store::platform::sessions::prune(&db).await {
            tracing::warn!(error = %e, "pruning sessions failed");
        }
        if let Err(e) = koers_store::platform::login_failures::prune(&db).await {
            tracing::warn!(error = %e, "pruning login failures failed");
        }
        if let Err(e) = koers_store::platform::login_challenges::prune(&db).await {
            tracing::warn!(error = %e, "pruning login challenges failed");
        }
        // Retention, once a day (whichever instance holds the housekeeping lease first).
        match koers_store::platform::retention::due_today(&db).await {
            Ok(true) => {
                match koers_store::platform::retention::run(&db, &retention, koers_store::now_ms())
                    .await
                {
                    Ok(r) => tracing::info!(report = ?r, "retention applied"),
                    Err(e) => tracing::warn!(error = %e, "applying retention failed"),
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "checking the retention day failed"),
        }
        if let Err(e) = koers_store::platform::import_runs::interrupt_stale(&db).await {
            tracing::warn!(error = %e, "marking interrupted imports failed");
        }
        // Planner statistics follow the data's growth (SQLite; PostgreSQL's autovacuum does it).
        if let Err(e) = db.analyze(false).await {
            tracing::warn!(error = %e, "refreshing planner statistics failed");
        }
        let today = koers_domain::time::today();
        match koers_store::guidance::coverage::bring_all_up_to_date(&db, today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(students = n, "guidance statuses brought up to date"),
            Err(e) => tracing::warn!(error = %e, "bringing guidance statuses up to date failed"),
        }
        // Reminders of conversations starting within a day (each once, whichever instance).
        match koers_web::notify::send_reminders(&db, koers_store::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminders = n, "conversation reminders sent"),
            Err(e) => tracing::warn!(error = %e, "sending reminders failed"),
        }
        // The weekly digest of overdue agreements (each person once a week, whichever instance).
        match koers_web::notify::send_digests(&db, today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "agreement digests sent"),
            Err(e) => tracing::warn!(error = %e, "sending digests failed"),
        }
        // The indicator values: the running year when older than the tick, closed years once.
        match koers_store::indicators::refresh_all_due(&db, today, 9 * 60 * 1000).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(years = n, "indicator values refreshed"),
            Err(e) => tracing::warn!(error = %e, "refreshing indicator values failed"),
        }
    }
}
