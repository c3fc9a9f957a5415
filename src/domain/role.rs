//! Staff roles: what a signed-in member of staff may do.

use crate::domain::school::Scope;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Headteacher,
    Office,
    /// A trust administrator: above every school of the portal, and only reads a school's
    /// records (it changes none of them).
    Trust,
}

impl Role {
    /// Any role, as stored.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "trust" => Some(Role::Trust),
            other => Role::parse_school(other),
        }
    }

    /// A role within one school, as a headteacher may give it.
    pub fn parse_school(s: &str) -> Option<Role> {
        match s {
            "headteacher" => Some(Role::Headteacher),
            "office" => Some(Role::Office),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Headteacher => "headteacher",
            Role::Office => "office",
            Role::Trust => "trust",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Headteacher => "Headteacher",
            Role::Office => "Office staff",
            Role::Trust => "Trust administrator",
        }
    }
}

/// Days a setup or invitation link stays usable.
pub const INVITE_DAYS: i64 = 7;

/// A signed-in member of staff at one school, as every use case sees them: a school's own staff,
/// or a trust administrator looking at the school (role [`Role::Trust`], read-only).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    /// Their school (for a trust administrator, the school they are looking at), as the store
    /// read it from their session.
    pub scope: Scope,
    pub name: String,
    pub email: String,
    pub role: Role,
}

impl Actor {
    pub fn is_head(&self) -> bool {
        self.role == Role::Headteacher
    }

    /// A trust administrator looking at a school: they read its records and change none.
    pub fn read_only(&self) -> bool {
        self.role == Role::Trust
    }

    /// The audit log's name for this person.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }
}

/// A trust administrator, signed in.
#[derive(Debug, Clone)]
pub struct TrustAdmin {
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl TrustAdmin {
    /// The administrator as they look at one school: read-only.
    pub fn looking_at(&self, scope: Scope) -> Actor {
        Actor {
            id: self.id,
            scope,
            name: self.name.clone(),
            email: self.email.clone(),
            role: Role::Trust,
        }
    }

    /// The audit log's name for this person.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }
}

/// A staff account: a school's (with its school) or the trust's (with none).
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: i64,
    /// Their school, or None for a trust administrator.
    pub scope: Option<Scope>,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub active: bool,
    pub created_at: time::OffsetDateTime,
}
