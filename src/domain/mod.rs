//! Rules with no I/O: codes, names, evidence hashing, policy rendering, status, time display.

pub mod code;
pub mod evidence;
pub mod london;
pub mod markdown;
pub mod name;
pub mod policy;
pub mod secret;
pub mod status;
