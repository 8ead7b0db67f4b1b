use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use koers_store::{Db, demo};
use koers_web::i18n::{Locale, Tr};
use koers_web::{AppState, WebConfig, make_app};
use tower::ServiceExt;

pub const PASSWORD: &str = "koers-demo";

/// The key that seals second factors in the tests' databases.
pub const TEST_KEY: [u8; 32] = [7; 32];

/// A fresh, migrated, demo-seeded database for one test.
pub async fn fresh_db() -> Db {
    let id = uuid::Uuid::now_v7().simple().to_string();
    let url = if std::env::var("KOERS_TEST_BACKEND").as_deref() == Ok("postgres") {
        let admin = std::env::var("KOERS_TEST_POSTGRES_URL")
            .expect("KOERS_TEST_POSTGRES_URL for the postgres backend");
        let admin_db = Db::connect(&admin)
            .await
            .expect("connect to the PostgreSQL test server");
        let name = format!("koers_test_{id}");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin_db.pool())
            .await
            .expect("create test database");
        admin_db.pool().close().await;
        let base = admin.split('?').next().unwrap();
        format!("{}/{name}", &base[..base.rfind('/').unwrap()])
    } else {
        let dir = std::env::temp_dir().join("koers-tests");
        std::fs::create_dir_all(&dir).unwrap();
        format!("sqlite://{}", dir.join(format!("{id}.db")).display())
    };
    let db = Db::connect(&url)
        .await
        .expect("connect test database")
        .with_sealing_key(koers_store::sealing::SealingKey::from_bytes(&TEST_KEY));
    db.migrate().await.expect("migrate");
    demo::seed(&db, PASSWORD, 30, &|_, _| {})
        .await
        .expect("seed")
        .expect("empty database");
    db
}

pub struct TestApp {
    pub router: Router,
    pub db: Db,
}

pub async fn spawn() -> TestApp {
    let db = fresh_db().await;
    app_on(db)
}

pub fn app_on(db: Db) -> TestApp {
    app_with(db, WebConfig::default())
}

/// The app with settings of its own.
pub fn app_with(db: Db, config: WebConfig) -> TestApp {
    let state = AppState::new(db.clone(), config);
    state.set_ready();
    TestApp {
        router: make_app(state),
        db,
    }
}

pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> &str {
        self.header("location")
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    /// Send a request. Every test also checks here that a successful change by a logged-in
    /// caller left an event in the audit log (issue 10: the log covers every change).
    pub async fn send(&self, req: Request<Body>) -> Res {
        let path = req.uri().path().to_owned();
        let change = is_logged_change(&req);
        let before = if change {
            self.audit_events().await
        } else {
            None
        };
        let started = koers_store::now_ms();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let res = Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        let done = status.is_success()
            || (status.is_redirection() && !res.location().starts_with("/login"));
        if let (true, Some(before)) = (done, before)
            && let Some(after) = self.audit_events().await
        {
            assert!(
                after > before,
                "{path} answered {status} but left nothing in the audit log"
            );
        }
        self.assert_events_have_names(started).await;
        res
    }

    /// Every event a request logged has a name on the audit page, in both languages.
    async fn assert_events_have_names(&self, since: i64) {
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT action FROM audit_events WHERE at >= $1")
                .bind(since)
                .fetch_all(self.db.pool())
                .await
                .unwrap_or_default();
        for action in actions.iter().filter(|a| !a.starts_with("test.")) {
            let key = format!("audit-action-{}", action.replace('.', "-"));
            for locale in [Locale::Nl, Locale::En] {
                assert_ne!(Tr(locale).t(&key), key, "no name for an audit event");
            }
        }
    }

    async fn audit_events(&self) -> Option<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
            .fetch_one(self.db.pool())
            .await
            .ok()
    }

    /// A JSON API request, optionally with a bearer token.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(j) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A raw-body API request (e.g. `text/csv`).
    pub async fn api_raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Res {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn api_login(&self, email: &str) -> String {
        let r = self
            .api(
                Method::POST,
                "/api/v1/sessions",
                None,
                Some(serde_json::json!({"email": email, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_owned()
    }

    /// A browser: logs in through the form and keeps its cookies.
    pub async fn browser(&self) -> Browser<'_> {
        let mut b = Browser {
            app: self,
            cookies: Vec::new(),
            csrf: String::new(),
        };
        b.get("/login").await;
        b
    }
}

pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
    pub csrf: String,
}

impl Browser<'_> {
    pub fn cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn cookie_string(&self) -> String {
        self.cookie_header()
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, res: &Res) {
        for v in res.headers.get_all(header::SET_COOKIE) {
            let c = cookie::Cookie::parse(v.to_str().unwrap().to_owned()).unwrap();
            self.cookies.retain(|(k, _)| k != c.name());
            if !c.value().is_empty() {
                self.cookies
                    .push((c.name().to_owned(), c.value().to_owned()));
            }
        }
        if let Some(i) = res.body.find("name=\"_csrf\" value=\"") {
            let rest = &res.body[i + 20..];
            self.csrf = rest[..rest.find('"').unwrap()].to_owned();
        }
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let res = self.app.send(req).await;
        self.absorb(&res);
        res
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Res {
        let mut b = Request::get(path).header(header::COOKIE, self.cookie_header());
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let res = self.app.send(b.body(Body::empty()).unwrap()).await;
        self.absorb(&res);
        res
    }

    /// POST a form; `_csrf` is added unless the fields already hold one.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            all.push(("_csrf", &csrf));
        }
        let body = serde_urlencoded::to_string(&all).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        self.absorb(&res);
        res
    }

    /// Upload a file as `multipart/form-data` (field `file`), with the CSRF token.
    pub async fn upload(&mut self, path: &str, filename: &str, content: &[u8]) -> Res {
        self.upload_form(path, &[], ("file", filename, content))
            .await
    }

    /// A multipart form: the CSRF token, text `fields`, and one file field (name, file name,
    /// content).
    pub async fn upload_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Res {
        let boundary = "----koers-test-boundary";
        let mut body = Vec::new();
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        text("_csrf", &self.csrf.clone());
        for (name, value) in fields {
            text(name, value);
        }
        let (name, filename, content) = file;
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        self.absorb(&res);
        res
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Res {
        let res = self
            .post(
                "/login",
                &[("email", email), ("password", password), ("next", "")],
            )
            .await;
        if res.status == StatusCode::SEE_OTHER {
            self.get("/home").await;
        }
        res
    }
}

/// The id of a user by email (for tests only).
pub async fn user_id(db: &Db, email: &str) -> String {
    koers_store::platform::users::find_for_login(db, email)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The id of Hogeschool Demo.
pub async fn demo_institution(db: &Db) -> String {
    koers_store::platform::institutions::by_slug(db, "demo")
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The routes the router declares, read from its source: (method, path).
pub fn declared_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in ["src/app.rs", "src/api/mod.rs"] {
        let src =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        // One `.route(...)` call per chunk, whatever the line breaks.
        for chunk in src.split(".route(").skip(1) {
            let call: String = chunk
                .split(";")
                .next()
                .unwrap()
                .split(".fallback")
                .next()
                .unwrap()
                .split(".layer")
                .next()
                .unwrap()
                .to_owned();
            let path = call.split('"').nth(1).unwrap().to_owned();
            for m in ["get", "post", "put", "patch", "delete"] {
                let hit = call.match_indices(&format!("{m}(")).any(|(i, _)| {
                    i == 0
                        || !call.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && call.as_bytes()[i - 1] != b'_'
                });
                if hit {
                    out.push((m.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out
}

/// A second student who can log in: a generated demo student (of LO-ECO, like Zoë) given the
/// demo password. Returns the email.
pub async fn second_student(app: &TestApp) -> String {
    let email = "anouk.jansen.0@student.demo.koers.test";
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let id = user_id(&app.db, email).await;
    koers_store::platform::users::set_password(
        t,
        &id,
        &koers_store::platform::passwords::hash(PASSWORD),
        None,
    )
    .await
    .unwrap();
    email.to_owned()
}

/// A write by a logged-in caller that the audit log must show (see `koers_web::audit_trail`).
fn is_logged_change(req: &Request<Body>) -> bool {
    let path = req.uri().path();
    let logged_in = req.headers().contains_key(header::AUTHORIZATION)
        || req
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("koers_session="));
    let route_of = |template: &str| {
        let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
    };
    req.method() != Method::GET
        && req.method() != Method::HEAD
        && logged_in
        && !matches!(path, "/login" | "/login/second-factor" | "/api/v1/sessions")
        && !path.starts_with("/invitations/")
        && !koers_web::audit_trail::NOT_LOGGED
            .iter()
            .any(|t| route_of(t))
}

/// Let a planned conversation take place: its start moves to an hour ago (a report belongs to
/// a conversation that has started). `conversation` is its id or its page's path.
pub async fn let_it_take_place(db: &Db, conversation: &str) {
    let id = conversation.rsplit('/').next().unwrap();
    let id = id.split('?').next().unwrap();
    let n = sqlx::query("UPDATE conversations SET starts_at = $1 WHERE id = $2")
        .bind(koers_store::now_ms() - 3_600_000)
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(n, 1, "conversation {conversation}");
}
