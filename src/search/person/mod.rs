//! Person search: a name, the spellings the index holds for it, and what the articles say
//! about the person.
//!
//! [`lookup`] turns `person:"…"` clauses (and the names among a plain query's words) into
//! name spellings, splitting a name into its parts ([`name_parts`]) and telling a family
//! name used alone by the words around it ([`family_evidence`]); [`alias_discovery`] finds
//! other spellings of a name in the index (`fahras aliases suggest`); [`card`] is the
//! person's page (`fahras person`, `GET /person`).

pub(super) mod alias_discovery;
pub(super) mod card;
mod family_evidence;
pub(super) mod lookup;
mod name_parts;
