//! An eftPay doc page rendered as text → its tables. The page is outside input: its size is
//! checked before anything else, it is read in one pass over its lines, and nothing in it can
//! make the reader panic (every cell is reached with `get`, never by index).
//!
//! The form read is the one the seed page has (spec/README.md, "When eftPay changes a page"):
//! a title line, the endpoint line (`{domain}/Servlet/….do`), and pipe tables — a header row,
//! a `---|---|` separator, then one row per line — with or without leading and trailing pipes.
//! What a table holds is told by its column names, in English or in either Chinese script.

use std::collections::BTreeSet;
use std::fmt;

/// The largest page read, in bytes: eftPay's longest pages are a few tens of kilobytes, so a
/// larger input is not a page (and is refused before it is parsed).
pub const MAX_PAGE_BYTES: usize = 1 << 20;

/// What a column of a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A field's wire name.
    Name,
    /// A field's type (`String(28)`).
    Type,
    /// Free text.
    Description,
    /// Whether the field must be sent.
    Requirement,
    /// A `service` value.
    Service,
    /// The payType column of a service table.
    PayType,
    /// The wallet column (`wallet`, or a scene's own name for it such as `payment_type`).
    Wallet,
    /// The pay_scene column.
    PayScene,
    /// The lang column.
    Lang,
    /// The decimal places of a test amount.
    Cents,
    /// An example.
    Example,
    /// A column the reader does not know.
    Other,
}

/// Column names, lower-cased: English, simplified and traditional Chinese.
const COLUMN_WORDS: &[(Column, &[&str])] = &[
    (
        Column::Name,
        &[
            "name",
            "parameter",
            "field",
            "参数",
            "參數",
            "参数名",
            "參數名",
            "参数名称",
            "參數名稱",
            "字段",
            "字段名",
            "名称",
            "名稱",
        ],
    ),
    (Column::Type, &["type", "类型", "類型", "参数类型", "參數類型"]),
    (Column::Description, &["description", "描述", "说明", "說明", "参数说明", "參數說明", "备注", "備註"]),
    (Column::Requirement, &["requirement", "required", "是否必填", "必填", "是否必须", "是否必須", "必须", "必須"]),
    (Column::Service, &["service", "服务", "服務", "接口", "服务名", "服務名"]),
    (Column::PayType, &["paytype", "支付类型", "支付類型"]),
    (Column::Wallet, &["wallet", "payment_type", "钱包", "錢包", "钱包类型", "錢包類型"]),
    (Column::PayScene, &["pay_scene", "支付场景", "支付場景"]),
    (Column::Lang, &["lang", "language", "语言", "語言"]),
    (Column::Cents, &["decimal places", "小数位", "小數位", "小数位数", "小數位數"]),
    (Column::Example, &["example", "示例", "例子", "范例", "範例"]),
];

impl Column {
    fn of(header: &str) -> Column {
        let word = header.trim().trim_end_matches([':', '：']).trim().to_lowercase();
        COLUMN_WORDS
            .iter()
            .find(|(_, words)| words.contains(&word.as_str()))
            .map_or(Column::Other, |(column, _)| *column)
    }
}

/// What a table is, told by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Name | Type | Description | Requirement.
    Fields,
    /// service | payType | wallet | Description.
    Services,
    /// service | pay_scene.
    PayScenes,
    /// service | lang.
    Langs,
    /// Decimal Places | Description | Example.
    TestAmounts,
    /// Anything else: listed as not compared.
    Unknown,
}

impl Kind {
    fn of(columns: &[Column]) -> Kind {
        let has = |c: Column| columns.contains(&c);
        if has(Column::Name) && has(Column::Type) {
            Kind::Fields
        } else if has(Column::Service) && (has(Column::PayType) || has(Column::Wallet)) {
            Kind::Services
        } else if has(Column::Service) && has(Column::PayScene) {
            Kind::PayScenes
        } else if has(Column::Service) && has(Column::Lang) {
            Kind::Langs
        } else if has(Column::Cents) {
            Kind::TestAmounts
        } else {
            Kind::Unknown
        }
    }

    /// How many leading cells a row must have to be read (the columns compared).
    fn cells_needed(self, columns: &[Column]) -> usize {
        let last_needed = |wanted: &[Column]| columns.iter().rposition(|c| wanted.contains(c)).map_or(1, |i| i + 1);
        match self {
            Kind::Fields => last_needed(&[Column::Name, Column::Type]),
            Kind::Services => last_needed(&[Column::Service, Column::PayType, Column::Wallet]),
            Kind::PayScenes => last_needed(&[Column::Service, Column::PayScene]),
            Kind::Langs => last_needed(&[Column::Service, Column::Lang]),
            Kind::TestAmounts => last_needed(&[Column::Cents, Column::Description]),
            Kind::Unknown => 1,
        }
    }

    /// How the report names a table of this kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Fields => "field table",
            Kind::Services => "service table",
            Kind::PayScenes => "pay_scene table",
            Kind::Langs => "lang table",
            Kind::TestAmounts => "test amount table",
            Kind::Unknown => "table",
        }
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the page.
    pub line: usize,
    /// Its cells, trimmed.
    pub cells: Vec<String>,
}

/// One pipe table of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// 1-based line of its header row.
    pub line: usize,
    /// The nearest line above it that is not part of a table (an object section's name, a
    /// test amount section's explanation), if any.
    pub heading: Option<String>,
    /// The header cells as written.
    pub header: Vec<String>,
    /// What each column holds.
    pub columns: Vec<Column>,
    /// What the table is.
    pub kind: Kind,
    /// Its complete rows, in page order.
    pub rows: Vec<Row>,
    /// Why the table is incomplete, when it is cut off part way.
    pub cut: Option<String>,
}

impl Table {
    /// The cell of `row` in the first column holding `column`; empty when the row is short.
    pub fn cell<'r>(&self, row: &'r Row, column: Column) -> &'r str {
        self.columns.iter().position(|c| *c == column).and_then(|i| row.cells.get(i)).map_or("", String::as_str)
    }

    /// `field table at page line 7 (Name | Type | …)`.
    pub fn describe(&self) -> String {
        format!("{} at page line {} ({})", self.kind.label(), self.line, self.header.join(" | "))
    }
}

/// The page, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The first non-empty line.
    pub title: Option<String>,
    /// The path after `{domain}` (or after `/VMP` in a full address), e.g.
    /// `/Servlet/JSAPIService.do`.
    pub endpoint: Option<String>,
    /// Every pipe table, in page order.
    pub tables: Vec<Table>,
    /// Every dotted word with `service.` in it, as written, once: pages name services outside
    /// their service tables too (the cashier's field table names its one service in a
    /// description).
    pub service_words: Vec<String>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a page.
///
/// # Errors
/// The page is larger than [`MAX_PAGE_BYTES`], or holds no pipe table of a kind the check
/// compares; the message says which.
pub fn parse(text: &str) -> Result<Page, Unreadable> {
    if text.len() > MAX_PAGE_BYTES {
        return Err(Unreadable(format!(
            "the page is {} bytes, more than the {MAX_PAGE_BYTES} bytes of any eftPay page: save one page as text",
            text.len()
        )));
    }
    if text.contains('\0') {
        return Err(Unreadable("the page holds NUL bytes: it is not text; save the page as text".to_owned()));
    }
    let mut page = Page::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut heading: Option<String> = None;
    let mut seen_words: BTreeSet<String> = BTreeSet::new();
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        let trimmed = line.trim();
        if page.title.is_none() && !trimmed.is_empty() {
            page.title = Some(trimmed.to_owned());
        }
        if page.endpoint.is_none() {
            page.endpoint = endpoint(trimmed);
        }
        collect_service_words(trimmed, &mut page.service_words, &mut seen_words);
        let next = lines.get(index + 1).map_or("", |l| l.trim());
        if trimmed.contains('|') && is_separator(next) {
            let (table, end) = read_table(&lines, index, heading.take(), !text.ends_with('\n'));
            page.tables.push(table);
            index = end;
            continue;
        }
        if !trimmed.is_empty() {
            heading = Some(trimmed.to_owned());
        }
        index += 1;
    }
    if page.tables.is_empty() {
        return Err(Unreadable(
            "found no pipe table in the page (a header row such as `Name | Type | Description | Requirement |` \
             followed by a `---|---|` line): save the page's text with its tables"
                .to_owned(),
        ));
    }
    if page.tables.iter().all(|t| t.kind == Kind::Unknown) {
        let headers: Vec<String> = page.tables.iter().map(|t| format!("`{}`", t.header.join(" | "))).collect();
        return Err(Unreadable(format!(
            "no table has the columns of a field table (Name | Type), a service table (service | payType | wallet), \
             a pay_scene, lang or test amount table; the tables found have the columns {}",
            headers.join(", ")
        )));
    }
    Ok(page)
}

/// The endpoint a line states: `{domain}/Servlet/X.do`, or a full address whose path follows
/// `/VMP` (the base URL ends there; docs/protocol.md §1).
fn endpoint(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("{domain}") {
        let path = rest.split_whitespace().next()?;
        return path.starts_with('/').then(|| path.to_owned());
    }
    if line.starts_with("http") && line.ends_with(".do") {
        let at = line.find("/VMP/")?;
        return line.get(at + 4..).map(str::to_owned);
    }
    None
}

/// Words such as `service.united.wap.PreOrder` in free text.
fn collect_service_words(line: &str, out: &mut Vec<String>, seen: &mut BTreeSet<String>) {
    if !line.contains("service.") {
        return;
    }
    for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')) {
        let word = word.trim_matches('.');
        if word.contains("service.") && word.matches('.').count() >= 2 && seen.insert(word.to_owned()) {
            out.push(word.to_owned());
        }
    }
}

fn is_separator(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '-' | '|' | ':' | ' ' | '\t'))
}

/// The cells of a table line, trimmed, without the empty cell after a trailing pipe, nor the
/// one before a leading pipe when the table's header has one (`outer`): in a table written
/// without outer pipes, a leading pipe is an empty first cell (a row continuing the one above).
fn cells(line: &str, outer: bool) -> Vec<String> {
    let line = line.trim();
    let line = if outer { line.strip_prefix('|').unwrap_or(line) } else { line };
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split('|').map(|c| c.trim().to_owned()).collect()
}

/// A line marking the rest of a table as left out.
fn is_ellipsis(text: &str) -> bool {
    matches!(text.trim(), "…" | "..." | "……" | "⋯")
}

/// Reads the table whose header is at `start`; returns it and the index of the first line
/// after it. `ends_open`: the page's last line has no line break, so it may be cut short.
fn read_table(lines: &[&str], start: usize, heading: Option<String>, ends_open: bool) -> (Table, usize) {
    let header_line = lines.get(start).copied().unwrap_or_default();
    let outer = header_line.trim_start().starts_with('|');
    let header = cells(header_line, outer);
    let columns: Vec<Column> = header.iter().map(|h| Column::of(h)).collect();
    let kind = Kind::of(&columns);
    let needed = kind.cells_needed(&columns);
    let mut table = Table { line: start + 1, heading, header, columns, kind, rows: Vec::new(), cut: None };
    let mut index = start + 2;
    while let Some(line) = lines.get(index) {
        let trimmed = line.trim();
        if is_ellipsis(trimmed) {
            table.cut =
                Some(format!("it ends with `{trimmed}` at page line {} after {} rows", index + 1, table.rows.len()));
            index += 1;
            break;
        }
        let next_is_separator = lines.get(index + 1).is_some_and(|next| is_separator(next.trim()));
        if !trimmed.contains('|') || next_is_separator {
            // A page saved part way through a row ends with the row's first words.
            if ends_open && index + 1 == lines.len() && !trimmed.is_empty() && !next_is_separator {
                table.cut = Some(format!(
                    "the page ends part way through its row at page line {}, after {} complete rows",
                    index + 1,
                    table.rows.len()
                ));
            }
            break;
        }
        let row = cells(trimmed, outer);
        let filled = row.iter().take(needed).filter(|c| !c.is_empty()).count();
        if row.iter().any(|c| is_ellipsis(c)) || filled < needed.min(2) || row.len() < needed {
            table.cut = Some(format!(
                "its row at page line {} has {} of the {needed} cells read, after {} complete rows",
                index + 1,
                row.len(),
                table.rows.len()
            ));
            index += 1;
            break;
        }
        table.rows.push(Row { line: index + 1, cells: row });
        index += 1;
    }
    if table.rows.is_empty() && table.cut.is_none() {
        table.cut = Some("it has a header but no rows".to_owned());
    }
    (table, index)
}

/// A field's type as a page writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageType {
    /// `String` or `String(n)`.
    Text(Option<usize>),
    /// `Int`, `Integer`, `Number`, `Long`.
    Integer,
    /// `Object`.
    Object,
    /// `Object[]`.
    ObjectArray,
    /// `Array`, `String[]`: an array of strings.
    TextArray,
    /// Anything else, as written.
    Other(String),
}

impl PageType {
    /// Reads a type cell.
    pub fn of(cell: &str) -> PageType {
        let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        let lower = compact.to_lowercase();
        let text_prefix = ["string", "字符串", "字串"].into_iter().find(|p| lower.starts_with(p));
        if let Some(prefix) = text_prefix {
            let rest = lower.get(prefix.len()..).unwrap_or_default();
            if rest.is_empty() {
                return PageType::Text(None);
            }
            if rest == "[]" {
                return PageType::TextArray;
            }
            let inner = rest.strip_prefix(['(', '（']).and_then(|r| r.strip_suffix([')', '）']));
            if let Some(n) = inner.and_then(|n| n.parse::<usize>().ok()) {
                return PageType::Text(Some(n));
            }
        }
        match lower.as_str() {
            "int" | "integer" | "number" | "long" | "整数" | "整數" => PageType::Integer,
            "object" | "对象" | "對象" => PageType::Object,
            "object[]" | "array<object>" | "list<object>" => PageType::ObjectArray,
            "array" | "array<string>" | "list<string>" | "数组" | "數組" => PageType::TextArray,
            _ => PageType::Other(cell.trim().to_owned()),
        }
    }

    /// How the page writes it.
    pub fn written(&self) -> String {
        match self {
            PageType::Text(None) => "String".to_owned(),
            PageType::Text(Some(n)) => format!("String({n})"),
            PageType::Integer => "Int".to_owned(),
            PageType::Object => "Object".to_owned(),
            PageType::ObjectArray => "Object[]".to_owned(),
            PageType::TextArray => "Array".to_owned(),
            PageType::Other(other) => other.clone(),
        }
    }
}

/// What a Requirement cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Must be sent.
    Required,
    /// May be left out.
    Optional,
    /// The cell is empty or says something else: the page does not say.
    Unsaid,
}

impl Requirement {
    /// Reads a Requirement cell.
    pub fn of(cell: &str) -> Requirement {
        let word = cell.trim().to_lowercase();
        match word.as_str() {
            "y" | "yes" | "required" | "m" | "mandatory" | "true" | "是" | "必填" | "必须" | "必須" => {
                Requirement::Required
            }
            "n" | "no" | "optional" | "o" | "false" | "否" | "选填" | "選填" | "可选" | "可選" | "非必填" => {
                Requirement::Optional
            }
            _ => Requirement::Unsaid,
        }
    }
}

/// The values of a list cell: `cn ,en ,hk`, `WEB /APP`, `ALIPAYCN ALIPAYHK`, `cn、en`.
pub fn values(cell: &str) -> Vec<String> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    cell.split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '、' | '，' | ';' | '；'))
        .filter(|value| !value.is_empty() && seen.insert(value))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables_with_and_without_outer_pipes() {
        let page =
            parse("T\n| Name | Type |\n|---|---|\n| a | String(3) |\nb\nName | Type\n---|---\nc | Int\n").unwrap();
        assert_eq!(page.tables.len(), 2);
        assert_eq!(page.tables[0].rows[0].cells, ["a", "String(3)"]);
        assert_eq!(page.tables[1].rows[0].cells, ["c", "Int"]);
        assert_eq!(page.tables[1].heading.as_deref(), Some("b"));
    }

    #[test]
    fn chinese_headers_name_the_same_columns() {
        let page = parse("参数名 | 类型 | 描述 | 是否必填\n---|---|---|---\na | String | x | 是\n").unwrap();
        assert_eq!(page.tables[0].kind, Kind::Fields);
        let page = parse("參數名 | 類型 | 說明 | 是否必須\n---|---|---|---\na | String | x | 否\n").unwrap();
        assert_eq!(page.tables[0].columns, [Column::Name, Column::Type, Column::Description, Column::Requirement]);
    }

    #[test]
    fn a_short_row_cuts_the_table_and_is_not_read() {
        let page = parse("Name | Type | Description\n---|---|---\na | String | x\nb |\nafter\n").unwrap();
        let table = &page.tables[0];
        assert_eq!(table.rows.len(), 1);
        assert!(table.cut.as_deref().unwrap_or_default().contains("page line 4"), "{:?}", table.cut);
    }

    #[test]
    fn types_and_requirements_read_in_both_languages() {
        assert_eq!(PageType::of("String(28)"), PageType::Text(Some(28)));
        assert_eq!(PageType::of("字符串（12）"), PageType::Text(Some(12)));
        assert_eq!(PageType::of("Object[]"), PageType::ObjectArray);
        assert_eq!(Requirement::of(""), Requirement::Unsaid);
        assert_eq!(Requirement::of("必填"), Requirement::Required);
    }

    #[test]
    fn endpoint_is_the_path_after_the_domain() {
        let page = parse("x\n{domain}/Servlet/JSAPIService.do\nName | Type\n---|---\na | String\n").unwrap();
        assert_eq!(page.endpoint.as_deref(), Some("/Servlet/JSAPIService.do"));
        assert_eq!(endpoint("https://vmp.eftpay.com.cn/VMP/Servlet/A.do").as_deref(), Some("/Servlet/A.do"));
    }

    #[test]
    fn text_without_tables_is_unreadable_and_says_why() {
        let error = parse("just words\n").unwrap_err();
        assert!(error.0.contains("no pipe table"), "{error}");
    }
}
