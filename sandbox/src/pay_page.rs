//! The pay page every order's link leads to (the pay link of a web, app or cashier order, the
//! QR code content of a qrcode order — a phone camera opens it): the order, a QR code of the
//! link, and Pay / Fail / Cancel. Where the payer chooses the wallet, the page offers the
//! service's wallets and paying records the one chosen. After paying, an order with a
//! synchronous return sends the payer's browser to its return address with the signed return,
//! as a form POST.
//!
//! Every response forbids framing (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), so
//! no other site can overlay the Pay button (clickjacking), and carries a content security
//! policy allowing exactly what the page is made of: its one `<style>` block and, on the page
//! that carries the payer back, its one line of script, each by hash; forms that post only back
//! to the sandbox (or, carrying the payer back, to the return address's origin); nothing loaded
//! from anywhere (the QR code is inline SVG). An injected tag or script would not run.

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use eftpay::catalog::Catalog;
use eftpay::rules::{Concept, Meaning};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::control::settle;
use crate::outgoing::{Fact, Facts, Sealed, compose};
use crate::paths::{GATEWAY_ROOT, PAY_PAGE};
use crate::state::{Order, OrderState};
use crate::{Shared, cross_site};

/// The pay page: GET shows the order, POST acts on it.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(&format!("{GATEWAY_ROOT}{PAY_PAGE}"), get(show).post(act))
        .layer(axum::middleware::map_response(forbid_framing))
}

/// The page's style sheet: the content of its one `<style>` element, allowed by its hash.
const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 2rem auto; padding: 0 1rem; color: #1d2430; }
header { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: #7a8494; }
.amount { font-size: 2.4rem; font-weight: 600; margin: .5rem 0 1rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; } dt { color: #7a8494; } dd { margin: 0; }
.qr svg { width: 180px; height: 180px; margin: 1rem 0; }
button { font-size: 1rem; padding: .6rem 1.2rem; margin-right: .5rem; border-radius: .4rem; border: 1px solid #c5ccd6; background: #fff; }
button.pay { background: #0b6bcb; color: #fff; border-color: #0b6bcb; }
";

/// The one script of the page that carries the payer back: it submits the return form.
const SUBMIT_RETURN: &str = r#"document.getElementById("return").submit();"#;

/// A CSP source allowing an inline element by its content's SHA-256.
fn hash_source(content: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(content.as_bytes())))
}

/// The policy of a page: only its style sheet, only the given script (if any), forms posting
/// only to `form_action`, nothing loaded, never framed.
fn policy(script: Option<&str>, form_action: &str) -> String {
    static STYLE_SOURCE: LazyLock<String> = LazyLock::new(|| hash_source(STYLE));
    let script = script.map_or_else(String::new, |s| format!(" script-src {};", hash_source(s)));
    format!(
        "default-src 'none'; style-src {style};{script} form-action {form_action}; base-uri 'none'; \
         frame-ancestors 'none'",
        style = *STYLE_SOURCE,
    )
}

/// Adds the headers every pay page response carries; a page that set its own policy (the one
/// carrying the payer back) keeps it.
async fn forbid_framing(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(own) = HeaderValue::from_str(&policy(None, "'self'"))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, own);
    }
    response
}

#[derive(Deserialize)]
struct Which {
    order: String,
}

#[derive(Deserialize)]
struct Action {
    order: String,
    action: String,
    wallet: Option<String>,
}

async fn show(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(which): Query<Which>) -> Response {
    let order = shared.read(|books| books.get(&which.order).cloned());
    // The page links and posts back to the address the browser opened it at, so its form is
    // same-origin wherever the sandbox is reached from (127.0.0.1, localhost, its host name).
    let base = cross_site::addressed_origin(&shared, &headers)
        .map_or_else(|| shared.base_url.clone(), |o| format!("{o}{GATEWAY_ROOT}"));
    match order {
        Some(order) => Html(page(&shared, &base, &order)).into_response(),
        None => {
            (StatusCode::NOT_FOUND, Html(layout("Order not found", "<p>No such order. The link may be mistyped.</p>")))
                .into_response()
        }
    }
}

async fn act(State(shared): State<Arc<Shared>>, Form(action): Form<Action>) -> Response {
    let to = match action.action.as_str() {
        "pay" => OrderState::Paid,
        "fail" => OrderState::Failed,
        "cancel" => OrderState::Cancelled,
        _ => {
            return (StatusCode::BAD_REQUEST, Html(layout("Unknown action", "<p>Use Pay, Fail or Cancel.</p>")))
                .into_response();
        }
    };
    let wallet = action.wallet.as_deref().filter(|w| !w.is_empty() && to == OrderState::Paid);
    match settle(&shared, &action.order, to, wallet) {
        Ok(order) if to == OrderState::Paid => match (&order.return_url, sync_return(&shared, &order)) {
            (Some(url), Some(back)) => return_form(&shared, &order, url, &back),
            _ => Html(layout(
                "Paid",
                &format!("<p id=\"result\">Paid {}. You can close this page.</p>", escape(&money(&order))),
            ))
            .into_response(),
        },
        Ok(order) => Html(layout(
            "Not paid",
            &format!(
                "<p id=\"result\">Order {} was {:?}. No money moved.</p>",
                escape(&order.out_trade_no),
                order.state
            ),
        ))
        .into_response(),
        Err(refusal) => (
            StatusCode::CONFLICT,
            Html(layout("Cannot do that", &format!("<p id=\"result\">{}</p>", escape(&refusal.text)))),
        )
            .into_response(),
    }
}

/// The amount with its currency, when the order has one.
fn money(order: &Order) -> String {
    match &order.currency {
        Some(currency) => format!("{currency} {}", order.amount),
        None => order.amount.to_string(),
    }
}

/// The spec's text for a status, as the order's messages would carry it.
fn status_text(catalog: &Catalog, meaning: Option<Meaning>) -> String {
    let Some(meaning) = meaning else { return "no state".to_owned() };
    catalog
        .interfaces
        .iter()
        .flat_map(|i| i.fields.iter().chain(i.response))
        .filter(|f| f.concept == Some(Concept::TradeStatus))
        .find_map(|f| catalog.wire_for(f.enum_name?, meaning))
        .map_or_else(|| format!("{meaning:?}"), str::to_owned)
}

/// The pay page of `order`, as served under `base` (`http://HOST` and the gateway root).
fn page(shared: &Shared, base: &str, order: &Order) -> String {
    let link = format!("{base}{PAY_PAGE}?order={}", order.eft_trade_no);
    let offered = shared.catalog.service(&order.service).map_or(&[][..], |row| row.wallets);
    let choosing = order.wallet.is_none() && !offered.is_empty() && order.state == OrderState::Pending;
    let wallet = match &order.wallet {
        Some(wallet) => escape(wallet),
        None if choosing => "chosen below".to_owned(),
        None => "none".to_owned(),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<p class="amount" id="amount">{money}</p>
<dl>
<dt>Subject</dt><dd id="subject">{subject}</dd>
<dt>Wallet</dt><dd id="wallet">{wallet}</dd>
<dt>Order</dt><dd id="out_trade_no">{out}</dd>
<dt>Service</dt><dd>{service}</dd>
<dt>Status</dt><dd id="status">{status}</dd>
</dl>"#,
        money = escape(&money(order)),
        subject = escape(order.subject.as_deref().unwrap_or_default()),
        out = escape(&order.out_trade_no),
        service = escape(&order.service),
        status = escape(&status_text(shared.catalog, order.trade_status())),
    );
    if order.state == OrderState::Pending {
        let mut choices = String::new();
        if choosing {
            choices.push_str("<fieldset id=\"wallets\"><legend>Pay with</legend>\n");
            for (i, wallet) in offered.iter().enumerate() {
                let pay_type = shared.catalog.pay_type_of_wallet(wallet).unwrap_or_default();
                let _ = writeln!(
                    choices,
                    r#"<label><input type="radio" name="wallet" value="{w}" id="wallet-{w}"{checked}> {w} ({p})</label><br>"#,
                    w = escape(wallet),
                    p = escape(pay_type),
                    checked = if i == 0 { " checked" } else { "" },
                );
            }
            choices.push_str("</fieldset>\n");
        }
        let _ = write!(
            body,
            r#"<div class="qr" title="Scan to open this page">{qr}</div>
<form method="post" action="{action}">
<input type="hidden" name="order" value="{order}">
{choices}<button id="pay" name="action" value="pay" class="pay">Pay</button>
<button id="fail" name="action" value="fail">Fail</button>
<button id="cancel" name="action" value="cancel">Cancel</button>
</form>"#,
            qr = qr_svg(&link),
            action = escape(&format!("{base}{PAY_PAGE}")),
            order = escape(&order.eft_trade_no),
        );
    }
    layout("eftPay sandbox — pay", &body)
}

/// The order's synchronous return, signed, when its interface has one; logged as sent.
fn sync_return(shared: &Shared, order: &Order) -> Option<Sealed> {
    let interface = order.sync_return(shared.catalog)?;
    let mut facts = Facts::of_order(order);
    facts
        .text(Concept::UserConfirmKey, Some(&shared.credentials.user_confirm_key))
        .set(Concept::Time, Fact::Time(shared.now()));
    let fields = compose(shared.catalog, interface.fields, &facts);
    match Sealed::new(interface, interface.fields, fields, Some(&shared.credentials.secret)) {
        Ok(sealed) => Some(sealed),
        Err(error) => {
            tracing::warn!(interface = interface.name, %error, "synchronous return could not be composed");
            None
        }
    }
}

/// The page that carries the payer to the return address: a form of the signed synchronous
/// return, submitted by script, or by the payer's click without script. Its policy lets the form
/// post to the return address's origin and runs that one script.
fn return_form(shared: &Shared, order: &Order, url: &str, back: &Sealed) -> Response {
    shared.record(back.interface.name, back.interface.encoding, &back.body(back.interface.encoding));
    let mut inputs = String::new();
    for (name, value) in back.pairs() {
        let _ = writeln!(inputs, r#"<input type="hidden" name="{}" value="{}">"#, escape(name), escape(value));
    }
    let body = format!(
        r#"<p id="result">Paid {money}. Returning to the shop…</p>
<form id="return" method="post" action="{url}">
{inputs}<button id="continue">Continue to the shop</button>
</form>
<script>{SUBMIT_RETURN}</script>"#,
        money = escape(&money(order)),
        url = escape(url),
    );
    let mut response = Html(layout("Paid", &body)).into_response();
    // The spec's validator accepted the return address as a URL; one without an origin (which
    // it would not accept) gets no form-action at all rather than a page that cannot go back.
    let origin = reqwest::Url::parse(url).ok().map(|u| u.origin()).filter(|o| o.is_tuple());
    let form_action = origin.map_or_else(|| "*".to_owned(), |o| o.ascii_serialization());
    if let Ok(policy) = HeaderValue::from_str(&policy(Some(SUBMIT_RETURN), &form_action)) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(180, 180).build(),
        Err(_) => String::new(),
    }
}

fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style></head>
<body><header>eftPay sandbox — not a real payment</header><h1>{title}</h1>
{body}
</body></html>"#,
        title = escape(title),
    )
}

/// HTML-escapes text placed in element content or attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_in_merchant_text() {
        assert_eq!(escape(r#"<b>"A&B"</b>'"#), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;&#39;");
    }
}
