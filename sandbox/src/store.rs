//! Orders on disk (SQLite), so a sandbox started with a data file keeps its orders across
//! restarts. One row per order, the order as JSON: the sandbox's own format, not eftPay's. The
//! file's `user_version` says which format; a file of the first format (web orders only, before
//! orders named their interface) is upgraded when opened.

use std::path::Path;

use eftpay::catalog::Catalog;
use eftpay::rules::Purpose;
use rusqlite::{Connection, params};

use crate::SandboxError;
use crate::state::Order;

/// The format this sandbox writes: 2, scene-neutral orders naming their interface.
const FORMAT: i64 = 2;

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
        let format = format_of(&connection).map_err(|e| data_error(path, &e))?;
        if format > FORMAT {
            return Err(SandboxError::DataFile(format!(
                "{} was written by a newer sandbox (format {format}, this one reads up to {FORMAT}); use that \
                 sandbox, or another data file",
                path.display()
            )));
        }
        Ok(Store { connection })
    }

    /// Every order saved; orders of an older format are upgraded (with `catalog`, which they
    /// were made with) and saved again.
    ///
    /// # Errors
    /// A row that cannot be read or rewritten.
    pub fn load(&self, catalog: &Catalog) -> Result<Vec<Order>, SandboxError> {
        let mut statement = self
            .connection
            .prepare("SELECT json FROM orders ORDER BY eft_trade_no")
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        let mut orders = Vec::new();
        for row in rows {
            let json = row.map_err(|e| SandboxError::DataFile(e.to_string()))?;
            let order = serde_json::from_str(&json)
                .map_err(|e| SandboxError::DataFile(format!("unreadable order row: {e}")))?;
            orders.push(order);
        }
        if format_of(&self.connection).map_err(|e| SandboxError::DataFile(e.to_string()))? < FORMAT {
            for order in &mut orders {
                upgrade(catalog, order);
                self.save(order)?;
            }
            self.connection
                .pragma_update(None, "user_version", FORMAT)
                .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        }
        Ok(orders)
    }

    /// Saves one order (insert or replace).
    ///
    /// # Errors
    /// The write failed.
    pub fn save(&self, order: &Order) -> Result<(), SandboxError> {
        let json = serde_json::to_string(order).map_err(|e| SandboxError::DataFile(e.to_string()))?;
        self.connection
            .execute(
                "INSERT OR REPLACE INTO orders (eft_trade_no, json) VALUES (?1, ?2)",
                params![order.eft_trade_no, json],
            )
            .map_err(|e| SandboxError::DataFile(e.to_string()))?;
        Ok(())
    }
}

fn format_of(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Fills in what a first-format order did not record: its interface (its service row's), the
/// notification and synchronous return that interface uses, and for each refund the refund or
/// apply-refund interface of the order's scene and, when it had a notify address, that
/// interface's notification.
fn upgrade(catalog: &Catalog, order: &mut Order) {
    if order.interface.is_empty()
        && let Some(row) = catalog.service(&order.service)
    {
        order.interface = row.interface.to_owned();
    }
    let Some(interface) = catalog.interface(&order.interface) else { return };
    if order.notification.is_none() {
        order.notification = interface.notification.map(str::to_owned);
    }
    if order.sync_return.is_none() {
        order.sync_return = interface.sync_return.map(str::to_owned);
    }
    let scene = catalog.scenes_of(interface.name).next();
    for refund in order.refunds.iter_mut().filter(|r| r.interface.is_empty()) {
        let purpose = if refund.applied { Purpose::ApplyRefund } else { Purpose::Refund };
        let Some(through) = scene.and_then(|scene| catalog.scene_interface(scene, purpose)) else { continue };
        refund.interface = through.name.to_owned();
        if refund.notification.is_none() && refund.notify_url.is_some() {
            refund.notification = through.notification.map(str::to_owned);
        }
    }
}

fn data_error(path: &Path, error: &rusqlite::Error) -> SandboxError {
    SandboxError::DataFile(format!("{}: {error}", path.display()))
}
