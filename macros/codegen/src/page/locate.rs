//! Where the spec states each thing the page is compared with: the file and line of a field
//! row, a service row and its keys, an object field, a test amount — read from the loader's
//! spanned tables (`schema`), so a difference names the line a maintainer edits. Also the
//! `[assume]` comments, each tied to the row it annotates.

use std::collections::BTreeMap;
use toml::Spanned;

use crate::schema::{Document, FieldDef, FieldGroupDef, InterfaceDef, ObjectDef, ServiceDef, TestAmountDef};
use crate::source::SpecFile;

/// A line of a spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as shown (`spec/web/place_order.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A whole row (`[[field]]` … up to the next table header), for "remove these lines".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extent {
    /// Where it starts.
    pub at: Location,
    /// Its last line.
    pub last: usize,
}

/// A field row, where it is written.
pub struct FieldRow<'a> {
    /// File index.
    pub file: usize,
    /// The row.
    pub row: &'a Spanned<FieldDef>,
    /// The `[[field_group]]` it is written in, when not the interface's own.
    pub group: Option<&'a str>,
    /// The interface it is inherited from, when not the interface's own.
    pub inherited_from: Option<&'a str>,
}

/// The spanned spec.
pub struct Sources<'a> {
    pub files: &'a [SpecFile],
    docs: Vec<(usize, Document)>,
}

impl<'a> Sources<'a> {
    /// Reads the files' tables (the spec has already been checked, so every file reads; one that
    /// does not is simply not located in).
    pub fn new(files: &'a [SpecFile]) -> Sources<'a> {
        let docs = files
            .iter()
            .enumerate()
            .filter_map(|(index, file)| toml::from_str::<Document>(&file.text).ok().map(|doc| (index, doc)))
            .collect();
        Sources { files, docs }
    }

    /// The location of a byte offset of file `file`.
    pub fn at(&self, file: usize, offset: usize) -> Location {
        match self.files.get(file) {
            Some(f) => Location { file: f.display.clone(), line: f.position(offset).line },
            None => Location { file: String::new(), line: 0 },
        }
    }

    /// The location of a spanned value.
    pub fn of<T>(&self, file: usize, value: &Spanned<T>) -> Location {
        self.at(file, value.span().start)
    }

    /// The row whose `[…]` header is on 1-based `line` of file `file`, up to the line before the
    /// next table header (or a comment block leading into it).
    pub fn extent(&self, file: usize, line: usize) -> Extent {
        let display = self.files.get(file).map_or(String::new(), |f| f.display.clone());
        let text = self.files.get(file).map_or("", |f| f.text.as_str());
        let mut last = line;
        for (index, l) in text.lines().enumerate().skip(line) {
            let t = l.trim();
            if t.starts_with('[') || t.starts_with('#') {
                break;
            }
            if !t.is_empty() {
                last = index + 1;
            }
        }
        Extent { at: Location { file: display, line }, last }
    }

    /// The line of the `[…]` header of the row holding 1-based `line` of file `file`.
    pub fn header_line(&self, file: usize, line: usize) -> usize {
        let text = self.files.get(file).map_or("", |f| f.text.as_str());
        text.lines()
            .enumerate()
            .take(line)
            .filter(|(_, l)| l.trim_start().starts_with('['))
            .last()
            .map_or(0, |(i, _)| i + 1)
    }

    /// The whole row holding `at` (a line of file `file`).
    pub fn row_extent(&self, file: usize, at: &Location) -> Extent {
        self.extent(file, self.header_line(file, at.line))
    }

    fn interface(&self, name: &str) -> Option<(usize, &InterfaceDef, &Document)> {
        self.docs.iter().find_map(|(file, doc)| {
            let def = doc.interface.as_ref()?.get_ref();
            (def.name.get_ref() == name).then_some((*file, def, doc))
        })
    }

    fn group(&self, name: &str) -> Option<(usize, &FieldGroupDef)> {
        self.docs
            .iter()
            .find_map(|(file, doc)| doc.field_group.iter().find(|g| g.name.get_ref() == name).map(|g| (*file, g)))
    }

    /// The interfaces that `extends` interface `name`, and the one it extends.
    pub fn related(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (_, doc) in &self.docs {
            let Some(def) = doc.interface.as_ref().map(Spanned::get_ref) else { continue };
            let parent = def.extends.as_ref().map(|e| e.get_ref().as_str());
            if parent == Some(name) {
                out.push(def.name.get_ref().clone());
            } else if def.name.get_ref() == name {
                out.extend(parent.map(str::to_owned));
            }
        }
        out
    }

    /// Where interface `name`'s `[interface]` table is.
    pub fn interface_at(&self, name: &str) -> Option<Location> {
        let (file, def, _) = self.interface(name)?;
        Some(self.of(file, &def.name))
    }

    /// The rows of interface `name`'s request (`response = false`) or response table, by wire
    /// name, with groups expanded and `extends` followed (less its `omit`s).
    pub fn field_rows(&self, name: &str, response: bool) -> BTreeMap<String, FieldRow<'_>> {
        let mut out = BTreeMap::new();
        self.collect_rows(name, response, None, &mut out, 0);
        out
    }

    fn collect_rows<'s>(
        &'s self,
        name: &str,
        response: bool,
        inherited_from: Option<&'s str>,
        out: &mut BTreeMap<String, FieldRow<'s>>,
        depth: usize,
    ) {
        // `extends` chains are short and checked for cycles by the loader; the depth bound
        // only keeps a spec that failed that check from looping here.
        let Some((file, def, doc)) = self.interface(name) else { return };
        if depth > 8 {
            return;
        }
        if let Some(parent) = &def.extends {
            self.collect_rows(parent.get_ref(), response, Some(parent.get_ref().as_str()), out, depth + 1);
            if !response {
                for omitted in &def.omit {
                    out.remove(omitted.get_ref());
                }
            }
        }
        let rows = if response { &doc.response } else { &doc.field };
        for row in rows {
            let own = row.get_ref();
            if let Some(include) = &own.include {
                if let Some((group_file, group)) = self.group(include.get_ref()) {
                    for grow in &group.field {
                        if let Some(wire) = &grow.get_ref().wire {
                            out.insert(
                                wire.get_ref().clone(),
                                FieldRow {
                                    file: group_file,
                                    row: grow,
                                    group: Some(group.name.get_ref()),
                                    inherited_from,
                                },
                            );
                        }
                    }
                }
            } else if let Some(wire) = &own.wire {
                out.insert(wire.get_ref().clone(), FieldRow { file, row, group: None, inherited_from });
            }
        }
    }

    /// The `[[service]]` row named `name`.
    pub fn service(&self, name: &str) -> Option<(usize, &ServiceDef)> {
        self.docs
            .iter()
            .find_map(|(file, doc)| doc.service.iter().find(|s| s.name.get_ref() == name).map(|s| (*file, s)))
    }

    /// The `[[object]]` named `name`.
    pub fn object(&self, name: &str) -> Option<(usize, &ObjectDef)> {
        self.docs
            .iter()
            .find_map(|(file, doc)| doc.object.iter().find(|o| o.name.get_ref() == name).map(|o| (*file, o)))
    }

    /// The `[[test_amount]]` rows.
    pub fn test_amounts(&self) -> Vec<(usize, &TestAmountDef)> {
        self.docs.iter().flat_map(|(file, doc)| doc.test_amount.iter().map(move |t| (*file, t))).collect()
    }

    /// The index of the file shown as `display`.
    pub fn file_index(&self, display: &str) -> Option<usize> {
        self.files.iter().position(|f| f.display == display)
    }
}

/// One `[assume]` comment of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// Where it is.
    pub at: Location,
    /// The comment, without `#`.
    pub text: String,
    /// The line of the table header it annotates (the row holding it, or, for a comment on its
    /// own lines, the next one); 0 for a comment above a file's first table (about the file).
    pub row: usize,
    /// The key its line sets, when it trails a value (`required`).
    pub key: Option<String>,
}

/// Every `[assume]` comment of file `file`.
pub fn assumptions(file: &SpecFile) -> Vec<Assumption> {
    let lines: Vec<&str> = file.text.lines().collect();
    let headers: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with('[')).map(|(i, _)| i + 1).collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(hash) = line.find('#') else { continue };
        let comment = line.get(hash + 1..).unwrap_or_default().trim();
        if !comment.contains("[assume]") {
            continue;
        }
        let number = index + 1;
        let own_line = line.get(..hash).unwrap_or_default().trim().is_empty();
        let first = headers.first().copied().unwrap_or(usize::MAX);
        let row = if own_line {
            if number < first { 0 } else { headers.iter().copied().find(|h| *h > number).unwrap_or(0) }
        } else {
            headers.iter().copied().take_while(|h| *h <= number).last().unwrap_or(0)
        };
        let key = (!own_line)
            .then(|| line.split('=').next().map(|k| k.trim().to_owned()))
            .flatten()
            .filter(|k| !k.is_empty());
        // A comment on its own lines is its paragraph: the comment lines around it, up to an
        // empty `#` line.
        let text = if own_line {
            let is_comment = |l: &&&str| l.trim_start().starts_with('#') && l.trim() != "#";
            let start =
                lines.get(..index).map_or(index, |before| index - before.iter().rev().take_while(is_comment).count());
            let end = index + lines.get(index..).map_or(1, |after| after.iter().take_while(is_comment).count());
            lines
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .map(|l| l.trim_start().trim_start_matches('#').trim())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            comment.to_owned()
        };
        out.push(Assumption { at: Location { file: file.display.clone(), line: number }, text, row, key });
    }
    out
}
