//! Work the sandbox does after answering — notification deliveries, applied refunds that finish
//! later — kept in one set so that stopping the sandbox stops them too: a sandbox shut down in a
//! test must not go on posting to the next test's merchant, or finishing refunds in its data file.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::runtime::Handle;
use tokio::task::JoinSet;

use crate::lock;

/// The running background tasks.
#[derive(Debug, Default)]
pub struct Background {
    tasks: Mutex<JoinSet<()>>,
    stopped: AtomicBool,
    /// The runtime the sandbox was started on: work started from a thread outside it (a
    /// synchronous caller of `Sandbox::pay`) still runs there.
    runtime: Option<Handle>,
}

impl Background {
    /// Background work run on `runtime`.
    pub fn on(runtime: Option<Handle>) -> Background {
        Background { runtime, ..Background::default() }
    }

    /// Runs `task` in the background, unless the sandbox is stopping. Finished tasks are
    /// collected first, so the set holds only what is still running.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let Some(runtime) = self.runtime.clone().or_else(|| Handle::try_current().ok()) else {
            tracing::warn!("no async runtime to run the sandbox's background work on; it was not started");
            return;
        };
        let mut tasks = lock(&self.tasks);
        while tasks.try_join_next().is_some() {}
        tasks.spawn_on(task, &runtime);
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

#[cfg(test)]
mod outside_a_runtime {
    use super::*;

    #[test]
    fn work_started_outside_a_runtime_runs_on_the_sandboxs() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let background = Background::on(Some(runtime.handle().clone()));
        let (done, ran) = std::sync::mpsc::channel();
        background.spawn(async move {
            let _ = done.send(());
        });
        runtime.block_on(async { tokio::task::yield_now().await });
        assert!(ran.try_recv().is_ok());
        // Without a runtime of its own and none current, nothing starts, and nothing panics.
        Background::default().spawn(async {});
    }
}
