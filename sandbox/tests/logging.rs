//! What the sandbox logs through `tracing`: one event per request answered (interface, service,
//! order, code) and one per notification delivery attempt (interface, order, attempt, outcome)
//! — and never the secret or a signature.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{client, merchant, sandbox};
use eftpay::rules::Concept;
use eftpay::{CATALOG, QueryRequest, ReceivedFields};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

type Fields = Vec<(String, String)>;

/// Keeps every event's fields.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Collect(&mut fields));
        self.events.lock().unwrap().push(fields);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn value<'a>(event: &'a Fields, name: &str) -> Option<&'a str> {
    event.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

// A current-thread runtime: the sandbox, the merchant and the deliveries all run on this thread,
// where the recorder is the default subscriber.
#[tokio::test]
async fn requests_and_deliveries_are_logged_without_secrets_or_signatures() {
    let recorder = Recorder::default();
    let _default = tracing::subscriber::set_default(recorder.clone());
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    merchant.refuse_next(1);
    common::paid_order_notifying(&sandbox, &merchant.notify_url(), "rrn_log").await;
    merchant.wait_for_notifications(2, Duration::from_secs(10)).await;
    common::deliveries_at_least(&sandbox, 2).await;
    client(&sandbox).query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("rrn_log"))).await.unwrap();

    let events = recorder.events.lock().unwrap().clone();
    let answered: Vec<&Fields> = events.iter().filter(|e| value(e, "message") == Some("request answered")).collect();
    assert_eq!(answered.len(), 2, "one per request: {events:?}");
    for event in &answered {
        for field in ["interface", "service", "out_trade_no", "return_status"] {
            assert!(value(event, field).is_some(), "{field} in {event:?}");
        }
        assert_eq!(value(event, "out_trade_no"), Some("rrn_log"));
    }
    let delivered: Vec<&Fields> =
        events.iter().filter(|e| value(e, "message") == Some("notification delivery")).collect();
    assert_eq!(delivered.len(), 2, "one per attempt (refused, then acknowledged): {events:?}");
    for (i, event) in delivered.iter().enumerate() {
        assert_eq!(value(event, "attempt"), Some((i + 1).to_string().as_str()));
        assert_eq!(value(event, "out_trade_no"), Some("rrn_log"));
        assert!(value(event, "interface").is_some() && value(event, "outcome").is_some(), "{event:?}");
    }

    // Nothing logged carries the secret or any signature the sandbox sent.
    let mut secrets: Vec<String> = vec![sandbox.generated_secret().unwrap().to_owned()];
    for sent in sandbox.sent() {
        let fields = ReceivedFields::from_json(&sent.body).or_else(|_| ReceivedFields::from_form(&sent.body)).unwrap();
        let interface = CATALOG.interface(sent.interface).unwrap();
        let sign =
            interface.fields.iter().chain(interface.response).find(|f| f.concept == Some(Concept::Sign)).unwrap();
        secrets.extend(fields.text(sign.wire).map(str::to_owned));
    }
    assert!(secrets.len() > 2, "signatures were sent");
    for event in &events {
        for (name, logged) in event {
            assert!(!secrets.iter().any(|s| logged.contains(s.as_str())), "{name} = {logged} gives a secret away");
        }
    }
}
