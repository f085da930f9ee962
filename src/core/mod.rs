//! The pure core: domain types and the rules over them. No browser, no storage, no UI; the
//! current time is always passed in. Tested natively with `cargo test`.

pub mod bundle;
pub mod case;
pub mod clock;
pub mod closeout;
pub mod embed;
pub mod file_text;
pub mod handoff;
pub mod insights;
pub mod json;
pub mod learning;
pub mod letter_case;
pub mod limits;
pub mod link;
pub mod merge;
pub mod migrate;
pub mod pack;
pub mod playbook;
pub mod practice;
pub mod query;
pub mod removed;
pub mod replay;
pub mod seal;
pub mod sort;
pub mod studio;
pub mod team;
pub mod triage;
pub mod zone;
