//! A `tracing` subscriber for tests that writes every span, recorded value and event of the
//! current thread as text lines, so a test can assert what was (and was not) recorded. A
//! `#[tokio::test]` runs on one thread, the fake servers it spawns included.
//!
//! One subscriber is installed process-wide, once, and hands each line to the capture of the
//! thread it is recorded on. A per-test scoped subscriber (`set_default`) would race with tests
//! on other threads over `tracing`'s cached per-callsite interest, and now and then lose lines.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// What was recorded, one line per span, record or event: `span NAME a=1 b=x`,
/// `record #ID a=1`, `event LEVEL TARGET message=… a=1`.
#[derive(Clone, Default)]
pub struct Captured {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Captured {
    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Everything so far as one text.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Stops capturing on this thread when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        CURRENT.with(|current| current.borrow_mut().take());
    }
}

/// Captures what the current thread records until the guard is dropped.
pub fn capture() -> (Captured, Guard) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(Capture { next_id: AtomicU64::new(1) })
            .expect("no other global subscriber in the runtime's tests");
    });
    let captured = Captured::default();
    CURRENT.with(|current| *current.borrow_mut() = Some(captured.clone()));
    (captured, Guard)
}

struct Capture {
    next_id: AtomicU64,
}

impl Capture {
    fn push(&self, line: String) {
        CURRENT.with(|current| {
            if let Some(captured) = current.borrow().as_ref() {
                captured.lines.lock().unwrap().push(line);
            }
        });
    }
}

/// Writes ` name=value` for each field; text without quotes.
struct Line(String);

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut line = Line(format!("span #{id} {}", span.metadata().name()));
        span.record(&mut line);
        self.push(line.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = Line(format!("record #{}", span.into_u64()));
        values.record(&mut line);
        self.push(line.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        let mut line = Line(format!("event {} {}", metadata.level(), metadata.target()));
        event.record(&mut line);
        self.push(line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
