//! `[[test_amount]]`: amounts whose last two decimal digits choose an outcome in a payType's
//! test environment (the PAYME UAT amounts).

use super::Resolver;
use crate::keywords::TEST_OUTCOMES;
use crate::model::TestAmount;
use crate::schema::Document;

impl Resolver<'_> {
    pub(super) fn test_amounts(&mut self, docs: &[(usize, Document)]) {
        let pay_type_id = self.spec.builtin.pay_type;
        for (file, doc) in docs {
            for def in &doc.test_amount {
                let Some(pay_type) = self.value_of(pay_type_id, *file, &def.pay_type, "spec/common/wallets.toml")
                else {
                    continue;
                };
                let Some(cents) = u8::try_from(*def.cents.get_ref()).ok().filter(|c| *c < 100) else {
                    self.err_at(
                        *file,
                        def.cents.span(),
                        "cents are the last two decimal digits, 0 to 99",
                        "write e.g. `cents = 81` for 0.81",
                    );
                    continue;
                };
                let owner = format!("test amount .{cents:02} for {}", def.pay_type.get_ref());
                let Some(outcome) =
                    self.required_keyword(&TEST_OUTCOMES, *file, def.outcome.as_ref(), &owner, def.cents.span())
                else {
                    continue;
                };
                if self.spec.test_amounts.iter().any(|t| t.pay_type == pay_type && t.cents == cents) {
                    self.err_at(
                        *file,
                        def.cents.span(),
                        format!("test amount .{cents:02} for {} is listed twice", def.pay_type.get_ref()),
                        "remove the duplicate",
                    );
                    continue;
                }
                self.spec.test_amounts.push(TestAmount { pay_type, cents, outcome, doc: def.doc.get_ref().clone() });
            }
        }
    }
}
