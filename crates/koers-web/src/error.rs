//! Typed web errors, mapped to HTTP in one place: handlers return a [`WebError`]; its response
//! carries the error as an extension, and the `render_errors` middleware writes the body as
//! JSON (`{"error": {"code", "message", "details"}}`) under `/api/` or as an HTML page
//! elsewhere, in the request's language.

use crate::i18n::Tr;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::FieldError;
use koers_store::StoreError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum WebError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not authenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("the import has errors")]
    Import(Vec<koers_domain::guidance::import::ImportError>),
    #[error("the framework document has errors")]
    Framework(Vec<koers_domain::curriculum::framework::FrameworkError>),
    #[error("the transcript cannot be read")]
    Transcript(koers_domain::curriculum::transcript::TranscriptError),
    /// The password was right; the account's second factor is needed too.
    #[error("second factor required")]
    SecondFactorRequired,
    /// The person's role requires a second factor that is not set up yet.
    #[error("second factor to be set up")]
    SecondFactorSetup,
    /// The disk is full: nothing was written (507), an operator must make room.
    #[error("the disk is full: {0}")]
    StorageFull(String),
    /// The database cannot be reached (stopped, restarting, pool exhausted): 503, retry soon.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthenticated | WebError::SecondFactorRequired => StatusCode::UNAUTHORIZED,
            WebError::SecondFactorSetup => StatusCode::FORBIDDEN,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid(_)
            | WebError::Import(_)
            | WebError::Framework(_)
            | WebError::Transcript(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code (also the translation key suffix `error-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            WebError::BadRequest(_) => "bad-request",
            WebError::Unauthenticated => "unauthenticated",
            WebError::SecondFactorRequired => "second-factor-required",
            WebError::SecondFactorSetup => "second-factor-setup",
            WebError::Forbidden => "forbidden",
            WebError::NotFound => "not-found",
            WebError::Conflict(_) => "conflict",
            WebError::Invalid(_) => "invalid",
            WebError::Import(_) => "import-invalid",
            WebError::Framework(_) => "framework-invalid",
            WebError::Transcript(_) => "transcript-invalid",
            WebError::UnsupportedMediaType => "unsupported-media-type",
            WebError::TooManyRequests { .. } => "too-many-requests",
            WebError::Unavailable(_) => "unavailable",
            WebError::StorageFull(_) => "storage-full",
            WebError::Internal(_) => "internal",
        }
    }

    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        WebError::Invalid(vec![FieldError::new(field, code)])
    }

    pub fn message(&self, tr: &Tr) -> String {
        match self {
            WebError::Conflict(what) => tr.t1("error-conflict", "what", what),
            _ => tr.t(&format!("error-{}", self.code())),
        }
    }

    pub fn details(&self, tr: &Tr) -> Option<serde_json::Value> {
        match self {
            WebError::Invalid(fields) => Some(serde_json::Value::Array(
                fields
                    .iter()
                    .map(|f| {
                        serde_json::json!({"field": f.field, "code": f.code, "message": tr.t(&format!("error-{}", f.code))})
                    })
                    .collect(),
            )),
            WebError::BadRequest(m) => Some(serde_json::json!({ "reason": m })),
            WebError::Import(errors) => Some(serde_json::Value::Array(
                errors
                    .iter()
                    .map(|e| {
                        let mut v = serde_json::json!({
                            "line": e.line,
                            "code": e.code,
                            "message": import_message(tr, e),
                        });
                        if let Some(c) = &e.column {
                            v["column"] = serde_json::Value::String(c.clone());
                        }
                        v
                    })
                    .collect(),
            )),
            WebError::Framework(errors) => Some(serde_json::Value::Array(
                errors
                    .iter()
                    .map(|e| {
                        serde_json::json!({"path": e.path, "code": e.code, "message": framework_message(tr, e)})
                    })
                    .collect(),
            )),
            WebError::Transcript(e) => {
                let mut v = serde_json::json!({"code": e.code, "message": transcript_message(tr, e)});
                if let Some(l) = e.line {
                    v["line"] = l.into();
                }
                Some(serde_json::Value::Array(vec![v]))
            }
            _ => None,
        }
    }

    pub fn json_body(&self, tr: &Tr) -> serde_json::Value {
        let mut e = serde_json::json!({"code": self.code(), "message": self.message(tr)});
        if let Some(d) = self.details(tr) {
            e["details"] = d;
        }
        serde_json::json!({ "error": e })
    }
}

/// The translated message of one problem in a framework document.
pub fn framework_message(
    tr: &Tr,
    e: &koers_domain::curriculum::framework::FrameworkError,
) -> String {
    tr.t1(
        &format!("framework-error-{}", e.code),
        "value",
        e.value.as_deref().unwrap_or(""),
    )
}

/// The translated message of a transcript that cannot be read.
pub fn transcript_message(
    tr: &Tr,
    e: &koers_domain::curriculum::transcript::TranscriptError,
) -> String {
    tr.t1(
        &format!("transcript-error-{}", e.code),
        "value",
        e.value.as_deref().unwrap_or(""),
    )
}

/// The translated message of one import problem (without line and column).
pub fn import_message(tr: &Tr, e: &koers_domain::guidance::import::ImportError) -> String {
    tr.t1(
        &format!("import-error-{}", e.code),
        "value",
        e.value.as_deref().unwrap_or(""),
    )
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Conflict(what) => WebError::Conflict(what),
            e if e.is_unavailable() => WebError::Unavailable(e.to_string()),
            e if e.is_storage_full() => WebError::StorageFull(e.to_string()),
            // PostgreSQL refuses text with a NUL character; the request is at fault.
            e if e.is_unstorable_text() => {
                WebError::BadRequest("text with a character that cannot be stored".into())
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<koers_app::AppError> for WebError {
    fn from(e: koers_app::AppError) -> Self {
        use koers_app::AppError;
        match e {
            AppError::Forbidden => WebError::Forbidden,
            AppError::NotFound => WebError::NotFound,
            AppError::Conflict(what) => WebError::Conflict(what),
            AppError::Invalid(fields) => WebError::Invalid(fields),
            AppError::Import(errors) => WebError::Import(errors),
            AppError::Store(e) => e.into(),
        }
    }
}

impl From<FieldError> for WebError {
    fn from(e: FieldError) -> Self {
        WebError::Invalid(vec![e])
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::Internal(msg) = &self {
            tracing::error!(error = %msg, "internal error");
        }
        if let WebError::Unavailable(msg) = &self {
            tracing::warn!(error = %msg, "database unavailable");
        }
        if let WebError::StorageFull(msg) = &self {
            tracing::error!(error = %msg, "the disk is full: nothing was written");
        }
        let mut res = self.status().into_response();
        if let WebError::TooManyRequests { retry_after } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let WebError::Unavailable(_) = &self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        res.extensions_mut().insert(self);
        res
    }
}

pub type WebResult<T> = Result<T, WebError>;
