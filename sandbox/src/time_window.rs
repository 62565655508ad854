//! How far a message's `time` may be from the sandbox clock. One rule for the requests the
//! gateway answers and for the acknowledgements merchants send back: a signed message replayed
//! long after it was made is refused either way.

use std::time::Duration;

use eftpay::HkTime;

use eftpay::rules::Meaning;

use crate::codes::Refusal;

/// The message's time (field `wire`), when it is within `tolerance` of `now`.
///
/// # Errors
/// `time` missing or not `yyyyMMddHHmmss` (invalid field), or further than `tolerance` from `now`
/// (time mismatch).
pub fn check(wire: &str, time: Option<&str>, now: HkTime, tolerance: Duration) -> Result<HkTime, Refusal> {
    let time = time
        .and_then(|t| HkTime::parse_compact(t).ok())
        .ok_or_else(|| Refusal::new(Meaning::InvalidField, format!("`{wire}` is missing or not yyyyMMddHHmmss")))?;
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if time.seconds_between(now).abs() > tolerance {
        return Err(Refusal::new(
            Meaning::TimeMismatch,
            format!(
                "time mismatch: time {time} is more than {tolerance} s from the gateway's {now} (Hong Kong time, \
                 UTC+8); set the sender's clock right (NTP), and never send a message again with its old time"
            ),
        ));
    }
    Ok(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> HkTime {
        HkTime::parse_compact(text).unwrap()
    }

    #[test]
    fn a_time_within_the_tolerance_either_way_is_accepted() {
        let now = at("20261126120000");
        let five_minutes = Duration::from_secs(300);
        assert!(check("time", Some("20261126115500"), now, five_minutes).is_ok());
        assert!(check("time", Some("20261126120500"), now, five_minutes).is_ok());
        assert_eq!(
            check("time", Some("20261126115459"), now, five_minutes).unwrap_err().meaning,
            Meaning::TimeMismatch
        );
        assert_eq!(
            check("time", Some("20261126120501"), now, five_minutes).unwrap_err().meaning,
            Meaning::TimeMismatch
        );
        assert_eq!(check("time", Some("2026-11-26"), now, five_minutes).unwrap_err().meaning, Meaning::InvalidField);
        assert_eq!(check("time", None, now, five_minutes).unwrap_err().meaning, Meaning::InvalidField);
    }
}
