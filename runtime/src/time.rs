//! Hong Kong wall-clock time, and where "now" comes from.
//!
//! Every request carries `time` as `yyyyMMddHHmmss` in Hong Kong time (UTC+8, no daylight
//! saving); eftPay compares it with its own clock and answers `return_status` `12` ("time
//! mismatch") when it is off, and UTC was rejected live (`docs/protocol.md` §2). Received
//! messages use two forms, which the spec gives each field as its type: the same compact form
//! (`time`, `refund_time`: type `time`) and `yyyy-MM-dd HH:mm:ss` (`trade_time`, `gmt_payment`:
//! type `datetime`). [`HkTime`] reads and writes both forms and converts to and from Unix seconds
//! with a fixed +8 hour offset.
//!
//! The few calendar conversions needed are done here with Howard Hinnant's `days_from_civil` /
//! `civil_from_days` algorithms rather than through a date crate, which would be a large
//! dependency for six fields and one fixed offset. Hong Kong kept summer time until 1979; times
//! before that are read with the fixed offset too, since eftPay has no business dates that old.
//!
//! "Now" comes from a [`Clock`] so that tests and the sandbox can fix or move time, and so a
//! signed request can be reproduced byte for byte.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::short_text::ShortText;

/// Hong Kong is UTC+8 all year (`docs/protocol.md` §2).
const HK_OFFSET_SECONDS: i64 = 8 * 60 * 60;
const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

/// The calendar range [`HkTime`] represents: from the Unix epoch's year to the last year that
/// fits eftPay's four-digit `yyyy`.
const MIN_YEAR: u16 = 1970;
const MAX_YEAR: u16 = 9999;

/// 1970-01-01 00:00:00 in Hong Kong, which is eight hours *before* the Unix epoch.
const MIN_UNIX_SECONDS: i64 = days_from_civil(MIN_YEAR as i64, 1, 1) * SECONDS_PER_DAY - HK_OFFSET_SECONDS;
/// 9999-12-31 23:59:59 in Hong Kong.
const MAX_UNIX_SECONDS: i64 =
    days_from_civil(MAX_YEAR as i64, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1 - HK_OFFSET_SECONDS;

/// Unix second 0 seen from Hong Kong; what [`SystemClock`] reports when the system clock is
/// unusable, so a broken clock shows up as eftPay's "time mismatch" instead of a crash.
const UNIX_EPOCH_IN_HK: HkTime = HkTime { year: 1970, month: 1, day: 1, hour: 8, minute: 0, second: 0 };

/// eftPay's `time` and `refund_time` layout; letters are the fields, in `read_layout`'s terms.
const COMPACT_LAYOUT: &str = "yyyyMMddHHmmss";
/// eftPay's `trade_time` and `gmt_payment` layout.
const DASHED_LAYOUT: &str = "yyyy-MM-dd HH:mm:ss";

/// A wall-clock time in Hong Kong (UTC+8), to the second, between 1970-01-01 00:00:00 and
/// 9999-12-31 23:59:59.
///
/// Ordering is chronological. `Display` writes the compact form eftPay's `time` field uses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct HkTime {
    // Field order is significant: the derived `Ord` compares year first, second last.
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl HkTime {
    /// The Hong Kong wall-clock time of a Unix timestamp: `0` is 1970-01-01 08:00:00.
    ///
    /// `None` if that time falls outside the years 1970 to 9999 in Hong Kong.
    pub fn from_unix_seconds(secs: i64) -> Option<HkTime> {
        if !(MIN_UNIX_SECONDS..=MAX_UNIX_SECONDS).contains(&secs) {
            return None;
        }
        let local = secs + HK_OFFSET_SECONDS;
        let (year, month, day) = civil_from_days(local.div_euclid(SECONDS_PER_DAY));
        let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
        Some(HkTime {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
            hour: u8::try_from(second_of_day / 3600).ok()?,
            minute: u8::try_from(second_of_day % 3600 / 60).ok()?,
            second: u8::try_from(second_of_day % 60).ok()?,
        })
    }

    /// The Unix timestamp of this Hong Kong wall-clock time: 1970-01-01 08:00:00 is `0`.
    pub fn unix_seconds(self) -> i64 {
        let days = days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day));
        days * SECONDS_PER_DAY + i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
            - HK_OFFSET_SECONDS
    }

    /// A time from its calendar parts, checked: year 1970 to 9999, a day that exists in that
    /// month (29 February only in leap years), hour 0 to 23, minute and second 0 to 59.
    ///
    /// # Errors
    ///
    /// The [`TimeError`] `…OutOfRange` variant of the first part out of range, quoting the parts as
    /// `yyyy-MM-dd HH:mm:ss`.
    pub fn from_parts(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Result<HkTime, TimeError> {
        let candidate = HkTime { year, month, day, hour, minute, second };
        candidate.validated(|| candidate.to_dashed())
    }

    /// Parses `yyyyMMddHHmmss`, the form of eftPay's `time` and `refund_time` fields.
    ///
    /// # Errors
    ///
    /// [`TimeError::NotCompact`] unless the text is exactly 14 ASCII digits; otherwise an
    /// `…OutOfRange` variant if a part is out of range, as for [`HkTime::from_parts`].
    ///
    /// ```rust
    /// use eftpay::HkTime;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let time = HkTime::parse_compact("20230609110645")?;
    /// assert_eq!(time.to_dashed(), "2023-06-09 11:06:45");
    /// assert_eq!(time.unix_seconds(), 1_686_280_005);
    ///
    /// assert!(HkTime::parse_compact("2023-06-09").is_err());
    /// assert!(HkTime::parse_compact("20230230000000").is_err()); // no 30 February
    /// # Ok(())
    /// # }
    /// ```
    pub fn parse_compact(text: &str) -> Result<HkTime, TimeError> {
        read_layout(text, COMPACT_LAYOUT)
            .ok_or_else(|| TimeError::NotCompact { text: text.to_owned() })?
            .validated(|| text.to_owned())
    }

    /// `yyyyMMddHHmmss`, e.g. `20230609110645`: the form eftPay's `time` field needs.
    pub fn to_compact(self) -> String {
        self.compact_text().to_string()
    }

    /// [`to_compact`](Self::to_compact) held on the stack, for signing without allocating.
    pub fn compact_text(self) -> ShortText {
        self.text_with(None, None)
    }

    /// [`to_dashed`](Self::to_dashed) held on the stack, for signing without allocating.
    pub fn dashed_text(self) -> ShortText {
        self.text_with(Some(b'-'), Some((b' ', b':')))
    }

    /// The date's parts zero-padded, `date` between them; then the time's, the first of
    /// `time` before them and the second between them.
    fn text_with(self, date: Option<u8>, time: Option<(u8, u8)>) -> ShortText {
        let mut text = ShortText::new();
        text.push_digits(u64::from(self.year), 4);
        for part in [self.month, self.day] {
            text.push_some(date);
            text.push_digits(u64::from(part), 2);
        }
        text.push_some(time.map(|(before, _)| before));
        text.push_digits(u64::from(self.hour), 2);
        for part in [self.minute, self.second] {
            text.push_some(time.map(|(_, between)| between));
            text.push_digits(u64::from(part), 2);
        }
        text
    }

    /// Parses `yyyy-MM-dd HH:mm:ss`, the form of eftPay's `gmt_payment` and `trade_time`.
    ///
    /// # Errors
    ///
    /// [`TimeError::NotDashed`] unless the text has exactly that shape, with zero-padded digits;
    /// otherwise an `…OutOfRange` variant if a part is out of range, as for [`HkTime::from_parts`].
    pub fn parse_dashed(text: &str) -> Result<HkTime, TimeError> {
        read_layout(text, DASHED_LAYOUT)
            .ok_or_else(|| TimeError::NotDashed { text: text.to_owned() })?
            .validated(|| text.to_owned())
    }

    /// `yyyy-MM-dd HH:mm:ss`, e.g. `2023-06-09 11:06:45`.
    pub fn to_dashed(self) -> String {
        self.dashed_text().to_string()
    }

    /// The same instant as a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        let secs = self.unix_seconds();
        let magnitude = Duration::from_secs(secs.unsigned_abs());
        // HkTime's range (1970-01-01 00:00 in Hong Kong is eight hours before the epoch, 9999
        // at the latest) lies well within SystemTime's on every platform Rust supports.
        if secs >= 0 {
            UNIX_EPOCH.checked_add(magnitude).unwrap_or(UNIX_EPOCH)
        } else {
            UNIX_EPOCH.checked_sub(magnitude).unwrap_or(UNIX_EPOCH)
        }
    }

    /// The Hong Kong wall-clock time of a [`SystemTime`], to the second (fractions dropped);
    /// `None` outside the years 1970 to 9999 in Hong Kong.
    pub fn from_system_time(time: SystemTime) -> Option<HkTime> {
        let secs = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).ok()?,
            Err(before) => {
                // Round towards the past, as the forward branch does.
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).ok()?;
                -(whole + i64::from(before.subsec_nanos() > 0))
            }
        };
        HkTime::from_unix_seconds(secs)
    }

    /// RFC 3339 with Hong Kong's offset, e.g. `2023-06-09T11:06:45+08:00`: how the time is
    /// serialised, unambiguous wherever it is read.
    pub fn to_rfc3339(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// Seconds from `self` to `other`: positive when `other` is later.
    pub fn seconds_between(self, other: HkTime) -> i64 {
        other.unix_seconds() - self.unix_seconds()
    }

    /// The time `secs` seconds later (earlier when negative), or `None` if that leaves the years
    /// 1970 to 9999.
    pub fn plus_seconds(self, secs: i64) -> Option<HkTime> {
        self.unix_seconds().checked_add(secs).and_then(HkTime::from_unix_seconds)
    }

    /// The year, 1970 to 9999.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The hour, 0 to 23.
    pub const fn hour(self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub const fn minute(self) -> u8 {
        self.minute
    }

    /// The second, 0 to 59 (eftPay's times have no leap seconds).
    pub const fn second(self) -> u8 {
        self.second
    }

    /// `self` if every part is in range; `text` renders the input for the error message, so a
    /// parse error quotes what was received and a `from_parts` error what was asked for.
    fn validated(self, text: impl FnOnce() -> String) -> Result<HkTime, TimeError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&self.year) {
            return Err(TimeError::YearOutOfRange { text: text(), year: self.year });
        }
        if !(1..=12).contains(&self.month) {
            return Err(TimeError::MonthOutOfRange { text: text(), month: self.month });
        }
        let days_in_month = days_in_month(self.year, self.month);
        if !(1..=days_in_month).contains(&self.day) {
            return Err(TimeError::DayOutOfRange { text: text(), day: self.day, days_in_month });
        }
        if self.hour > 23 {
            return Err(TimeError::HourOutOfRange { text: text(), hour: self.hour });
        }
        if self.minute > 59 {
            return Err(TimeError::MinuteOutOfRange { text: text(), minute: self.minute });
        }
        if self.second > 59 {
            return Err(TimeError::SecondOutOfRange { text: text(), second: self.second });
        }
        Ok(self)
    }
}

impl From<HkTime> for SystemTime {
    fn from(time: HkTime) -> SystemTime {
        time.to_system_time()
    }
}

impl TryFrom<SystemTime> for HkTime {
    type Error = TimeError;

    /// # Errors
    /// [`TimeError::OutsideRange`] for a time before 1970 or after 9999 in Hong Kong.
    fn try_from(time: SystemTime) -> Result<HkTime, TimeError> {
        HkTime::from_system_time(time).ok_or(TimeError::OutsideRange)
    }
}

/// With the `jiff` feature: the same instant as a [`jiff::Timestamp`].
#[cfg(feature = "jiff")]
#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl From<HkTime> for jiff::Timestamp {
    fn from(time: HkTime) -> jiff::Timestamp {
        // HkTime's range (1970–9999) lies within jiff's; the fallback is never taken.
        jiff::Timestamp::from_second(time.unix_seconds()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

/// With the `jiff` feature: the Hong Kong wall-clock time of a [`jiff::Timestamp`], to the
/// second.
#[cfg(feature = "jiff")]
#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl TryFrom<jiff::Timestamp> for HkTime {
    type Error = TimeError;

    /// # Errors
    /// [`TimeError::OutsideRange`] for a time before 1970 or after 9999 in Hong Kong.
    fn try_from(time: jiff::Timestamp) -> Result<HkTime, TimeError> {
        HkTime::from_unix_seconds(time.as_second()).ok_or(TimeError::OutsideRange)
    }
}

#[cfg(feature = "jiff")]
#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl HkTime {
    /// With the `jiff` feature: this time as a [`jiff::Zoned`] at Hong Kong's fixed `+08:00`.
    pub fn to_zoned(self) -> jiff::Zoned {
        let offset = jiff::tz::Offset::constant(8);
        jiff::Timestamp::from(self).to_zoned(jiff::tz::TimeZone::fixed(offset))
    }
}

/// Serialised as RFC 3339 with the `+08:00` offset (see [`HkTime::to_rfc3339`]).
impl serde::Serialize for HkTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl fmt::Display for HkTime {
    /// The compact form, `20230609110645`, because that is what eftPay's `time` field carries.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.compact_text())
    }
}

/// Reads `text` against a layout such as `yyyy-MM-dd HH:mm:ss`: each letter stands for one
/// digit of that field, any other character must appear as is. Only the shape is checked here;
/// ranges are [`HkTime::validated`]'s job, so that the two kinds of error stay distinct.
fn read_layout(text: &str, layout: &str) -> Option<HkTime> {
    if text.len() != layout.len() {
        return None;
    }
    let mut fields = [0u16; 6];
    for (byte, pattern) in text.bytes().zip(layout.bytes()) {
        let slot = match pattern {
            b'y' => 0,
            b'M' => 1,
            b'd' => 2,
            b'H' => 3,
            b'm' => 4,
            b's' => 5,
            separator if byte == separator => continue,
            _ => return None,
        };
        let digit = char::from(byte).to_digit(10)?;
        let field = fields.get_mut(slot)?;
        *field = field.checked_mul(10)?.checked_add(u16::try_from(digit).ok()?)?;
    }
    let [year, month, day, hour, minute, second] = fields;
    Some(HkTime {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        hour: u8::try_from(hour).ok()?,
        minute: u8::try_from(minute).ok()?,
        second: u8::try_from(second).ok()?,
    })
}

/// Gregorian rule: every fourth year, except centuries not divisible by 400 (2000 is a leap
/// year, 2100 is not).
const fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// Days in `month` of `year`; 0 for a month that does not exist, so no day fits it.
const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
///
/// The year is counted from March so that the leap day falls at the end of it; callers pass
/// years 1970..=9999, for which no intermediate value comes near overflow.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian `(year, month, day)` of a count of days since 1970-01-01 (Hinnant's
/// `civil_from_days`, the inverse of [`days_from_civil`]).
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Why a text or set of parts is not an eftPay time. Shape errors (`NotCompact`, `NotDashed`)
/// are kept apart from range errors (a 13th month, 30 February, hour 24).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// A point in time outside the years 1970 to 9999 in Hong Kong.
    #[error("the time lies outside the years 1970 to 9999 in Hong Kong, which eftPay's times cover")]
    OutsideRange,
    /// The text is not 14 digits `yyyyMMddHHmmss`.
    #[error("time `{text}` is not yyyyMMddHHmmss (e.g. 20230609110645)")]
    NotCompact {
        /// The rejected text.
        text: String,
    },
    /// The text is not `yyyy-MM-dd HH:mm:ss`.
    #[error("time `{text}` is not yyyy-MM-dd HH:mm:ss (e.g. 2023-06-09 11:06:45)")]
    NotDashed {
        /// The rejected text.
        text: String,
    },
    /// The year is before 1970 or after 9999.
    #[error("time `{text}` has year {year}; times must lie in the years 1970 to 9999")]
    YearOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The year given.
        year: u16,
    },
    /// The month is not 1 to 12.
    #[error("time `{text}` has month {month}; months run from 01 to 12")]
    MonthOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The month given.
        month: u8,
    },
    /// The day does not exist in that month (day 0, 31 April, 29 February of a common year).
    #[error("time `{text}` has day {day}, but that month has days 01 to {days_in_month}")]
    DayOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The day given.
        day: u8,
        /// How many days that month has in that year.
        days_in_month: u8,
    },
    /// The hour is 24 or more.
    #[error("time `{text}` has hour {hour}; hours run from 00 to 23")]
    HourOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The hour given.
        hour: u8,
    },
    /// The minute is 60 or more.
    #[error("time `{text}` has minute {minute}; minutes run from 00 to 59")]
    MinuteOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The minute given.
        minute: u8,
    },
    /// The second is 60 or more (eftPay's times have no leap seconds).
    #[error("time `{text}` has second {second}; seconds run from 00 to 59")]
    SecondOutOfRange {
        /// The rejected time, as received or as built from parts.
        text: String,
        /// The second given.
        second: u8,
    },
}

/// Where "now" comes from: injectable so tests and the sandbox can fix or move time.
///
/// Use [`SystemClock`] in production and [`FixedClock`] in tests.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current Hong Kong wall-clock time.
    fn now(&self) -> HkTime;
}

/// The machine's clock, read through [`std::time::SystemTime`].
///
/// A clock outside the years 1970 to 9999 in Hong Kong reads as the Unix epoch (1970-01-01
/// 08:00:00 in Hong Kong) rather than panicking; eftPay then refuses the request as a time mismatch, which points
/// at the real problem.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> HkTime {
        HkTime::from_system_time(SystemTime::now()).unwrap_or(UNIX_EPOCH_IN_HK)
    }
}

/// A clock that stays where it is put, for tests and the sandbox.
///
/// It is shared by reference, so [`FixedClock::set`] and [`FixedClock::advance`] take `&self`:
/// a test can move time while the client under test holds the same clock.
#[derive(Debug)]
pub struct FixedClock {
    // Unix seconds, always within HkTime's range; an atomic rather than a Mutex so that no lock
    // can be poisoned and `now` has no failure path.
    unix_seconds: AtomicI64,
}

impl FixedClock {
    /// A clock that reads `time` until moved.
    pub fn new(time: HkTime) -> FixedClock {
        FixedClock { unix_seconds: AtomicI64::new(time.unix_seconds()) }
    }

    /// Moves the clock to `time`.
    pub fn set(&self, time: HkTime) {
        // The value is self-contained (no other memory is published with it), so `Relaxed`
        // suffices: every thread still sees the single location's writes in order.
        self.unix_seconds.store(time.unix_seconds(), Ordering::Relaxed);
    }

    /// Moves the clock `secs` seconds forward (back when negative). A move past 1970 or 9999
    /// stops at the first or last representable second.
    pub fn advance(&self, secs: i64) {
        // `fetch_update` retries on a concurrent move; the closure always returns `Some`, so the
        // `Err` case cannot occur and is ignored.
        let _ = self.unix_seconds.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |current| {
            Some(current.saturating_add(secs).clamp(MIN_UNIX_SECONDS, MAX_UNIX_SECONDS))
        });
    }
}

impl Clock for FixedClock {
    fn now(&self) -> HkTime {
        // Only values from an HkTime or clamped to its range are ever stored, so the fallback is
        // never taken; it exists so that `now` has no panic path.
        HkTime::from_unix_seconds(self.unix_seconds.load(Ordering::Relaxed)).unwrap_or(UNIX_EPOCH_IN_HK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> HkTime {
        HkTime::from_parts(year, month, day, hour, minute, second).unwrap()
    }

    #[test]
    fn unix_epoch_is_eight_in_the_morning_in_hong_kong() {
        let epoch = HkTime::from_unix_seconds(0).unwrap();
        assert_eq!(epoch.to_compact(), "19700101080000");
        assert_eq!(epoch, UNIX_EPOCH_IN_HK);
    }

    #[test]
    fn hong_kong_midnight_is_sixteen_hundred_utc_the_day_before() {
        // 2024-01-01 00:00:00 HK = 2023-12-31 16:00:00 UTC = 1704038400.
        assert_eq!(time(2024, 1, 1, 0, 0, 0).unix_seconds(), 1_704_038_400);
        assert_eq!(HkTime::from_unix_seconds(1_704_038_399).unwrap().to_compact(), "20231231235959");
    }

    #[test]
    fn matches_eftpay_example_timestamp() {
        // 2023-06-09 11:06:45 in Hong Kong is 03:06:45 UTC, Unix second 1686280005: the moment an
        // order number made from a millisecond timestamp (`rrn_1686280005975`) was taken.
        assert_eq!(HkTime::parse_compact("20230609110645").unwrap().unix_seconds(), 1_686_280_005);
    }

    #[test]
    fn earliest_time_is_hong_kong_new_year_1970() {
        let earliest = HkTime::from_unix_seconds(-HK_OFFSET_SECONDS).unwrap();
        assert_eq!(earliest.to_compact(), "19700101000000");
        assert_eq!(HkTime::from_unix_seconds(-HK_OFFSET_SECONDS - 1), None);
    }

    #[test]
    fn latest_time_is_end_of_9999() {
        let latest = time(9999, 12, 31, 23, 59, 59);
        assert_eq!(HkTime::from_unix_seconds(latest.unix_seconds()), Some(latest));
        assert_eq!(HkTime::from_unix_seconds(latest.unix_seconds() + 1), None);
    }

    #[test]
    fn from_unix_seconds_refuses_extremes() {
        assert_eq!(HkTime::from_unix_seconds(i64::MIN), None);
        assert_eq!(HkTime::from_unix_seconds(i64::MAX), None);
    }

    #[test]
    fn round_trips_leap_day_2000() {
        // 2000-02-29 00:00:00 UTC is 951782400; divisible by 400, so a leap year.
        let leap_day = HkTime::from_unix_seconds(951_782_400).unwrap();
        assert_eq!(leap_day, time(2000, 2, 29, 8, 0, 0));
        assert_eq!(leap_day.unix_seconds(), 951_782_400);
    }

    #[test]
    fn year_2100_is_not_leap() {
        assert!(matches!(
            HkTime::from_parts(2100, 2, 29, 0, 0, 0),
            Err(TimeError::DayOutOfRange { days_in_month: 28, .. })
        ));
        assert_eq!(time(2100, 2, 28, 12, 0, 0).plus_seconds(SECONDS_PER_DAY), Some(time(2100, 3, 1, 12, 0, 0)));
    }

    #[test]
    fn leap_day_exists_only_in_leap_years() {
        assert!(HkTime::from_parts(2024, 2, 29, 0, 0, 0).is_ok());
        assert!(HkTime::from_parts(2000, 2, 29, 0, 0, 0).is_ok());
        assert!(HkTime::from_parts(2023, 2, 29, 0, 0, 0).is_err());
    }

    #[test]
    fn crosses_year_boundary() {
        assert_eq!(time(2023, 12, 31, 23, 59, 59).plus_seconds(1), Some(time(2024, 1, 1, 0, 0, 0)));
    }

    #[test]
    fn unix_seconds_agree_with_day_by_day_count() {
        // Walk the calendar one day at a time with `days_in_month` alone, an independent check
        // of Hinnant's arithmetic across leap years and century rules.
        let mut expected = -HK_OFFSET_SECONDS;
        for year in 1970..=2401 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let midnight = time(year, month, day, 0, 0, 0);
                    assert_eq!(midnight.unix_seconds(), expected, "{midnight}");
                    assert_eq!(HkTime::from_unix_seconds(expected), Some(midnight));
                    expected += SECONDS_PER_DAY;
                }
            }
        }
    }

    #[test]
    fn round_trips_every_hour_of_a_leap_year() {
        let start = time(2024, 1, 1, 0, 0, 0).unix_seconds();
        for hour in 0..(366 * 24) {
            let secs = start + hour * 3600 + 1234;
            let hk = HkTime::from_unix_seconds(secs).unwrap();
            assert_eq!(hk.unix_seconds(), secs);
            assert_eq!(HkTime::parse_compact(&hk.to_compact()), Ok(hk));
            assert_eq!(HkTime::parse_dashed(&hk.to_dashed()), Ok(hk));
        }
    }

    #[test]
    fn from_parts_rejects_year_before_1970() {
        assert!(matches!(
            HkTime::from_parts(1969, 12, 31, 23, 59, 59),
            Err(TimeError::YearOutOfRange { year: 1969, .. })
        ));
    }

    #[test]
    fn from_parts_error_quotes_the_parts_asked_for() {
        assert_eq!(
            HkTime::from_parts(2023, 2, 30, 0, 0, 0).unwrap_err().to_string(),
            "time `2023-02-30 00:00:00` has day 30, but that month has days 01 to 28"
        );
    }

    #[test]
    fn parses_compact() {
        assert_eq!(HkTime::parse_compact("20230609110645"), Ok(time(2023, 6, 9, 11, 6, 45)));
    }

    #[test]
    fn rejects_dashed_text_as_compact() {
        let error = HkTime::parse_compact("2023-06-09").unwrap_err();
        assert_eq!(error.to_string(), "time `2023-06-09` is not yyyyMMddHHmmss (e.g. 20230609110645)");
    }

    #[test]
    fn rejects_compact_of_wrong_length() {
        for text in ["2023060911064", "202306091106450", ""] {
            assert_eq!(HkTime::parse_compact(text), Err(TimeError::NotCompact { text: text.into() }), "{text}");
        }
    }

    #[test]
    fn rejects_compact_with_non_digits() {
        for text in ["2023060911064x", "+0230609110645", " 2023060911064", "２023060911064"] {
            assert!(matches!(HkTime::parse_compact(text), Err(TimeError::NotCompact { .. })), "{text}");
        }
    }

    #[test]
    fn rejects_month_13() {
        assert!(matches!(HkTime::parse_compact("20231301000000"), Err(TimeError::MonthOutOfRange { month: 13, .. })));
    }

    #[test]
    fn rejects_month_0() {
        assert!(matches!(HkTime::parse_compact("20230001000000"), Err(TimeError::MonthOutOfRange { month: 0, .. })));
    }

    #[test]
    fn rejects_february_30() {
        assert_eq!(
            HkTime::parse_compact("20240230000000"),
            Err(TimeError::DayOutOfRange { text: "20240230000000".into(), day: 30, days_in_month: 29 })
        );
    }

    #[test]
    fn rejects_day_31_of_30_day_month() {
        assert!(matches!(HkTime::parse_compact("20230431000000"), Err(TimeError::DayOutOfRange { day: 31, .. })));
    }

    #[test]
    fn rejects_day_0() {
        assert!(matches!(HkTime::parse_compact("20230100000000"), Err(TimeError::DayOutOfRange { day: 0, .. })));
    }

    #[test]
    fn rejects_hour_24() {
        assert!(matches!(HkTime::parse_compact("20230609240000"), Err(TimeError::HourOutOfRange { hour: 24, .. })));
    }

    #[test]
    fn rejects_minute_60() {
        assert!(matches!(HkTime::parse_compact("20230609236000"), Err(TimeError::MinuteOutOfRange { minute: 60, .. })));
    }

    #[test]
    fn rejects_leap_second() {
        assert!(matches!(HkTime::parse_compact("20230609235960"), Err(TimeError::SecondOutOfRange { second: 60, .. })));
    }

    #[test]
    fn rejects_year_0000() {
        assert!(matches!(HkTime::parse_compact("00000101000000"), Err(TimeError::YearOutOfRange { year: 0, .. })));
    }

    #[test]
    fn range_error_quotes_the_received_text() {
        assert_eq!(
            HkTime::parse_dashed("2023-13-01 00:00:00").unwrap_err().to_string(),
            "time `2023-13-01 00:00:00` has month 13; months run from 01 to 12"
        );
    }

    #[test]
    fn parses_dashed() {
        // The form of `gmt_payment` in the payment notification (a `datetime` field of the spec).
        assert_eq!(HkTime::parse_dashed("2019-09-24 02:20:29"), Ok(time(2019, 9, 24, 2, 20, 29)));
    }

    #[test]
    fn rejects_compact_text_as_dashed() {
        let error = HkTime::parse_dashed("20230609110645").unwrap_err();
        assert_eq!(error.to_string(), "time `20230609110645` is not yyyy-MM-dd HH:mm:ss (e.g. 2023-06-09 11:06:45)");
    }

    #[test]
    fn rejects_dashed_with_iso_t_separator() {
        assert!(matches!(HkTime::parse_dashed("2023-06-09T11:06:45"), Err(TimeError::NotDashed { .. })));
    }

    #[test]
    fn rejects_dashed_without_zero_padding() {
        assert!(matches!(HkTime::parse_dashed("2023-6-9 11:06:45"), Err(TimeError::NotDashed { .. })));
    }

    #[test]
    fn rejects_dashed_with_swapped_separators() {
        assert!(matches!(HkTime::parse_dashed("2023:06:09 11-06-45"), Err(TimeError::NotDashed { .. })));
    }

    #[test]
    fn writes_zero_padded_forms() {
        let t = time(2024, 1, 2, 3, 4, 5);
        assert_eq!(t.to_compact(), "20240102030405");
        assert_eq!(t.to_dashed(), "2024-01-02 03:04:05");
    }

    #[test]
    fn displays_compact_form() {
        assert_eq!(time(2023, 6, 9, 11, 6, 45).to_string(), "20230609110645");
    }

    #[test]
    fn exposes_parts() {
        let t = time(2023, 6, 9, 11, 6, 45);
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()), (2023, 6, 9, 11, 6, 45));
    }

    #[test]
    fn orders_chronologically() {
        assert!(time(2023, 12, 31, 23, 59, 59) < time(2024, 1, 1, 0, 0, 0));
        assert!(time(2024, 1, 1, 0, 0, 59) < time(2024, 1, 1, 0, 1, 0));
    }

    #[test]
    fn seconds_between_is_later_minus_earlier() {
        let earlier = time(2024, 2, 28, 23, 0, 0);
        let later = time(2024, 2, 29, 1, 0, 0);
        assert_eq!(earlier.seconds_between(later), 7200);
        assert_eq!(later.seconds_between(earlier), -7200);
    }

    #[test]
    fn plus_seconds_goes_backwards_with_negative_seconds() {
        assert_eq!(time(2024, 3, 1, 0, 0, 0).plus_seconds(-1), Some(time(2024, 2, 29, 23, 59, 59)));
    }

    #[test]
    fn plus_seconds_refuses_to_leave_the_range() {
        assert_eq!(time(1970, 1, 1, 0, 0, 0).plus_seconds(-1), None);
        assert_eq!(time(9999, 12, 31, 23, 59, 59).plus_seconds(1), None);
        assert_eq!(time(2024, 1, 1, 0, 0, 0).plus_seconds(i64::MAX), None);
        assert_eq!(time(2024, 1, 1, 0, 0, 0).plus_seconds(i64::MIN), None);
    }

    #[test]
    fn system_clock_reads_a_recent_time() {
        assert!(SystemClock.now() > time(2024, 1, 1, 0, 0, 0));
    }

    #[test]
    fn fixed_clock_reads_what_it_was_given() {
        let clock = FixedClock::new(time(2023, 6, 9, 11, 6, 45));
        assert_eq!(clock.now(), time(2023, 6, 9, 11, 6, 45));
    }

    #[test]
    fn fixed_clock_can_be_set() {
        let clock = FixedClock::new(time(2023, 6, 9, 11, 6, 45));
        clock.set(time(2030, 1, 1, 0, 0, 0));
        assert_eq!(clock.now(), time(2030, 1, 1, 0, 0, 0));
    }

    #[test]
    fn fixed_clock_advances_and_rewinds() {
        let clock = FixedClock::new(time(2023, 12, 31, 23, 59, 0));
        clock.advance(90);
        assert_eq!(clock.now(), time(2024, 1, 1, 0, 0, 30));
        clock.advance(-30);
        assert_eq!(clock.now(), time(2024, 1, 1, 0, 0, 0));
    }

    #[test]
    fn fixed_clock_stops_at_the_ends_of_the_range() {
        let clock = FixedClock::new(time(9999, 12, 31, 23, 0, 0));
        clock.advance(i64::MAX);
        assert_eq!(clock.now(), time(9999, 12, 31, 23, 59, 59));
        clock.advance(i64::MIN);
        assert_eq!(clock.now(), time(1970, 1, 1, 0, 0, 0));
    }

    #[test]
    fn clocks_work_behind_a_trait_object() {
        let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::new(FixedClock::new(time(2023, 6, 9, 11, 6, 45)));
        assert_eq!(clock.now().to_compact(), "20230609110645");
    }

    #[test]
    fn converts_to_and_from_system_time_at_the_same_instant() {
        let time = time(2023, 6, 9, 11, 6, 45);
        let system: SystemTime = time.into();
        assert_eq!(system.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_686_280_005);
        assert_eq!(HkTime::try_from(system), Ok(time));
        let first = time_of(MIN_UNIX_SECONDS);
        assert_eq!(HkTime::from_system_time(first.to_system_time()), Some(first), "before the Unix epoch");
        assert_eq!(HkTime::from_system_time(UNIX_EPOCH + Duration::from_millis(1_500)), HkTime::from_unix_seconds(1));
    }

    fn time_of(secs: i64) -> HkTime {
        HkTime::from_unix_seconds(secs).unwrap()
    }

    #[test]
    fn serialises_as_rfc3339_with_hong_kong_offset() {
        let time = time(2023, 6, 9, 11, 6, 45);
        assert_eq!(serde_json::to_string(&time).unwrap(), "\"2023-06-09T11:06:45+08:00\"");
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn converts_to_and_from_jiff_at_the_same_instant() {
        let time = time(2023, 6, 9, 11, 6, 45);
        let timestamp = jiff::Timestamp::from(time);
        assert_eq!(timestamp.as_second(), 1_686_280_005);
        assert_eq!(HkTime::try_from(timestamp), Ok(time));
        assert_eq!(time.to_zoned().to_string(), "2023-06-09T11:06:45+08:00[+08:00]");
    }
}
