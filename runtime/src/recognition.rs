//! How a received message is told apart from the others of its kind: the spec's `recognize`
//! tables as data, and the test that picks the most specific rule that holds. Generated code
//! (the `Notification` reader, the catalog's rule tables) and the catalog's lookups use it; it is
//! not part of the public API (reached through `eftpay::__private`).

/// A test on one received field, as the spec states it for telling messages apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldTest {
    /// The field carries a value (`null` and `""` count as absent, as in signing).
    Present,
    /// The field is absent, `null` or empty.
    Absent,
    /// The field carries one of these values.
    OneOf(&'static [&'static str]),
    /// The field is absent or carries none of these values.
    NoneOf(&'static [&'static str]),
}

/// One condition of a recognition rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The field's wire name.
    pub field: &'static str,
    /// What it must satisfy.
    pub test: FieldTest,
}

impl Condition {
    /// Whether `value` (the field's text; `None` when absent or empty) satisfies the condition.
    pub fn holds(&self, value: Option<&str>) -> bool {
        match (self.test, value) {
            (FieldTest::Present, value) => value.is_some(),
            (FieldTest::Absent, value) => value.is_none(),
            (FieldTest::OneOf(values), Some(value)) => values.contains(&value),
            (FieldTest::OneOf(_), None) => false,
            (FieldTest::NoneOf(values), Some(value)) => !values.contains(&value),
            (FieldTest::NoneOf(_), None) => true,
        }
    }
}

/// How one kind of message is recognized among others of its kind (the spec's `recognize`
/// tables): it is that message when every condition of any one alternative holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recognition {
    /// The spec's interface name.
    pub interface: &'static str,
    /// Alternatives; each is a list of conditions that must all hold.
    pub alternatives: &'static [&'static [Condition]],
    /// How specific each alternative is (one rank per alternative, in order): higher ranks
    /// imply lower ones they overlap, so where a body satisfies alternatives of several rules
    /// the highest rank names the message.
    pub specificity: &'static [u16],
}

impl Recognition {
    /// Whether a message whose field texts `text` returns is this one, taken alone.
    pub fn matches<'a>(&self, text: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.rank(text).is_some()
    }

    /// The rank of the most specific alternative that holds, if any.
    fn rank<'a>(&self, text: impl Fn(&str) -> Option<&'a str>) -> Option<u16> {
        self.alternatives
            .iter()
            .zip(self.specificity.iter().copied().chain(core::iter::repeat(0)))
            .filter(|(all, _)| all.iter().all(|condition| condition.holds(text(condition.field))))
            .map(|(_, rank)| rank)
            .max()
    }
}

/// The index of the rule that recognizes the message, if any: where several do, the one with
/// the most specific alternative that holds. The spec's checker proves at compile time that
/// every two alternatives of different rules either never hold together or are strictly
/// ordered (one implies the other), so the most specific is one rule.
pub fn recognize<'a>(rules: &[Recognition], text: impl Fn(&str) -> Option<&'a str> + Copy) -> Option<usize> {
    let mut best: Option<(u16, usize)> = None;
    for (index, rule) in rules.iter().enumerate() {
        if let Some(rank) = rule.rank(text)
            && best.is_none_or(|(top, _)| rank > top)
        {
            best = Some((rank, index));
        }
    }
    best.map(|(_, index)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERAL: Recognition = Recognition {
        interface: "general",
        alternatives: &[&[Condition { field: "notify_type", test: FieldTest::Absent }]],
        specificity: &[0],
    };
    const SPECIFIC: Recognition = Recognition {
        interface: "specific",
        alternatives: &[&[
            Condition { field: "notify_type", test: FieldTest::Absent },
            Condition { field: "scene_type", test: FieldTest::Present },
        ]],
        specificity: &[1],
    };
    const EVERY_BODY: Recognition = Recognition { interface: "every", alternatives: &[&[]], specificity: &[0] };

    fn body<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + Copy {
        move |name| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    #[test]
    fn the_most_specific_rule_that_holds_wins_in_any_order() {
        for rules in [[GENERAL, SPECIFIC], [SPECIFIC, GENERAL]] {
            let specific = rules.iter().position(|r| r.interface == "specific");
            let general = rules.iter().position(|r| r.interface == "general");
            assert_eq!(recognize(&rules, body(&[("scene_type", "H5")])), specific);
            assert_eq!(recognize(&rules, body(&[("out_trade_no", "1")])), general);
            assert_eq!(recognize(&rules, body(&[("notify_type", "x"), ("scene_type", "H5")])), None);
        }
    }

    #[test]
    fn a_rule_without_conditions_holds_for_every_body_and_yields_to_any_other() {
        let rules = [EVERY_BODY, SPECIFIC];
        assert_eq!(recognize(&rules, body(&[])), Some(0));
        assert_eq!(recognize(&rules, body(&[("scene_type", "PUBLIC")])), Some(1));
    }
}
