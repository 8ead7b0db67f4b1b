//! The bench's report: one table per run and the summary across runs, in Markdown.

use crate::*;

pub(crate) fn mb(kb: Option<u64>) -> String {
    kb.map_or("?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0))
}

pub(crate) fn run_markdown(r: &Run) -> String {
    let mut out = format!(
        "\n### {} students, {}, {} instance(s), {} s per cell; start to ready {:.0} ms; busy after start {:.1} s; seeding {:.1} s; peak RSS {} MB under load, {} MB after the imports\n\n",
        r.students,
        r.database.label(),
        r.instances,
        r.seconds,
        r.startup_ms,
        r.settle_seconds,
        r.seed_seconds,
        mb(r.load_rss_kb),
        mb(r.peak_rss_kb)
    );
    for i in &r.imports {
        out.push_str(&format!(
            "CSV import of {} new students (one request, all or nothing): {:.2} s ({:.0} rows/s)\n",
            i.rows,
            i.seconds,
            i.rows as f64 / i.seconds
        ));
    }
    if let Some(raw) = r.raw_insert_rows_per_s {
        out.push_str(&format!(
            "Raw prepared-insert loop on the same database: {raw:.0} rows/s\n"
        ));
    }
    out.push_str("\n| route | concurrency | requests/s | p50 ms | p99 ms | ratio to baseline | errors |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for x in &r.rows {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |\n",
            x.route, x.concurrency, x.rps, x.p50_ms, x.p99_ms, x.ratio_to_baseline, x.errors
        ));
    }
    out
}

fn row<'a>(r: &'a Run, route: &str, c: usize) -> Option<&'a Row> {
    r.rows
        .iter()
        .find(|x| x.route == route && x.concurrency == c)
}

/// The series read-offs: flatness per database, PostgreSQL against SQLite, and the targets.
pub(crate) fn summary_markdown(runs: &[Run]) -> String {
    let mut out = String::from("\n## Summary\n");
    let yes = |ok: bool| if ok { "met" } else { "missed" };
    let mut targets: Vec<(String, String, bool)> = Vec::new();
    for db in [Database::Sqlite, Database::Postgres] {
        let mine: Vec<&Run> = runs.iter().filter(|r| r.database == db).collect();
        let (Some(first), Some(last)) = (
            mine.iter().min_by_key(|r| r.students),
            mine.iter().max_by_key(|r| r.students),
        ) else {
            continue;
        };
        if first.students != last.students {
            out.push_str(&format!(
                "\n### Flatness, {}: requests/s at concurrency 1\n\n| route | kind |",
                db.label()
            ));
            let mut sizes: Vec<&Run> = mine.clone();
            sizes.sort_by_key(|r| r.students);
            for r in &sizes {
                out.push_str(&format!(" {} |", r.students));
            }
            out.push_str(&format!(
                " {} ÷ {} |\n|---|---|{}---:|\n",
                last.students,
                first.students,
                "---:|".repeat(sizes.len())
            ));
            let mut worst: Option<(f64, String)> = None;
            for x in first.rows.iter().filter(|x| x.concurrency == 1) {
                out.push_str(&format!(
                    "| {} | {} |",
                    x.route,
                    match x.kind {
                        Kind::Baseline => "baseline",
                        Kind::OnePerson => "one person",
                        Kind::Aggregate => "aggregate",
                        Kind::Write => "write",
                        Kind::Other => "other",
                    }
                ));
                for r in &sizes {
                    out.push_str(&format!(
                        " {} |",
                        row(r, &x.route, 1).map_or("–".into(), |y| format!("{:.0}", y.rps))
                    ));
                }
                let ratio = row(last, &x.route, 1).map_or(0.0, |y| y.rps) / x.rps.max(1e-9);
                out.push_str(&format!(" {ratio:.2} |\n"));
                if x.kind == Kind::OnePerson
                    && worst
                        .as_ref()
                        .is_none_or(|(w, _)| (ratio - 1.0).abs() > (w - 1.0).abs())
                {
                    worst = Some((ratio, x.route.clone()));
                }
            }
            if let Some((ratio, route)) = worst {
                targets.push((
                    format!(
                        "{}: one-person pages flat (±20 %) from {} to {} students",
                        db.label(),
                        first.students,
                        last.students
                    ),
                    format!("furthest: {route} {ratio:.2}"),
                    (0.8..=1.2).contains(&ratio),
                ));
            }
        }
        // One-person pages against the baseline, per size and concurrency: the lowest.
        for r in &mine {
            let lowest = r
                .rows
                .iter()
                .filter(|x| x.kind == Kind::OnePerson)
                .min_by(|a, b| a.ratio_to_baseline.total_cmp(&b.ratio_to_baseline));
            if let Some(x) = lowest {
                targets.push((
                    format!(
                        "{}, {} students: one-person pages ≥ 0.5 of the baseline",
                        db.label(),
                        r.students
                    ),
                    format!(
                        "lowest: {} {:.2} at c={}",
                        x.route, x.ratio_to_baseline, x.concurrency
                    ),
                    x.ratio_to_baseline >= 0.5,
                ));
            }
        }
        let worst_p99 = last
            .rows
            .iter()
            .filter(|x| x.kind == Kind::Aggregate)
            .max_by(|a, b| a.p99_ms.total_cmp(&b.p99_ms));
        if let Some(x) = worst_p99 {
            targets.push((
                format!(
                    "{}, {} students: aggregate pages p99 ≤ 50 ms",
                    db.label(),
                    last.students
                ),
                format!(
                    "highest: {} {:.1} ms at c={}",
                    x.route, x.p99_ms, x.concurrency
                ),
                x.p99_ms <= 50.0,
            ));
        }
        for r in &mine {
            if let (Some(i), Some(raw)) = (
                r.imports.iter().max_by_key(|i| i.rows),
                r.raw_insert_rows_per_s,
            ) {
                let rate = i.rows as f64 / i.seconds;
                targets.push((
                    format!(
                        "{}, {} students: CSV import ≥ 30 % of a raw insert loop",
                        db.label(),
                        r.students
                    ),
                    format!(
                        "{} rows: {rate:.0} rows/s ÷ {raw:.0} rows/s = {:.2}",
                        i.rows,
                        rate / raw
                    ),
                    rate / raw >= 0.3,
                ));
            }
            if db == Database::Sqlite
                && let Some(i) = r.imports.iter().find(|i| i.rows == 100_000)
            {
                targets.push((
                    format!(
                        "SQLite, {} students: import of 100,000 students < 2 s",
                        r.students
                    ),
                    format!("{:.2} s", i.seconds),
                    i.seconds < 2.0,
                ));
            }
            if r.students == 100_000 {
                targets.push((
                    format!(
                        "{}, 100,000 students: peak RSS ≤ 150 MB under load",
                        db.label()
                    ),
                    format!(
                        "{} MB (after the imports: {} MB)",
                        mb(r.load_rss_kb),
                        mb(r.peak_rss_kb)
                    ),
                    r.load_rss_kb.is_some_and(|k| k <= 150 * 1024),
                ));
            }
            targets.push((
                format!(
                    "{}, {} students: start to serving < 1 s",
                    db.label(),
                    r.students
                ),
                format!("{:.0} ms", r.startup_ms),
                r.startup_ms < 1000.0,
            ));
        }
    }
    // PostgreSQL within 2× of SQLite, per size measured on both.
    for pg in runs.iter().filter(|r| r.database == Database::Postgres) {
        let Some(lite) = runs
            .iter()
            .find(|r| r.database == Database::Sqlite && r.students == pg.students)
        else {
            continue;
        };
        out.push_str(&format!(
            "\n### PostgreSQL ÷ SQLite, {} students: requests/s\n\n| route | c | SQLite | PostgreSQL | ratio |\n|---|---:|---:|---:|---:|\n",
            pg.students
        ));
        let mut worst: Option<(f64, String, usize)> = None;
        for x in &lite.rows {
            let Some(y) = row(pg, &x.route, x.concurrency) else {
                continue;
            };
            let ratio = y.rps / x.rps.max(1e-9);
            out.push_str(&format!(
                "| {} | {} | {:.0} | {:.0} | {ratio:.2} |\n",
                x.route, x.concurrency, x.rps, y.rps
            ));
            if matches!(x.kind, Kind::OnePerson | Kind::Aggregate)
                && worst.as_ref().is_none_or(|(w, _, _)| ratio < *w)
            {
                worst = Some((ratio, x.route.clone(), x.concurrency));
            }
        }
        if let Some((ratio, route, c)) = worst {
            targets.push((
                format!(
                    "{} students: PostgreSQL within 2× of SQLite on every page",
                    pg.students
                ),
                format!("slowest: {route} at c={c}, {ratio:.2}× the SQLite rate"),
                ratio >= 0.5,
            ));
        }
    }
    out.push_str("\n### Targets\n\n| target | measured | |\n|---|---|---|\n");
    for (what, measured, ok) in targets {
        out.push_str(&format!("| {what} | {measured} | {} |\n", yes(ok)));
    }
    out
}
