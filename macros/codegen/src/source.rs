//! Spec files as read from disk: their text, the path shown to maintainers, and the mapping
//! from byte offsets (what the TOML parser reports) to `line:column` and the source line.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// One TOML file of the spec.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// The path printed in diagnostics, relative to the workspace when possible
    /// (`spec/services.toml`), so messages read the same on every machine.
    pub display: String,
    /// Where the file is on disk; used to track it for rebuilds.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// A place in a spec file, as 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SpecFile {
    /// A file held in memory (tests, or text read by the caller).
    pub fn new(display: impl Into<String>, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SpecFile { display: display.into(), path: path.into(), text: text.into() }
    }

    /// The line and column of a byte offset; offsets past the end point at the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset);
        let before = self.text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Position { line, column }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        self.text.lines().nth(line.saturating_sub(1)).unwrap_or_default()
    }

    /// Renders the lines of `span` with a caret underline, the way rustc shows source:
    ///
    /// ```text
    ///    |
    /// 41 | wallets = ["ALIPAYCN", "ALIPAYXX"]
    ///    |                        ^^^^^^^^^^
    /// ```
    pub fn excerpt(&self, span: &Range<usize>) -> String {
        let start = self.position(span.start);
        let line = self.line_text(start.line);
        let width = start.line.to_string().len();
        let line_chars = line.chars().count();
        let span_chars = self
            .text
            .get(floor_char_boundary(&self.text, span.start)..floor_char_boundary(&self.text, span.end))
            .map_or(1, |s| s.lines().next().unwrap_or_default().chars().count().max(1));
        let carets = span_chars.min(line_chars.saturating_sub(start.column - 1).max(1));
        format!(
            "{pad} |\n{num} | {line}\n{pad} | {space}{carets}",
            pad = " ".repeat(width),
            num = start.line,
            space = " ".repeat(start.column - 1),
            carets = "^".repeat(carets),
        )
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Reads every `*.toml` file under `dir` (recursively, in path order, so output is stable).
///
/// `display_root` is the folder paths are shown relative to.
pub fn read_dir(dir: &Path, display_root: &Path) -> Result<Vec<SpecFile>, String> {
    let mut paths = Vec::new();
    collect_toml(dir, &mut paths)?;
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read spec file {}: {e}", path.display()))?;
        let display = path
            .strip_prefix(display_root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.push(SpecFile { display, path, text });
    }
    Ok(files)
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read the spec folder {}: {e}; the path is resolved from the invoking crate's CARGO_MANIFEST_DIR",
            dir.display()
        )
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SpecFile {
        SpecFile::new("spec/x.toml", "/tmp/x.toml", text)
    }

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let f = file("a = 1\nwallet = \"價X\"\n");
        let offset = f.text.find('X').unwrap();
        assert_eq!(f.position(offset), Position { line: 2, column: 12 });
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn offsets_past_the_end_do_not_panic() {
        let f = file("a = 1");
        assert_eq!(f.position(999).line, 1);
        let _ = f.excerpt(&(500..900));
    }

    #[test]
    fn excerpt_underlines_the_span() {
        let f = file("x = 1\nwallets = [\"A\", \"BAD\"]\n");
        let start = f.text.find("\"BAD\"").unwrap();
        let excerpt = f.excerpt(&(start..start + 5));
        assert_eq!(excerpt, "  |\n2 | wallets = [\"A\", \"BAD\"]\n  |                 ^^^^^");
    }
}
