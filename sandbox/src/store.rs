//! Orders on disk (SQLite), so a sandbox started with a data file keeps its orders across
//! restarts. One row per order, the order as JSON: the sandbox's own format, not eftPay's. A
//! row holds only what the requests said; what the spec says about the order is looked up in
//! the spec served, so loading checks that the orders are of that spec.

use std::path::Path;

use eftpay::catalog::Catalog;
use rusqlite::{Connection, params};

use crate::SandboxError;
use crate::state::Order;

/// The most an order may take in the data file, as JSON: checked before a row is read (so a
/// damaged or foreign file cannot make the sandbox parse without bound) and before one is
/// written (so the sandbox never writes a file it would refuse). An order's fields are bounded
/// by the spec; only its refunds add up, and a thousand of them fit.
pub(crate) const MAX_ORDER_BYTES: usize = 1024 * 1024;

/// The data file.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
}

impl Store {
    /// Opens (or creates) the data file.
    ///
    /// # Errors
    /// The file cannot be opened or is not a sandbox data file.
    pub fn open(path: &Path) -> Result<Store, SandboxError> {
        let connection = Connection::open(path).map_err(|e| data_error(path, &e))?;
        connection
            .execute_batch("CREATE TABLE IF NOT EXISTS orders (eft_trade_no TEXT PRIMARY KEY, json TEXT NOT NULL)")
            .map_err(|e| data_error(path, &e))?;
        Ok(Store { connection })
    }

    /// Every order saved, each checked to be of `catalog`'s spec.
    ///
    /// # Errors
    /// A row that cannot be read, is over [`MAX_ORDER_BYTES`], or names a service row or
    /// interface `catalog` does not have (the file was written under another spec).
    pub fn load(&self, catalog: &Catalog) -> Result<Vec<Order>, SandboxError> {
        // SQLite measures each row; its text is only handed over, and parsed, within bounds.
        let mut statement = self
            .connection
            .prepare(
                "SELECT eft_trade_no, octet_length(json), CASE WHEN octet_length(json) <= ?1 THEN json END \
                 FROM orders ORDER BY eft_trade_no",
            )
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        let rows = statement
            .query_map([i64::try_from(MAX_ORDER_BYTES).unwrap_or(i64::MAX)], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, row.get::<_, Option<String>>(2)?))
            })
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        let mut orders = Vec::new();
        for row in rows {
            let (eft_trade_no, bytes, json) = row.map_err(|e| SandboxError::DataFile(e.to_string()))?;
            let json = json.ok_or_else(|| {
                SandboxError::DataFile(format!(
                    "order {eft_trade_no} takes {bytes} bytes, more than the {MAX_ORDER_BYTES} an order may; the \
                     file was not written by this sandbox or is damaged: start with another data file"
                ))
            })?;
            let order: Order = serde_json::from_str(&json).map_err(|e| {
                SandboxError::DataFile(format!(
                    "order {eft_trade_no} is unreadable ({e}); the file was written by another version of the \
                     sandbox or is damaged: start with another data file"
                ))
            })?;
            of_spec(catalog, &order)?;
            orders.push(order);
        }
        Ok(orders)
    }

    /// Saves one order (insert or replace).
    ///
    /// # Errors
    /// The order is over [`MAX_ORDER_BYTES`], or the write failed.
    pub fn save(&self, order: &Order) -> Result<(), SandboxError> {
        let json = serde_json::to_string(order).map_err(|e| SandboxError::DataFile(e.to_string()))?;
        if json.len() > MAX_ORDER_BYTES {
            return Err(SandboxError::DataFile(format!(
                "order {} has grown to {} bytes, more than the {MAX_ORDER_BYTES} an order may take; it was not \
                 saved: refund it in fewer, larger refunds",
                order.eft_trade_no,
                json.len()
            )));
        }
        self.connection
            .execute(
                "INSERT OR REPLACE INTO orders (eft_trade_no, json) VALUES (?1, ?2)",
                params![order.eft_trade_no, json],
            )
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        Ok(())
    }
}

/// Whether `order` is of `catalog`'s spec: its service row is a row of it, and each refund's
/// interface (and row, when one served it) is of it. Checked on loading, since everything the
/// sandbox does with an order — notify it, refund it, return the payer — is looked up in the
/// spec by those names.
fn of_spec(catalog: &Catalog, order: &Order) -> Result<(), SandboxError> {
    let foreign = |what: &str, name: &str| {
        SandboxError::DataFile(format!(
            "order {} names {what} {name}, which the spec this sandbox serves does not have; the file was written \
             under another spec: start with that spec, or with another data file",
            order.eft_trade_no
        ))
    };
    if order.placed_through(catalog).is_none() {
        return Err(foreign("service", &order.service));
    }
    for refund in &order.refunds {
        if refund.asked_through(catalog).is_none() {
            return Err(foreign("interface", &refund.interface));
        }
        if let Some(service) = refund.service.as_deref().filter(|_| refund.row(catalog).is_none()) {
            return Err(foreign("service", service));
        }
    }
    Ok(())
}

fn data_error(path: &Path, error: &rusqlite::Error) -> SandboxError {
    SandboxError::DataFile(format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use eftpay::rules::Purpose;
    use eftpay::{Amount, CATALOG, HkTime};

    use super::*;
    use crate::state::{Ledger, NewOrder, OrderState, RefundAsk};

    fn store() -> Store {
        Store::open(Path::new(":memory:")).unwrap()
    }

    /// A paid order of `service`, refunded once through `refund_interface`.
    fn order(service: &str, refund_interface: &str) -> Order {
        let now = HkTime::parse_compact("20261126120000").unwrap();
        let mut ledger = Ledger::default();
        let new = NewOrder {
            out_trade_no: "rrn_1".into(),
            service: service.into(),
            amount: Amount::from_cents(100),
            subject: Some("Coffee".into()),
            fingerprint: "f".into(),
            ..NewOrder::default()
        };
        let eft = ledger.place(new, now).unwrap().0.eft_trade_no.clone();
        ledger.settle(&eft, OrderState::Paid, None, now).unwrap();
        let ask = RefundAsk {
            out_trade_no: Some("rrn_1".into()),
            amount: Amount::from_cents(30),
            refund_no: "rf_1".into(),
            interface: refund_interface.into(),
            ..RefundAsk::default()
        };
        ledger.refund(ask, |_| true, |_| None, now).unwrap().0.clone()
    }

    fn of_the_spec() -> Order {
        let place = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        let refund = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::Refund).unwrap();
        order(CATALOG.services_of(place.name).next().unwrap().name, refund.name)
    }

    fn rows(store: &Store) -> i64 {
        store.connection.query_row("SELECT count(*) FROM orders", [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn a_saved_order_loads_back_as_it_was() {
        let store = store();
        let order = of_the_spec();
        store.save(&order).unwrap();
        assert_eq!(store.load(&CATALOG).unwrap(), vec![order]);
    }

    #[test]
    fn refuses_an_order_row_over_the_size_limit_before_reading_it() {
        let store = store();
        // Not JSON either: had it been parsed, the refusal would say it is unreadable.
        let huge = "x".repeat(MAX_ORDER_BYTES + 1);
        store.connection.execute("INSERT INTO orders VALUES ('SBX1', ?1)", [huge]).unwrap();
        let error = store.load(&CATALOG).unwrap_err().to_string();
        assert!(error.contains(&format!("takes {} bytes", MAX_ORDER_BYTES + 1)), "{error}");
        // At the limit, the row is read (and refused as what it is).
        let store = self::store();
        store.connection.execute("INSERT INTO orders VALUES ('SBX1', ?1)", ["x".repeat(MAX_ORDER_BYTES)]).unwrap();
        assert!(store.load(&CATALOG).unwrap_err().to_string().contains("unreadable"));
    }

    #[test]
    fn never_saves_an_order_it_would_refuse_to_load() {
        let store = store();
        let mut order = of_the_spec();
        order.subject = Some("x".repeat(MAX_ORDER_BYTES));
        let error = store.save(&order).unwrap_err().to_string();
        assert!(error.contains("was not saved"), "{error}");
        assert_eq!(rows(&store), 0);
    }

    #[test]
    fn refuses_a_data_file_written_under_another_spec() {
        let spec = of_the_spec();
        let foreign_row = order("service.of.another.spec", &spec.refunds[0].interface);
        let foreign_refund = Order {
            refunds: vec![crate::state::Refund {
                interface: "refund_of_another_spec".into(),
                ..spec.refunds[0].clone()
            }],
            ..spec.clone()
        };
        let foreign_refund_row = Order {
            refunds: vec![crate::state::Refund {
                service: Some("refund.of.another.spec".into()),
                ..spec.refunds[0].clone()
            }],
            ..spec
        };
        for (order, name) in [
            (foreign_row, "service.of.another.spec"),
            (foreign_refund, "refund_of_another_spec"),
            (foreign_refund_row, "refund.of.another.spec"),
        ] {
            let store = store();
            store.save(&order).unwrap();
            let error = store.load(&CATALOG).unwrap_err().to_string();
            assert!(error.contains(name) && error.contains("another spec"), "{error}");
        }
    }
}
