//! Spec mistakes a maintainer can make, one test per place the checker reports one
//! (`macros/codegen/src/resolve/*.rs`; one module here per module there, plus `whole_spec` for
//! what spans tables). Every case is the minimal fixture (`tests/fixtures/minimal`) with one
//! text edit or one added in-memory file, and every test asserts that exactly that error is
//! reported (no echoes), its message, the `file:line:column` and the text it underlines, and
//! that its help says what to do. No input makes the checker panic (`whole_spec`).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly

mod acknowledgement;
mod echo;
mod enums;
mod fields;
mod interfaces;
mod objects;
mod one_of;
mod recognition;
mod row_values;
mod scenes;
mod services;
mod specificity;
mod test_amounts;
mod whole_spec;

use std::path::Path;

use eftpay_codegen::source::{SpecFile, read_dir};

/// A spec under test: the minimal fixture, edited.
#[derive(Clone)]
pub struct Case {
    files: Vec<SpecFile>,
}

impl Case {
    /// The minimal fixture as it is (valid).
    pub fn minimal() -> Case {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        Case { files: read_dir(&root.join("minimal"), &root).expect("fixture is readable") }
    }

    /// Replaces `find`, which must occur exactly once, in the file whose path ends with `file`.
    #[track_caller]
    pub fn edit(mut self, file: &str, find: &str, replace: &str) -> Case {
        let target = self.files.iter_mut().find(|f| f.display.ends_with(file)).expect("fixture file exists");
        assert_eq!(target.text.matches(find).count(), 1, "`{find}` must occur exactly once in {file}");
        target.text = target.text.replacen(find, replace, 1);
        self
    }

    /// Inserts `text` right after `anchor` (which must occur exactly once).
    #[track_caller]
    pub fn after(self, file: &str, anchor: &str, text: &str) -> Case {
        self.edit(file, anchor, &format!("{anchor}{text}"))
    }

    /// Appends `text` to the file whose path ends with `file`.
    #[track_caller]
    pub fn append(mut self, file: &str, text: &str) -> Case {
        let target = self.files.iter_mut().find(|f| f.display.ends_with(file)).expect("fixture file exists");
        target.text.push_str(text);
        self
    }

    /// Adds an in-memory file, shown as `minimal/{name}`.
    pub fn add(mut self, name: &str, text: &str) -> Case {
        self.files.push(SpecFile::new(format!("minimal/{name}"), format!("/tmp/{name}"), text));
        self
    }

    /// Every error, rendered.
    pub fn errors(&self) -> Vec<String> {
        eftpay_codegen::check(&self.files).errors
    }

    /// Every error, taken apart.
    pub fn reports(&self) -> Vec<Reported> {
        self.errors().iter().map(|e| Reported::parse(e)).collect()
    }

    /// The one error the case must produce.
    #[track_caller]
    pub fn one_error(&self) -> Reported {
        let errors = self.errors();
        assert_eq!(errors.len(), 1, "expected exactly one error, got {}:\n{}", errors.len(), errors.join("\n\n"));
        Reported::parse(&errors[0])
    }

    /// The case must be valid (used to show a building block adds no error of its own).
    #[track_caller]
    pub fn valid(&self) {
        assert_eq!(self.errors(), Vec::<String>::new());
    }
}

/// One rendered error, taken apart:
///
/// ```text
/// minimal/services.toml:9:21: unknown wallet `DEMOX`      <- location: message
///   |
/// 9 | wallets = ["DEMOA", "DEMOX"]                        <- source line
///   |                     ^^^^^^^                         <- underlined text
///   = help: did you mean `DEMOA`? — …                     <- help
/// ```
#[derive(Debug)]
pub struct Reported {
    /// The whole rendered error.
    pub text: String,
    /// `file:line:column`.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The text the carets underline.
    pub underlined: String,
    /// What to do.
    pub help: String,
}

impl Reported {
    fn parse(text: &str) -> Reported {
        let lines: Vec<&str> = text.lines().collect();
        let first = lines.first().copied().unwrap_or_default();
        let (location, message) = first.split_once(": ").unwrap_or(("", first));
        let after_bar = |i: usize| lines.get(i).and_then(|l| l.split_once(" | ")).map_or("", |(_, s)| s);
        let source = after_bar(2);
        let marks = after_bar(3);
        let indent = marks.chars().take_while(|c| *c == ' ').count();
        let carets = marks.chars().filter(|c| *c == '^').count();
        let help = lines.iter().find_map(|l| l.trim_start().strip_prefix("= help: ")).unwrap_or_default();
        Reported {
            text: text.to_owned(),
            location: location.to_owned(),
            message: message.to_owned(),
            underlined: source.chars().skip(indent).take(carets).collect(),
            help: help.to_owned(),
        }
    }

    /// Points at `location` (`file:line:column`) and underlines `underlined`.
    #[track_caller]
    pub fn at(&self, location: &str, underlined: &str) -> &Self {
        assert_eq!((self.location.as_str(), self.underlined.as_str()), (location, underlined), "\n{}", self.text);
        self
    }

    /// The message is `message`.
    #[track_caller]
    pub fn says(&self, message: &str) -> &Self {
        assert_eq!(self.message, message, "\n{}", self.text);
        self
    }

    /// The help contains `help`.
    #[track_caller]
    pub fn helps(&self, help: &str) -> &Self {
        assert!(self.help.contains(help), "help should contain `{help}`:\n{}", self.text);
        self
    }
}

/// A query interface without a `service` field, sent to `endpoint`, in a scene of its own.
pub fn query_interface(name: &str, endpoint: &str) -> String {
    format!(
        r#"[interface]
name = "{name}"
purpose = "query"
endpoint = "{endpoint}"
retry = "safe"
encoding = "json"
doc = "A query."

[[field]]
wire = "time"
type = "time"
concept = "time"
required = true
doc = "Time."

[[field]]
wire = "sign"
type = "string"
concept = "sign"
required = true
doc = "Signature."

[[scene]]
name = "{name}_scene"
doc = "A scene of its own."
interfaces = ["{name}"]
"#
    )
}

#[test]
fn the_fixture_itself_is_valid() {
    Case::minimal().valid();
}

#[test]
fn a_query_interface_in_a_scene_of_its_own_is_valid() {
    Case::minimal().add("interfaces/query.toml", &query_interface("query", "/Servlet/Query.do")).valid();
}
