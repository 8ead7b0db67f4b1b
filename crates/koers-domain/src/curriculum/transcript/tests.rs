use super::*;

const TEAMS: &str = "WEBVTT\n\n\
    0f3c1e2a-1\n00:00:01.000 --> 00:00:05.000\n<v Sanne de Vries>Hoi Mehmet, fijn dat je er bent. Hoe gaat het met je stage?</v>\n\n\
    0f3c1e2a-2\n00:00:05.500 --> 00:00:20.000\n<v Mehmet Yilmaz>Goed! Vorige week mocht ik voor het eerst zelf een les geven aan de eerstejaars. \
    Dat vond ik spannend, maar ik merkte dat ik goed in uitleggen ben.</v>\n\n\
    0f3c1e2a-3\n00:00:20.500 --> 00:00:26.000\n<v Sanne de Vries>Dus je merkte dat uitleggen je goed afgaat. Wat gaf je daar energie van?</v>\n\n\
    0f3c1e2a-4\n00:00:26.500 --> 00:00:45.000\n<v Mehmet Yilmaz>Dat de studenten het snapten. Ik wil later graag in het mbo werken, \
    misschien bij de opleiding ICT. Het is belangrijk voor mij dat ik iets betekent voor jongeren.</v>\n\n\
    0f3c1e2a-5\n00:00:45.500 --> 00:00:50.000\n<v Sanne de Vries>Heb je al contact met docenten daar?</v>\n\n\
    0f3c1e2a-6\n00:00:50.500 --> 00:00:58.000\n<v Mehmet Yilmaz>Nee, nog niet. Mijn mentor kent wel iemand.</v>\n\n\
    0f3c1e2a-7\n00:00:58.500 --> 00:01:04.000\n<v Sanne de Vries>Wat is je volgende stap?</v>\n\n\
    0f3c1e2a-8\n00:01:04.500 --> 00:01:12.000\n<v Mehmet Yilmaz>Ik ga deze week mijn mentor vragen om dat contact. Dat is de afspraak.</v>\n";

#[test]
fn teams_webvtt_with_voice_tags() {
    let turns = parse(TEAMS.as_bytes(), Format::Webvtt).unwrap();
    assert_eq!(turns.len(), 8);
    assert_eq!(turns[0].speaker, "Sanne de Vries");
    assert_eq!(turns[1].duration_ms, Some(14_500));
    let a = analyse(&turns, "Sanne de Vries");
    assert_eq!(a.speakers.len(), 2);
    assert_eq!(a.speakers[0].role, Role::Counsellor);
    assert!(a.student_share > a.counsellor_share);
    assert!((a.speakers.iter().map(|s| s.share).sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(a.speakers[1].time_share.unwrap() > 0.6);
    // Hoe gaat het…? Wat gaf je…? Wat is je volgende stap? open; Heb je al contact…? closed.
    assert_eq!((a.open_questions, a.closed_questions), (3, 1));
    assert_eq!(a.summaries, 1);
    assert!(a.criteria.iter().all(|c| c.met), "{:?}", a.criteria);
    // Quality (goed in), motives (energie, belangrijk), work (stage), networking (contact, mentor).
    assert!(a.competencies[0] >= 1 && a.competencies[1] >= 1 && a.competencies[2] >= 1);
    assert!(a.competencies[4] >= 1);
    let m = a
        .marks
        .iter()
        .find(|m| m.kind == MarkKind::ClosedQuestion)
        .unwrap();
    assert_eq!(m.utterance, 4);
    assert_eq!(m.evidence, "Heb je al contact met docenten daar?");
}

#[test]
fn zoom_webvtt_with_name_prefixes_and_merged_cues() {
    let zoom = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\nLotte: Zullen we beginnen?\n\n\
        2\n00:00:03.000 --> 00:00:06.000\nLotte: Heb je het formulier ingevuld?\n\n\
        3\n00:00:06.500 --> 00:00:08.000\nJoris: Ja.\n";
    let turns = parse(zoom.as_bytes(), Format::Webvtt).unwrap();
    assert_eq!(
        turns.len(),
        2,
        "consecutive cues of one speaker are one turn"
    );
    assert_eq!(
        turns[0].text,
        "Zullen we beginnen? Heb je het formulier ingevuld?"
    );
    assert_eq!(turns[0].duration_ms, Some(6000));
    let a = analyse(&turns, "Lotte");
    assert_eq!((a.open_questions, a.closed_questions), (0, 2));
    let failed: Vec<&str> = a
        .criteria
        .iter()
        .filter(|c| !c.met)
        .map(|c| c.key)
        .collect();
    assert_eq!(failed, CRITERIA.to_vec());
}

#[test]
fn plain_text_with_continuations_and_timestamps() {
    let t = "[00:00:01] Begeleider: Vertel eens, hoe ging de open dag?\n\
             Student: Leuk. Ik heb met twee docenten gepraat\nover de lerarenopleiding.\n\n\
             00:01:10 Begeleider: In hoeverre past dat bij wat je wilt?\n";
    let turns = parse(t.as_bytes(), Format::Text).unwrap();
    assert_eq!(turns.len(), 3);
    assert_eq!(
        turns[1].text,
        "Leuk. Ik heb met twee docenten gepraat over de lerarenopleiding."
    );
    assert_eq!(turns[1].duration_ms, None);
    let a = analyse(&turns, "Begeleider");
    assert_eq!(a.open_questions, 2);
    assert!(a.speakers.iter().all(|s| s.time_share.is_none()));
}

#[test]
fn open_and_closed_questions() {
    for q in [
        "Wat vond je daarvan?",
        "Hoe kwam dat?",
        "Waarom koos je dit?",
        "Kun je vertellen wat er gebeurde?",
        "Beschrijf eens hoe je dag eruitzag?",
        "In hoeverre lukte dat?",
        "Hoi Daan, hoe was je week?",
        "Oké, wat nu?",
    ] {
        assert!(is_open_question(q), "{q}");
    }
    for q in [
        "Heb je dat gedaan?",
        "Vond je het leuk?",
        "Is dat gelukt?",
        "Ga je dat doen?",
        "Heb je dat gedaan of niet, wat denk je?",
        "Goed, ga je dat doen?",
    ] {
        assert!(!is_open_question(q), "{q}");
    }
}

#[test]
fn bad_input_is_refused_clearly() {
    let code = |b: &[u8], f| parse(b, f).unwrap_err().code;
    assert_eq!(code(b"", Format::Text), "empty");
    assert_eq!(code(b"  \n\n", Format::Webvtt), "empty");
    assert_eq!(code(b"Jan: hoi \xff\xfe", Format::Text), "not-utf8");
    assert_eq!(code(&vec![b'a'; MAX_BYTES + 1], Format::Text), "too-large");
    assert_eq!(code(b"Jan: hoi", Format::Webvtt), "not-webvtt");
    assert_eq!(
        code(b"WEBVTT\n\n00:01 --> 00:02\n<v A>x</v>\n", Format::Webvtt),
        "timing-invalid"
    );
    assert_eq!(
        code(
            b"WEBVTT\n\n00:00.000 --> 00:02.000\nzonder spreker\n",
            Format::Webvtt
        ),
        "speaker-missing"
    );
    let e = parse(
        b"zomaar een zin zonder spreker die lang genoeg is\nJan: hoi",
        Format::Text,
    )
    .unwrap_err();
    assert_eq!((e.code, e.line), ("speaker-missing", Some(1)));
    assert_eq!(
        code(b"WEBVTT\n\nNOTE alleen een notitie\n", Format::Webvtt),
        "no-utterances"
    );
}

#[test]
fn timestamps() {
    assert_eq!(timestamp("00:01.500"), Some(1500));
    assert_eq!(timestamp("01:02:03.004"), Some(3_723_004));
    assert_eq!(timestamp("1:02.000"), None);
    assert_eq!(timestamp("00:61.000"), None);
}
