//! Invitations and reminders by email and text: the channels, what a message's status means,
//! the wording and its placeholders, which contact details can be used, and when reminders go.

pub mod contact;
pub mod schedule;
pub mod wording;

/// How a message reaches a carer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            _ => None,
        }
    }

    /// "email" or "text message", for sentences.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "text message",
        }
    }
}

/// Where a message is in its life. Stored as the lower-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    /// Waiting for its turn (or for a retry, or for 08:00).
    Queued,
    /// Handed to the sender; if the portal stops now it is sent again under the same reference.
    Sending,
    /// The mail server or Notify accepted it.
    Sent,
    /// Notify reports it reached the phone or inbox.
    Delivered,
    /// The address or number does not work (a permanent failure reported after sending).
    Bounced,
    /// Refused when sent (invalid address, unknown number) or given up after retries.
    Failed,
    /// Not sent: the carer asked for no more messages by this channel.
    OptedOut,
    /// Not sent: the carer signed (or left) before its turn came.
    Cancelled,
}

impl MessageStatus {
    pub fn parse(s: &str) -> MessageStatus {
        match s {
            "sending" => MessageStatus::Sending,
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "bounced" => MessageStatus::Bounced,
            "failed" => MessageStatus::Failed,
            "opted_out" => MessageStatus::OptedOut,
            "cancelled" => MessageStatus::Cancelled,
            _ => MessageStatus::Queued,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Bounced => "bounced",
            MessageStatus::Failed => "failed",
            MessageStatus::OptedOut => "opted_out",
            MessageStatus::Cancelled => "cancelled",
        }
    }

    /// What the office reads in the delivery log.
    pub fn label(self) -> &'static str {
        match self {
            MessageStatus::Queued => "Queued",
            MessageStatus::Sending => "Sending",
            MessageStatus::Sent => "Sent",
            MessageStatus::Delivered => "Delivered",
            MessageStatus::Bounced => "Bounced",
            MessageStatus::Failed => "Permanent failure",
            MessageStatus::OptedOut => "Opted out",
            MessageStatus::Cancelled => "Not needed (signed or left)",
        }
    }

    /// Whether this message shows the address or number does not work.
    pub fn is_failure(self) -> bool {
        matches!(self, MessageStatus::Bounced | MessageStatus::Failed)
    }
}
