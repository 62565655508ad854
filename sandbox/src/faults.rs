//! Faults a merchant can switch on to test their own code: lost, late or forged notifications,
//! slow or failing gateway replies.

use serde::{Deserialize, Serialize};

/// What to break. Counters apply to the next N events and count down; delays apply until reset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// The next N notification deliveries are lost on the way (the merchant never sees them).
    pub drop_notifications: u32,
    /// The next N notification deliveries carry a wrong `sign` (the merchant must refuse them).
    pub tamper_notifications: u32,
    /// Every notification delivery waits this long first.
    pub delay_notifications_ms: u64,
    /// Every gateway reply waits this long first.
    pub slow_responses_ms: u64,
    /// The next N gateway requests are answered HTTP 500.
    pub server_errors: u32,
    /// The next N changes to the books fail to be saved, as on a full or failing disk: nothing
    /// is saved or changed, and the request is answered with the system-error code.
    pub fail_writes: u32,
}

/// Counts one use of a countdown fault; true when it applies to this event.
pub(crate) fn take(counter: &mut u32) -> bool {
    if *counter > 0 {
        *counter -= 1;
        true
    } else {
        false
    }
}
