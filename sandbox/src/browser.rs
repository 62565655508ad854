//! A payer's browser for the sandbox's own pages, without a browser: open a pay link (or the
//! content of a QR code, which is the same link), choose a wallet where the page offers a
//! choice, press a button through the page's form, and carry the synchronous return on to the
//! return address as the page's script would. The demo and the tests pay this way; the Chromium
//! test does the same with a real browser.

use eftpay::gateway::BodyError;

/// An HTML form: where it posts and its named fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// The `action` URL.
    pub action: String,
    /// `name`/`value` of its inputs as the form would send them, in page order (of a group of
    /// radio buttons, the checked one).
    pub fields: Vec<(String, String)>,
    /// `name`/`value` of every radio button, checked or not: the choices the form offers.
    pub options: Vec<(String, String)>,
}

impl Form {
    /// The form containing the element with `id` on a sandbox page (the sandbox writes its
    /// forms plainly: one attribute order, double quotes, escaped values).
    pub fn find(html: &str, id: &str) -> Option<Form> {
        let at = html.find(&format!("id=\"{id}\""))?;
        let start = html.get(..at)?.rfind("<form")?;
        let rest = html.get(start..)?;
        let form = rest.get(..rest.find("</form>")?)?;
        let action = attribute(form, "action")?;
        let mut fields = Vec::new();
        let mut options = Vec::new();
        for input in form.split("<input").skip(1) {
            let tag = input.get(..input.find('>')?)?;
            let Some(pair) = attribute(tag, "name").zip(attribute(tag, "value")) else { continue };
            if attribute(tag, "type").as_deref() == Some("radio") {
                if tag.contains(" checked") {
                    fields.push(pair.clone());
                }
                options.push(pair);
            } else {
                fields.push(pair);
            }
        }
        Some(Form { action, fields, options })
    }

    /// Chooses `value` among the radio buttons named `name`.
    ///
    /// # Errors
    /// The form offers no such choice.
    pub fn choose(&mut self, name: &str, value: &str) -> Result<(), BrowserError> {
        if !self.options.iter().any(|(n, v)| n == name && v == value) {
            let offered: Vec<&str> = self.options.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
            return Err(BrowserError::Page(format!(
                "the page offers no {name} {value}; it offers: {}",
                if offered.is_empty() { "none".to_owned() } else { offered.join(", ") }
            )));
        }
        self.fields.retain(|(n, _)| n != name);
        self.fields.push((name.to_owned(), value.to_owned()));
        Ok(())
    }
}

/// The largest page the payer reads, in bytes; a larger one is a [`BrowserError::TooLarge`].
/// A sandbox pay page, QR code included, is about a dozen KiB and a shop's return page rarely
/// more than a few hundred: a page past a MiB is not one the payer should be shown, and reading
/// stops there rather than holding whatever the other end sends.
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// The name of the pay page's wallet choice.
const WALLET_CHOICE: &str = "wallet";

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag.get(start..)?.find('"')?;
    Some(unescape(tag.get(start..end)?))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// What pressing Pay led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paid {
    /// The page the sandbox answered with.
    pub page: String,
    /// Where the browser was sent with the synchronous return, if the order had a `return_url`.
    pub returned_to: Option<String>,
    /// What the merchant's `return_url` answered.
    pub merchant_page: Option<String>,
}

/// Why the payer could not get through.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// A request failed.
    #[error("could not load {url}: {reason}")]
    Load {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The page is not what the sandbox serves for a pending order.
    #[error("{0}")]
    Page(String),
    /// The page is larger than [`MAX_PAGE_BYTES`]; reading stopped there.
    #[error(
        "{url} answered a page larger than {limit} bytes, which is no pay page or shop page; it was not read \
         further — check the link"
    )]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
}

/// The payer.
#[derive(Clone, Debug)]
pub struct Payer {
    /// The HTTP client, or why it could not start (reported by the first page opened).
    http: Result<reqwest::Client, String>,
}

impl Default for Payer {
    fn default() -> Self {
        Payer::new()
    }
}

impl Payer {
    /// A payer with its own HTTP client.
    pub fn new() -> Payer {
        Payer { http: crate::notifier::http_client().map_err(|e| e.to_string()) }
    }

    fn http(&self) -> Result<&reqwest::Client, BrowserError> {
        self.http.as_ref().map_err(|reason| BrowserError::Page(format!("the browser could not start: {reason}")))
    }

    /// Opens the pay link and returns the page.
    ///
    /// # Errors
    /// The page cannot be loaded.
    pub async fn open(&self, link: &str) -> Result<String, BrowserError> {
        let response = self.http()?.get(link).send().await.map_err(|e| load(link, &e))?;
        let status = response.status();
        let page = read_page(link, response).await?;
        if status.is_success() { Ok(page) } else { Err(BrowserError::Page(format!("{link} answered HTTP {status}"))) }
    }

    /// Opens the pay link, presses Pay (with the wallet the page offers first, where it offers
    /// a choice), and follows the synchronous return to the return address.
    ///
    /// # Errors
    /// A page cannot be loaded, or has no Pay button (the order is not pending).
    pub async fn pay(&self, link: &str) -> Result<Paid, BrowserError> {
        self.pay_choosing(link, None).await
    }

    /// Opens the pay link, chooses `wallet` among the wallets the page offers, presses Pay, and
    /// follows the synchronous return to the return address.
    ///
    /// # Errors
    /// A page cannot be loaded, has no Pay button, or does not offer `wallet`.
    pub async fn pay_with(&self, link: &str, wallet: &str) -> Result<Paid, BrowserError> {
        self.pay_choosing(link, Some(wallet)).await
    }

    async fn pay_choosing(&self, link: &str, wallet: Option<&str>) -> Result<Paid, BrowserError> {
        let page = self.open(link).await?;
        let mut form = Form::find(&page, "pay")
            .ok_or_else(|| BrowserError::Page("the pay page has no Pay button; is the order still pending?".into()))?;
        if let Some(wallet) = wallet {
            form.choose(WALLET_CHOICE, wallet)?;
        }
        let mut fields = form.fields;
        fields.push(("action".into(), "pay".into()));
        let page = self.post_form(&form.action, &fields).await?;
        let Some(back) = Form::find(&page, "return") else {
            return Ok(Paid { page, returned_to: None, merchant_page: None });
        };
        let merchant_page = self.post_form(&back.action, &back.fields).await?;
        Ok(Paid { page, returned_to: Some(back.action), merchant_page: Some(merchant_page) })
    }

    async fn post_form(&self, url: &str, fields: &[(String, String)]) -> Result<String, BrowserError> {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            body.append_pair(name, value);
        }
        let response = self
            .http()?
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body.finish())
            .send()
            .await
            .map_err(|e| load(url, &e))?;
        read_page(url, response).await
    }
}

fn load(url: &str, error: &dyn std::fmt::Display) -> BrowserError {
    BrowserError::Load { url: url.to_owned(), reason: error.to_string() }
}

/// A page's text, read up to [`MAX_PAGE_BYTES`].
async fn read_page(url: &str, response: reqwest::Response) -> Result<String, BrowserError> {
    let bytes = eftpay::gateway::read_limited(response, MAX_PAGE_BYTES).await.map_err(|error| match error {
        BodyError::TooLarge { limit } => BrowserError::TooLarge { url: url.to_owned(), limit },
        other => load(url, &other),
    })?;
    // Browsers show a page with bad bytes rather than none; so does the payer.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn finds_the_form_around_an_element() {
        let html = r#"<p>x</p><form method="post" action="http://h/a?x=1&amp;y=2"><input type="hidden" name="order" value="A&quot;B"><button id="pay" name="action" value="pay">Pay</button></form>"#;
        let form = Form::find(html, "pay").unwrap();
        assert_eq!(form.action, "http://h/a?x=1&y=2");
        assert_eq!(form.fields, vec![("order".to_owned(), "A\"B".to_owned())]);
        assert_eq!(Form::find(html, "missing"), None);
    }

    #[test]
    fn of_radio_buttons_only_the_checked_one_is_sent_and_another_can_be_chosen() {
        let html = r#"<form method="post" action="/p"><input type="hidden" name="order" value="1"><input type="radio" name="wallet" value="A" checked> <input type="radio" name="wallet" value="B"><button id="pay">Pay</button></form>"#;
        let mut form = Form::find(html, "pay").unwrap();
        assert_eq!(form.fields, vec![("order".into(), "1".into()), ("wallet".into(), "A".into())]);
        form.choose("wallet", "B").unwrap();
        assert_eq!(form.fields, vec![("order".into(), "1".into()), ("wallet".into(), "B".into())]);
        assert!(form.choose("wallet", "C").is_err(), "not offered");
    }
}
