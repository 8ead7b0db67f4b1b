//! Storage of the curriculum context: frameworks and competences, activities and the
//! learning line, evidence and assessment, practice conversations, activity designs.

pub mod activities;
pub mod designs;
pub mod evidence;
pub mod frameworks;
pub mod ooapi;
pub mod practice;
pub mod reviews;

use crate::{Result, Tenant};
use koers_domain::curriculum::learning_line::{self, Cell, Gap};

/// A programme's learning line: the competences of the frameworks its activities use, the
/// activities, the cells per competence and year, and the gaps.
pub struct Line {
    pub competences: Vec<frameworks::CompetenceRef>,
    pub activities: Vec<activities::Activity>,
    pub cells: Vec<Cell>,
    pub gaps: Vec<Gap>,
}

pub async fn line(t: Tenant<'_>, programme_id: &str) -> Result<Line> {
    let activities = activities::for_programme(t, programme_id).await?;
    let linked: Vec<String> = activities
        .iter()
        .flat_map(|x| x.competences.iter().map(|(c, _)| c.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut framework_ids: Vec<String> = frameworks::competences(t, &linked)
        .await?
        .into_iter()
        .map(|c| c.framework_id)
        .collect();
    framework_ids.sort();
    framework_ids.dedup();
    let competences = frameworks::competences_of(t, &framework_ids).await?;
    let ids: Vec<String> = competences.iter().map(|c| c.id.clone()).collect();
    let line: Vec<_> = activities.iter().map(|x| x.as_line()).collect();
    let (cells, gaps) = learning_line::compute(&ids, &line);
    Ok(Line {
        competences,
        activities,
        cells,
        gaps,
    })
}
