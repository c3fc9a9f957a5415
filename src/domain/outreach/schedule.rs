//! When messages may go: reminders only between 08:00 and 20:00 UK time, on the school's cadence
//! (so many days after each carer's invitation, then weekly until the deadline).

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};

use crate::domain::london;

/// Reminders go from 08:00 up to 20:00, London time.
pub const FIRST_HOUR: u8 = 8;
pub const LAST_HOUR: u8 = 20;

/// Whether a reminder may go now.
pub fn within_sending_hours(now: OffsetDateTime) -> bool {
    let hour = london::to_london(now).hour();
    (FIRST_HOUR..LAST_HOUR).contains(&hour)
}

/// `now` if a reminder may go now, else the next 08:00 in London.
pub fn next_sending_time(now: OffsetDateTime) -> OffsetDateTime {
    if within_sending_hours(now) {
        return now;
    }
    let local = london::to_london(now);
    let day = if local.hour() >= LAST_HOUR {
        local.date().next_day().unwrap_or(local.date())
    } else {
        local.date()
    };
    london_time(day, FIRST_HOUR)
}

/// `hour`:00 on `day` in London, as UTC. Clocks change at 01:00 UTC, so the offset at that hour
/// UTC is the offset all morning.
fn london_time(day: Date, hour: u8) -> OffsetDateTime {
    let at = PrimitiveDateTime::new(day, Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT));
    at.assume_offset(london::offset_at(at.assume_utc()))
        .to_offset(time::UtcOffset::UTC)
}

/// A document's reminder cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Days after the invitation, in order.
    pub days: Vec<u32>,
    /// Then every 7 days until the deadline.
    pub weekly: bool,
    pub deadline: Option<Date>,
}

impl Plan {
    /// Reads "7, 14" as typed; says what is wrong otherwise.
    pub fn parse_days(typed: &str) -> Result<Vec<u32>, &'static str> {
        let mut days = Vec::new();
        for part in typed
            .split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
        {
            let n: u32 = part
                .trim()
                .parse()
                .map_err(|_| "Write the days as numbers separated by commas, like 7, 14.")?;
            if n == 0 || n > 90 {
                return Err("Each day must be from 1 to 90 days after the invitation.");
            }
            if days.last().is_some_and(|&last| n <= last) {
                return Err("Put the days in order, each later than the one before, like 7, 14.");
            }
            days.push(n);
        }
        if days.is_empty() {
            return Err("Give at least one day for a reminder, like 7, 14.");
        }
        if days.len() > 6 {
            return Err("Give at most six days; weekly reminders can follow them.");
        }
        Ok(days)
    }

    /// When reminder number `sent` (0 for the first) is due for a carer invited at `invited`,
    /// or `None` when the cadence has no more (or the deadline has passed by then).
    pub fn due(&self, invited: OffsetDateTime, sent: usize) -> Option<OffsetDateTime> {
        let days = match self.days.get(sent) {
            Some(&d) => i64::from(d),
            None if self.weekly && self.deadline.is_some() => {
                let last = i64::from(*self.days.last()?);
                last + 7 * (sent - self.days.len() + 1) as i64
            }
            None => return None,
        };
        let at = invited + Duration::days(days);
        if let Some(deadline) = self.deadline
            && london::to_london(at).date() > deadline
        {
            return None;
        }
        Some(at)
    }
}

impl Plan {
    /// The next reminder for a carer invited at `invited` and last reminded at `last`: its number
    /// (1 for the first) and when it is due. Steps already passed when the last reminder went are
    /// skipped, so a school that switches reminders on late, or a server that was down, sends one
    /// reminder, never a burst of the ones it missed.
    pub fn next(
        &self,
        invited: OffsetDateTime,
        last: Option<OffsetDateTime>,
    ) -> Option<(usize, OffsetDateTime)> {
        let mut n = 0;
        // Six set days, then at most a year of weeks.
        while n < self.days.len() + 53 {
            let at = self.due(invited, n)?;
            if last.is_none_or(|l| at > l) {
                return Some((n + 1, at));
            }
            n += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn quiet_hours_in_winter_and_summer() {
        // GMT in November: 07:59 UTC is 07:59 in London.
        assert!(!within_sending_hours(datetime!(2026-11-23 07:59 UTC)));
        assert!(within_sending_hours(datetime!(2026-11-23 08:00 UTC)));
        assert!(within_sending_hours(datetime!(2026-11-23 19:59 UTC)));
        assert!(!within_sending_hours(datetime!(2026-11-23 20:00 UTC)));
        // BST in June: 07:00 UTC is 08:00 in London, 19:00 UTC is 20:00.
        assert!(within_sending_hours(datetime!(2026-06-10 07:00 UTC)));
        assert!(!within_sending_hours(datetime!(2026-06-10 19:00 UTC)));
    }

    #[test]
    fn holds_until_eight_the_next_morning() {
        assert_eq!(
            next_sending_time(datetime!(2026-11-23 21:30 UTC)),
            datetime!(2026-11-24 08:00 UTC)
        );
        assert_eq!(
            next_sending_time(datetime!(2026-11-24 05:00 UTC)),
            datetime!(2026-11-24 08:00 UTC)
        );
        assert_eq!(
            next_sending_time(datetime!(2026-06-10 20:00 UTC)),
            datetime!(2026-06-11 07:00 UTC)
        );
        let now = datetime!(2026-11-24 12:00 UTC);
        assert_eq!(next_sending_time(now), now);
    }

    #[test]
    fn cadence_then_weekly_until_the_deadline() {
        let plan = Plan {
            days: vec![7, 14],
            weekly: true,
            deadline: Some(date!(2026 - 12 - 20)),
        };
        let invited = datetime!(2026-11-21 10:00 UTC);
        assert_eq!(plan.due(invited, 0), Some(datetime!(2026-11-28 10:00 UTC)));
        assert_eq!(plan.due(invited, 1), Some(datetime!(2026-12-05 10:00 UTC)));
        assert_eq!(plan.due(invited, 2), Some(datetime!(2026-12-12 10:00 UTC)));
        assert_eq!(plan.due(invited, 3), Some(datetime!(2026-12-19 10:00 UTC)));
        assert_eq!(
            plan.due(invited, 4),
            None,
            "26 December is after the deadline"
        );
        let no_deadline = Plan {
            deadline: None,
            ..plan
        };
        assert_eq!(no_deadline.due(invited, 2), None, "weekly needs a deadline");
    }

    #[test]
    fn a_late_start_sends_one_reminder_not_a_burst() {
        let plan = Plan {
            days: vec![7, 14],
            weekly: true,
            deadline: Some(date!(2027 - 03 - 01)),
        };
        let invited = datetime!(2026-11-01 10:00 UTC);
        assert_eq!(
            plan.next(invited, None),
            Some((1, datetime!(2026-11-08 10:00 UTC)))
        );
        // Reminded on 12 December (weeks late): the next is the first step after that.
        let last = datetime!(2026-12-12 09:00 UTC);
        assert_eq!(
            plan.next(invited, Some(last)),
            Some((6, datetime!(2026-12-13 10:00 UTC)))
        );
        let after_deadline = datetime!(2027-03-01 11:00 UTC);
        assert_eq!(plan.next(invited, Some(after_deadline)), None);
    }

    #[test]
    fn reads_the_days_as_typed() {
        assert_eq!(Plan::parse_days("7, 14"), Ok(vec![7, 14]));
        assert_eq!(Plan::parse_days(" 3 ;10 "), Ok(vec![3, 10]));
        assert!(Plan::parse_days("14, 7").is_err());
        assert!(Plan::parse_days("seven").is_err());
        assert!(Plan::parse_days("").is_err());
        assert!(Plan::parse_days("0").is_err());
    }
}
