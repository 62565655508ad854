//! Orders on disk (SQLite), so a sandbox started with a data file keeps its orders across
//! restarts. One row per order, the order as JSON: the sandbox's own format, not eftPay's.

use std::path::Path;

use rusqlite::{Connection, params};

use crate::SandboxError;
use crate::state::Order;

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

    /// Every order saved.
    ///
    /// # Errors
    /// A row that cannot be read.
    pub fn load(&self) -> Result<Vec<Order>, SandboxError> {
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

fn data_error(path: &Path, error: &rusqlite::Error) -> SandboxError {
    SandboxError::DataFile(format!("{}: {error}", path.display()))
}
