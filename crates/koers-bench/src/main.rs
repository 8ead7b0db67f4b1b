//! The Koers benchmark: seed N students, start Koers, drive load on loopback against the
//! baseline route and chosen pages, and print requests/s, p50, p99 and the ratio to the
//! baseline (Markdown, and JSON with `--json FILE`). Not a test: numbers are read, compared
//! between runs on the same machine, never asserted.

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
    /// Generated students in the demo institution.
    #[arg(long, default_value_t = 10_000)]
    students: u64,
    /// Seconds of load per route and concurrency.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrency levels (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    concurrency: Vec<usize>,
    /// The koers binary (default: next to this one; build it with `cargo build --release`).
    #[arg(long)]
    koers: Option<PathBuf>,
    /// Database URL (default: a fresh SQLite file). A PostgreSQL database must be empty.
    #[arg(long)]
    database_url: Option<String>,
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
    /// Lines of the CSV student import to time after the load (0: skip).
    #[arg(long, default_value_t = 40_000)]
    import_rows: u64,
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

#[derive(Clone)]
struct Target {
    name: &'static str,
    path: String,
    auth: Auth,
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
    concurrency: usize,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    ratio_to_baseline: f64,
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
    let data = std::env::temp_dir().join(format!("koers-bench-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    let mut common: Vec<String> = vec!["--data-dir".into(), data.display().to_string()];
    if let Some(url) = &args.database_url {
        common.extend(["--database-url".into(), url.clone()]);
    }

    eprintln!("seeding {} students …", args.students);
    let t0 = Instant::now();
    let status = std::process::Command::new(&koers)
        .arg("demo")
        .args(["--students", &args.students.to_string()])
        .args(&common)
        .stdout(Stdio::null())
        .status()
        .context("run koers demo")?;
    if !status.success() {
        bail!("koers demo failed");
    }
    let seed_secs = t0.elapsed().as_secs_f64();
    eprintln!("seeded in {seed_secs:.1} s");

    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build_http();
    let started = Instant::now();
    let mut servers = Vec::new();
    let mut bases = Vec::new();
    for i in 0..args.instances.max(1) {
        let addr = format!("127.0.0.1:{}", args.port + i);
        servers.push(
            tokio::process::Command::new(&koers)
                .arg("serve")
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
    let base = bases[0].clone();
    for b in &bases {
        let mut ready = false;
        for _ in 0..200 {
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

    let student = web_login(&client, &base, "student@demo.koers.test").await?;
    let counsellor = web_login(&client, &base, "slb@demo.koers.test").await?;
    let manager = web_login(&client, &base, "manager@demo.koers.test").await?;
    let admin = web_login(&client, &base, "beheerder@demo.koers.test").await?;
    let admin_token = api_login(&client, &base, "beheerder@demo.koers.test").await?;
    let counsellor_token = api_login(&client, &base, "slb@demo.koers.test").await?;
    let manager_token = api_login(&client, &base, "manager@demo.koers.test").await?;
    let (_, _, body) = get(
        &client,
        &format!("{base}/api/v1/students?q=500000"),
        &Auth::Bearer(counsellor_token.clone()),
    )
    .await?;
    let found: serde_json::Value = serde_json::from_slice(&body)?;
    let zoe = found["items"][0]["id"]
        .as_str()
        .context("the demo student")?
        .to_owned();
    let t = |name: &'static str, path: &str, auth: &Auth| Target {
        name,
        path: path.to_owned(),
        auth: auth.clone(),
    };
    let (student, counsellor, manager, admin) = (
        Auth::Cookie(student),
        Auth::Cookie(counsellor),
        Auth::Cookie(manager),
        Auth::Cookie(admin),
    );
    let (admin_token, counsellor_token, manager_token) = (
        Auth::Bearer(admin_token),
        Auth::Bearer(counsellor_token),
        Auth::Bearer(manager_token),
    );
    let targets = vec![
        t("baseline", "/baseline", &Auth::None),
        t("login page", "/login", &Auth::None),
        t("student home", "/home", &student),
        t("career file (student)", "/career-file", &student),
        t("counsellor home", "/home", &counsellor),
        t("counsellor caseload", "/students", &counsellor),
        t(
            "student page (counsellor)",
            &format!("/students/{zoe}"),
            &counsellor,
        ),
        t("programme coverage", "/coverage?programme=LO-ECO", &manager),
        t("indicator dashboard", "/indicators", &manager),
        t(
            "indicator drill-down",
            "/indicators/intake_in_time",
            &manager,
        ),
        t("administrator home", "/home", &admin),
        t("users list", "/admin/users", &admin),
        t("API me", "/api/v1/me", &admin_token),
        t("API users", "/api/v1/users?limit=50", &admin_token),
        t(
            "API caseload",
            "/api/v1/students?limit=50",
            &counsellor_token,
        ),
        t(
            "API student",
            &format!("/api/v1/students/{zoe}"),
            &counsellor_token,
        ),
        t(
            "API coverage",
            "/api/v1/programmes/LO-ECO/coverage",
            &manager_token,
        ),
        t("API indicators", "/api/v1/indicators", &manager_token),
    ];

    let mut rows = Vec::new();
    for &c in &args.concurrency {
        let mut baseline_rps = 0.0;
        for t in &targets {
            let urls: Vec<String> = bases.iter().map(|b| format!("{b}{}", t.path)).collect();
            let (requests, errors, mut lat) = load(
                &client,
                &urls,
                &t.auth,
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
            if t.name == "baseline" {
                baseline_rps = rps;
            }
            let row = Row {
                route: t.name.to_owned(),
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
    let import = if args.import_rows > 0 {
        Some(time_import(&client, &base, &admin_token, args.import_rows).await?)
    } else {
        None
    };
    // The largest instance's peak (each instance is its own process).
    let rss_kb = servers.iter().filter_map(|s| peak_rss_kb(s.id())).max();
    for mut server in servers {
        let _ = server.kill().await;
    }
    let _ = std::fs::remove_dir_all(&data);

    println!(
        "\nKoers bench: {} students, {} s per cell, {}, {} instance(s); start to ready {:.0} ms; seeding {:.1} s; peak RSS {} MB\n",
        args.students,
        args.seconds,
        if args.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        args.instances.max(1),
        startup_ms,
        seed_secs,
        rss_kb.map_or("?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0))
    );
    if let Some(secs) = import {
        println!(
            "CSV import of {} new students (one request, all or nothing): {:.2} s\n",
            args.import_rows, secs
        );
    }
    println!("| route | concurrency | requests/s | p50 ms | p99 ms | ratio to baseline | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            r.route, r.concurrency, r.rps, r.p50_ms, r.p99_ms, r.ratio_to_baseline, r.errors
        );
    }
    if let Some(path) = &args.json {
        let doc = serde_json::json!({"students": args.students, "seconds": args.seconds,
            "instances": args.instances.max(1), "startup_ms": startup_ms,
            "seed_seconds": seed_secs, "peak_rss_kb": rss_kb, "import_rows": args.import_rows,
            "import_seconds": import, "rows": rows});
        std::fs::write(path, serde_json::to_string_pretty(&doc)?)?;
    }
    Ok(())
}

/// POST a CSV of `n` new students to the import API and time it.
async fn time_import(client: &HttpClient, base: &str, admin: &Auth, n: u64) -> anyhow::Result<f64> {
    let mut csv = String::with_capacity(n as usize * 90);
    csv.push_str("studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort\n");
    for i in 0..n {
        csv.push_str(&format!(
            "B{i:07};Bench;van;Student {i};bench.{i}@import.koers.test;LO-ECO;2026\n"
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

fn request(
    method: &str,
    url: &str,
    auth: &Auth,
    body: Option<(&str, String)>,
) -> Request<Full<Bytes>> {
    let mut b = Request::builder().method(method).uri(url);
    match auth {
        Auth::None => {}
        Auth::Cookie(c) => b = b.header(header::COOKIE, c),
        Auth::Bearer(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
    }
    match body {
        Some((ct, text)) => b
            .header(header::CONTENT_TYPE, ct)
            .body(Full::new(Bytes::from(text)))
            .expect("valid request"),
        None => b.body(Full::new(Bytes::new())).expect("valid request"),
    }
}

async fn get(
    client: &HttpClient,
    url: &str,
    auth: &Auth,
) -> anyhow::Result<(StatusCode, hyper::HeaderMap, Bytes)> {
    let res = client.request(request("GET", url, auth, None)).await?;
    let (parts, body) = res.into_parts();
    Ok((
        parts.status,
        parts.headers,
        body.collect().await?.to_bytes(),
    ))
}

fn cookie_pairs(headers: &hyper::HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect()
}

/// Log in through the form; returns the Cookie header of the session.
async fn web_login(client: &HttpClient, base: &str, email: &str) -> anyhow::Result<String> {
    let (_, headers, body) = get(client, &format!("{base}/login"), &Auth::None).await?;
    let cookies = cookie_pairs(&headers).join("; ");
    let html = String::from_utf8_lossy(&body);
    let i = html
        .find("name=\"_csrf\" value=\"")
        .context("no CSRF token on the login page")?
        + 20;
    let csrf = &html[i..i + html[i..].find('"').context("bad token")?];
    let form = format!("_csrf={csrf}&email={email}&password=koers-demo&next=");
    let res = client
        .request(request(
            "POST",
            &format!("{base}/login"),
            &Auth::Cookie(cookies.clone()),
            Some(("application/x-www-form-urlencoded", form)),
        ))
        .await?;
    if res.status() != StatusCode::SEE_OTHER {
        bail!("login of {email} failed: {}", res.status());
    }
    let mut all = cookie_pairs(res.headers());
    all.push(cookies);
    Ok(all.join("; "))
}

async fn api_login(client: &HttpClient, base: &str, email: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({"email": email, "password": "koers-demo"}).to_string();
    let res = client
        .request(request(
            "POST",
            &format!("{base}/api/v1/sessions"),
            &Auth::None,
            Some(("application/json", body)),
        ))
        .await?;
    let bytes = res.into_body().collect().await?.to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&bytes)?;
    Ok(v["token"].as_str().context("no token")?.to_owned())
}

/// `concurrency` workers send GET requests back to back for `duration`, each request to the
/// next of `urls` (the same route on every instance).
async fn load(
    client: &HttpClient,
    urls: &[String],
    auth: &Auth,
    concurrency: usize,
    duration: Duration,
) -> (u64, u64, Vec<Duration>) {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (client, urls, auth) = (client.clone(), urls.to_vec(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let (mut n, mut errors, mut lat) = (0u64, 0u64, Vec::new());
            let mut k = w;
            while Instant::now() < deadline {
                let t = Instant::now();
                let url = &urls[k % urls.len()];
                k += 1;
                match get(&client, url, &auth).await {
                    Ok((s, _, _)) if s.is_success() => n += 1,
                    _ => errors += 1,
                }
                lat.push(t.elapsed());
            }
            (n, errors, lat)
        }));
    }
    let (mut n, mut e, mut lat) = (0, 0, Vec::new());
    for t in tasks {
        if let Ok((a, b, l)) = t.await {
            n += a;
            e += b;
            lat.extend(l);
        }
    }
    (n, e, lat)
}
