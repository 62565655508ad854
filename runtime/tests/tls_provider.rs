//! The client hands rustls its crypto provider directly and installs nothing process-wide, so
//! an application that installs a default provider of its own after creating a client still can.
//! (Its own test binary: the process-wide default is global state.)
#![allow(clippy::expect_used, clippy::unwrap_used)] // test code

use eftpay::{Client, Credentials};

#[test]
fn creating_a_client_leaves_the_process_wide_tls_provider_to_the_application() {
    let _client = Client::new(Credentials::new("TESTKEY00001", "test-secret-not-real")).unwrap();
    assert!(rustls::crypto::CryptoProvider::get_default().is_none(), "the SDK installed a default provider");
    assert!(rustls::crypto::ring::default_provider().install_default().is_ok(), "the application's install failed");
}

#[test]
fn an_applications_own_http_client_is_used() {
    let own = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let client = Client::builder(Credentials::new("TESTKEY00001", "test-secret-not-real")).http_client(own).build();
    assert!(client.is_ok());
}
