//! The one fake eftPay gateway of the workspace's tests: a real HTTP server on 127.0.0.1 that
//! records every request and answers as each test scripts it. `runtime/tests/client.rs` drives
//! the SDK's client against it; `cli/tests/gateway.rs` includes this file with `#[path]` and runs
//! the `eftpay` binary against it. A file both test crates compile, not a crate: a
//! dev-dependency of `eftpay` on a crate that depends on `eftpay` would link a second copy of
//! the SDK, whose types the tests could not mix with the crate under test's.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test binary uses part of it

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use eftpay::signing::sign_fields;
use eftpay::{ReceivedFields, Secret};

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub content_type: Option<String>,
    pub body: String,
}

impl Recorded {
    pub fn fields(&self) -> ReceivedFields {
        ReceivedFields::from_json(&self.body).unwrap()
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.fields().text(name).map(str::to_owned)
    }

    /// The request's `time`: what eftPay's reply carries too, give or take a second, and what
    /// a caller checks the reply's against.
    pub fn time(&self) -> String {
        self.field("time").expect("every request is dated")
    }
}

/// What the server answers, after an optional delay.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn ok(body: String) -> Reply {
        Reply { status: 200, body, delay: Duration::ZERO }
    }

    pub fn status(status: u16, body: &str) -> Reply {
        Reply { status, body: body.to_owned(), delay: Duration::ZERO }
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Script = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Recorded>>>,
    script: Arc<Script>,
}

/// A local server; `script(n, request)` answers the n-th request (0-based).
pub struct FakeGateway {
    /// `http://127.0.0.1:port/VMP`, without a trailing slash.
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeGateway {
    /// Serves on the caller's tokio runtime, so it stops with the test (async tests).
    pub async fn start(script: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> FakeGateway {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (gateway, app) = FakeGateway::app(listener.local_addr().unwrap(), script);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        gateway
    }

    /// Always answers `reply`.
    pub async fn always(reply: Reply) -> FakeGateway {
        FakeGateway::start(move |_, _| reply.clone()).await
    }

    /// Serves from a thread of its own with its own runtime, for tests that are not async (the
    /// CLI's run the binary and wait for it); lives until the test process ends.
    pub fn spawn(script: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> FakeGateway {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let (gateway, app) = FakeGateway::app(listener.local_addr().unwrap(), script);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        gateway
    }

    /// [`FakeGateway::spawn`] answering every request HTTP 200 with `body(request)`.
    pub fn answering(body: impl Fn(&Recorded) -> String + Send + Sync + 'static) -> FakeGateway {
        FakeGateway::spawn(move |_, request| Reply::ok(body(request)))
    }

    fn app(
        address: SocketAddr,
        script: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> (FakeGateway, Router) {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared { requests: Arc::clone(&requests), script: Arc::new(script) };
        let app = Router::new().fallback(handle).with_state(shared);
        (FakeGateway { base_url: format!("http://{address}/VMP"), requests }, app)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The one request the server received; fails if it received another number.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:?}");
        requests.into_iter().next().unwrap()
    }
}

async fn handle(State(shared): State<Shared>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let recorded = Recorded {
        path: uri.path().to_owned(),
        content_type: headers.get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()),
        body: String::from_utf8(body.to_vec()).unwrap(),
    };
    let reply = {
        let mut requests = shared.requests.lock().unwrap();
        let n = requests.len();
        requests.push(recorded.clone());
        (shared.script)(n, &recorded)
    };
    tokio::time::sleep(reply.delay).await;
    (StatusCode::from_u16(reply.status).unwrap(), [(CONTENT_TYPE, "application/json;charset=UTF-8")], reply.body)
        .into_response()
}

/// A JSON body of `pairs` plus their `sign` under `secret`, as eftPay signs (docs/protocol.md §2).
pub fn signed_with(secret: &str, pairs: &[(&str, &str)]) -> String {
    let fields = ReceivedFields::from_pairs(pairs.iter().copied()).unwrap();
    let sign = sign_fields(&fields, &Secret::new(secret));
    let mut object = serde_json::Map::new();
    for (name, value) in pairs {
        object.insert((*name).to_owned(), (*value).into());
    }
    object.insert("sign".to_owned(), sign.into());
    serde_json::Value::Object(object).to_string()
}
