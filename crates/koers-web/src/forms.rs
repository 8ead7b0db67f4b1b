//! Form bodies as name/value pairs (repeated names allowed), parsed without ever failing the
//! request: a missing field is simply absent, so handlers answer with field errors.

use crate::auth::{Authenticated, WebUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};

#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// Parse a form body; text with a NUL character (no browser sends one) is refused.
    pub fn parse(bytes: &[u8]) -> Result<Self, WebError> {
        let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).map_err(|_| {
            WebError::BadRequest("form body is not application/x-www-form-urlencoded".into())
        })?;
        if pairs
            .iter()
            .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(WebError::BadRequest(
                "form field with a NUL character".into(),
            ));
        }
        Ok(FormData(pairs))
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` (checkboxes, multiple selects).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Fields whose names start with `prefix`: (name without the prefix, value).
    pub fn all_with_prefix(&self, prefix: &str) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|k| (k, v.as_str())))
            .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| WebError::BadRequest("request body too large or unreadable".into()))?;
        FormData::parse(&bytes)
    }
}

/// A logged-in person's form, its CSRF token checked once, here: the `_csrf` field, or the
/// `X-CSRF-Token` header that htmx sends. Handlers take `SignedForm(a, form)` instead of a
/// `WebUser` and a `FormData`, and never check the token themselves.
pub struct SignedForm(pub Authenticated, pub FormData);

impl FromRequest<AppState> for SignedForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let WebUser(a) = WebUser::from_request_parts(&mut parts, state).await?;
        let header = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let form = FormData::from_request(Request::from_parts(parts, body), state).await?;
        let token = header.as_deref().unwrap_or_else(|| form.get("_csrf"));
        crate::csrf::verify(&a.session.csrf_token, token)?;
        Ok(SignedForm(a, form))
    }
}

/// A multipart form as read: its text fields, and the field `file` (name and bytes). The
/// CSRF token is among the fields (`_csrf`); the caller verifies it.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: FormData,
    pub file_name: String,
    pub file: Vec<u8>,
}

impl Upload {
    /// Read every field of a `multipart/form-data` body.
    pub async fn read(
        mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    ) -> Result<Upload, WebError> {
        let mut mp =
            mp.map_err(|_| WebError::BadRequest("send the form as multipart/form-data".into()))?;
        let mut out = Upload::default();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|_| WebError::BadRequest("unreadable upload".into()))?
        {
            let name = field.name().unwrap_or("").to_owned();
            if name == "file" {
                out.file_name = field.file_name().unwrap_or("").to_owned();
            }
            let bytes = field
                .bytes()
                .await
                .map_err(|_| WebError::BadRequest("upload too large or unreadable".into()))?;
            if name == "file" {
                out.file = bytes.to_vec();
            } else {
                out.fields
                    .0
                    .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
        Ok(out)
    }

    pub fn csrf(&self) -> &str {
        self.fields.get("_csrf")
    }
}
