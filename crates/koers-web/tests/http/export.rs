//! Every list exports itself as CSV: what the page shows (its filters and its access), for
//! Dutch Excel (`;`, BOM) or with commas.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn lists_export_what_they_show_as_csv_for_excel_or_with_commas() {
    let app = spawn().await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get("/students?programme=LO-ECO").await;
    assert!(
        page.body
            .contains("href=\"/students?programme=LO-ECO&#38;format=csv\""),
        "the link keeps the filter"
    );
    let r = admin.get("/students?programme=LO-ECO&format=csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/csv"));
    assert_eq!(
        r.header("content-disposition"),
        "attachment; filename=\"studenten.csv\""
    );
    assert!(
        r.body.starts_with("\u{feff}Naam;Studentnummer;Opleiding"),
        "{}",
        &r.body[..80]
    );
    assert!(r.body.contains("Zoë van der Meer;500000;LO-ECO"));
    assert!(!r.body.contains(";LO-ZW;"), "only the filtered programme");
    assert!(r.body.ends_with("\r\n"));
    // Every row, not one page: the demo's LO-ECO students all.
    let students: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM students s JOIN programmes p ON p.id = s.programme_id WHERE p.code = 'LO-ECO'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(r.body.lines().count() as i64, students + 1);

    let r = admin.get("/admin/users?format=csv&sep=comma").await;
    assert!(
        r.body.starts_with("Naam,E-mailadres,Rollen,Status\r\n"),
        "{}",
        &r.body[..60]
    );
    assert!(r.body.contains("\"Docent, Medewerker\""));
    let users: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN institutions i ON i.id = u.institution_id WHERE i.slug = 'demo'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        r.body.lines().count() as i64,
        users + 1,
        "more than one page of 50"
    );

    // Access as on the page: a counsellor exports their caseload; a student gets no list;
    // nobody without a session gets CSV.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    let caseload = slb.get("/students?format=csv").await;
    assert!(caseload.body.contains("Zoë van der Meer"));
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!((caseload.body.lines().count() as i64) < others);
    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    assert_eq!(
        zoe.get("/students?format=csv").await.status,
        StatusCode::FORBIDDEN
    );
    let mut anonymous = app.browser().await;
    let r = anonymous.get("/admin/users?format=csv").await;
    assert!(r.location().starts_with("/login"));
    // A page without a list has nothing to export.
    assert_eq!(
        admin.get("/account?format=csv").await.status,
        StatusCode::NOT_FOUND
    );
    // More lists: partners, improvement actions (with the status a control shows).
    let r = admin.get("/partners?format=csv").await;
    assert!(
        r.body.contains("ROC Rijnmond;Mbo-school;Rotterdam"),
        "{}",
        r.body
    );
    let mut hr = app.browser().await;
    hr.login("hr@demo.koers.test", PASSWORD).await;
    let r = hr.get("/improvement-actions?format=csv").await;
    assert!(
        r.body
            .starts_with("\u{feff}Actie;Hoort bij;Eigenaar;Klaar op;Status")
    );
    assert!(
        r.body.lines().skip(1).all(|l| !l.ends_with(';')),
        "every action has its status: {}",
        r.body
    );
}
