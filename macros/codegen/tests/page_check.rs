#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly
//! `eftpay_codegen::page::check` on saved pages (tests/pages/): the seed page, copies of it with
//! one change each, pages of the other scenes, cut-off and Chinese pages, and input that is not
//! a page. Spec lines are found in the spec's text, never written here, so the tests follow the
//! spec as it changes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use eftpay_codegen::page::{self, Difference, MAX_PAGE_BYTES, Report, Verdict};
use eftpay_codegen::source::{self, SpecFile};
use proptest::prelude::*;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

fn spec_files() -> &'static [SpecFile] {
    static FILES: OnceLock<Vec<SpecFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = spec_dir();
        source::read_dir(&dir, dir.parent().unwrap()).unwrap()
    })
}

fn page_text(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages").join(name)).unwrap()
}

fn seed() -> String {
    page_text("web_place_order.txt")
}

fn check(text: &str) -> Report {
    page::check_files(spec_files(), text)
}

/// The 1-based line of the first line equal to `line` of spec file `file` (`web/services.toml`)
/// at or after the line equal to `after`.
fn spec_line(file: &str, after: &str, line: &str) -> usize {
    let text = std::fs::read_to_string(spec_dir().join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim() == after).unwrap_or_else(|| panic!("{after} not in {file}"));
    start + 1 + lines[start..].iter().position(|l| l.trim() == line).unwrap_or_else(|| panic!("{line} not in {file}"))
}

/// The differences `text` has that the seed page does not.
fn new_differences(text: &str) -> Vec<Difference> {
    let seed = check(&seed()).differences;
    let report = check(text);
    assert_eq!(report.matched.as_ref().map(|m| m.interface.as_str()), Some("place_order"), "{report}");
    report.differences.into_iter().filter(|d| !seed.contains(d)).collect()
}

/// The TOML of a fix (the lines after its first, which says where), parsed: a fix is ready to
/// paste.
fn fix_toml(fix: &str) -> toml::Table {
    let body: Vec<&str> = fix.lines().skip(1).collect();
    body.join("\n").parse::<toml::Table>().unwrap_or_else(|e| panic!("fix is not TOML: {e}\n{fix}"))
}

/// The seed with `line` (which must be a whole line of it) replaced by `with` (several lines
/// allowed; empty removes it).
fn seed_with(line: &str, with: &str) -> String {
    let seed = seed();
    let at = seed.lines().position(|l| l == line).unwrap_or_else(|| panic!("`{line}` is not a line of the seed"));
    let mut lines: Vec<&str> = seed.lines().collect();
    lines.remove(at);
    if !with.is_empty() {
        for (i, new) in with.lines().enumerate() {
            lines.insert(at + i, new);
        }
    }
    lines.join("\n")
}

#[test]
fn the_seed_page_agrees_with_the_spec() {
    // spec/web/place_order.toml folds eftPay's web and wap PreOrder pages into one interface;
    // the seed is the web page, and the one row only the wap page lists says so (`page = "wap"`).
    let report = check(&seed());
    let matched = report.matched.as_ref().unwrap();
    assert_eq!((matched.interface.as_str(), matched.scenes.as_slice()), ("place_order", &["web".to_owned()][..]));
    assert!(report.incomplete.is_empty() && report.differences.is_empty(), "{report}");
    assert_eq!(report.verdict(), Verdict::Agree, "{report}");
    assert_eq!(report.not_compared.len(), 1, "{report}");
    assert!(report.not_compared[0].contains("`app_link`") && report.not_compared[0].contains("wap page"), "{report}");
}

#[test]
fn seed_page_with_app_link_agrees_and_lists_the_assumptions_it_leaves_open() {
    let text = seed_with(
        "time | String | Time, format:yyyyMMddHHmmss | |",
        "app_link | String | APP link back after payment, valid for BOCVMPUPI | |\ntime | String | Time, format:yyyyMMddHHmmss | |",
    );
    let report = check(&text);
    assert_eq!(report.verdict(), Verdict::Agree, "{report}");
    // The Requirement column is empty, so the spec's assumed `required` of `subject` stands open.
    let subject = spec_line(
        "web/place_order.toml",
        "wire = \"subject\"",
        "required = true  # [assume] every example carries it; it is what the payer sees",
    );
    assert!(
        report.assumptions.iter().any(|a| a.at.file == "spec/web/place_order.toml" && a.at.line == subject),
        "{report}"
    );
    // Assumptions about other interfaces' rows are not listed.
    assert!(!report.assumptions.iter().any(|a| a.text.contains("refund")), "{report}");
}

#[test]
fn a_new_service_row_is_reported_with_the_row_to_add() {
    let row = "service.alipay.web.PreOrder | Alipay | ALIPAYCN ALIPAYHK | Alipay web interface |";
    let text = seed_with(
        row,
        &format!("{row}\nservice.alipay.app.PreOrder | Alipay | ALIPAYCN ALIPAYHK | Alipay app interface |"),
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert!(
        new[0].what.contains("service `service.alipay.app.PreOrder` (Alipay / ALIPAYCN ALIPAYHK) is on the page"),
        "{new:#?}"
    );
    let after =
        spec_line("web/services.toml", "name = \"service.alipay.web.PreOrder\"", "doc = \"Alipay web interface.\"");
    assert!(new[0].fix.starts_with(&format!("add after spec/web/services.toml:{after}:\n")), "{}", new[0].fix);
    let toml = fix_toml(&new[0].fix);
    let service = &toml["service"][0];
    assert_eq!(service["name"].as_str(), Some("service.alipay.app.PreOrder"));
    assert_eq!(service["interface"].as_str(), Some("place_order"));
    assert_eq!(service["pay_type"].as_str(), Some("Alipay"));
    assert_eq!(service["wallets"].as_array().unwrap().len(), 2);
    assert_eq!(service["doc"].as_str(), Some("Alipay app interface."));
}

#[test]
fn a_longer_field_is_reported_with_its_max_len_line() {
    let text = seed_with(
        "out_trade_no | String(28) | Merchant order number | |",
        "out_trade_no | String(32) | Merchant order number | |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    let line = spec_line("web/place_order.toml", "wire = \"out_trade_no\"", "max_len = 28");
    assert_eq!(new[0].what, "field `out_trade_no` is String(32) on the page; the spec's max_len is 28");
    assert_eq!(new[0].spec.as_ref().map(ToString::to_string), Some(format!("spec/web/place_order.toml:{line}")));
    assert_eq!(new[0].fix, format!("in spec/web/place_order.toml:{line}, replace the line with:\nmax_len = 32"));
}

#[test]
fn a_removed_field_is_reported_with_the_row_to_remove() {
    let text = seed_with(
        "body | String(128) | In the case of needing to describe various goods, it is recommended to accumulate the description of goods | |",
        "",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].what, "field `body` is in the spec's request table, not on the page");
    let row = spec_line("web/place_order.toml", "wire = \"wallet\"", "wire = \"body\"") - 1;
    assert!(new[0].fix.starts_with(&format!("remove spec/web/place_order.toml:{row}-")), "{}", new[0].fix);
}

#[test]
fn a_new_lang_row_is_reported_with_the_langs_to_set() {
    let text = seed_with(
        "service.fps.web.PreOrder | cn ,en ,hk |",
        "service.fps.web.PreOrder | cn ,en ,hk |\nservice.payme.web.PreOrder | cn ,en |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].what, "service `service.payme.web.PreOrder`: langs cn en on the page, none in the spec");
    let name = spec_line("web/services.toml", "[[service]]", "name = \"service.payme.web.PreOrder\"");
    assert_eq!(new[0].fix, format!("in the row at spec/web/services.toml:{name}, add:\nlangs = [\"cn\", \"en\"]"));
}

#[test]
fn a_changed_test_amount_is_reported_with_its_cents_line() {
    let text = seed_with(
        "81 | Creates a [successful] transaction | transaction_amount=0.81 |",
        "82 | Creates a [successful] transaction | transaction_amount=0.82 |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].what, "PAYME test amount for `success`: .82 on the page, .81 in the spec");
    let line = spec_line("common/test_amounts.toml", "pay_type = \"PAYME\"", "cents = 81");
    assert_eq!(new[0].fix, format!("in spec/common/test_amounts.toml:{line}, replace the line with:\ncents = 82"));
    assert_eq!(fix_toml(&new[0].fix)["cents"].as_integer(), Some(82));
}

#[test]
fn a_changed_wallet_and_a_new_object_field_are_reported() {
    let text = seed_with(
        "service.icbc.wap.PreOrder | ICBC | ICBCWAP | ICBC wap interface |",
        "service.icbc.wap.PreOrder | ICBC | ICBCWAP ICBCAPP | ICBC wap interface |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert!(new[0].fix.ends_with("wallets = [\"ICBCWAP\", \"ICBCAPP\"]"), "{}", new[0].fix);

    let text = seed_with(
        "fullName | String | The customer's full name |",
        "fullName | String | The customer's full name | |\nemail | String | The customer's email |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].what, "field `email` of object `CustomerInfo` is on the page, not in the spec");
    assert_eq!(fix_toml(&new[0].fix)["object"]["field"][0]["wire"].as_str(), Some("email"));
}

#[test]
fn a_service_spanning_several_pay_types_is_one_row_without_a_pay_type() {
    let text = seed_with(
        "service.alipay.web.QRCode | Alipay | ALIPAYCN ALIPAYHK | Alipay online QR code interface |",
        "service.alipay.web.QRCode | Alipay | ALIPAYCN ALIPAYHK | Alipay online QR code interface |\n | WeChat | WECHATCN | |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 2, "{new:#?}");
    assert!(new[0].what.contains("spans the payTypes Alipay, WeChat"), "{new:#?}");
    let line = spec_line("web/services.toml", "name = \"service.alipay.web.QRCode\"", "pay_type = \"Alipay\"");
    assert!(new[0].fix.starts_with(&format!("remove spec/web/services.toml:{line} (pay_type)")), "{}", new[0].fix);
    assert!(new[1].fix.ends_with("wallets = [\"ALIPAYCN\", \"ALIPAYHK\", \"WECHATCN\"]"), "{}", new[1].fix);
}

#[test]
fn a_wire_name_in_another_case_is_a_rename() {
    let text = seed_with(
        "payType | String(6) | Payment type, see supported payType | |",
        "paytype | String(6) | Payment type | |",
    );
    let new = new_differences(&text);
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].what, "field `paytype` is named `payType` in the spec");
    assert!(new[0].fix.ends_with("wire = \"paytype\""), "{}", new[0].fix);
}

#[test]
fn pages_of_the_other_scenes_are_matched_to_their_interfaces() {
    for (page, interface, scene) in [
        ("qrcode_pre_order.txt", "qrcode_pre_order", "qrcode"),
        ("cashier_pre_order.txt", "cashier_pre_order", "cashier"),
        ("app_pre_order.txt", "app_pre_order", "app"),
    ] {
        let report = check(&page_text(page));
        let matched = report.matched.as_ref().unwrap_or_else(|| panic!("{page}: {report}"));
        assert_eq!(
            (matched.interface.as_str(), matched.scenes.as_slice()),
            (interface, &[scene.to_owned()][..]),
            "{page}"
        );
    }
    assert_eq!(check(&page_text("qrcode_pre_order.txt")).verdict(), Verdict::Agree);
}

#[test]
fn a_page_of_an_interface_and_the_one_extending_it_compares_both() {
    // web Refund documents refund and apply_refund (which `extends` it): the ApplyRefund row and
    // notify_url are apply_refund's, not differences.
    let report = check(&page_text("web_refund.txt"));
    let matched = report.matched.as_ref().unwrap();
    assert_eq!((matched.interface.as_str(), matched.related.as_slice()), ("refund", &["apply_refund".to_owned()][..]));
    assert_eq!(report.verdict(), Verdict::Agree, "{report}");
    let text = page_text("web_refund.txt").replace("notify_url | String(240)", "notify_url | String(200)");
    let report = check(&text);
    assert_eq!(report.differences.len(), 1, "{report}");
    let line = spec_line("web/apply_refund.toml", "wire = \"notify_url\"", "max_len = 240");
    assert_eq!(
        report.differences[0].spec.as_ref().map(ToString::to_string),
        Some(format!("spec/web/apply_refund.toml:{line}"))
    );
}

#[test]
fn the_app_page_requirement_column_is_compared_and_its_active_time_length_reported() {
    let report = check(&page_text("app_pre_order.txt"));
    // eftPay's app page types active_time String(240), a length the spec does not keep for a
    // number of seconds: the check reports it rather than deciding.
    assert_eq!(report.differences.len(), 1, "{report}");
    assert!(report.differences[0].what.starts_with("field `active_time` is String(240) on the page"), "{report}");
    let text = page_text("app_pre_order.txt")
        .replace("| Merchant terminal number | Optional |", "| Merchant terminal number | Required |");
    let report = check(&text);
    assert!(
        report.differences.iter().any(|d| d.what == "field `tid` is required on the page, optional in the spec"),
        "{report}"
    );
    let fix = &report.differences.iter().find(|d| d.what.contains("`tid`")).unwrap().fix;
    assert!(fix.ends_with("required = true"), "{fix}");
}

#[test]
fn lower_case_names_choose_the_qrcode_interface_without_a_service_table() {
    let text: String = page_text("qrcode_pre_order.txt").lines().take(20).collect::<Vec<_>>().join("\n");
    assert!(!text.contains("service.alipay"));
    let report = check(&text);
    assert_eq!(report.matched.map(|m| m.interface), Some("qrcode_pre_order".to_owned()));
}

#[test]
fn a_table_cut_off_part_way_is_named_and_what_is_there_compared() {
    let seed = seed();
    let cut = seed.find("service.atome.v2.wap.PreOrder | ATOME").unwrap();
    let text = format!("{}service.atome.v2", &seed[..cut]);
    let report = check(&text);
    assert_eq!(report.matched.as_ref().map(|m| m.interface.as_str()), Some("place_order"), "{report}");
    assert_eq!(report.incomplete.len(), 1, "{report}");
    assert!(report.incomplete[0].starts_with("service table at page line 34"), "{report}");
    assert!(
        report.incomplete[0].contains("ends part way through its row at page line 44, after 8 complete rows"),
        "{report}"
    );
    // Rows after the cut are not reported missing.
    assert!(report.differences.is_empty(), "{report}");

    let report = check(&page_text("cashier_pre_order.txt"));
    assert!(report.incomplete.iter().any(|c| c.contains("ends with `…`")), "{report}");
    assert_eq!(report.verdict(), Verdict::Agree, "{report}");
}

#[test]
fn chinese_pages_are_read_in_both_scripts() {
    let hans = check(&page_text("web_place_order_zh_hans.txt"));
    assert_eq!(hans.verdict(), Verdict::Agree, "{hans}");
    // Its Requirement column says 是 for subject: the spec's assumed `required` is confirmed.
    assert!(!hans.assumptions.iter().any(|a| a.text.contains("every example carries it")), "{hans}");
    let hant = check(&page_text("web_place_order_zh_hant.txt"));
    assert_eq!(hant.verdict(), Verdict::Agree, "{hant}");

    let changed = page_text("web_place_order_zh_hans.txt")
        .replace("77 | 创建【失败】交易 | transaction_amount=0.77", "78 | 创建【失败】交易 | transaction_amount=0.78");
    let report = check(&changed);
    assert_eq!(report.differences.len(), 1, "{report}");
    assert_eq!(report.differences[0].what, "PAYME test amount for `failed`: .78 on the page, .77 in the spec");
    let changed =
        page_text("web_place_order_zh_hant.txt").replace("| WECHATCN WECHATHK | 微信 H5 |", "| WECHATCN | 微信 H5 |");
    let report = check(&changed);
    assert_eq!(report.differences.len(), 1, "{report}");
    assert!(
        report.differences[0].what.contains("service `service.wechat.web.MobileH5`: wallets WECHATCN on the page"),
        "{report}"
    );
    let changed = page_text("web_place_order_zh_hans.txt")
        .replace("body | String(128) | 商品描述 | 否", "body | String(128) | 商品描述 | 是");
    let report = check(&changed);
    assert_eq!(report.differences.len(), 1, "{report}");
    assert_eq!(report.differences[0].what, "field `body` is required on the page, optional in the spec");
}

#[test]
fn a_page_of_no_interface_says_why() {
    let report = check("Something\n{domain}/Servlet/Nothing.do\nName | Type\n---|---\nfoo | String\n");
    assert_eq!(report.verdict(), Verdict::Differ);
    assert!(
        report.unmatched.as_deref().unwrap().contains("no interface has its endpoint /Servlet/Nothing.do"),
        "{report}"
    );
    let report = check("Something\n{domain}/Servlet/JSAPIService.do\nName | Type\n---|---\nfoo | String\nbar | Int\n");
    assert!(report.unmatched.as_deref().unwrap().contains("shares too few field names"), "{report}");
}

#[test]
fn unreadable_pages_say_what_could_not_be_read() {
    for (text, says) in [
        (String::new(), "found no pipe table"),
        ("Place an order\nsome prose\n".to_owned(), "found no pipe table"),
        ("a | b\n---|---\n1 | 2\n".to_owned(), "no table has the columns"),
        ("x\0y".to_owned(), "NUL"),
        ("a".repeat(MAX_PAGE_BYTES + 1), "more than the"),
    ] {
        let report = check(&text);
        assert_eq!(report.verdict(), Verdict::Unreadable);
        let message = report.unreadable.unwrap();
        assert!(message.contains(says), "{message}");
    }
    let report = page::check(Path::new("/nonexistent/spec"), &seed());
    assert_eq!(report.verdict(), Verdict::Unreadable);
}

/// Lines like a page's, shuffled, cut and garbled.
fn page_lines() -> impl Strategy<Value = String> {
    let seed: Vec<String> = seed().lines().map(str::to_owned).collect();
    let line = prop_oneof![
        prop::sample::select(seed),
        "[a-zA-Z_|\\- ()0-9…]{0,40}",
        any::<String>(),
        Just("---|---|".to_owned()),
        Just("service | lang |".to_owned()),
        Just("Decimal Places | Description | Example |".to_owned()),
    ];
    prop::collection::vec(line, 0..60).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_the_check_panic(text in page_lines()) {
        let report = check(&text);
        let _ = report.to_string();
    }

    #[test]
    fn any_prefix_of_the_seed_is_read_without_panic(cut in 0usize..12_000) {
        let seed = seed();
        let mut cut = cut.min(seed.len());
        while !seed.is_char_boundary(cut) {
            cut -= 1;
        }
        let report = check(&seed[..cut]);
        let _ = report.to_string();
    }
}

#[test]
fn a_row_cut_between_its_cells_cuts_its_table() {
    let seed = seed();
    let row = "service.atome.v2.wap.PreOrder | AT";
    let cut = seed.find(row).unwrap() + row.len();
    let text = format!("{}\nTips\n", &seed[..cut]);
    let report = check(&text);
    assert!(
        report.incomplete.iter().any(|c| c.contains("page line 44 has 2 of the 3 cells read, after 8 complete rows")),
        "{report}"
    );
    assert!(!report.differences.iter().any(|d| d.what.contains("service `")), "{report}");
}
