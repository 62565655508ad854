//! `echo = true` on a notification's field: eftPay sends back what the order's place-order
//! request had in its field of the same wire name (docs/protocol.md §13: jsapi's `scene_type`,
//! `openid`, `sub_openid`). Checked here, once interfaces and scenes are known: the key belongs
//! on notifications only, and every place-order request of the notification's scenes must have
//! the field, or there is nothing to echo.

use super::Resolver;
use crate::model::Purpose;
use crate::schema::Document;

impl Resolver<'_> {
    pub(super) fn echoes_are_in_the_order(&mut self, docs: &[(usize, Document)]) {
        let mut found = Vec::new();
        for (file, doc) in docs {
            let Some(def) = doc.interface.as_ref().map(|d| d.get_ref()) else { continue };
            let name = def.name.get_ref();
            let Some(id) = self.spec.interfaces.iter().position(|i| &i.name == name) else { continue };
            for row in doc.field.iter().map(|r| r.get_ref()) {
                let (Some(echo), Some(wire)) = (&row.echo, &row.wire) else { continue };
                if *echo.get_ref() {
                    found.push((*file, id, wire.get_ref().clone(), echo.span()));
                }
            }
        }
        for (file, id, wire, span) in found {
            let Some(notification) = self.spec.interfaces.get(id) else { continue };
            let name = notification.name.clone();
            if !matches!(notification.purpose, Purpose::PaymentNotification | Purpose::RefundNotification) {
                self.err_at(
                    file,
                    span,
                    format!("`{wire}` of `{name}` is marked echo, but `{name}` is not a notification"),
                    "echo = true says a notification carries the order's value; remove it here",
                );
                continue;
            }
            let orders: Vec<&crate::model::Interface> = self
                .spec
                .scenes
                .iter()
                .filter(|s| s.interfaces.contains(&id))
                .flat_map(|s| s.interfaces.iter())
                .filter_map(|i| self.spec.interfaces.get(*i))
                .filter(|i| i.purpose == Purpose::PlaceOrder)
                .collect();
            let none = orders.is_empty();
            let ty = notification.fields.iter().find(|f| f.wire == wire).map(|f| f.ty);
            let lacking: Vec<String> =
                orders.iter().filter(|o| !o.fields.iter().any(|f| f.wire == wire)).map(|o| o.name.clone()).collect();
            // The value goes out as it came in, so it must read as the notification's field.
            let unlike: Vec<String> = orders
                .iter()
                .filter(|o| o.fields.iter().any(|f| f.wire == wire && Some(f.ty) != ty))
                .map(|o| o.name.clone())
                .collect();
            if none {
                self.err_at(
                    file,
                    span,
                    format!("`{wire}` of `{name}` is marked echo, but no scene of `{name}` has a place-order request"),
                    format!("list `{name}` in a scene with a place_order interface, or remove echo = true"),
                );
                continue;
            }
            if !lacking.is_empty() {
                self.err_at(
                    file,
                    span.clone(),
                    format!(
                        "`{wire}` of `{name}` is marked echo, but the place-order request `{}` has no field `{wire}` to echo",
                        lacking.join("`, `")
                    ),
                    format!("add a `{wire}` field to `{}`, or remove echo = true", lacking.join("`, `")),
                );
            }
            if !unlike.is_empty() {
                self.err_at(
                    file,
                    span,
                    format!(
                        "`{wire}` of `{name}` is marked echo, but its type differs from `{wire}` of the place-order request `{}`",
                        unlike.join("`, `")
                    ),
                    "an echoed value is sent back as it came; give both rows the same type (and enum)",
                );
            }
        }
    }
}
