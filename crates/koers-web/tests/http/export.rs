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

#[tokio::test]
async fn staff_are_imported_from_csv_all_or_nothing_with_a_preview() {
    let app = spawn().await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    assert_eq!(
        admin.get("/admin/users/import").await.status,
        StatusCode::OK
    );
    // Problems, each with its line; nothing is saved.
    let bad = "Naam;E-mailadres;Rollen\r\nAnna de Vries;anna@demo.koers.test;docent\r\n;geen-adres;tovenaar\r\n\
               Bas;beheerder@tweede.koers.test;\r\n";
    let r = admin
        .upload("/admin/users/import", "hr.csv", bad.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("&#34;tovenaar&#34; is geen rol die Koers kent."),
        "{}",
        r.body
    );
    assert!(r.body.contains("<td class=\"num\">3</td>"));
    let taken = "naam;email\nBas;beheerder@tweede.koers.test\n";
    let r = admin
        .upload("/admin/users/import", "hr.csv", taken.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("hoort al bij iemand anders"), "{}", r.body);
    // A good file (Windows-1252, as Excel writes it): preview, then import.
    let good: Vec<u8> = b"naam;email;rollen\r\nAnna de Vries;anna@demo.koers.test;docent, slb\r\nJo\xebl Smit;docent@demo.koers.test;hr\r\n".to_vec();
    let r = admin.upload("/admin/users/import", "hr.csv", &good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Joël Smit") && r.body.contains("Docent, Loopbaanbegeleider"));
    let i = r.body.find("name=\"pending\" value=\"").unwrap() + 22;
    let pending = r.body[i..].split('"').next().unwrap().to_owned();
    let r = admin
        .post("/admin/users/import/confirm", &[("pending", &pending)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get(r.location())
            .await
            .body
            .contains("Klaar: 1 nieuw, 1 gewijzigd.")
    );
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT r.role FROM role_assignments r JOIN users u ON u.id = r.user_id \
         WHERE u.email = 'anna@demo.koers.test' ORDER BY r.role",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(roles, ["counsellor", "employee", "lecturer"]);
    // The existing lecturer keeps her roles and gets HR, with the new name.
    let (name, hr): (String, i64) = sqlx::query_as(
        "SELECT u.name, (SELECT COUNT(*) FROM role_assignments r WHERE r.user_id = u.id AND r.role = 'hr_adviser') \
         FROM users u WHERE u.email = 'docent@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((name.as_str(), hr), ("Joël Smit", 1));
    let mut lecturer = app.browser().await;
    lecturer.login("docent@demo.koers.test", PASSWORD).await;
    assert_eq!(lecturer.get("/frameworks").await.status, StatusCode::OK);
    // Used once; only administrators import.
    assert_eq!(
        admin
            .post("/admin/users/import/confirm", &[("pending", &pending)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lecturer.get("/admin/users/import").await.status,
        StatusCode::FORBIDDEN
    );
}
