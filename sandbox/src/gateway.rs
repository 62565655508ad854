//! eftPay's endpoints, served from the spec: a route for every endpoint of the catalog's request
//! interfaces. Each request is read as fields, its signature checked, its interface found by
//! endpoint and `service`, its merchant key and time checked, then read and validated with the
//! interface's generated validator before [`purposes`](crate::purposes) acts on it.

use std::collections::HashMap;
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
    let interface = match service.and_then(|service| shared.services.find(endpoint, service)) {
        Some(interface) => interface,
        None => shared
            .catalog
            .request_interface(endpoint, service, fields)
            .map_err(|e| (None, Refusal::new(Meaning::InvalidService, e.to_string())))?,
    };
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

/// The request interface each `service` names at each endpoint, found once when the sandbox
/// starts: what [`Catalog::request_interface`] finds for a request naming a service row of an
/// interface served there with a `service` field. Finding it per request scanned the spec's
/// service rows and the endpoint's interfaces; any other request (no service, an unknown one, a
/// service of another endpoint) still asks the catalog, so what is answered is unchanged.
#[derive(Debug, Default)]
pub struct Services {
    by_service: HashMap<&'static str, Vec<(&'static str, &'static InterfaceInfo)>>,
}

impl Services {
    /// The services of `catalog`'s request interfaces.
    pub fn of_catalog(catalog: &'static Catalog) -> Services {
        let mut by_service: HashMap<&'static str, Vec<(&'static str, &'static InterfaceInfo)>> = HashMap::new();
        for row in catalog.services {
            // The row the catalog finds by this name (the first, should two share it).
            let Some(row) = catalog.service(row.name) else { continue };
            let served = catalog
                .interfaces
                .iter()
                .copied()
                .filter(|i| i.name == row.interface && i.has_service_field())
                .filter_map(|i| Some((i.endpoint?, i)));
            for (endpoint, interface) in served {
                let entry = by_service.entry(row.name).or_default();
                // The first interface at an endpoint, as the catalog's search takes it.
                if !entry.iter().any(|(e, _)| *e == endpoint) {
                    entry.push((endpoint, interface));
                }
            }
        }
        Services { by_service }
    }

    /// The interface `service` names at `endpoint`, when it is one served there.
    pub fn find(&self, endpoint: &str, service: &str) -> Option<&'static InterfaceInfo> {
        self.by_service.get(service)?.iter().find(|(e, _)| *e == endpoint).map(|(_, interface)| *interface)
    }
}

#[cfg(test)]
mod tests {
    use eftpay::CATALOG;

    use super::*;

    /// Every service at every endpoint, and some names no row has: the index finds what the
    /// catalog finds, and nothing where the catalog finds no interface by the service's row.
    #[test]
    fn the_services_index_finds_what_the_catalog_finds() {
        let services = Services::of_catalog(&CATALOG);
        let fields = ReceivedFields::default();
        let mut endpoints: Vec<&str> = CATALOG.interfaces.iter().filter_map(|i| i.endpoint).collect();
        endpoints.sort_unstable();
        endpoints.dedup();
        let names = CATALOG.services.iter().map(|row| row.name).chain(["", "no.such.service"]);
        let mut found = 0;
        for service in names {
            for endpoint in &endpoints {
                let by_catalog = CATALOG.request_interface(endpoint, Some(service), &fields).ok();
                match services.find(endpoint, service) {
                    Some(interface) => {
                        assert_eq!(by_catalog.map(|i| i.name), Some(interface.name), "{service} at {endpoint}");
                        found += 1;
                    }
                    None => assert!(
                        by_catalog.is_none(),
                        "{service} at {endpoint}: the catalog finds {:?}",
                        by_catalog.map(|i| i.name)
                    ),
                }
            }
        }
        assert!(found >= CATALOG.services.len() / 2, "{found}");
    }
}
