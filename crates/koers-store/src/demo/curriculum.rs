//! Demo data of the curriculum: the shipped frameworks, and a practice conversation of the
//! demo student with feedback from the demo lecturer.

use crate::curriculum::{frameworks, practice, reviews};
use crate::{Result, Tenant};
use koers_domain::curriculum::transcript::{self, Format};

/// A practice conversation in Teams's WebVTT: Zoë practises with a first-year student.
const TRANSCRIPT: &str = "WEBVTT\n\n\
00:00:02.000 --> 00:00:06.000\n<v Zoë van der Meer>Hoi Milan, fijn dat je er bent. Hoe gaat het op je stage bij de garage?</v>\n\n\
00:00:06.500 --> 00:00:19.000\n<v Milan>Wel goed. Vorige week mocht ik voor het eerst zelf een klant helpen met een APK. \
Dat vond ik spannend, maar het ging goed.</v>\n\n\
00:00:19.500 --> 00:00:24.000\n<v Zoë van der Meer>Was je zenuwachtig?</v>\n\n\
00:00:24.500 --> 00:00:27.000\n<v Milan>Een beetje wel.</v>\n\n\
00:00:27.500 --> 00:00:33.000\n<v Zoë van der Meer>Dus het was spannend en toch lukte het. Wat gaf je daar energie van?</v>\n\n\
00:00:33.500 --> 00:00:48.000\n<v Milan>Dat de klant blij was en dat ik het zelf kon uitleggen. Ik denk dat ik goed ben in uitleggen. \
Later wil ik misschien wel werkplaatschef worden.</v>\n\n\
00:00:48.500 --> 00:00:55.000\n<v Zoë van der Meer>Wie zou je daarover kunnen vragen in je netwerk?</v>\n\n\
00:00:55.500 --> 00:01:03.000\n<v Milan>Mijn praktijkopleider, die is ook zo begonnen.</v>\n\n\
00:01:03.500 --> 00:01:08.000\n<v Zoë van der Meer>Goed idee. Wat is je volgende stap?</v>\n\n\
00:01:08.500 --> 00:01:15.000\n<v Milan>Ik ga deze week met hem praten over hoe hij dat heeft aangepakt.</v>\n";

/// The LOB learning line of one programme: (kind, title, year, period, phase, hours,
/// partners, [(framework, competence, depth)]).
type DemoActivity = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str, &'static str)],
);

const ACTIVITIES: [DemoActivity; 7] = [
    (
        "workshop",
        "Wie ben ik als aankomend docent?",
        "1",
        "1",
        "intake",
        "6",
        &[],
        &[
            ("career-competencies", "quality-reflection", "I"),
            ("career-competencies", "motive-reflection", "I"),
            ("21st-century-skills", "self-regulation", "I"),
        ],
    ),
    (
        "module",
        "Loopbaanleren in het mbo",
        "1",
        "3",
        "progress",
        "84",
        &["receiving_school"],
        &[
            ("career-competencies", "work-exploration", "I"),
            ("counsellor-profile", "career-conversations", "I"),
            ("21st-century-skills", "communication", "I"),
        ],
    ),
    (
        "training",
        "Oefenen met loopbaangesprekken",
        "2",
        "1",
        "progress",
        "28",
        &[],
        &[
            ("counsellor-profile", "career-conversations", "R"),
            ("career-competencies", "quality-reflection", "R"),
            ("21st-century-skills", "communication", "R"),
        ],
    ),
    (
        "project",
        "LOB-activiteit ontwerpen voor de stageschool",
        "2",
        "3",
        "",
        "112",
        &["receiving_school", "business"],
        &[
            ("counsellor-profile", "designing-activities", "I"),
            ("career-competencies", "networking", "I"),
            ("21st-century-skills", "collaboration", "R"),
            ("21st-century-skills", "creative-thinking", "I"),
        ],
    ),
    (
        "workshop",
        "Kiezen voor je afstudeerrichting",
        "2",
        "4",
        "specialisation",
        "4",
        &[],
        &[
            ("career-competencies", "career-action", "R"),
            ("career-competencies", "motive-reflection", "R"),
        ],
    ),
    (
        "module",
        "Begeleiden in de BPV (Opleiden in de School)",
        "3",
        "0",
        "",
        "168",
        &["receiving_school", "business"],
        &[
            ("counsellor-profile", "placement-guidance", "R"),
            ("counsellor-profile", "career-conversations", "M"),
            ("career-competencies", "work-exploration", "R"),
            ("counsellor-profile", "partnerships", "I"),
        ],
    ),
    (
        "project",
        "Afstuderen: mijn visie op loopbaanbegeleiding",
        "4",
        "0",
        "outflow",
        "240",
        &["receiving_school"],
        &[
            ("counsellor-profile", "own-career", "M"),
            ("career-competencies", "career-action", "M"),
            ("career-competencies", "quality-reflection", "M"),
            ("counsellor-profile", "designing-activities", "M"),
        ],
    ),
];

/// The demo learning line of a programme (some gaps left on purpose, so the page shows them).
pub(super) async fn seed_activities(
    t: Tenant<'_>,
    programme_id: &str,
    lecturer: &str,
) -> Result<()> {
    use koers_domain::curriculum::learning_line::{ActivityInput, Depth, RawActivity};
    frameworks::ensure_shipped(t).await?;
    for (kind, title, year, period, phase, hours, partners, comps) in ACTIVITIES {
        let input = ActivityInput::parse(&RawActivity {
            kind,
            title,
            year,
            period,
            phase,
            study_hours: hours,
            partners: partners.to_vec(),
            ..Default::default()
        })
        .expect("demo activity");
        let mut links = Vec::new();
        for (fw, key, depth) in comps {
            let f = frameworks::by_key(t, fw, None)
                .await?
                .expect("shipped framework");
            let id = f.competence_id(key).expect("shipped competence").to_owned();
            links.push((id, Depth::parse(depth).expect("demo depth")));
        }
        crate::curriculum::activities::create(t, programme_id, &input, &links, lecturer).await?;
    }
    Ok(())
}

pub(super) async fn seed(t: Tenant<'_>, student_user: &str, lecturer: &str) -> Result<()> {
    frameworks::ensure_shipped(t).await?;
    let counsellor = "Zoë van der Meer";
    let turns = transcript::parse(TRANSCRIPT.as_bytes(), Format::Webvtt).expect("demo transcript");
    let analysis = transcript::analyse(&turns, counsellor);
    let id = practice::create(
        t,
        &practice::NewPractice {
            person_id: student_user,
            title: "Oefengesprek met Milan (BPV)",
            format: Format::Webvtt.key(),
            transcript: TRANSCRIPT,
            counsellor_speaker: counsellor,
            analysis: &serde_json::to_string(&analysis).unwrap_or_default(),
        },
    )
    .await?;
    reviews::request_review(
        t,
        reviews::PRACTICE,
        &id,
        student_user,
        lecturer,
        "Wilt u kijken naar mijn vragen?",
    )
    .await?;
    let profile = frameworks::by_key(t, "counsellor-profile", None).await?;
    let competence = profile
        .as_ref()
        .and_then(|f| f.competence_id("career-conversations"))
        .map(str::to_owned);
    // A design of an LOB activity, published by the lecturer.
    let design = koers_domain::curriculum::design::DesignInput::parse(&koers_domain::curriculum::design::RawDesign {
        title: "Netwerkbingo op de stageplek",
        mbo_level: "3",
        mbo_programme: "Commercieel medewerker",
        setting: "placement",
        goal: "Studenten leren hoe collega's aan hun beroep kwamen en leggen contacten voor later.",
        steps: "1. Iedere student krijgt een bingokaart met vragen.\n2. Op de stageplek spreekt hij drie collega's.\n\
                3. Terug op school bespreken de studenten in tweetallen wat ze hoorden.\n4. Ieder noteert een volgende stap.",
        competencies: vec!["networking", "work_exploration", "motive_reflection"],
        practice_based: "De studenten voeren de opdracht uit op hun eigen stageplek, met echte collega's in het beroep.",
        dialogical: "Na afloop bespreken ze in tweetallen wat ze hoorden en wat dat zegt over hun eigen wensen.",
        demand_driven: "Iedere student kiest zelf welke collega's hij spreekt en voegt een eigen vraag toe aan de kaart.",    })
    .expect("demo design");
    let design_id = crate::curriculum::designs::create(t, student_user, &design).await?;
    reviews::add_feedback(
        t,
        reviews::DESIGN,
        &design_id,
        lecturer,
        None,
        None,
        "Sterk ontwerp: echt praktijkgericht en de studenten sturen zelf. Gepubliceerd.",
    )
    .await?;
    crate::curriculum::designs::set_published(t, &design_id, true).await?;

    // Evidence for two career competencies: one assessed and signed off, one waiting.
    let career = frameworks::by_key(t, "career-competencies", None)
        .await?
        .expect("shipped framework");
    let reflection = career
        .competence_id("quality-reflection")
        .expect("shipped competence");
    let exploring = career
        .competence_id("work-exploration")
        .expect("shipped competence");
    let signed = crate::curriculum::evidence::create(
        t,
        &crate::curriculum::evidence::NewEvidence {
            person_id: student_user,
            competence_id: reflection,
            title: "Reflectie op mijn eerste lessen",
            body: "In mijn eerste BPV-periode gaf ik vier lessen bedrijfseconomie. Uitleggen gaat me goed af; \
                   klassenmanagement vind ik nog lastig. Ik vroeg mijn werkplekbegeleider om feedback en oefen nu \
                   met duidelijke afspraken aan het begin van de les.",
            link: None,
            file: None,
        },
    )
    .await?;
    reviews::add_feedback(
        t,
        reviews::EVIDENCE,
        &signed,
        lecturer,
        Some(reflection),
        Some("3"),
        "Eerlijke en concrete reflectie, met een duidelijke volgende stap.",
    )
    .await?;
    crate::curriculum::evidence::sign_off(t, student_user, reflection, "3", lecturer).await?;
    // Every 21st-century skill was signed off in the first year: the student holds an Open
    // Badge for it (issued after seeding, like any other).
    let skills = frameworks::by_key(t, "21st-century-skills", None)
        .await?
        .expect("shipped framework");
    for (_, competence_id) in &skills.competence_ids {
        crate::curriculum::evidence::sign_off(t, student_user, competence_id, "2", lecturer)
            .await?;
    }
    let waiting = crate::curriculum::evidence::create(
        t,
        &crate::curriculum::evidence::NewEvidence {
            person_id: student_user,
            competence_id: exploring,
            title: "Meeloopdag bij het Horizon College",
            body: "Ik liep een dag mee met een docent economie in het mbo en sprak met de teamleider over werken in het mbo.",
            link: Some("https://example.nl/verslag-meeloopdag"),
            file: None,
        },
    )
    .await?;
    reviews::request_review(
        t,
        reviews::EVIDENCE,
        &waiting,
        student_user,
        lecturer,
        "Is dit genoeg bewijs voor werkexploratie?",
    )
    .await?;
    reviews::add_feedback(
        t,
        reviews::PRACTICE,
        &id,
        lecturer,
        competence.as_deref(),
        Some("2"),
        "Goed dat je vanuit een concrete ervaring begint en afsluit met een volgende stap. \
         Let op je gesloten vraag (\"Was je zenuwachtig?\"): vraag liever hoe het voelde.",
    )
    .await?;
    Ok(())
}
