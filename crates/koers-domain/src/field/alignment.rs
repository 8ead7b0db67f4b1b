//! The alignment matrix: each field need against the curriculum's activities and the
//! professional-development offer, through the competences linked on both sides.
//!
//! A need is *covered* when every competence it names is addressed by at least one activity
//! or offer item, *partly covered* when some are, and a *gap* when none are (or it names no
//! competences). A manual override with a reason wins over the derived status.

use super::Urgency;
use std::collections::BTreeSet;

crate::keyed_enum! {
    pub enum Alignment {
        Covered = "covered",
        Partial = "partial",
        Gap = "gap",
    }
}

/// Something that addresses competences: an activity of the learning line or an offer item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `activity` or `offer`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// `FRAMEWORK/COMPETENCE` keys.
    pub competences: BTreeSet<String>,
}

/// A need as the matrix reads it.
#[derive(Debug, Clone)]
pub struct Need {
    pub id: String,
    pub competences: BTreeSet<String>,
    pub urgency: Urgency,
    /// Set by the institute, with a reason.
    pub override_status: Option<Alignment>,
}

/// One need's row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub need_id: String,
    pub derived: Alignment,
    pub status: Alignment,
    /// Indexes into the sources that address at least one of the need's competences.
    pub covered_by: Vec<usize>,
    /// The need's competences no source addresses.
    pub missing: Vec<String>,
}

pub fn derive(need: &Need, sources: &[Source]) -> Row {
    let covered_by: Vec<usize> = sources
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.competences.is_disjoint(&need.competences))
        .map(|(i, _)| i)
        .collect();
    let missing: Vec<String> = need
        .competences
        .iter()
        .filter(|c| {
            !covered_by
                .iter()
                .any(|i| sources[*i].competences.contains(*c))
        })
        .cloned()
        .collect();
    let derived = if need.competences.is_empty() || missing.len() == need.competences.len() {
        Alignment::Gap
    } else if missing.is_empty() {
        Alignment::Covered
    } else {
        Alignment::Partial
    };
    Row {
        need_id: need.id.clone(),
        derived,
        status: need.override_status.unwrap_or(derived),
        covered_by,
        missing,
    }
}

/// The gap list: needs that are not covered, the most urgent first, then those asked by the
/// most partners (`askers`: how many partners asked a need with the same competences).
pub fn gap_order(rows: &mut [(Row, Urgency, usize)]) {
    rows.sort_by(|a, b| {
        a.1.rank()
            .cmp(&b.1.rank())
            .then(b.2.cmp(&a.2))
            .then(a.0.need_id.cmp(&b.0.need_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    fn source(kind: &'static str, id: &str, keys: &[&str]) -> Source {
        Source {
            kind,
            id: id.into(),
            title: id.into(),
            competences: set(keys),
        }
    }

    fn need(keys: &[&str], over: Option<Alignment>) -> Need {
        Need {
            id: "n".into(),
            competences: set(keys),
            urgency: Urgency::High,
            override_status: over,
        }
    }

    #[test]
    fn covered_partial_gap_by_hand() {
        let sources = [
            source(
                "activity",
                "a1",
                &["cp/career-conversations", "cc/networking"],
            ),
            source("offer", "o1", &["cp/placement-guidance"]),
            source("offer", "o2", &["21/collaboration"]),
        ];
        let r = derive(
            &need(&["cp/career-conversations", "cp/placement-guidance"], None),
            &sources,
        );
        assert_eq!(r.status, Alignment::Covered);
        assert_eq!(r.covered_by, vec![0, 1]);
        assert!(r.missing.is_empty());
        let r = derive(
            &need(&["cp/career-conversations", "cp/partnerships"], None),
            &sources,
        );
        assert_eq!(r.status, Alignment::Partial);
        assert_eq!(r.missing, vec!["cp/partnerships".to_owned()]);
        let r = derive(&need(&["cp/partnerships"], None), &sources);
        assert_eq!((r.status, r.covered_by.len()), (Alignment::Gap, 0));
        // No competences named: nothing can be shown to cover it.
        assert_eq!(derive(&need(&[], None), &sources).status, Alignment::Gap);
        // An override wins, and the derived status stays visible.
        let r = derive(
            &need(&["cp/partnerships"], Some(Alignment::Partial)),
            &sources,
        );
        assert_eq!((r.derived, r.status), (Alignment::Gap, Alignment::Partial));
    }

    #[test]
    fn gaps_sort_by_urgency_then_askers() {
        let row = |id: &str| Row {
            need_id: id.into(),
            derived: Alignment::Gap,
            status: Alignment::Gap,
            covered_by: vec![],
            missing: vec![],
        };
        let mut rows = vec![
            (row("low"), Urgency::Low, 9),
            (row("high-1"), Urgency::High, 1),
            (row("high-3"), Urgency::High, 3),
            (row("medium"), Urgency::Medium, 5),
        ];
        gap_order(&mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.0.need_id.as_str()).collect();
        assert_eq!(ids, ["high-3", "high-1", "medium", "low"]);
    }
}
