//! The bench's HTTP side: requests, logging in through the page and the API, and the load
//! loop that measures one route.

use crate::*;

pub(crate) fn request(
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

pub(crate) async fn get(
    client: &HttpClient,
    url: &str,
    auth: &Auth,
) -> anyhow::Result<(StatusCode, hyper::HeaderMap, Bytes)> {
    send(client, url, auth, &None).await
}

/// A GET, or the given write with its JSON body.
pub(crate) async fn send(
    client: &HttpClient,
    url: &str,
    auth: &Auth,
    write: &Option<(&'static str, String)>,
) -> anyhow::Result<(StatusCode, hyper::HeaderMap, Bytes)> {
    let req = match write {
        Some((method, body)) => {
            request(method, url, auth, Some(("application/json", body.clone())))
        }
        None => request("GET", url, auth, None),
    };
    let res = client.request(req).await?;
    let (parts, body) = res.into_parts();
    Ok((
        parts.status,
        parts.headers,
        body.collect().await?.to_bytes(),
    ))
}

pub(crate) fn cookie_pairs(headers: &hyper::HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect()
}

/// Log in through the form; returns the Cookie header of the session.
pub(crate) async fn web_login(
    client: &HttpClient,
    base: &str,
    email: &str,
) -> anyhow::Result<String> {
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

pub(crate) async fn api_login(
    client: &HttpClient,
    base: &str,
    email: &str,
) -> anyhow::Result<String> {
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

/// `concurrency` workers send requests (GET, or the write) back to back for `duration`,
/// each request to the next of `urls` (the same route on every instance).
pub(crate) async fn load(
    client: &HttpClient,
    urls: &[String],
    auth: &Auth,
    write: &Option<(&'static str, String)>,
    concurrency: usize,
    duration: Duration,
) -> (u64, u64, Vec<Duration>) {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (client, urls, auth, write) =
            (client.clone(), urls.to_vec(), auth.clone(), write.clone());
        tasks.push(tokio::spawn(async move {
            let (mut n, mut errors, mut lat) = (0u64, 0u64, Vec::new());
            let mut k = w;
            while Instant::now() < deadline {
                let t = Instant::now();
                let url = &urls[k % urls.len()];
                k += 1;
                match send(&client, url, &auth, &write).await {
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
