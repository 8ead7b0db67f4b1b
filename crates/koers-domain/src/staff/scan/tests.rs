use super::*;

#[test]
fn export_reads_back_and_versions_count_up() {
    let shipped = parse(SHIPPED).unwrap();
    assert_eq!(parse(&to_json(&shipped)).unwrap(), shipped);
    assert_eq!(next_version("2026.1"), "2026.2");
    assert_eq!(next_version("2026.9"), "2026.10");
    assert_eq!(next_version("3"), "4");
    assert_eq!(next_version("v-eigen"), "v-eigen.1");
}

#[test]
fn a_sample_keeps_every_group_in_proportion() {
    let mut people: Vec<(u32, Group)> = (0..4).map(|i| (i, Group::Hr)).collect();
    people.extend((4..20).map(|i| (i, Group::Manager)));
    people.extend((20..100).map(|i| (i, Group::Staff)));
    let mut rng = rand::rng();
    let s = sample(&people, 50, &mut rng);
    let count = |g| s.iter().filter(|(_, x)| *x == g).count();
    assert_eq!(
        (count(Group::Hr), count(Group::Manager), count(Group::Staff)),
        (2, 8, 40)
    );
    let mut ids: Vec<u32> = s.iter().map(|(i, _)| *i).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 50, "nobody twice");
    assert_eq!(sample(&people, 500, &mut rng).len(), 100);
    // A tiny sample still holds every group.
    let s = sample(&people, 3, &mut rng);
    assert_eq!(s.len(), 3);
    assert!(Group::ALL.iter().all(|g| s.iter().any(|(_, x)| x == g)));
}

fn tiny() -> Instrument {
    let mut items = Vec::new();
    for s in Stage::ALL {
        for a in Aspect::ALL {
            items.push(Item {
                key: format!("{}-{}", s.key(), a.key()),
                stage: s,
                aspect: a,
                text: Text {
                    nl: "x".into(),
                    en: String::new(),
                },
            });
        }
    }
    Instrument {
        key: "t".into(),
        name: Text::default(),
        description: Text::default(),
        version: "1".into(),
        items,
    }
}

fn resp(group: Group, answers: &[(&str, Option<u8>)]) -> Response {
    Response {
        group,
        answers: answers.iter().map(|(k, a)| ((*k).to_owned(), *a)).collect(),
        comments: BTreeMap::new(),
    }
}

fn group_cell(r: &StageResult, g: Group) -> &Cell {
    &r.by_group.iter().find(|(x, _)| *x == g).unwrap().1
}

#[test]
fn the_shipped_instrument_covers_every_stage_and_aspect() {
    let i = parse(SHIPPED).unwrap();
    assert_eq!(i.items.len(), 24);
    for s in Stage::ALL {
        for a in Aspect::ALL {
            assert_eq!(
                i.items
                    .iter()
                    .filter(|x| x.stage == s && x.aspect == a)
                    .count(),
                2
            );
        }
    }
    assert!(i.items.iter().all(|x| !x.text.en.is_empty()));
}

#[test]
fn scores_by_hand() {
    let i = tiny();
    // Five staff: recruitment policy answers 5,4,3,2,1 → points 100,75,50,25,0 → mean 50.
    // One of them answers practice 5 (100) and one "don't know" on experience.
    let mut rs: Vec<Response> = (1..=5u8)
        .map(|a| resp(Group::Staff, &[("recruitment-policy", Some(6 - a))]))
        .collect();
    rs[0].answers.insert("recruitment-practice".into(), Some(5));
    rs[1].answers.insert("recruitment-experience".into(), None);
    // Four HR advisers, all 5 on recruitment policy: below the minimum group size.
    rs.extend((0..4).map(|_| resp(Group::Hr, &[("recruitment-policy", Some(5))])));
    // Four managers, all 3 (50) on recruitment policy.
    rs.extend((0..4).map(|_| resp(Group::Manager, &[("recruitment-policy", Some(3))])));
    let r = results(&i, &rs);
    let rec = &r[0];
    assert_eq!(rec.stage, Stage::Recruitment);
    // Staff: 100+75+50+25+0 (policy) + 100 (practice) = 350 over 6 answers = 58.3.
    let staff = group_cell(rec, Group::Staff);
    assert_eq!((staff.respondents, staff.score), (5, Some(58.3)));
    assert_eq!(staff.hidden, None);
    let hr = group_cell(rec, Group::Hr);
    assert_eq!(
        (hr.respondents, hr.score, hr.hidden),
        (4, None, Some(Hidden::TooFew)),
        "no result below five"
    );
    // The managers are too few as well; overall minus staff rests on eight people, so
    // staff shows (a single small group would hide staff too: see below).
    let managers = group_cell(rec, Group::Manager);
    assert_eq!(
        (managers.respondents, managers.score, managers.hidden),
        (4, None, Some(Hidden::TooFew))
    );
    // All thirteen: 350 + 4 × 100 + 4 × 50 = 950 over 14 answers = 67.9.
    assert_eq!(rec.all.score, Some(67.9));
    // Practice has one respondent: hidden; experience (one "don't know" only) has nobody.
    assert_eq!(rec.by_aspect[1].1.hidden, Some(Hidden::TooFew));
    assert_eq!(rec.by_aspect[2].1.respondents, 0);
    // Overall minus policy would give that one person's practice answer, so policy
    // ((250 + 400 + 200) / 13 = 65.4) is hidden as well.
    assert_eq!(rec.by_aspect[0].1.respondents, 13);
    assert_eq!(rec.by_aspect[0].1.hidden, Some(Hidden::Derivable));
    // Once practice rests on five people, policy shows.
    for r in rs.iter_mut().filter(|r| r.group == Group::Manager).take(4) {
        r.answers.insert("recruitment-practice".into(), Some(1));
    }
    let rec = &results(&i, &rs)[0];
    assert_eq!(rec.by_aspect[0].1.score, Some(65.4));
    assert_eq!(rec.by_aspect[1].1.score, Some(20.0));
    // A stage nobody answered has no score.
    assert_eq!(
        r[3].all,
        Cell {
            respondents: 0,
            score: None,
            hidden: None,
        }
    );
}

/// The issue's example: overall 32, staff 29 and the other three in two small groups.
/// Overall minus staff would give those three; so staff is hidden too.
#[test]
fn a_group_is_not_given_away_by_subtraction() {
    let i = tiny();
    let mut rs = Vec::new();
    rs.extend((0..29).map(|_| resp(Group::Staff, &[("guidance-policy", Some(3))])));
    rs.extend((0..2).map(|_| resp(Group::Hr, &[("guidance-policy", Some(1))])));
    rs.push(resp(Group::Manager, &[("guidance-policy", Some(1))]));
    let g = &results(&i, &rs)[2];
    assert_eq!(g.all.respondents, 32);
    assert!(g.all.score.is_some());
    assert_eq!(group_cell(g, Group::Hr).hidden, Some(Hidden::TooFew));
    assert_eq!(group_cell(g, Group::Manager).hidden, Some(Hidden::TooFew));
    assert_eq!(group_cell(g, Group::Staff).hidden, Some(Hidden::Derivable));
    assert!(largest_differences(&results(&i, &rs), 5).is_empty());
    // Two small groups that together hold five: overall minus staff rests on five people.
    let mut rs: Vec<Response> = (0..20)
        .map(|_| resp(Group::Staff, &[("guidance-policy", Some(3))]))
        .collect();
    rs.extend((0..3).map(|_| resp(Group::Hr, &[("guidance-policy", Some(1))])));
    rs.extend((0..2).map(|_| resp(Group::Manager, &[("guidance-policy", Some(1))])));
    let g = &results(&i, &rs)[2];
    assert_eq!(group_cell(g, Group::Staff).score, Some(50.0));
    assert_eq!(group_cell(g, Group::Hr).hidden, Some(Hidden::TooFew));
}

/// Whatever the answers: wherever the overall figure shows, the hidden cells of a partition
/// together rest on none or at least five people, so no subtraction narrows it further.
#[test]
fn hidden_cells_never_rest_on_fewer_than_five_together() {
    use rand::{Rng, SeedableRng};
    let i = tiny();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20);
    for _ in 0..500 {
        let n = rng.random_range(0..25);
        let rs: Vec<Response> = (0..n)
            .map(|_| {
                let g = Group::ALL[rng.random_range(0..3)];
                let mut answers = BTreeMap::new();
                for it in &i.items {
                    if rng.random_bool(0.3) {
                        answers.insert(it.key.clone(), Some(rng.random_range(1..=5)));
                    }
                }
                Response {
                    group: g,
                    answers,
                    comments: BTreeMap::new(),
                }
            })
            .collect();
        for s in results(&i, &rs) {
            if s.all.score.is_none() {
                assert!(s.by_group.iter().all(|(_, c)| c.score.is_none()));
                assert!(s.by_aspect.iter().all(|(_, c)| c.score.is_none()));
                continue;
            }
            // Groups are disjoint: their counts add up.
            let hidden: usize = s
                .by_group
                .iter()
                .filter(|(_, c)| c.hidden.is_some())
                .map(|(_, c)| c.respondents)
                .sum();
            assert!(hidden == 0 || hidden >= MIN_GROUP, "{s:?}");
            let cells = s.by_group.iter().map(|(_, c)| c);
            for c in cells.chain(s.by_aspect.iter().map(|(_, c)| c)) {
                assert!(c.score.is_none() || c.respondents >= MIN_GROUP);
            }
            // Aspects overlap: count the people behind the hidden ones.
            let hidden: Vec<Aspect> = s
                .by_aspect
                .iter()
                .filter(|(_, c)| c.hidden.is_some())
                .map(|(a, _)| *a)
                .collect();
            let behind = rs
                .iter()
                .filter(|r| {
                    i.items.iter().any(|it| {
                        it.stage == s.stage
                            && hidden.contains(&it.aspect)
                            && r.answers.get(&it.key).is_some_and(Option::is_some)
                    })
                })
                .count();
            assert!(behind == 0 || behind >= MIN_GROUP, "{s:?}");
        }
    }
}

#[test]
fn empty_responses_do_not_count_and_comments_go_by_group() {
    let i = tiny();
    let with = |g: Group, answer: Option<u8>, comment: &str| Response {
        group: g,
        answers: [("appraisal-policy".to_owned(), answer)].into(),
        comments: [("appraisal".to_owned(), comment.to_owned())].into(),
    };
    // Four who answered and three who only said "don't know": not five.
    let mut rs: Vec<Response> = (0..4).map(|_| with(Group::Staff, Some(4), "")).collect();
    rs.extend((0..3).map(|_| with(Group::Staff, None, "")));
    assert_eq!(results(&i, &rs)[3].all.hidden, Some(Hidden::TooFew));
    rs.push(with(Group::Staff, Some(2), "Meer aandacht voor loopbaan."));
    assert_eq!(results(&i, &rs)[3].all.respondents, 5);
    assert_eq!(
        released_comments(&rs),
        (
            vec![(
                "appraisal".to_owned(),
                "Meer aandacht voor loopbaan.".to_owned()
            )],
            false
        )
    );
    // Two HR advisers' comments stay back, though the round has seven responses.
    rs.extend((0..2).map(|_| with(Group::Hr, Some(5), "Goed geregeld.")));
    let (shown, withheld) = released_comments(&rs);
    assert_eq!(shown.len(), 1);
    assert!(withheld);
    let all = RoundResults::of(&i, &rs);
    assert_eq!(all.hidden(), (true, true));
}

#[test]
fn largest_differences_between_shown_groups() {
    let i = tiny();
    let mut rs = Vec::new();
    rs.extend((0..5).map(|_| resp(Group::Hr, &[("guidance-policy", Some(5))])));
    rs.extend((0..5).map(|_| resp(Group::Staff, &[("guidance-policy", Some(2))])));
    rs.extend((0..5).map(|_| resp(Group::Manager, &[("guidance-policy", Some(4))])));
    rs.extend((0..2).map(|_| resp(Group::Manager, &[("appraisal-policy", Some(1))])));
    let d = largest_differences(&results(&i, &rs), 2);
    assert_eq!(
        d[0],
        Difference {
            stage: Stage::Guidance,
            higher: Group::Hr,
            lower: Group::Staff,
            points: 75.0
        }
    );
    assert_eq!(d[1].points, 50.0);
    assert_eq!((d[1].higher, d[1].lower), (Group::Manager, Group::Staff));
}

#[test]
fn instrument_problems_have_paths() {
    let e = parse(r#"{"key": "x", "name": "X", "version": "1", "items": [{"key": "a", "stage": "hiring", "aspect": "policy", "text": "t"}]}"#)
        .unwrap_err();
    assert_eq!(e[0].path, "/items/0/stage");
    let e = parse(r#"{"key": "x", "name": "X", "version": "1", "items": [{"key": "a", "stage": "guidance", "aspect": "policy", "text": "t"}]}"#)
        .unwrap_err();
    assert_eq!(e[0].code, "stage-missing");
}

fn two_statements() -> Instrument {
    let item = |key: &str, stage| Item {
        key: key.into(),
        stage,
        aspect: Aspect::Practice,
        text: Text::default(),
    };
    Instrument {
        key: "hrm".into(),
        name: Text::default(),
        description: Text::default(),
        version: "1".into(),
        items: vec![item("a", Stage::Guidance), item("b", Stage::Appraisal)],
    }
}

#[test]
fn a_response_answers_every_statement_and_keeps_comments_whole() {
    let i = two_statements();
    let draft = |a: &[(&str, &str)], c: &[(&str, String)]| ResponseDraft {
        answers: a
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        comments: c.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
    };
    let ok = draft(&[("a", "4"), ("b", "dk")], &[("guidance", " Goed ".into())])
        .parse(&i)
        .unwrap();
    assert_eq!(ok.answers["a"], Some(4));
    assert_eq!(ok.answers["b"], None);
    assert_eq!(ok.comments["guidance"], "Goed");
    let partial = draft(&[("a", "4")], &[]);
    assert_eq!(partial.missing(&i), 1);
    assert_eq!(partial.parse(&i).unwrap_err()[0].code, "answer-missing");
    let long = draft(
        &[("a", "4"), ("b", "2")],
        &[("guidance", "x".repeat(MAX_COMMENT + 1))],
    );
    assert_eq!(long.parse(&i).unwrap_err()[0].code, "comment-too-long");
    let exact = draft(
        &[("a", "4"), ("b", "2")],
        &[("guidance", "x".repeat(MAX_COMMENT))],
    );
    assert_eq!(
        exact.parse(&i).unwrap().comments["guidance"].len(),
        MAX_COMMENT
    );
    for (bad, code) in [("6", "answer-out-of-range"), ("0", "answer-out-of-range")] {
        assert_eq!(
            draft(&[("a", bad), ("b", "1")], &[]).parse(&i).unwrap_err()[0].code,
            code
        );
    }
    assert_eq!(
        draft(&[("a", "1"), ("b", "1"), ("z", "1")], &[])
            .parse(&i)
            .unwrap_err()[0]
            .code,
        "item-unknown"
    );
}
