//! `eftpay sign`: the `sign` of a JSON message, for people building or debugging requests by
//! hand. The rule itself is the library's (`eftpay::signing`); this module
//! only reads the message and, with `--explain`, shows what the rule did with each field.

use std::fmt::Write as _;

use eftpay::signing::{SIGN_FIELD, canonical_string, sign_fields};
use eftpay::{ReceivedFields, ReceivedValue};

use crate::failure::Failure;
use crate::{input, output};

/// Options of `eftpay sign`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Before the sign, print the signed string (the secret shown as `<secret>`) and which fields
    /// were left out and why.
    #[arg(long)]
    pub explain: bool,
}

/// Reads the secret and a JSON message, prints its sign (and the explanation if asked).
///
/// # Errors
/// No usable secret, unreadable input, or stdout closed.
pub fn run(args: &Args, env: &input::Environment) -> Result<(), Failure> {
    let secret = input::secret_from_env(env)?;
    let fields = ReceivedFields::from_json_bytes(&input::read_stdin()?)?;
    let sign = sign_fields(&fields, &secret);
    let text = if args.explain { explained(&fields, &sign) } else { format!("{sign}\n") };
    output::print(&text)
}

/// The explanation, ending with the sign on its own last line so scripts can `tail -n1`.
/// Takes the sign rather than the secret so that nothing here can print the secret.
fn explained(fields: &ReceivedFields, sign: &str) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "signed string (SHA-256 of the merchant secret followed by the fields):");
    let _ = writeln!(text, "<secret>{}", canonical_string(fields));
    let left_out: Vec<(&str, &str)> =
        fields.iter().filter_map(|(name, value)| Some((name, left_out_because(name, value)?))).collect();
    if left_out.is_empty() {
        let _ = writeln!(text, "left out: none");
    } else {
        let _ = writeln!(text, "left out:");
        for (name, reason) in left_out {
            let _ = writeln!(text, "  {name}: {reason}");
        }
    }
    let _ = writeln!(text, "sign:");
    let _ = writeln!(text, "{sign}");
    text
}

/// Why the signing rule leaves a field out (the signature itself, null and empty values), or
/// `None` if it is signed. Mirrors `eftpay::signing` for display only: the sign itself never depends on it.
fn left_out_because(name: &str, value: &ReceivedValue) -> Option<&'static str> {
    if name == SIGN_FIELD {
        return Some("the signature field itself is never signed (its value here is ignored)");
    }
    match value {
        ReceivedValue::Null => Some("null"),
        _ if value.signing_text().is_none() => Some("empty string"),
        _ => None,
    }
}
