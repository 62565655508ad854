//! The data file (SQLite), so a sandbox started with one keeps its books across restarts and
//! crashes. The file is the truth: every change the books make is committed here first, in one
//! transaction (with the changes of the other requests of its group: [`Store::group`],
//! `writer.rs`), and nothing reads it in memory before that commit ([`books`](crate::books)).
//!
//! Schema version 2 (`PRAGMA user_version`): orders, refunds and the delivery log in their own
//! tables, each row the sandbox's own JSON (not eftPay's) beside the columns it is looked up by.
//! A row holds only what the requests said; what the spec says about it is looked up in the
//! spec served, so loading checks that the rows are of that spec. A file of version 1 (one row
//! per order with its refunds inside, written before 0.2) is migrated when opened, in one
//! transaction; a newer version is refused, naming it.
//!
//! The sandbox holds the file exclusively while it runs (`locking_mode = EXCLUSIVE`): no other
//! program writes it behind the books' back, and no lock is taken and released per
//! transaction. A second sandbox on the same file is refused at start, by name.
//!
//! Durability (docs/RELIABILITY.md): WAL journal, `synchronous = NORMAL`. A commit is in the
//! write-ahead log before the request is answered, so a killed sandbox (`kill -9`, a panic)
//! loses nothing it acknowledged; a power cut or OS crash can lose the last commits before the
//! log was synced to the disk (SQLite syncs it at each checkpoint), never the file's
//! consistency.
//!
//! Order and refund numbers come from sequences persisted here: each row keeps its sequence
//! number as its primary key and rows are never deleted, so the next number after a restart is
//! the highest committed plus one, and a number can never be given twice (an insert never
//! replaces a row).

use std::path::Path;

use eftpay::catalog::Catalog;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::SandboxError;
use crate::books::Change;
use crate::notifier::Delivery;
use crate::state::{Order, Refund};

/// The schema this sandbox writes.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// The most a row (an order, a refund, a delivery) may take in the data file, as JSON: checked
/// before a row is read (so a damaged or foreign file cannot make the sandbox parse without
/// bound) and before one is written (so the sandbox never writes a file it would refuse). The
/// fields of each are bounded by the spec, far below this.
pub(crate) const MAX_ROW_BYTES: usize = 64 * 1024;

/// The most a version-1 order row (an order with all its refunds) may take when migrated: the
/// limit version 1 wrote under.
const MAX_V1_ORDER_BYTES: usize = 1024 * 1024;

const SCHEMA: &str = "
    CREATE TABLE orders (
        seq INTEGER PRIMARY KEY,
        eft_trade_no TEXT NOT NULL UNIQUE,
        out_trade_no TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL
    );
    CREATE TABLE refunds (
        seq INTEGER PRIMARY KEY,
        refund_trade_no TEXT NOT NULL UNIQUE,
        eft_trade_no TEXT NOT NULL,
        refund_no TEXT NOT NULL,
        json TEXT NOT NULL,
        UNIQUE (eft_trade_no, refund_no)
    );
    CREATE TABLE deliveries (id INTEGER PRIMARY KEY, json TEXT NOT NULL);
    PRAGMA user_version = 2;
";

/// What a data file holds.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every order, in the order placed.
    pub orders: Vec<Order>,
    /// Every refund, in the order made.
    pub refunds: Vec<Refund>,
    /// The latest delivery attempts kept, oldest first.
    pub deliveries: Vec<Delivery>,
    /// The highest delivery id the file has given.
    pub last_delivery: u64,
}

/// Why a change was not committed: nothing of it was written.
#[derive(Debug, thiserror::Error)]
#[error("the sandbox's data file refused the change ({0}); nothing was saved or changed: try again")]
pub struct CommitError(String);

impl CommitError {
    /// The failure the `fail_writes` fault injects.
    pub(crate) fn injected() -> CommitError {
        CommitError("sandbox fault: the write failed".into())
    }
}

/// The data file.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
}

impl Store {
    /// Opens (or creates) the data file, migrating a version-1 file to the current schema.
    ///
    /// # Errors
    /// The file cannot be opened, is not a sandbox data file, is of a newer schema, or a
    /// version-1 file could not be migrated (it is left as it was).
    pub fn open(path: &Path) -> Result<Store, SandboxError> {
        let fail = |e: rusqlite::Error| SandboxError::DataFile(format!("{}: {e}", path.display()));
        let mut connection = Connection::open(path).map_err(fail)?;
        let in_use = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                SandboxError::DataFile(format!(
                    "{} is in use by another sandbox (or another program); stop it, or start with another data file",
                    path.display()
                ))
            }
            _ => fail(e),
        };
        connection
            .execute_batch(
                // A page cache of 64 MiB (SQLite's default is 2 MiB) holds the merchant-number
                // index of a million orders, whose keys arrive in no order: inserts stay
                // at the cost of the first.
                "PRAGMA busy_timeout = 1000; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
            )
            .map_err(in_use)?;
        // The first read (in WAL mode, the first statement) takes the file's lock, held until the
        // sandbox stops.
        let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(in_use)?;
        let tables: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |row| row.get(0))
            .map_err(fail)?;
        match (version, tables) {
            (SCHEMA_VERSION, _) => {}
            (0, 0) => connection.execute_batch(SCHEMA).map_err(fail)?,
            (0, _) if is_version_1(&connection).map_err(fail)? => migrate_from_version_1(&mut connection, path)?,
            (0, _) => {
                return Err(SandboxError::DataFile(format!(
                    "{} is an SQLite file but not a sandbox data file; start with another data file",
                    path.display()
                )));
            }
            (newer, _) => {
                return Err(SandboxError::DataFile(format!(
                    "{} is of schema version {newer}, written by a newer sandbox (this one reads version \
                     {SCHEMA_VERSION}); use that sandbox, or start with another data file",
                    path.display()
                )));
            }
        }
        Ok(Store { connection })
    }

    /// Everything saved, each row checked to be of `catalog`'s spec.
    ///
    /// # Errors
    /// A row that cannot be read, is over [`MAX_ROW_BYTES`], or names a service row or
    /// interface `catalog` does not have (the file was written under another spec).
    pub fn load(&self, catalog: &Catalog, deliveries_kept: usize) -> Result<Loaded, SandboxError> {
        let orders: Vec<Order> = self.rows("orders", "eft_trade_no", "seq", usize::MAX)?;
        for order in &orders {
            order_of_spec(catalog, order)?;
        }
        let refunds: Vec<Refund> = self.rows("refunds", "refund_trade_no", "seq", usize::MAX)?;
        for refund in &refunds {
            refund_of_spec(catalog, refund)?;
        }
        let mut deliveries: Vec<Delivery> = self.rows("deliveries", "id", "id DESC", deliveries_kept)?;
        deliveries.reverse();
        let last_delivery = deliveries.last().map_or(0, |d| d.id);
        Ok(Loaded { orders, refunds, deliveries, last_delivery })
    }

    /// The rows of `table` as JSON, each measured before it is read.
    fn rows<T: serde::de::DeserializeOwned>(
        &self,
        table: &str,
        key: &str,
        order_by: &str,
        limit: usize,
    ) -> Result<Vec<T>, SandboxError> {
        let error = |e: rusqlite::Error| SandboxError::DataFile(e.to_string());
        // SQLite measures each row; its text is only handed over, and parsed, within bounds.
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT {key}, octet_length(json), CASE WHEN octet_length(json) <= ?1 THEN json END \
                 FROM {table} ORDER BY {order_by} LIMIT ?2"
            ))
            .map_err(error)?;
        let bound = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let mut rows = statement.query([bound(MAX_ROW_BYTES), bound(limit)]).map_err(error)?;
        let mut read = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            // Parsed from SQLite's own buffer: no copy of the text.
            let Some(json) = row.get_ref(2).map_err(error)?.as_str_or_null().map_err(|e| error(e.into()))? else {
                let (key, bytes) =
                    (row.get::<_, rusqlite::types::Value>(0).map_err(error)?, row.get::<_, i64>(1).map_err(error)?);
                return Err(SandboxError::DataFile(format!(
                    "{table} row {key:?} takes {bytes} bytes, more than the {MAX_ROW_BYTES} a row may; the file \
                     was not written by this sandbox or is damaged: start with another data file"
                )));
            };
            read.push(serde_json::from_str(json).map_err(|e| {
                let key = row.get::<_, rusqlite::types::Value>(0).ok();
                SandboxError::DataFile(format!(
                    "{table} row {key:?} is unreadable ({e}); the file was written by another version of the \
                     sandbox or is damaged: start with another data file"
                ))
            })?);
        }
        Ok(read)
    }

    /// Commits `change` as one transaction: all of it or, on any error, none of it. `fail`
    /// makes it fail after writing, as a full disk would (the sandbox's `fail_writes` fault):
    /// the transaction is rolled back.
    ///
    /// # Errors
    /// A row over [`MAX_ROW_BYTES`], a new row whose numbers are taken, or the write failed.
    pub fn commit(&mut self, change: &Change, fail: bool) -> Result<(), CommitError> {
        let transaction = self.connection.transaction().map_err(|e| CommitError(e.to_string()))?;
        write(&transaction, change)?;
        if fail {
            // Dropping the transaction rolls it back.
            return Err(CommitError::injected());
        }
        transaction.commit().map_err(|e| CommitError(e.to_string()))
    }

    /// Starts a group commit: one transaction that the changes of several requests are written
    /// into, each all or nothing ([`Group::write`]), and that commits them together
    /// ([`Group::commit`]) or none of them.
    ///
    /// # Errors
    /// The transaction could not begin.
    pub fn group(&mut self) -> Result<Group<'_>, CommitError> {
        let transaction = self.connection.transaction().map_err(|e| CommitError(e.to_string()))?;
        Ok(Group { transaction })
    }

    /// Appends a delivery attempt to the log, keeping the latest `kept`.
    ///
    /// # Errors
    /// The row is over [`MAX_ROW_BYTES`], or the write failed.
    pub fn log_delivery(&mut self, delivery: &Delivery, kept: usize) -> Result<(), CommitError> {
        let error = |e: rusqlite::Error| CommitError(e.to_string());
        let json = row_json(delivery, &delivery.eft_trade_no)?;
        let transaction = self.connection.transaction().map_err(error)?;
        transaction
            .prepare_cached("INSERT INTO deliveries (json) VALUES (?1)")
            .map_err(error)?
            .execute([json])
            .map_err(error)?;
        let last = transaction.last_insert_rowid();
        let keep_from = last.saturating_sub(i64::try_from(kept).unwrap_or(i64::MAX));
        // Only the row (or few) that fell out of the window: the log's ids are consecutive.
        transaction
            .prepare_cached("DELETE FROM deliveries WHERE id <= ?1")
            .map_err(error)?
            .execute([keep_from])
            .map_err(error)?;
        transaction.commit().map_err(error)
    }
}

/// The transaction of a group commit ([`Store::group`]): dropped without
/// [`commit`](Group::commit), nothing of it is saved.
#[derive(Debug)]
pub struct Group<'a> {
    transaction: Transaction<'a>,
}

impl Group<'_> {
    /// Writes one request's change into the group, all of it or (on an error) none of it, the
    /// changes written before it kept.
    ///
    /// # Errors
    /// A row over [`MAX_ROW_BYTES`], a new row whose numbers are taken, or the write failed.
    pub fn write(&mut self, change: &Change) -> Result<(), CommitError> {
        if change.is_empty() {
            return Ok(());
        }
        // A savepoint per change: one request's failed row takes back its own rows only.
        let savepoint = self.transaction.savepoint().map_err(|e| CommitError(e.to_string()))?;
        write(&savepoint, change)?;
        savepoint.commit().map_err(|e| CommitError(e.to_string()))
    }

    /// Commits every change written; `fail` makes it fail instead, as a full disk would (the
    /// sandbox's `fail_writes` fault): nothing is saved.
    ///
    /// # Errors
    /// The commit failed (nothing of the group was saved).
    pub fn commit(self, fail: bool) -> Result<(), CommitError> {
        if fail {
            // Dropping the transaction rolls it back.
            return Err(CommitError::injected());
        }
        self.transaction.commit().map_err(|e| CommitError(e.to_string()))
    }
}

/// Writes `change`'s rows inside `transaction`: new rows inserted (never replacing one), changed
/// rows updated in place.
fn write(transaction: &Connection, change: &Change) -> Result<(), CommitError> {
    for (order, new) in &change.orders {
        let json = row_json(order, &order.eft_trade_no)?;
        let sql = if *new {
            "INSERT INTO orders (seq, eft_trade_no, out_trade_no, json) VALUES (?1, ?2, ?3, ?4)"
        } else {
            "UPDATE orders SET json = ?4 WHERE seq = ?1 AND eft_trade_no = ?2 AND out_trade_no = ?3"
        };
        write_one(transaction, sql, params![seq(order.seq)?, order.eft_trade_no, order.out_trade_no, json])?;
    }
    for (refund, new) in &change.refunds {
        let json = row_json(refund, &refund.refund_trade_no)?;
        let sql = if *new {
            "INSERT INTO refunds (seq, refund_trade_no, eft_trade_no, refund_no, json) VALUES (?1, ?2, ?3, ?4, ?5)"
        } else {
            "UPDATE refunds SET json = ?5 WHERE seq = ?1 AND refund_trade_no = ?2 AND eft_trade_no = ?3 AND refund_no = ?4"
        };
        let values = params![seq(refund.seq)?, refund.refund_trade_no, refund.eft_trade_no, refund.refund_no, json];
        write_one(transaction, sql, values)?;
    }
    Ok(())
}

/// Whether `order` is of `catalog`'s spec: its service row is a row of it. Checked on loading,
/// since everything the sandbox does with an order — notify it, refund it, return the payer —
/// is looked up in the spec by that name.
fn order_of_spec(catalog: &Catalog, order: &Order) -> Result<(), SandboxError> {
    match order.placed_through(catalog) {
        Some(_) => Ok(()),
        None => Err(foreign(&order.eft_trade_no, "service", &order.service)),
    }
}

/// Whether `refund` is of `catalog`'s spec: its interface (and row, when one served it) is of it.
fn refund_of_spec(catalog: &Catalog, refund: &Refund) -> Result<(), SandboxError> {
    if refund.asked_through(catalog).is_none() {
        return Err(foreign(&refund.eft_trade_no, "interface", &refund.interface));
    }
    match refund.service.as_deref().filter(|_| refund.row(catalog).is_none()) {
        Some(service) => Err(foreign(&refund.eft_trade_no, "service", service)),
        None => Ok(()),
    }
}

fn foreign(eft_trade_no: &str, what: &str, name: &str) -> SandboxError {
    SandboxError::DataFile(format!(
        "order {eft_trade_no} names {what} {name}, which the spec this sandbox serves does not have; the file was \
         written under another spec: start with that spec, or with another data file"
    ))
}

/// A row as JSON, within [`MAX_ROW_BYTES`].
fn row_json(row: &impl serde::Serialize, key: &str) -> Result<String, CommitError> {
    let json = serde_json::to_string(row).map_err(|e| CommitError(e.to_string()))?;
    if json.len() > MAX_ROW_BYTES {
        return Err(CommitError(format!(
            "{key} would take {} bytes, more than the {MAX_ROW_BYTES} a row may; shorten what the request carries",
            json.len()
        )));
    }
    Ok(json)
}

fn seq(seq: u64) -> Result<i64, CommitError> {
    i64::try_from(seq).map_err(|_| CommitError(format!("sequence number {seq} is past what the file stores")))
}

/// Runs a statement that must write exactly one row.
fn write_one(transaction: &Connection, sql: &str, values: &[&dyn rusqlite::ToSql]) -> Result<(), CommitError> {
    let written = transaction
        .prepare_cached(sql)
        .and_then(|mut statement| statement.execute(values))
        .map_err(|e| CommitError(e.to_string()))?;
    if written == 1 {
        Ok(())
    } else {
        Err(CommitError(format!("{written} rows matched where one was expected; the file changed under the sandbox")))
    }
}

/// Whether the file is a version-1 sandbox data file: one table `orders (eft_trade_no, json)`.
fn is_version_1(connection: &Connection) -> rusqlite::Result<bool> {
    let sql: Option<String> = connection
        .query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'orders'", [], |row| row.get(0))
        .optional()?;
    Ok(sql.is_some_and(|sql| sql.contains("eft_trade_no TEXT PRIMARY KEY, json TEXT NOT NULL")))
}

/// Moves a version-1 file's orders and their refunds into the version-2 tables, numbering them
/// in the order of their numbers; one transaction, so a failure leaves the file as it was.
fn migrate_from_version_1(connection: &mut Connection, path: &Path) -> Result<(), SandboxError> {
    let fail = |what: String| {
        SandboxError::DataFile(format!(
            "{}: migrating the version-1 file failed ({what}); it was left as it was: use the sandbox that wrote \
             it, or start with another data file",
            path.display()
        ))
    };
    let sql = |e: rusqlite::Error| fail(e.to_string());
    let transaction = connection.transaction().map_err(sql)?;
    transaction.execute_batch(&format!("ALTER TABLE orders RENAME TO orders_v1; {SCHEMA}")).map_err(sql)?;
    let rows: Vec<(String, Option<String>)> = {
        let mut statement = transaction
            .prepare(
                "SELECT eft_trade_no, CASE WHEN octet_length(json) <= ?1 THEN json END \
                 FROM orders_v1 ORDER BY eft_trade_no",
            )
            .map_err(sql)?;
        let rows = statement
            .query_map([i64::try_from(MAX_V1_ORDER_BYTES).unwrap_or(i64::MAX)], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)?
    };
    let mut change = Change::default();
    let mut refund_seq = 0;
    for (order_seq, (eft_trade_no, json)) in (1..).zip(rows) {
        let json = json.ok_or_else(|| fail(format!("order {eft_trade_no} is over {MAX_V1_ORDER_BYTES} bytes")))?;
        let mut value: serde_json::Value =
            serde_json::from_str(&json).map_err(|e| fail(format!("order {eft_trade_no}: {e}")))?;
        let refunds = value.as_object_mut().and_then(|o| o.remove("refunds")).unwrap_or_default();
        let mut order: Order = serde_json::from_value(value).map_err(|e| fail(format!("order {eft_trade_no}: {e}")))?;
        order.seq = order_seq;
        let refunds: Vec<Refund> =
            serde_json::from_value(refunds).map_err(|e| fail(format!("refunds of order {eft_trade_no}: {e}")))?;
        for mut refund in refunds {
            refund_seq += 1;
            refund.seq = refund_seq;
            refund.eft_trade_no.clone_from(&order.eft_trade_no);
            order.refunded = order.refunded.checked_add(refund.amount).unwrap_or(order.amount);
            order.refund_count = order.refund_count.saturating_add(1);
            change.refunds.push((refund, true));
        }
        change.orders.push((order, true));
    }
    write(&transaction, &change).map_err(|e| fail(e.0))?;
    transaction.execute_batch("DROP TABLE orders_v1").map_err(sql)?;
    transaction.commit().map_err(sql)
}

#[cfg(test)]
mod tests {
    use eftpay::rules::Purpose;
    use eftpay::{Amount, CATALOG};

    use super::*;
    use crate::notifier::DeliveryOutcome;
    use crate::state::{OrderState, RefundState};

    fn store() -> Store {
        Store::open(Path::new(":memory:")).unwrap()
    }

    /// A paid order of a row of the spec, and a refund of it through a refund interface.
    fn of_the_spec() -> (Order, Refund) {
        let place = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        let refund = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::Refund).unwrap();
        let order = Order {
            state: OrderState::Paid,
            refunded: Amount::from_cents(30),
            refund_count: 1,
            ..Order::example(CATALOG.services_of(place.name).next().unwrap().name)
        };
        let refund = Refund {
            eft_trade_no: order.eft_trade_no.clone(),
            seq: 1,
            refund_no: "rf_1".into(),
            amount: Amount::from_cents(30),
            state: RefundState::Done,
            interface: refund.name.into(),
            service: None,
            notify_url: None,
            refund_trade_no: "SBXRF1".into(),
            created: 0,
            notified: false,
        };
        (order, refund)
    }

    fn new_rows(order: &Order, refund: &Refund) -> Change {
        Change { orders: vec![(order.clone(), true)], refunds: vec![(refund.clone(), true)] }
    }

    fn count(store: &Store, table: &str) -> i64 {
        store.connection.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn committed_rows_load_back_as_they_were() {
        let mut store = store();
        let (order, refund) = of_the_spec();
        store.commit(&new_rows(&order, &refund), false).unwrap();
        let notified = Order { notified: true, ..order.clone() };
        store.commit(&Change { orders: vec![(notified.clone(), false)], refunds: Vec::new() }, false).unwrap();
        let loaded = store.load(&CATALOG, 10).unwrap();
        assert_eq!((loaded.orders, loaded.refunds), (vec![notified], vec![refund]));
    }

    #[test]
    fn the_values_an_order_echoes_are_kept_in_its_row_and_rows_without_them_still_load() {
        let mut store = store();
        let (order, _) = of_the_spec();
        let echoed = [("a_field".to_owned(), "its value".to_owned())].into_iter().collect();
        let echoing = Order { echoed, ..order.clone() };
        store.commit(&Change { orders: vec![(echoing.clone(), true)], refunds: Vec::new() }, false).unwrap();
        assert_eq!(store.load(&CATALOG, 10).unwrap().orders, vec![echoing]);
        // A row written before orders kept echoed values has no such key: it loads with none.
        let mut json = serde_json::to_value(&order).unwrap();
        assert!(json.as_object_mut().unwrap().remove("echoed").is_none(), "an order that echoes nothing writes no key");
        let read: Order = serde_json::from_value(json).unwrap();
        assert_eq!(read, order);
        assert!(read.echoed.is_empty());
    }

    #[test]
    fn a_failed_commit_writes_nothing() {
        let mut store = store();
        let (order, refund) = of_the_spec();
        assert!(store.commit(&new_rows(&order, &refund), true).is_err());
        assert_eq!((count(&store, "orders"), count(&store, "refunds")), (0, 0));
        // Half a change is none of it: the refund's row is refused (over the limit) after the
        // order's was written.
        let huge = Refund { notify_url: Some("x".repeat(MAX_ROW_BYTES)), ..refund };
        assert!(store.commit(&new_rows(&order, &huge), false).is_err());
        assert_eq!((count(&store, "orders"), count(&store, "refunds")), (0, 0));
    }

    #[test]
    fn a_new_row_never_replaces_one() {
        let mut store = store();
        let (order, refund) = of_the_spec();
        store.commit(&new_rows(&order, &refund), false).unwrap();
        let same_number = Order { seq: 2, out_trade_no: "rrn_2".into(), ..order.clone() };
        let error = store.commit(&Change { orders: vec![(same_number, true)], refunds: Vec::new() }, false);
        assert!(error.unwrap_err().to_string().contains("UNIQUE"));
        let same_seq = Order { eft_trade_no: "SBX2".into(), out_trade_no: "rrn_2".into(), ..order.clone() };
        assert!(store.commit(&Change { orders: vec![(same_seq, true)], refunds: Vec::new() }, false).is_err());
        assert_eq!(store.load(&CATALOG, 10).unwrap().orders, vec![order]);
    }

    #[test]
    fn refuses_a_row_over_the_size_limit_before_reading_it() {
        let store = store();
        // Not JSON either: had it been parsed, the refusal would say it is unreadable.
        let huge = "x".repeat(MAX_ROW_BYTES + 1);
        store.connection.execute("INSERT INTO orders VALUES (1, 'SBX1', 'rrn_1', ?1)", [huge]).unwrap();
        let error = store.load(&CATALOG, 10).unwrap_err().to_string();
        assert!(error.contains(&format!("takes {} bytes", MAX_ROW_BYTES + 1)), "{error}");
        // At the limit, the row is read (and refused as what it is).
        let store = self::store();
        store
            .connection
            .execute("INSERT INTO orders VALUES (1, 'SBX1', 'rrn_1', ?1)", ["x".repeat(MAX_ROW_BYTES)])
            .unwrap();
        assert!(store.load(&CATALOG, 10).unwrap_err().to_string().contains("unreadable"));
    }

    #[test]
    fn never_writes_a_row_it_would_refuse_to_load() {
        let mut store = store();
        let (order, refund) = of_the_spec();
        let order = Order { subject: Some("x".repeat(MAX_ROW_BYTES)), ..order };
        let error = store.commit(&new_rows(&order, &refund), false).unwrap_err().to_string();
        assert!(error.contains("a row may"), "{error}");
        assert_eq!(count(&store, "orders"), 0);
    }

    #[test]
    fn refuses_a_data_file_written_under_another_spec() {
        let (order, refund) = of_the_spec();
        for (order, refund, name) in [
            (
                Order { service: "service.of.another.spec".into(), ..order.clone() },
                refund.clone(),
                "service.of.another.spec",
            ),
            (
                order.clone(),
                Refund { interface: "refund_of_another_spec".into(), ..refund.clone() },
                "refund_of_another_spec",
            ),
            (
                order.clone(),
                Refund { service: Some("refund.of.another.spec".into()), ..refund.clone() },
                "refund.of.another.spec",
            ),
        ] {
            let mut store = store();
            store.commit(&new_rows(&order, &refund), false).unwrap();
            let error = store.load(&CATALOG, 10).unwrap_err().to_string();
            assert!(error.contains(name) && error.contains("another spec"), "{error}");
        }
    }

    #[test]
    fn the_delivery_log_keeps_the_latest() {
        let mut store = store();
        for attempt in 1..=5 {
            let delivery = Delivery {
                id: u64::from(attempt),
                url: "http://127.0.0.1:9/notify".into(),
                interface: "some_notification".into(),
                eft_trade_no: "SBX1".into(),
                out_trade_no: "rrn_1".into(),
                refund_no: None,
                attempt,
                outcome: DeliveryOutcome::Dropped,
            };
            store.log_delivery(&delivery, 3).unwrap();
        }
        assert_eq!(count(&store, "deliveries"), 3);
        let attempts: Vec<u32> = store.load(&CATALOG, 2).unwrap().deliveries.iter().map(|d| d.attempt).collect();
        assert_eq!(attempts, [4, 5], "the latest, oldest first");
    }

    fn file(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("eftpay-sandbox-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("sandbox.db")
    }

    #[test]
    fn a_version_1_file_is_migrated_with_its_refunds_in_their_own_table() {
        let path = file("v1");
        let (order, refund) = of_the_spec();
        // Version 1: one row per order, its refunds inside, no sequence numbers.
        let mut v1 = serde_json::to_value(Order { refunded: Amount::ZERO, refund_count: 0, ..order.clone() }).unwrap();
        let object = v1.as_object_mut().unwrap();
        for gone in ["seq", "refunded", "refund_count"] {
            object.remove(gone);
        }
        let mut v1_refund = serde_json::to_value(&refund).unwrap();
        v1_refund.as_object_mut().unwrap().remove("eft_trade_no");
        v1_refund.as_object_mut().unwrap().remove("seq");
        object.insert("refunds".into(), serde_json::Value::Array(vec![v1_refund]));
        {
            let connection = Connection::open(&path).unwrap();
            connection
                .execute_batch("CREATE TABLE orders (eft_trade_no TEXT PRIMARY KEY, json TEXT NOT NULL)")
                .unwrap();
            connection
                .execute("INSERT INTO orders VALUES (?1, ?2)", params![order.eft_trade_no, v1.to_string()])
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let loaded = store.load(&CATALOG, 10).unwrap();
        assert_eq!((loaded.orders, loaded.refunds), (vec![order], vec![refund]));
        let version: i64 = store.connection.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn a_version_1_file_that_cannot_be_migrated_is_left_as_it_was() {
        let path = file("v1-bad");
        {
            let connection = Connection::open(&path).unwrap();
            connection
                .execute_batch("CREATE TABLE orders (eft_trade_no TEXT PRIMARY KEY, json TEXT NOT NULL)")
                .unwrap();
            connection.execute("INSERT INTO orders VALUES ('SBX1', 'not json')", []).unwrap();
        }
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains("left as it was") && error.contains("SBX1"), "{error}");
        let connection = Connection::open(&path).unwrap();
        let rows: i64 = connection.query_row("SELECT count(*) FROM orders", [], |row| row.get(0)).unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn a_file_another_sandbox_holds_is_refused_by_name() {
        let path = file("held");
        let _first = Store::open(&path).unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains("in use by another sandbox"), "{error}");
    }

    #[test]
    fn a_newer_or_foreign_file_is_refused_by_name() {
        let path = file("newer");
        Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 9").unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains("schema version 9"), "{error}");
        let path = file("foreign");
        Connection::open(&path).unwrap().execute_batch("CREATE TABLE recipes (name TEXT)").unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains("not a sandbox data file"), "{error}");
    }
}
