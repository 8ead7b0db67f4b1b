//! Demo data: two institutions (so tenant isolation is visible), fixed accounts for every role,
//! and generated people with realistic Dutch names, inserted in bulk.

use crate::platform::{institutions, passwords, programmes, users};
use crate::{Db, Result, Tenant, now_ms, values_list};
use koers_domain::{Role, RoleAssignment};

pub const DEFAULT_PASSWORD: &str = "koers-demo";
pub const DEFAULT_STUDENTS: u64 = 120;
pub const MAX_STUDENTS: u64 = 1_000_000;

/// The fixed accounts of "Hogeschool Demo", one per role, in the order of the roles.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 8] = [
    (
        "beheerder@demo.koers.test",
        "Bram Beheerder",
        Role::Administrator,
    ),
    (
        "manager@demo.koers.test",
        "Mirjam de Manager",
        Role::ProgrammeManager,
    ),
    ("slb@demo.koers.test", "Sevda Yılmaz", Role::Counsellor),
    ("docent@demo.koers.test", "Daan van Dijk", Role::Lecturer),
    ("student@demo.koers.test", "Zoë van der Meer", Role::Student),
    ("hr@demo.koers.test", "Hanneke Hoekstra", Role::HrAdviser),
    (
        "medewerker@demo.koers.test",
        "Mehmet Öztürk",
        Role::Employee,
    ),
    (
        "mentor@demo.koers.test",
        "Marloes ter Horst",
        Role::PlacementMentor,
    ),
];
pub const SECOND_ADMIN: &str = "beheerder@tweede.koers.test";

const PROGRAMMES: [(&str, &str); 3] = [
    ("LO-ECO", "Leraar Economie (mbo)"),
    ("LO-ZW", "Leraar Zorg en Welzijn (mbo)"),
    ("LO-TECH", "Leraar Techniek (mbo)"),
];
const COHORTS: [i64; 3] = [2023, 2024, 2025];

const GIVEN: &[&str] = &[
    "Anouk", "Bram", "Chloë", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Isa", "Jesse", "Julia",
    "Lotte", "Luuk", "Milan", "Noa", "Noé", "Olivier", "Rüya", "Sanne", "Sem", "Tess", "Thijs",
    "Yara", "Zoë", "Mohamed", "Ayşe", "Fleur", "Joëlle", "Kees", "Liam", "Maud", "Niels", "Renée",
    "Senna", "Stijn", "Wouter", "Ilse", "Hüseyin", "Esmée", "Ruben",
];
const PREFIX: &[&str] = &[
    "", "", "", "van", "de", "van der", "van den", "ter", "van 't", "", "den", "",
];
const FAMILY: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Groot",
    "Berg",
    "Veen",
    "Wit",
    "Kramer",
    "Sarıkaya",
    "El Idrissi",
    "Boer",
    "Vries",
    "Linden",
    "Hoek",
    "Çelik",
    "Bruijn",
    "Koç",
    "Wijk",
    "Heuvel",
    "Kuipers",
    "Ploeg",
    "Gerritsen",
    "Brink",
    "Schouten",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Huisman",
    "Kok",
    "Akkerman",
];

/// A deterministic generated person: (display name, email local part).
pub fn person(i: u64) -> (String, String) {
    let g = GIVEN[(i % GIVEN.len() as u64) as usize];
    let p = PREFIX[((i / 7) % PREFIX.len() as u64) as usize];
    let f = FAMILY[((i / 3 + i / 101) % FAMILY.len() as u64) as usize];
    let name = if p.is_empty() {
        format!("{g} {f}")
    } else {
        format!("{g} {p} {f}")
    };
    let ascii: String = format!("{g}.{f}")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ë' | 'é' => 'e',
            'ü' => 'u',
            'ö' => 'o',
            'ç' => 'c',
            'ş' => 's',
            'ı' => 'i',
            'a'..='z' | '.' => c,
            _ => '-',
        })
        .collect();
    (name, format!("{ascii}.{i}"))
}

/// What the seed made, to print for the operator.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub accounts: Vec<(String, Role)>,
    pub second_admin: String,
    pub students: u64,
}

/// Whether the database holds no institution yet.
pub async fn is_empty(db: &Db) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(db.pool())
        .await?;
    Ok(n == 0)
}

/// Seed the demo institutions if the database is empty (returns `None` otherwise).
/// `progress(done, total)` is called as generated students are written.
pub async fn seed(
    db: &Db,
    password: &str,
    students: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Option<DemoReport>> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    let students = students.min(MAX_STUDENTS);
    let demo = institutions::create(db, "Hogeschool Demo", "demo").await?;
    let t = Tenant::new(db, &demo.id);
    let mut progs = Vec::new();
    for (code, name) in PROGRAMMES {
        let p = programmes::create(t, code, name).await?;
        let mut cohorts = Vec::new();
        for y in COHORTS {
            cohorts.push(programmes::add_cohort(t, &p.id, y).await?);
        }
        progs.push((p, cohorts));
    }

    let hashes: Vec<String> = {
        let pw = password.to_owned();
        tokio::task::spawn_blocking(move || {
            (0..DEMO_ACCOUNTS.len() + 1)
                .map(|_| passwords::hash(&pw))
                .collect()
        })
        .await
        .expect("hashing thread")
    };
    let eco = &progs[0];
    let mut ids = Vec::new();
    for (i, (email, name, role)) in DEMO_ACCOUNTS.iter().enumerate() {
        let mut roles = vec![RoleAssignment {
            role: *role,
            programme_id: (*role == Role::Student).then(|| eco.0.id.clone()),
        }];
        if role.is_staff() && *role != Role::Employee {
            roles.push(RoleAssignment {
                role: Role::Employee,
                programme_id: None,
            });
        }
        let u = users::create(
            t,
            users::NewUser {
                email,
                name,
                password_hash: Some(hashes[i].clone()),
                locale: None,
                roles: &roles,
            },
        )
        .await?;
        ids.push(u.id);
    }
    let slb_id = ids[2].clone();
    sqlx::query(
        "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, counsellor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(koers_domain::new_id())
    .bind(&demo.id)
    .bind(&ids[4])
    .bind("500000")
    .bind(&eco.0.id)
    .bind(&eco.1[2].id)
    .bind(&slb_id)
    .bind(now_ms())
    .execute(db.pool())
    .await?;

    // Generated staff: counsellors (one per ~100 students), a lecturer per programme, employees.
    let n_counsellors = (students / 100).clamp(3, 10_000);
    let mut counsellors = vec![slb_id];
    let mut staff = Vec::new();
    for i in 0..n_counsellors {
        let (name, local) = person(1_000_000 + i);
        staff.push((
            name,
            format!("{local}@demo.koers.test"),
            vec![Role::Counsellor, Role::Lecturer, Role::Employee],
        ));
    }
    for i in 0..(n_counsellors / 2 + 3) {
        let (name, local) = person(2_000_000 + i);
        staff.push((
            name,
            format!("{local}@demo.koers.test"),
            vec![Role::Employee],
        ));
    }
    for (name, email, roles) in &staff {
        let roles: Vec<RoleAssignment> = roles
            .iter()
            .map(|r| RoleAssignment {
                role: *r,
                programme_id: None,
            })
            .collect();
        let u = users::create(
            t,
            users::NewUser {
                email,
                name,
                password_hash: None,
                locale: None,
                roles: &roles,
            },
        )
        .await?;
        if roles[0].role == Role::Counsellor {
            counsellors.push(u.id);
        }
    }

    bulk_students(t, &progs, &counsellors, students, progress).await?;

    let second = institutions::create(db, "Hogeschool Tweede", "tweede").await?;
    let t2 = Tenant::new(db, &second.id);
    let p2 = programmes::create(t2, "LO-NL", "Leraar Nederlands (mbo)").await?;
    let c2 = programmes::add_cohort(t2, &p2.id, 2025).await?;
    let admin_roles = [
        RoleAssignment {
            role: Role::Administrator,
            programme_id: None,
        },
        RoleAssignment {
            role: Role::Employee,
            programme_id: None,
        },
    ];
    users::create(
        t2,
        users::NewUser {
            email: SECOND_ADMIN,
            name: "Tessa Tweede",
            password_hash: Some(hashes[DEMO_ACCOUNTS.len()].clone()),
            locale: None,
            roles: &admin_roles,
        },
    )
    .await?;
    bulk_students(t2, &[(p2, vec![c2])], &[], 12, &|_, _| {}).await?;

    Ok(Some(DemoReport {
        accounts: DEMO_ACCOUNTS
            .iter()
            .map(|(e, _, r)| (e.to_string(), *r))
            .collect(),
        second_admin: SECOND_ADMIN.into(),
        students,
    }))
}

/// Insert `n` generated students in batches inside one transaction.
async fn bulk_students(
    t: Tenant<'_>,
    progs: &[(programmes::Programme, Vec<programmes::Cohort>)],
    counsellors: &[String],
    n: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<()> {
    const BATCH: u64 = 500;
    let now = now_ms();
    let slug = crate::platform::institutions::get(t).await?.slug;
    let mut tx = t.pool().begin().await?;
    let mut done = 0;
    while done < n {
        let k = BATCH.min(n - done);
        let rows: Vec<_> = (done..done + k)
            .map(|i| {
                let (name, local) = person(i);
                let (p, cohorts) = &progs[(i % progs.len() as u64) as usize];
                let c = &cohorts[((i / progs.len() as u64) % cohorts.len() as u64) as usize];
                let counsellor = (!counsellors.is_empty())
                    .then(|| counsellors[(i % counsellors.len() as u64) as usize].clone());
                (
                    koers_domain::new_id(),
                    name,
                    format!("{local}@student.{slug}.koers.test"),
                    p.id.clone(),
                    c.id.clone(),
                    counsellor,
                    600_000 + i,
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at) VALUES {}",
            values_list(rows.len(), "(?, ?, ?, ?, NULL, NULL, 1, ?, ?)")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in &rows {
            q = q
                .bind(&r.0)
                .bind(t.institution_id)
                .bind(&r.2)
                .bind(&r.1)
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;

        let sql = format!(
            "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at) VALUES {}",
            values_list(rows.len(), "(?, ?, ?, 'student', ?, ?)")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in &rows {
            q = q
                .bind(koers_domain::new_id())
                .bind(t.institution_id)
                .bind(&r.0)
                .bind(&r.3)
                .bind(now);
        }
        q.execute(&mut *tx).await?;

        let sql = format!(
            "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, counsellor_id, created_at) VALUES {}",
            values_list(rows.len(), "(?, ?, ?, ?, ?, ?, ?, ?)")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in &rows {
            q = q
                .bind(koers_domain::new_id())
                .bind(t.institution_id)
                .bind(&r.0)
                .bind(r.6.to_string())
                .bind(&r.3)
                .bind(&r.4)
                .bind(r.5.as_deref())
                .bind(now);
        }
        q.execute(&mut *tx).await?;
        done += k;
        progress(done, n);
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn people_have_dutch_names_and_unique_emails() {
        let mut emails = std::collections::HashSet::new();
        let mut with_prefix = 0;
        for i in 0..2000 {
            let (name, local) = super::person(i);
            assert!(emails.insert(local.clone()), "duplicate {local}");
            assert!(local.is_ascii());
            if name.contains(" van ") || name.contains(" de ") || name.contains(" ter ") {
                with_prefix += 1;
            }
        }
        assert!(with_prefix > 100);
    }
}
