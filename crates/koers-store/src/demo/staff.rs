//! Demo data of the staff context: two HRM-scan rounds, one closed with published results,
//! one open that nobody has answered yet.

use crate::staff::scans;
use crate::{Result, Tenant};
use koers_domain::staff::scan::Group;

pub(super) async fn seed(t: Tenant<'_>, hr: &str) -> Result<()> {
    let staff = scans::all_staff(t).await?;
    let instrument = scans::current_instrument(t).await?.instrument;
    let done = scans::create_round(t, "HRM-scan 2025", hr, &staff).await?;
    scans::set_status(t, &done, "open").await?;
    for (n, (user, group)) in staff.iter().enumerate() {
        // HR sees career development as more prominent than staff do, most of all in guidance.
        let base: i64 = match group {
            Group::Hr => 4,
            Group::Manager => 3,
            Group::Staff => 2,
        };
        let mut answers = serde_json::Map::new();
        for (i, item) in instrument.items.iter().enumerate() {
            let wobble = ((n + i) % 3) as i64 - 1;
            let v = (base + wobble).clamp(1, 5);
            let value = if (n + i) % 11 == 0 {
                serde_json::Value::Null
            } else {
                v.into()
            };
            answers.insert(item.key.clone(), value);
        }
        let mut comments = serde_json::Map::new();
        if n % 3 == 0 {
            comments.insert(
                "guidance".into(),
                match group {
                    Group::Staff => "Loopbaangesprekken schieten er vaak bij in als het druk is.",
                    _ => "We willen de jaargesprekken meer over ontwikkeling laten gaan.",
                }
                .into(),
            );
        }
        scans::submit(t, &done, user, *group, &answers.into(), &comments.into()).await?;
    }
    scans::set_status(t, &done, "closed").await?;
    scans::publish(t, &done).await?;
    let open = scans::create_round(t, "HRM-scan 2026", hr, &staff).await?;
    scans::set_status(t, &open, "open").await?;
    Ok(())
}
