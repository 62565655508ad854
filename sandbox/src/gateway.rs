//! eftPay's endpoints, served from the spec: a route for every endpoint of the catalog's request
//! interfaces. Each request is read as fields, its signature checked, its interface found by
//! endpoint and `service`, its merchant key and time checked, then read and validated with the
//! interface's generated validator before [`purposes`](crate::purposes) acts on it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use eftpay::catalog::{Catalog, InterfaceInfo};
use eftpay::rules::{Concept, Meaning};
use eftpay::verify::verify_fields;
use eftpay::{HkTime, ReceivedFields};

use crate::codes::Refusal;
use crate::faults::take;
use crate::incoming::Incoming;
use crate::paths::GATEWAY_ROOT;
use crate::reply::{self, About};
use crate::{Shared, lock, purposes, time_window};

/// The gateway's routes: one per endpoint the catalog's request interfaces name, under the
/// gateway root (the endpoints were checked not to take a path of the sandbox's own).
pub fn routes(catalog: &'static Catalog) -> Router<Arc<Shared>> {
    let mut endpoints: Vec<&'static str> = catalog.interfaces.iter().filter_map(|i| i.endpoint).collect();
    endpoints.sort_unstable();
    endpoints.dedup();
    let mut router = Router::new();
    for endpoint in endpoints {
        let path = format!("{GATEWAY_ROOT}{endpoint}");
        router = router.route(&path, post(move |state: State<Arc<Shared>>, body: Bytes| handle(state, endpoint, body)));
    }
    router
}

async fn handle(State(shared): State<Arc<Shared>>, endpoint: &'static str, body: Bytes) -> Response {
    let (slow, fail) = {
        let mut faults = lock(&shared.faults);
        (faults.slow_responses_ms, take(&mut faults.server_errors))
    };
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }
    if fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "sandbox fault: server error").into_response();
    }
    let Some(first) = shared.catalog.interfaces.iter().copied().find(|i| i.endpoint == Some(endpoint)) else {
        return (StatusCode::NOT_FOUND, "no interface is served here").into_response();
    };
    let now = shared.now();
    let fields = match ReceivedFields::from_json_bytes(&body) {
        Ok(fields) => fields,
        Err(e) => {
            return reply::refused(
                &shared,
                first,
                &Refusal::new(Meaning::Unreadable, e.to_string()),
                now,
                About::default(),
            );
        }
    };
    let service = service_named(shared.catalog, endpoint, &fields);
    let out_trade_no = shared
        .catalog
        .interfaces
        .iter()
        .filter(|i| i.endpoint == Some(endpoint))
        .flat_map(|i| i.fields_for(Concept::OutTradeNo))
        .find_map(|f| fields.text(f.wire));
    let about = About { service, out_trade_no };
    let interface = match check(&shared, endpoint, service, &fields, now) {
        Ok(interface) => interface,
        Err((interface, refusal)) => return reply::refused(&shared, interface.unwrap_or(first), &refusal, now, about),
    };
    let request = Incoming { interface, fields: &fields };
    match purposes::answer(&shared, request, now).await {
        Ok(facts) => reply::accepted(&shared, interface, facts, now, about),
        Err(refusal) => reply::refused(&shared, interface, &refusal, now, about),
    }
}

/// The `service` a body names, under whichever wire name the endpoint's interfaces give it.
fn service_named<'a>(catalog: &Catalog, endpoint: &str, fields: &'a ReceivedFields) -> Option<&'a str> {
    catalog
        .interfaces
        .iter()
        .filter(|i| i.endpoint == Some(endpoint))
        .flat_map(|i| i.fields_for(Concept::Service))
        .find_map(|f| fields.text(f.wire))
}

/// Checks common to every request: signature, interface, merchant, time, the interface's rules.
/// A refusal comes with the interface when it is known, for the reply's fields.
fn check(
    shared: &Shared,
    endpoint: &str,
    service: Option<&str>,
    fields: &ReceivedFields,
    now: HkTime,
) -> Result<&'static InterfaceInfo, (Option<&'static InterfaceInfo>, Refusal)> {
    verify_fields(fields, &shared.credentials.secret)
        .map_err(|e| (None, Refusal::new(Meaning::BadSignature, e.to_string())))?;
    let interface = shared
        .catalog
        .request_interface(endpoint, service, fields)
        .map_err(|e| (None, Refusal::new(Meaning::InvalidService, e.to_string())))?;
    let refuse = |refusal: Refusal| (Some(interface), refusal);
    let key = interface.field_for(Concept::UserConfirmKey);
    if key.and_then(|f| fields.text(f.wire)) != Some(shared.credentials.user_confirm_key.as_str()) {
        let wire = key.map_or("the merchant key", |f| f.wire);
        return Err(refuse(Refusal::new(
            Meaning::UnknownMerchant,
            format!("{wire} is not this sandbox's merchant key"),
        )));
    }
    if let Some(time) = interface.field_for(Concept::Time) {
        time_window::check(time.wire, fields.text(time.wire), now, shared.config.time_tolerance).map_err(refuse)?;
    }
    let check_request = interface.request_checker().ok_or_else(|| {
        refuse(Refusal::new(
            Meaning::InvalidService,
            format!("{} is not a request the gateway answers", interface.name),
        ))
    })?;
    check_request(fields).map_err(|violations| {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        refuse(Refusal::new(Meaning::InvalidField, text.join("; ")))
    })?;
    Ok(interface)
}
