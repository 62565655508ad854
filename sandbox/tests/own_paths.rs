//! The sandbox's own paths against a spec's endpoints: a spec whose request endpoint is the
//! path of the sandbox's pay page (`tests/fixtures/collision`) is refused at start, naming the
//! interface and the endpoint, rather than taking the sandbox down while it builds its router.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;
use eftpay_sandbox::{Sandbox, SandboxConfig, SandboxError};

#[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
mod stall {
    eftpay_macros::include_spec!("tests/fixtures/collision");
}

static STALL: &Catalog = &stall::CATALOG;

#[tokio::test]
async fn a_spec_endpoint_on_the_pay_pages_path_is_refused_at_start() {
    let order = STALL.scene_interface(STALL.scenes[0], Purpose::PlaceOrder).unwrap();
    let endpoint = order.endpoint.unwrap();
    let config = SandboxConfig { catalog: STALL, ..common::fast_config() };

    let error = Sandbox::start_with(config).await.unwrap_err();

    assert!(
        matches!(&error, SandboxError::Endpoint { interface, endpoint: at, .. } if *interface == order.name && *at == endpoint),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains(order.name) && text.contains(endpoint), "names the interface and endpoint: {text}");
    assert!(text.contains("pay page") && text.contains("another endpoint"), "says why and what to change: {text}");
    // The sandbox's own spec starts as ever.
    common::sandbox().await.shutdown().await;
}
