//! Storage of the receiving field: partners, invitations, placements, needs and the offer.

pub mod invitations;
pub mod needs;
pub mod offer;
pub mod partners;
pub mod placements;
