//! Rules with no I/O: codes, names, evidence hashing, policy rendering, status, time display.

pub mod code;
pub mod csv_safe;
pub mod dates;
pub mod diff;
pub mod document;
pub mod draft;
pub mod email;
pub mod evidence;
pub mod i18n;
pub mod language;
pub mod london;
pub mod markdown;
pub mod name;
pub mod outreach;
pub mod password;
pub mod policy;
pub mod qr;
pub mod redirect;
pub mod role;
pub mod roster;
pub mod school;
pub mod secret;
pub mod status;
pub mod text;
pub mod wording;
pub mod wordpaste;
