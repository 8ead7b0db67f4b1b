//! Demo data of the LOB vision: an adopted version and the older one it replaced.

use crate::vision;
use crate::{Result, Tenant};
use koers_domain::vision::{Document, Status};

pub(super) async fn seed(t: Tenant<'_>, manager: &str) -> Result<()> {
    let mut doc = Document {
        mission: "Hogeschool Demo leidt leraren op die **zelf** aan hun loopbaan werken en mbo-studenten \
                  daarin begeleiden. Loopbaanbegeleiding is er voor iedere student, niet alleen als het misgaat."
            .into(),
        principles: "- Elke student krijgt begeleiding bij instroom, voortgang, keuzerichting en uitstroom.\n\
                     - We doen wat we zeggen: ook medewerkers werken aan hun loopbaan.\n\
                     - We stemmen af met de mbo-scholen waar onze studenten gaan werken."
            .into(),
        ambitions: [
            ("intake", "Iedere student heeft binnen zes weken een intakegesprek."),
            ("progress", "Iedere student heeft elk studiejaar minstens één voortgangsgesprek."),
            ("outflow", "Iedere student die stopt of afstudeert, heeft een uitstroomgesprek."),
            ("staff_development", "Elke medewerker heeft een actueel ontwikkelplan."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    };
    let v1 = vision::create(t, None, &doc, "Eerste versie", manager).await?;
    vision::set_status(t, None, v1, Status::Proposed, manager).await?;
    vision::set_status(t, None, v1, Status::Adopted, manager).await?;
    doc.ambitions.insert(
        "field_alignment".into(),
        "Elk jaar bespreken we met onze partnerscholen wat hun docenten nodig hebben.".into(),
    );
    doc.ambitions.insert(
        "learning_line".into(),
        "Elke opleiding heeft een LOB-leerlijn zonder gaten van jaar 1 tot en met 4.".into(),
    );
    doc.ambitions.insert(
        "specialisation".into(),
        "Voor de keuze van een afstudeerrichting heeft iedere student een keuzegesprek.".into(),
    );
    let v2 = vision::create(t, None, &doc, "Werkveld en leerlijn toegevoegd", manager).await?;
    vision::set_status(t, None, v2, Status::Proposed, manager).await?;
    vision::set_status(t, None, v2, Status::Adopted, manager).await?;
    Ok(())
}
