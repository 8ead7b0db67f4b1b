use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use koers_domain::{DisplayName, Email, NewPassword, Role, RoleAssignment, normalise_roles};
use koers_store::platform::{institutions, passwords, programmes, users};
use koers_store::sealing::SealingKey;
use koers_store::{Db, Tenant, demo};
use koers_web::{AppState, WebConfig, make_app};
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Koers: the open platform for career guidance (LOB) in Dutch teacher education.
#[derive(Parser)]
#[command(name = "koers", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    /// Log format.
    #[arg(
        long,
        global = true,
        env = "KOERS_LOG_FORMAT",
        value_enum,
        default_value = "pretty"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Pretty,
    Json,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Database URL: `sqlite://PATH` or `postgres://USER:PASS@HOST/DB`. Default: an SQLite
    /// file `koers.db` in the data directory.
    #[arg(long, global = true, env = "KOERS_DATABASE_URL")]
    database_url: Option<String>,
    /// Directory for the SQLite database and Koers's keys.
    #[arg(
        long,
        global = true,
        env = "KOERS_DATA_DIR",
        default_value = "./koers-data"
    )]
    data_dir: PathBuf,
    /// The key that seals second-factor secrets in the database (64 hexadecimal digits).
    /// Created when missing. Keep it apart from database backups; with several instances, give
    /// every instance the same file. Default: `secret.key` in the data directory.
    #[arg(long, global = true, env = "KOERS_SECRET_KEY_FILE")]
    secret_key_file: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrations run first).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Fill an empty database with the demo institutions and generated people.
    Demo(DemoArgs),
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Back up the database to FILE (SQLite: an online snapshot; PostgreSQL: pg_dump). Koers
    /// may keep running.
    Backup(BackupArgs),
    /// Restore the database from FILE made by `koers backup` (stop Koers first).
    Restore(BackupArgs),
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The key that seals second-factor secrets (`--secret-key-file`).
    SecretKey {
        #[command(subcommand)]
        command: SecretKeyCommand,
    },
}

#[derive(Subcommand)]
enum SecretKeyCommand {
    /// The key is lost, or a backup was restored without it: forget every second factor
    /// (they cannot be opened any more), write a new key and end all sessions. People who had
    /// two-step verification set it up again at their next login. Recorded in the audit log.
    Reset(ResetKeyArgs),
}

#[derive(Args)]
struct ResetKeyArgs {
    /// Confirm without being asked (for scripts).
    #[arg(long)]
    yes: bool,
}

#[derive(Args)]
struct BackupArgs {
    /// The backup file.
    file: PathBuf,
    /// Replace an existing file (backup) or database (restore).
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import students from a CSV export of the student information system (all or nothing;
    /// re-import updates by student number). See the README for the columns.
    Students(ImportStudentsArgs),
}

#[derive(Args)]
struct ImportStudentsArgs {
    /// The CSV file (`;` or `,`, UTF-8 or Windows-1252).
    file: std::path::PathBuf,
    /// The institution's short name (slug); required when there are several.
    #[arg(long, env = "KOERS_INSTITUTION")]
    institution: Option<String>,
    /// Check the file and show what would change, without writing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KOERS_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Seed demo data when the database is empty.
    #[arg(long, env = "KOERS_DEMO")]
    demo: bool,
    /// Number of generated demo students (with --demo).
    #[arg(long, env = "KOERS_DEMO_STUDENTS", default_value_t = demo::DEFAULT_STUDENTS)]
    demo_students: u64,
    /// Mark cookies Secure (set this when Koers is reached over HTTPS).
    #[arg(long, env = "KOERS_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Require this bearer token for /metrics.
    #[arg(long, env = "KOERS_METRICS_TOKEN")]
    metrics_token: Option<String>,
    /// Trust X-Forwarded-For (only behind a reverse proxy you control).
    #[arg(long, env = "KOERS_TRUST_PROXY")]
    trust_proxy: bool,
    /// The address people reach Koers at, e.g. https://koers.example.nl (for absolute links
    /// such as calendar feeds; default: the request's host).
    #[arg(long, env = "KOERS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Mail server host; without it, mail stays in the outbox for administrators to read.
    #[arg(long, env = "KOERS_SMTP_HOST")]
    smtp_host: Option<String>,
    /// Mail server port.
    #[arg(long, env = "KOERS_SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    /// `starttls` (default) or `none` (only for a mail server on the same machine).
    #[arg(long, env = "KOERS_SMTP_TLS", default_value = "starttls")]
    smtp_tls: String,
    /// Mail server user name.
    #[arg(long, env = "KOERS_SMTP_USER")]
    smtp_user: Option<String>,
    /// Mail server password.
    #[arg(long, env = "KOERS_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// The sender of Koers's mail.
    #[arg(
        long,
        env = "KOERS_SMTP_FROM",
        default_value = "Koers <noreply@localhost>"
    )]
    smtp_from: String,
    /// Single sign-on: the OpenID provider's issuer URL (discovery), e.g.
    /// https://connect.surfconext.nl; without it, passwords only.
    #[arg(long, env = "KOERS_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// The client id Koers is registered with at the provider.
    #[arg(long, env = "KOERS_OIDC_CLIENT_ID", default_value = "")]
    oidc_client_id: String,
    /// The client secret.
    #[arg(long, env = "KOERS_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Scopes besides `openid`, separated by spaces.
    #[arg(long, env = "KOERS_OIDC_SCOPES", default_value = "profile email")]
    oidc_scopes: String,
    /// Claim names that differ from SURFconext's, e.g.
    /// `institution=schacHomeOrganization,affiliations=eduPersonAffiliation`.
    #[arg(long, env = "KOERS_OIDC_CLAIMS", default_value = "")]
    oidc_claims: String,
    /// The provider's name on the login page.
    #[arg(long, env = "KOERS_OIDC_LABEL", default_value = "SURFconext")]
    oidc_label: String,
    /// Accept single sign-on only with one of these authentication contexts (the `acr` claim,
    /// separated by spaces), e.g. `http://schemas.microsoft.com/claims/multipleauthn` for
    /// SURFconext's second factor; Koers asks the provider for them. Empty: any.
    #[arg(long, env = "KOERS_OIDC_REQUIRE_ACR", default_value = "")]
    oidc_require_acr: String,
    /// Roles that must log in with a second factor (TOTP) when they use a password: role keys
    /// separated by commas, or `personal-data` for every role that reads guidance notes, HR
    /// records or placement students' files (administrator, programme_manager, counsellor,
    /// hr_adviser, placement_mentor). Empty: the second factor is optional for everyone.
    #[arg(long, env = "KOERS_REQUIRE_SECOND_FACTOR", default_value = "")]
    require_second_factor: String,
    /// Retention periods in days, `category=days` separated by commas, over the defaults
    /// (left-students=730, inactive-accounts=365, audit-personal=730, notifications=365,
    /// outbox=90). A daily job removes or anonymises what has expired.
    #[arg(long, env = "KOERS_RETENTION", default_value = "")]
    retention: String,
    /// Let the OOAPI import reach addresses on this machine or an internal network (by default
    /// refused, against server-side request forgery); for an OOAPI server inside the network.
    #[arg(long, env = "KOERS_OOAPI_ALLOW_INTERNAL")]
    ooapi_allow_internal: bool,
    /// Serve the benchmark's baseline route `/baseline` (the bench turns this on; otherwise
    /// the route answers 404).
    #[arg(long, env = "KOERS_BENCHMARK", hide = true)]
    benchmark: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Number of generated students (up to 1,000,000).
    #[arg(long, env = "KOERS_DEMO_STUDENTS", default_value_t = demo::DEFAULT_STUDENTS,
          value_parser = clap::value_parser!(u64).range(0..=demo::MAX_STUDENTS))]
    students: u64,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Args)]
struct UserAddArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// Role key: administrator, programme_manager, counsellor, lecturer, student, hr_adviser,
    /// employee, placement_mentor, partner_coordinator. Repeat for several roles.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// Limit the role(s) to this programme code.
    #[arg(long)]
    programme: Option<String>,
    /// The institution's short name (slug); required when there are several.
    #[arg(long, env = "KOERS_INSTITUTION")]
    institution: Option<String>,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("koers: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("KOERS_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

/// The database, migrated, without its secret key (for `secret-key reset`).
async fn connect_db(args: &DbArgs) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create data directory {}", args.data_dir.display()))?;
    let url = match &args.database_url {
        Some(u) => u.clone(),
        None => format!("sqlite://{}", args.data_dir.join("koers.db").display()),
    };
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    db.migrate().await.context("migrations failed")?;
    db.analyze(false).await.context("planner statistics")?;
    Ok(db)
}

fn key_file(args: &DbArgs) -> PathBuf {
    args.secret_key_file
        .clone()
        .unwrap_or_else(|| args.data_dir.join("secret.key"))
}

/// The database, migrated, with the key that seals second factors (checked against it).
async fn open_db(args: &DbArgs) -> anyhow::Result<Db> {
    let db = connect_db(args).await?;
    let key_file = key_file(args);
    let loaded = SealingKey::load(&key_file)
        .with_context(|| format!("cannot read the secret key {}", key_file.display()))?;
    let (key, new_bytes) = match loaded {
        Some(key) => (key, None),
        None => {
            let (bytes, key) = SealingKey::generate();
            (key, Some(bytes))
        }
    };
    // Checked before a new key file is written, so a wrong path leaves no stray key behind.
    if !koers_store::platform::second_factor::key_fits(&db, &key).await? {
        anyhow::bail!(
            "the secret key {} is not the one this database's second factors were sealed with: \
             every instance needs the same --secret-key-file (and a restored database the key \
             it was backed up with). If that key is lost, `koers secret-key reset` forgets every \
             second factor and makes a new key (see the README, Backups)",
            key_file.display()
        );
    }
    if let Some(bytes) = new_bytes {
        SealingKey::write_new(&key_file, &bytes)
            .with_context(|| format!("cannot create the secret key {}", key_file.display()))?;
        tracing::info!(
            file = %key_file.display(),
            "created the secret key that seals second factors; keep it apart from database backups"
        );
    }
    let db = db.with_sealing_key(key);
    let sealed = koers_store::platform::second_factor::seal_stored_secrets(&db)
        .await
        .with_context(|| format!("secret key {}", key_file.display()))?;
    if sealed > 0 {
        tracing::info!(sealed, "sealed second-factor secrets stored before sealing");
    }
    Ok(db)
}

/// Hide a password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Backup(args) => {
            let target =
                crate::backup::Target::of(cli.db.database_url.as_deref(), &cli.db.data_dir)?;
            crate::backup::backup(&target, &args.file, args.force).await
        }
        Command::Restore(args) => {
            let target =
                crate::backup::Target::of(cli.db.database_url.as_deref(), &cli.db.data_dir)?;
            crate::backup::restore(&target, &args.file, args.force).await
        }
        Command::Migrate => {
            open_db(&cli.db).await?;
            println!("Migrations are up to date.");
            Ok(())
        }
        Command::Demo(args) => {
            let db = open_db(&cli.db).await?;
            if !demo::is_empty(&db).await? {
                bail!("the database is not empty: demo data is only added to an empty database");
            }
            let base = std::env::var("KOERS_PUBLIC_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "http://127.0.0.1:8080".into());
            seed_demo(&db, args.students, &base).await
        }
        Command::User {
            command: UserCommand::Add(args),
        } => {
            let db = open_db(&cli.db).await?;
            add_user(&db, args).await
        }
        Command::Import {
            command: ImportCommand::Students(args),
        } => {
            let db = open_db(&cli.db).await?;
            import_students(&db, args).await
        }
        Command::SecretKey {
            command: SecretKeyCommand::Reset(args),
        } => {
            let db = connect_db(&cli.db).await?;
            crate::secret_key::reset(&db, &key_file(&cli.db), args.yes).await
        }
        Command::Serve(args) => serve(&cli.db, *args).await,
    }
}

/// The institution named by `slug`, or the only one.
async fn pick_institution(
    db: &Db,
    slug: Option<&str>,
) -> anyhow::Result<institutions::Institution> {
    let all = institutions::all(db).await?;
    match (slug, all.len()) {
        (Some(slug), _) => institutions::by_slug(db, slug)
            .await?
            .with_context(|| format!("no institution {slug:?}")),
        (None, 1) => Ok(all[0].clone()),
        (None, 0) => bail!("there is no institution yet"),
        (None, _) => bail!(
            "several institutions exist; choose one with --institution ({})",
            all.iter()
                .map(|i| i.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

async fn import_students(db: &Db, args: ImportStudentsArgs) -> anyhow::Result<()> {
    use koers_store::guidance::import;
    use koers_web::i18n::{Locale, Tr};
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let institution = pick_institution(db, args.institution.as_deref()).await?;
    let t = Tenant::new(db, &institution.id);
    let tr = Tr(Locale::En);
    let report = |errors: &[koers_domain::guidance::import::ImportError]| {
        for e in errors {
            let message = tr.t1(
                &format!("import-error-{}", e.code),
                "value",
                e.value.as_deref().unwrap_or(""),
            );
            match &e.column {
                Some(c) => eprintln!("line {}, column {c}: {message}", e.line),
                None => eprintln!("line {}: {message}", e.line),
            }
        }
        anyhow::anyhow!("{} error(s); nothing was imported", errors.len())
    };
    let parsed = koers_domain::guidance::import::parse_file(&bytes).map_err(|e| report(&e))?;
    let header_of = |c: &str| parsed.header(c);
    let plan = import::plan(t, parsed.rows.clone(), None, &header_of)
        .await?
        .map_err(|e| report(&e))?;
    println!(
        "{}: {} new, {} to update, {} unchanged, {} new cohort(s).",
        args.file.display(),
        plan.created(),
        plan.updated(),
        plan.unchanged(),
        plan.new_cohorts.len()
    );
    if args.dry_run {
        println!("Dry run: nothing was written.");
        return Ok(());
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(plan.rows.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Students");
    let (created, updated) =
        import::apply(t, &plan, None, &|done, _| bar.set_position(done as u64)).await?;
    bar.finish_and_clear();
    println!("Imported: {created} created, {updated} updated.");
    Ok(())
}

fn demo_password() -> String {
    std::env::var("KOERS_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| demo::DEFAULT_PASSWORD.into())
}

async fn seed_demo(db: &Db, students: u64, base_url: &str) -> anyhow::Result<()> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(students)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Demo students");
    let password = demo_password();
    let report = demo::seed(db, &password, students, &|done, _| bar.set_position(done)).await?;
    bar.finish_and_clear();
    // Credentials for what the demo students completed (signed like any other).
    koers_web::badges::award_all_completed(db, base_url)
        .await
        .map_err(|e| anyhow::anyhow!("issuing the demo credentials failed: {e}"))?;
    db.analyze(true).await?;
    db.set_state("demo_seeded", "true").await?;
    db.checkpoint().await?;
    if let Some(r) = report {
        println!(
            "Demo data is ready: Hogeschool Demo ({} generated students) and Hogeschool Tweede.",
            r.students
        );
        println!("Demo accounts (password: {password}):");
        for (email, role) in &r.accounts {
            println!("  {email:<30} {}", role.key());
        }
        println!("  {:<30} administrator (Hogeschool Tweede)", r.second_admin);
    }
    Ok(())
}

async fn add_user(db: &Db, args: UserAddArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email: {}", e.code))?;
    let name = DisplayName::parse(&args.name).map_err(|e| anyhow::anyhow!("--name: {}", e.code))?;
    let all = institutions::all(db).await?;
    let institution = match (&args.institution, all.len()) {
        (Some(slug), _) => institutions::by_slug(db, slug)
            .await?
            .with_context(|| format!("no institution {slug:?}"))?,
        (None, 1) => all[0].clone(),
        (None, 0) => institutions::create(db, "Mijn Instelling", "instelling").await?,
        (None, _) => bail!(
            "several institutions exist; choose one with --institution ({})",
            all.iter()
                .map(|i| i.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let t = Tenant::new(db, &institution.id);
    let programme_id = match &args.programme {
        Some(code) => Some(
            programmes::by_code(t, code)
                .await?
                .with_context(|| format!("no programme {code:?}"))?
                .id,
        ),
        None => None,
    };
    let mut roles = Vec::new();
    for key in &args.roles {
        let role = Role::parse(key).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
        let scope = if role.programme_scopable() {
            programme_id.clone()
        } else {
            None
        };
        roles.push(RoleAssignment {
            role,
            programme_id: scope,
        });
    }
    let mut password = String::new();
    if std::io::stdin().is_terminal() {
        eprintln!("Password for {email} (then Enter):");
    }
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let password = NewPassword::parse(password, Some(email.as_str()))
        .map_err(|e| anyhow::anyhow!("password: {}", e.code))?;
    let hash = passwords::hash(password.expose());
    let u = users::create(
        t,
        users::NewUser {
            email: email.as_str(),
            name: name.as_str(),
            password_hash: Some(hash),
            locale: None,
            roles: &normalise_roles(roles),
        },
    )
    .await
    .map_err(|e| match e {
        koers_store::StoreError::Conflict(_) => {
            anyhow::anyhow!("an account with email {email} already exists")
        }
        e => e.into(),
    })?;
    println!(
        "Created user {} ({}) in {}.",
        u.email, u.id, institution.name
    );
    Ok(())
}

async fn serve(db_args: &DbArgs, args: ServeArgs) -> anyhow::Result<()> {
    let db = open_db(db_args).await?;
    let state = AppState::new(
        db.clone(),
        WebConfig {
            secure_cookies: args.secure_cookies,
            metrics_token: args.metrics_token,
            trust_proxy: args.trust_proxy,
            public_url: args.public_url,
            smtp: match args.smtp_host {
                Some(host) => Some(koers_web::SmtpConfig {
                    host,
                    port: args.smtp_port,
                    starttls: match args.smtp_tls.as_str() {
                        "starttls" => true,
                        "none" => false,
                        other => anyhow::bail!("--smtp-tls must be starttls or none, not {other}"),
                    },
                    username: args.smtp_user,
                    password: args.smtp_password,
                    from: args.smtp_from,
                }),
                None => None,
            },
            oidc: match args.oidc_issuer {
                Some(issuer) => {
                    if args.oidc_client_id.is_empty() {
                        anyhow::bail!("--oidc-issuer needs --oidc-client-id");
                    }
                    Some(koers_web::sso::OidcConfig {
                        issuer,
                        client_id: args.oidc_client_id,
                        client_secret: args.oidc_client_secret.filter(|s| !s.is_empty()),
                        scopes: args
                            .oidc_scopes
                            .split_whitespace()
                            .filter(|s| *s != "openid")
                            .map(str::to_owned)
                            .collect(),
                        claims: koers_domain::platform::sso::ClaimMap::parse(&args.oidc_claims)
                            .map_err(|e| anyhow::anyhow!("--oidc-claims: {e}"))?,
                        label: args.oidc_label,
                        require_acr: args
                            .oidc_require_acr
                            .split_whitespace()
                            .map(str::to_owned)
                            .collect(),
                    })
                }
                None => None,
            },
            second_factor_roles: koers_web::second_factor::parse_roles(&args.require_second_factor)
                .map_err(|e| anyhow::anyhow!("--require-second-factor: {e}"))?,
            retention: koers_store::platform::retention::Policy::parse(&args.retention)
                .map_err(|e| anyhow::anyhow!("--retention: {e}"))?,
            ooapi_allow_internal: args.ooapi_allow_internal,
            benchmark: args.benchmark,
        },
    );
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let app = make_app(state.clone());
    if args.demo {
        if demo::is_empty(&db).await? {
            let base = state.config().public_url.clone().unwrap_or_else(|| {
                format!("http://{}", listener.local_addr().map_or(args.addr, |a| a))
            });
            seed_demo(&db, args.demo_students, &base).await?;
        } else {
            println!("The database already holds data: demo data was not added again.");
            println!(
                "Demo accounts: {} … (password: {})",
                demo::DEMO_ACCOUNTS[0].0,
                demo_password()
            );
        }
    }
    state.set_ready();
    tokio::spawn(crate::housekeeping::run(
        db.clone(),
        state.config().retention.clone(),
    ));
    tokio::spawn(koers_web::mailer::run(state.clone()));
    println!("Koers is running at http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests;
