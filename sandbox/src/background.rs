//! Work the sandbox does after answering — notification deliveries, applied refunds that finish
//! later — kept in one set so that stopping the sandbox stops them too: a sandbox shut down in a
//! test must not go on posting to the next test's merchant, or finishing refunds in its data file.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::task::JoinSet;

use crate::lock;

/// The running background tasks.
#[derive(Debug, Default)]
pub struct Background {
    tasks: Mutex<JoinSet<()>>,
    stopped: AtomicBool,
}

impl Background {
    /// Runs `task` in the background, unless the sandbox is stopping. Finished tasks are
    /// collected first, so the set holds only what is still running.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let mut tasks = lock(&self.tasks);
        while tasks.try_join_next().is_some() {}
        tasks.spawn(task);
    }

    /// How many tasks are still running.
    #[cfg(test)]
    pub fn running(&self) -> usize {
        let mut tasks = lock(&self.tasks);
        while tasks.try_join_next().is_some() {}
        tasks.len()
    }

    /// Stops every task and waits until none runs; nothing new starts afterwards.
    pub async fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Taken out of the lock: waiting for the tasks must not hold it.
        let mut tasks = std::mem::take(&mut *lock(&self.tasks));
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }

    /// Stops every task without waiting (when the sandbox is dropped).
    pub fn abort(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        lock(&self.tasks).abort_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn stopped_tasks_do_not_run_on_and_new_ones_do_not_start() {
        let background = Background::default();
        let ran = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&ran);
        background.spawn(async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            counter.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(background.running(), 1);
        background.stop().await;
        assert_eq!(background.running(), 0);
        let counter = Arc::clone(&ran);
        background.spawn(async move {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(background.running(), 0, "nothing starts after stop");
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    }
}
