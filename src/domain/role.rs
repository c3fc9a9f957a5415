//! Staff roles: what a signed-in member of staff may do.

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Headteacher,
    Office,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
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
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Headteacher => "Headteacher",
            Role::Office => "Office staff",
        }
    }
}

/// Days a setup or invitation link stays usable.
pub const INVITE_DAYS: i64 = 7;

/// A signed-in member of staff, as every use case sees them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

impl Actor {
    pub fn is_head(&self) -> bool {
        self.role == Role::Headteacher
    }

    /// The audit log's name for this person.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }
}

/// A staff account.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: i64,
    pub school_id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub active: bool,
    pub created_at: time::OffsetDateTime,
}
