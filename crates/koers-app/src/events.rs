//! What happened: each command returns the events it caused. Notifications, mail, to-dos and
//! cached read models hook in here, never inside a page or an API handler.

/// One thing that happened, with what whoever it concerns needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A partner organisation was registered.
    PartnerRegistered { partner_id: String },
    /// Someone of a partner organisation was invited; `token` is for their activation link
    /// (mailed to them and shown once to the inviter).
    PartnerInvited {
        invitation_id: String,
        partner_name: String,
        email: String,
        name: String,
        token: String,
    },
    /// A student was placed at a partner school.
    PlacementCreated {
        placement_id: String,
        student_id: String,
        mentor_id: Option<String>,
    },
    /// A partner organisation (or the institute for it) submitted a field need.
    NeedSubmitted { need_id: String, partner_id: String },
    /// A guidance conversation was planned for a person by someone else.
    ConversationPlanned { conversation_id: String },
    /// Someone other than the actor became the owner of an improvement action.
    ImprovementActionAssigned { action_id: String, owner_id: String },
    /// The report of a conversation was written (the person reads it and its agreements).
    ReportWritten {
        conversation_id: String,
        person_id: String,
    },
    /// An item was added to the professional-development offer.
    OfferPublished { item_id: String },
}
