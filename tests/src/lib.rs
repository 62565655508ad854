//! Integration tests of the SDK live in `tests/`; this library holds what they share:
//! the expansion snapshots compiled as code, and the fixture specs expanded by the macro.

/// The committed expansion snapshots of the real spec (one per scene, one for what the scenes
/// share, one for what lists them), joined and compiled: a snapshot that would not compile (or
/// would warn) fails the build. `build.rs` strips the snapshot headers and merges the modules.
#[deny(warnings)]
pub mod snapshot_real_spec {
    include!(concat!(env!("OUT_DIR"), "/real_spec.rs"));
}

/// The committed expansion snapshot of the minimal fixture spec, compiled.
#[deny(warnings)]
pub mod snapshot_minimal_fixture {
    include!(concat!(env!("OUT_DIR"), "/minimal_fixture.rs"));
}

/// The minimal fixture spec, expanded by the macro.
pub mod minimal {
    eftpay_macros::include_spec!("fixtures/minimal");
}

/// The minimal fixture plus one service row: the new service works with no Rust change.
pub mod extra_service {
    eftpay_macros::include_spec!("fixtures/extra_service");
}

/// An invented scene unlike every real one (own endpoints, other wire names, a close-like
/// interface, a conditional field, nested arrays, its own notification): a scene as TOML alone.
pub mod kiosk {
    eftpay_macros::include_spec!("fixtures/kiosk");
}
