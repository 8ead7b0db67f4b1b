//! The Koers benchmark: seed N students, start Koers, drive load on loopback against the
//! baseline route and chosen pages, and print requests/s, p50, p99 and the ratio to the
//! baseline (Markdown, and JSON with `--json FILE`). Not a test: numbers are read, compared
//! between runs on the same machine, never asserted.

mod http;
use http::{api_login, get, load, request, send, web_login};
mod report;

use anyhow::{Context, bail};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Koers benchmark: seeds data, starts Koers, drives load on loopback")]
struct Args {
    /// Generated students in the demo institution; several sizes make a series
    /// (e.g. 1000,100000,1000000), each on a fresh database.
    #[arg(long, value_delimiter = ',', default_value = "10000")]
    students: Vec<u64>,
    /// Databases to run each size on: sqlite, postgres (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "sqlite")]
    databases: Vec<Database>,
    /// A PostgreSQL server for `--databases postgres`: the bench creates a fresh database on
    /// it for each run and drops it afterwards.
    #[arg(
        long,
        env = "KOERS_BENCH_POSTGRES",
        default_value = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
    )]
    postgres: String,
    /// Seconds of load per route and concurrency.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrency levels (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    concurrency: Vec<usize>,
    /// The koers binary (default: next to this one; build it with `cargo build --release`).
    #[arg(long)]
    koers: Option<PathBuf>,
    /// Port for Koers on 127.0.0.1.
    #[arg(long, default_value_t = 18181)]
    port: u16,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Koers instances on the same database (ports `port`, `port+1`, …); the load alternates
    /// between them request by request, with sessions made on the first.
    #[arg(long, default_value_t = 1)]
    instances: u16,
    /// Sizes of the CSV student import to time after the load, each one request (0: skip).
    #[arg(long, value_delimiter = ',', default_value = "40000,100000")]
    import_rows: Vec<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Database {
    Sqlite,
    Postgres,
}

impl Database {
    fn label(self) -> &'static str {
        match self {
            Database::Sqlite => "SQLite",
            Database::Postgres => "PostgreSQL",
        }
    }
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// What a route's cost should depend on (the targets differ per kind).
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Baseline,
    /// One person's page: flat as the institution grows, at least half the baseline.
    OnePerson,
    /// A programme's or the institution's figures: p99 ≤ 50 ms at the largest size.
    Aggregate,
    /// A change: the write, its audit line and the institution's hash chain.
    Write,
    Other,
}

#[derive(Clone)]
struct Target {
    name: &'static str,
    kind: Kind,
    /// The paths requested in turn (a write spreads over several records, as several
    /// counsellors would).
    paths: Vec<String>,
    auth: Auth,
    /// For a write: the method and its JSON body.
    write: Option<(&'static str, String)>,
}

#[derive(Clone)]
enum Auth {
    None,
    Cookie(String),
    Bearer(String),
}

#[derive(serde::Serialize)]
struct Row {
    route: String,
    kind: Kind,
    concurrency: usize,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    ratio_to_baseline: f64,
}

#[derive(serde::Serialize)]
struct Import {
    rows: u64,
    seconds: f64,
}

#[derive(serde::Serialize)]
struct Run {
    database: Database,
    students: u64,
    instances: u16,
    seconds: u64,
    startup_ms: f64,
    /// How long the instances were busy after start (the first housekeeping tick), waited
    /// out before the load.
    settle_seconds: f64,
    seed_seconds: f64,
    /// The largest instance's peak resident set after the load, before the imports.
    load_rss_kb: Option<u64>,
    /// … and after the imports.
    peak_rss_kb: Option<u64>,
    imports: Vec<Import>,
    /// Rows per second of a prepared single-row INSERT loop in one transaction, on the same
    /// database, with the columns of the import (the import's yardstick).
    raw_insert_rows_per_s: Option<f64>,
    rows: Vec<Row>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let koers = match &args.koers {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.with_file_name("koers"),
    };
    if !koers.exists() {
        bail!(
            "{} not found: build it first (cargo build --release) or pass --koers",
            koers.display()
        );
    }
    sqlx::any::install_default_drivers();
    let mut runs = Vec::new();
    for &db in &args.databases {
        for &n in &args.students {
            let run = run(&args, &koers, db, n, runs.len()).await?;
            println!("{}", report::run_markdown(&run));
            runs.push(run);
        }
    }
    if !runs.is_empty() {
        println!("{}", report::summary_markdown(&runs));
    }
    if let Some(path) = &args.json {
        let doc = serde_json::json!({"runs": runs});
        std::fs::write(path, serde_json::to_string_pretty(&doc)?)?;
    }
    Ok(())
}

/// One size on one database: seed a fresh database, start Koers, load every route, time the
/// imports and the raw insert loop.
async fn run(
    args: &Args,
    koers: &std::path::Path,
    database: Database,
    students: u64,
    seq: usize,
) -> anyhow::Result<Run> {
    let data = std::env::temp_dir().join(format!("koers-bench-{}-{seq}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let mut common: Vec<String> = vec!["--data-dir".into(), data.display().to_string()];
    let pg_name = format!("koers_bench_{}_{seq}", std::process::id());
    let url = match database {
        Database::Sqlite => format!("sqlite://{}", data.join("koers.db").display()),
        Database::Postgres => {
            let admin = sqlx::AnyPool::connect(&args.postgres)
                .await
                .with_context(|| format!("connect to PostgreSQL at {}", args.postgres))?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {pg_name}")))
                .execute(&admin)
                .await?;
            admin.close().await;
            let url = with_database(&args.postgres, &pg_name);
            common.extend(["--database-url".into(), url.clone()]);
            url
        }
    };

    eprintln!("{}: seeding {students} students …", database.label());
    let t0 = Instant::now();
    let status = std::process::Command::new(koers)
        .arg("demo")
        .args(["--students", &students.to_string()])
        .args(&common)
        .stdout(Stdio::null())
        .status()
        .context("run koers demo")?;
    if !status.success() {
        bail!("koers demo failed");
    }
    let seed_seconds = t0.elapsed().as_secs_f64();
    eprintln!("seeded in {seed_seconds:.1} s");

    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build_http();
    let started = Instant::now();
    let mut servers = Vec::new();
    let mut bases = Vec::new();
    for i in 0..args.instances.max(1) {
        let addr = format!("127.0.0.1:{}", args.port + i);
        servers.push(
            tokio::process::Command::new(koers)
                .arg("serve")
                .arg("--benchmark")
                .args(["--addr", &addr])
                .args(&common)
                .env("KOERS_LOG", "warn")
                .stdout(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .context("start koers serve")?,
        );
        bases.push(format!("http://{addr}"));
    }
    for b in &bases {
        let mut ready = false;
        for _ in 0..400 {
            if get(&client, &format!("{b}/readyz"), &Auth::None)
                .await
                .map(|(s, _, _)| s == StatusCode::OK)
                .unwrap_or(false)
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        if !ready {
            bail!("koers at {b} did not become ready");
        }
    }
    let startup_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The first housekeeping tick runs at start (statuses of the day, indicator values of
    // every year: tens of seconds of CPU at a million students); measure after it.
    let settle = Instant::now();
    for s in &servers {
        wait_until_idle(s.id()).await;
    }
    let settle_seconds = settle.elapsed().as_secs_f64();
    eprintln!("background work at start: {settle_seconds:.1} s");
    let base = bases[0].clone();
    let targets = targets(&client, &base).await?;

    // One unmeasured request per route and instance first (caches, prepared statements).
    for t in &targets {
        for b in &bases {
            let _ = send(&client, &format!("{b}{}", t.paths[0]), &t.auth, &t.write).await;
        }
    }
    let mut rows = Vec::new();
    for &c in &args.concurrency {
        let mut baseline_rps = 0.0;
        for t in &targets {
            let urls: Vec<String> = t
                .paths
                .iter()
                .flat_map(|p| bases.iter().map(move |b| format!("{b}{p}")))
                .collect();
            let (requests, errors, mut lat) = load(
                &client,
                &urls,
                &t.auth,
                &t.write,
                c,
                Duration::from_secs(args.seconds),
            )
            .await;
            lat.sort_unstable();
            let pct = |p: f64| {
                lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
                    .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
            };
            let rps = requests as f64 / args.seconds as f64;
            if t.kind == Kind::Baseline {
                baseline_rps = rps;
            }
            let row = Row {
                route: t.name.to_owned(),
                kind: t.kind,
                concurrency: c,
                requests,
                errors,
                rps,
                p50_ms: pct(0.50),
                p99_ms: pct(0.99),
                ratio_to_baseline: if baseline_rps > 0.0 {
                    rps / baseline_rps
                } else {
                    0.0
                },
            };
            eprintln!(
                "{:<28} c={:<3} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
                row.route, c, row.rps, row.p50_ms, row.p99_ms, row.errors
            );
            rows.push(row);
        }
    }
    // Under load, before the imports (which hold a whole file and its plan in memory).
    let load_rss_kb = servers.iter().filter_map(|s| peak_rss_kb(s.id())).max();
    let admin_token = Auth::Bearer(api_login(&client, &base, "beheerder@demo.koers.test").await?);
    let mut imports = Vec::new();
    for (k, &n) in args.import_rows.iter().enumerate() {
        if n > 0 {
            let seconds = time_import(&client, &base, &admin_token, n, k).await?;
            imports.push(Import { rows: n, seconds });
        }
    }
    // The largest instance's peak (each instance is its own process).
    let peak_rss_kb = servers.iter().filter_map(|s| peak_rss_kb(s.id())).max();
    for mut server in servers {
        let _ = server.kill().await;
    }
    let raw_insert_rows_per_s = match args.import_rows.iter().max() {
        Some(&n) if n > 0 => Some(raw_insert_loop(&url, n).await?),
        _ => None,
    };
    let _ = std::fs::remove_dir_all(&data);
    if database == Database::Postgres {
        let admin = sqlx::AnyPool::connect(&args.postgres).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
    }
    Ok(Run {
        database,
        students,
        instances: args.instances.max(1),
        seconds: args.seconds,
        startup_ms,
        settle_seconds,
        seed_seconds,
        load_rss_kb,
        peak_rss_kb,
        imports,
        raw_insert_rows_per_s,
        rows,
    })
}

/// The same server URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let server = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    format!("{server}/{name}{query}")
}

/// Log in the demo people and list the routes to load.
async fn targets(client: &HttpClient, base: &str) -> anyhow::Result<Vec<Target>> {
    let student = Auth::Cookie(web_login(client, base, "student@demo.koers.test").await?);
    let counsellor = Auth::Cookie(web_login(client, base, "slb@demo.koers.test").await?);
    let manager = Auth::Cookie(web_login(client, base, "manager@demo.koers.test").await?);
    let admin = Auth::Cookie(web_login(client, base, "beheerder@demo.koers.test").await?);
    let hr = Auth::Cookie(web_login(client, base, "hr@demo.koers.test").await?);
    let admin_token = Auth::Bearer(api_login(client, base, "beheerder@demo.koers.test").await?);
    let counsellor_token = Auth::Bearer(api_login(client, base, "slb@demo.koers.test").await?);
    let manager_token = Auth::Bearer(api_login(client, base, "manager@demo.koers.test").await?);
    let hr_token = Auth::Bearer(api_login(client, base, "hr@demo.koers.test").await?);
    let (_, _, body) = get(
        client,
        &format!("{base}/api/v1/students?q=500000"),
        &counsellor_token,
    )
    .await?;
    let found: serde_json::Value = serde_json::from_slice(&body)?;
    let zoe = found["items"][0]["id"]
        .as_str()
        .context("the demo student")?
        .to_owned();
    let scan = closed_scan_round(client, base, &hr, &hr_token).await?;
    let reports = held_conversations(client, base, &counsellor_token, &zoe, 16).await?;
    use Kind::*;
    let t = |name: &'static str, kind: Kind, path: &str, auth: &Auth| Target {
        name,
        kind,
        paths: vec![path.to_owned()],
        auth: auth.clone(),
        write: None,
    };
    let report = serde_json::json!({
        "summary": "Besproken: stagekeuze en de volgende stap. Zoë zoekt twee scholen uit.",
        "private_notes": "",
        "competencies": ["work_exploration", "career_action"],
        "agreements": [{"description": "Twee mbo-scholen bezoeken", "owner": "student"}],
    })
    .to_string();
    Ok(vec![
        t("baseline", Baseline, "/baseline", &Auth::None),
        t("login page", Other, "/login", &Auth::None),
        t("student home", OnePerson, "/home", &student),
        t("career file (student)", OnePerson, "/career-file", &student),
        t("counsellor home", OnePerson, "/home", &counsellor),
        t("counsellor caseload", OnePerson, "/students", &counsellor),
        t(
            "student page (counsellor)",
            OnePerson,
            &format!("/students/{zoe}"),
            &counsellor,
        ),
        t(
            "programme coverage",
            Aggregate,
            "/coverage?programme=LO-ECO",
            &manager,
        ),
        t(
            "learning line",
            Aggregate,
            "/learning-line/LO-ECO",
            &manager,
        ),
        t("HRM results", Aggregate, &format!("/hrm-scan/{scan}"), &hr),
        t("indicator dashboard", Aggregate, "/indicators", &manager),
        t(
            "indicator drill-down",
            Aggregate,
            "/indicators/intake_in_time",
            &manager,
        ),
        t("administrator home", Aggregate, "/home", &admin),
        t("users list", Other, "/admin/users", &admin),
        t("API me", OnePerson, "/api/v1/me", &admin_token),
        t("API users", Other, "/api/v1/users?limit=50", &admin_token),
        t(
            "API caseload",
            OnePerson,
            "/api/v1/students?limit=50",
            &counsellor_token,
        ),
        t(
            "API student",
            OnePerson,
            &format!("/api/v1/students/{zoe}"),
            &counsellor_token,
        ),
        t(
            "API coverage",
            Aggregate,
            "/api/v1/programmes/LO-ECO/coverage",
            &manager_token,
        ),
        t(
            "API learning line",
            Aggregate,
            "/api/v1/programmes/LO-ECO/learning-line",
            &manager_token,
        ),
        t(
            "API HRM results",
            Aggregate,
            &format!("/api/v1/hrm-scans/{scan}/results"),
            &hr_token,
        ),
        t(
            "API indicators",
            Aggregate,
            "/api/v1/indicators",
            &manager_token,
        ),
        Target {
            name: "API report save",
            kind: Write,
            paths: reports
                .iter()
                .map(|id| format!("/api/v1/conversations/{id}/report"))
                .collect(),
            auth: counsellor_token.clone(),
            write: Some(("PUT", report)),
        },
    ])
}

/// `n` conversations with the student that were held (in the past), for the counsellor to
/// write reports of.
async fn held_conversations(
    client: &HttpClient,
    base: &str,
    counsellor: &Auth,
    student: &str,
    n: usize,
) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for k in 0..n {
        let body = serde_json::json!({
            "student_id": student,
            "phase": "progress",
            "starts_at": format!("2026-01-{:02}T10:00:00+01:00", k + 1),
            "duration_minutes": 30,
        });
        let res = client
            .request(request(
                "POST",
                &format!("{base}/api/v1/conversations"),
                counsellor,
                Some(("application/json", body.to_string())),
            ))
            .await?;
        let status = res.status();
        let bytes = res.into_body().collect().await?.to_bytes();
        if status != StatusCode::CREATED {
            bail!(
                "planning a conversation failed: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes)?;
        ids.push(v["id"].as_str().context("no conversation id")?.to_owned());
    }
    Ok(ids)
}

/// The demo's closed HRM-scan round: of the rounds linked from the list, the one whose
/// results have the most respondents.
async fn closed_scan_round(
    client: &HttpClient,
    base: &str,
    hr: &Auth,
    hr_token: &Auth,
) -> anyhow::Result<String> {
    let (_, _, body) = get(client, &format!("{base}/hrm-scan"), hr).await?;
    let html = String::from_utf8_lossy(&body);
    let mut best: Option<(u64, String)> = None;
    for part in html.split("href=\"/hrm-scan/").skip(1) {
        let id: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if id.len() < 16 {
            continue;
        }
        let (status, _, body) = get(
            client,
            &format!("{base}/api/v1/hrm-scans/{id}/results"),
            hr_token,
        )
        .await?;
        if status != StatusCode::OK {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        let n = v["stages"][0]["respondents"].as_u64().unwrap_or(0);
        if best.as_ref().is_none_or(|(m, _)| n > *m) {
            best = Some((n, id));
        }
    }
    Ok(best.context("no HRM-scan round with results")?.1)
}

/// A prepared single-row INSERT loop of `n` rows in one transaction on the same database,
/// into a scratch table with the import's columns; rows per second.
async fn raw_insert_loop(url: &str, n: u64) -> anyhow::Result<f64> {
    let pool = sqlx::AnyPool::connect(url).await?;
    sqlx::query(
        "CREATE TABLE bench_raw_insert (id TEXT PRIMARY KEY, student_number TEXT NOT NULL, given_name TEXT NOT NULL, \
         name_prefix TEXT NOT NULL, family_name TEXT NOT NULL, email TEXT NOT NULL, programme TEXT NOT NULL, cohort BIGINT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    let t0 = Instant::now();
    let mut tx = pool.begin().await?;
    for i in 0..n {
        sqlx::query(
            "INSERT INTO bench_raw_insert (id, student_number, given_name, name_prefix, family_name, email, programme, cohort) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(format!("{i:032x}"))
        .bind(format!("R{i:07}"))
        .bind("Bench")
        .bind("van")
        .bind(format!("Student {i}"))
        .bind(format!("raw.{i}@import.koers.test"))
        .bind("LO-ECO")
        .bind(2026_i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let secs = t0.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_raw_insert")
        .execute(&pool)
        .await?;
    pool.close().await;
    eprintln!("raw insert loop of {n} rows: {secs:.2} s");
    Ok(n as f64 / secs)
}

/// POST a CSV of `n` new students to the import API and time it.
async fn time_import(
    client: &HttpClient,
    base: &str,
    admin: &Auth,
    n: u64,
    k: usize,
) -> anyhow::Result<f64> {
    let mut csv = String::with_capacity(n as usize * 90);
    csv.push_str("studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort\n");
    for i in 0..n {
        csv.push_str(&format!(
            "B{k}{i:07};Bench;van;Student {i};bench.{k}.{i}@import.koers.test;LO-ECO;2026\n"
        ));
    }
    let t0 = Instant::now();
    let res = client
        .request(request(
            "POST",
            &format!("{base}/api/v1/students/import"),
            admin,
            Some(("text/csv", csv)),
        ))
        .await?;
    let status = res.status();
    let body = res.into_body().collect().await?.to_bytes();
    let secs = t0.elapsed().as_secs_f64();
    if status != StatusCode::OK {
        bail!("import failed: {status} {}", String::from_utf8_lossy(&body));
    }
    eprintln!("CSV import of {n} students: {secs:.2} s");
    Ok(secs)
}

/// Wait (at most ten minutes) until the process uses less than a tenth of a core over a second.
async fn wait_until_idle(pid: Option<u32>) {
    let Some(pid) = pid else { return };
    let cpu = || -> Option<u64> {
        // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    };
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        let Some(before) = cpu() else { return };
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Some(after) = cpu() else { return };
        // Ticks are 1/100 s on Linux: under 10 ticks in a second is under a tenth of a core.
        if after - before < 10 {
            return;
        }
    }
}

/// The peak resident set size of a process (VmHWM), Linux only.
fn peak_rss_kb(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
