//! Group commit for the data file: one writer thread commits the changes of the requests that
//! queued while it was busy in one SQLite transaction.
//!
//! # Why
//! Most of what a commit costs is not the request's rows but the commit itself: the pages it
//! appends to the write-ahead log (an order touches a leaf page of the orders table and one of
//! each of its two unique indexes, 4 KiB each) and the transaction's own work. Requests that
//! queue while a commit runs share the next one (BENCHMARKS.md, "Sandbox gateway").
//!
//! # What is promised does not change (docs/RELIABILITY.md)
//! - A request is answered only after the transaction holding its change has committed.
//! - Each request of a group is planned against the books as the requests before it in the
//!   group left them: their changes are applied in memory as they are planned, with an
//!   [`Undo`](crate::books::Undo). The records' lock is held for the whole group (plan, write,
//!   commit), so nothing reads a change before it is committed.
//! - A request whose own rows the file refuses (a row over the size limit) gets the
//!   system-error answer alone: its rows are written under a savepoint and taken back.
//! - If the commit fails (or the `fail_writes` fault fails it), every change of the group is
//!   taken back and every request of the group gets the system-error answer — a refusal
//!   planned against an earlier change of the group too, since that change never happened.
//!
//! In memory there is nothing to commit: a change is planned and applied at once
//! ([`Shared::change`](crate::Shared::change)), on the request's own thread.

use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Mutex, Weak};

use eftpay::HkTime;
use eftpay::rules::Meaning;

use crate::books::{Books, Change, Undo};
use crate::codes::Refusal;
use crate::faults::{Faults, take};
use crate::store::{CommitError, Store};
use crate::{SandboxError, Shared, lock};

/// Answers a request once its group's outcome is known: `Ok` when its change was committed.
pub(crate) type Answer = Box<dyn FnOnce(Result<(), Refusal>) + Send>;

/// One request's plan: run on the writer thread against the books as they stand, it returns the
/// change to commit (empty for a refusal or a request that changes nothing) and how to answer.
pub(crate) type Job = Box<dyn FnOnce(&Books, HkTime) -> (Change, Answer) + Send>;

/// The most requests committed in one transaction, so one request never waits behind an
/// unbounded group.
pub(crate) const MAX_GROUP: usize = 256;

/// The name of the data file's writer thread (at most 15 bytes: what Linux keeps of a thread's
/// name), so that a profiler or a benchmark can tell its CPU time from the rest.
pub const WRITER_THREAD: &str = "sandbox-writer";

/// The queue of the writer thread.
pub(crate) struct Writer {
    jobs: Sender<Job>,
}

impl Writer {
    /// Starts the writer thread of `shared`, which ends when `shared` is dropped (with the queue).
    ///
    /// # Errors
    /// The thread could not be started.
    pub fn start(shared: Weak<Shared>, jobs: Receiver<Job>) -> Result<(), SandboxError> {
        std::thread::Builder::new()
            .name(WRITER_THREAD.into())
            .spawn(move || run(&shared, &jobs))
            .map(drop)
            .map_err(|e| SandboxError::DataFile(format!("the data file's writer thread could not start: {e}")))
    }

    /// A queue, and the receiving end for [`Writer::start`].
    pub fn queue() -> (Writer, Receiver<Job>) {
        let (jobs, receiver) = std::sync::mpsc::channel();
        (Writer { jobs }, receiver)
    }

    /// Queues `job`; gives it back when the writer has stopped.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
    }
}

fn run(shared: &Weak<Shared>, jobs: &Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let Some(strong) = shared.upgrade() else { return };
        let answers = strong.commit_group(first, jobs);
        // Let go of the sandbox before answering: once the last request of a stopping sandbox
        // is answered, nothing here keeps its data file open.
        drop(strong);
        for (answer, outcome) in answers {
            answer(outcome);
        }
    }
}

/// The system-error answer for a group (or a change) the file did not take.
pub(crate) fn not_saved(error: &CommitError) -> Refusal {
    Refusal::new(Meaning::ServerError, error.to_string())
}

/// Plans `jobs` one after the other against `books`, each seeing the changes of those before it,
/// writes their changes into one transaction of `store` and commits it; on any failure of the
/// commit the books are as they were and every request gets the system-error answer. Returns
/// each request's answer with its outcome, to be given once the records' lock is released.
pub(crate) fn commit_group(
    books: &mut Books,
    store: &mut Store,
    faults: &Mutex<Faults>,
    jobs: impl Iterator<Item = Job>,
    now: HkTime,
) -> Vec<(Answer, Result<(), Refusal>)> {
    let mut group = match store.group() {
        Ok(group) => group,
        Err(error) => {
            let refusal = not_saved(&error);
            return jobs.map(|job| (job(books, now).1, Err(refusal.clone()))).collect();
        }
    };
    let mut undo = Undo::of(books);
    let mut fail = false;
    let mut answers = Vec::new();
    for job in jobs {
        let (change, answer) = job(books, now);
        if change.is_empty() {
            answers.push((answer, Ok(())));
            continue;
        }
        if let Err(error) = group.write(&change) {
            answers.push((answer, Err(not_saved(&error))));
            continue;
        }
        // Only a change that writes something counts down the fault (as `Shared::change`).
        // Records, then faults: nothing takes them the other way.
        fail |= take(&mut lock(faults).fail_writes);
        books.apply_undoable(change, &mut undo);
        answers.push((answer, Ok(())));
    }
    if let Err(error) = group.commit(fail) {
        books.undo(undo);
        let refusal = not_saved(&error);
        for (_, outcome) in &mut answers {
            *outcome = Err(refusal.clone());
        }
    }
    answers
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use eftpay::rules::Purpose;
    use eftpay::{Amount, CATALOG};

    use super::*;
    use crate::state::{NewOrder, Order};

    type Answers = Arc<Mutex<Vec<(String, Result<(), Refusal>)>>>;

    fn now() -> HkTime {
        HkTime::parse_compact("20261126120000").unwrap()
    }

    /// A place-order request of a row of the spec (so the file loads back).
    fn new_order(out: &str, cents: u64) -> NewOrder {
        let place = CATALOG.interfaces.iter().find(|i| i.purpose == Purpose::PlaceOrder).unwrap();
        NewOrder {
            out_trade_no: out.into(),
            service: CATALOG.services_of(place.name).next().unwrap().name.into(),
            amount: Amount::from_cents(cents),
            fingerprint: format!("{out}/{cents}"),
            ..NewOrder::default()
        }
    }

    /// A job placing `new`; its answer is kept under the order number it was planned with (or
    /// the refusal's meaning).
    fn place(new: NewOrder, answers: &Answers) -> Job {
        let answers = Arc::clone(answers);
        Box::new(move |books, now| {
            let (change, name) = match books.place(new, now) {
                Ok((change, order, _)) => (change, order.eft_trade_no),
                Err(refusal) => (Change::default(), format!("{:?}", refusal.meaning)),
            };
            let answer: Answer = Box::new(move |outcome| answers.lock().unwrap().push((name, outcome)));
            (change, answer)
        })
    }

    fn file_orders(store: &Store) -> Vec<Order> {
        store.load(&CATALOG, 10).unwrap().orders
    }

    fn memory_orders(books: &Books) -> Vec<Order> {
        let mut orders: Vec<Order> = books.orders().cloned().collect();
        orders.sort_unstable_by_key(|o| o.seq);
        orders
    }

    fn commit(books: &mut Books, store: &mut Store, faults: &Mutex<Faults>, jobs: Vec<Job>) {
        for (answer, outcome) in commit_group(books, store, faults, jobs.into_iter(), now()) {
            answer(outcome);
        }
    }

    #[test]
    fn a_group_is_committed_together_each_request_planned_after_those_before_it() {
        let (mut books, mut store, faults) =
            (Books::default(), Store::open(Path::new(":memory:")).unwrap(), Mutex::default());
        let answers = Answers::default();
        let jobs = vec![
            place(new_order("rrn_1", 100), &answers),
            // The same request again sees the first one's order, uncommitted as it still is.
            place(new_order("rrn_1", 100), &answers),
            place(new_order("rrn_1", 200), &answers),
            place(new_order("rrn_2", 100), &answers),
        ];
        commit(&mut books, &mut store, &faults, jobs);
        let answers = answers.lock().unwrap().clone();
        let names: Vec<&str> = answers.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names[0], names[1], "a retry in the same group gets the same order");
        assert_eq!(names[2], "Duplicate");
        assert_ne!(names[3], names[0]);
        assert!(answers.iter().all(|(_, outcome)| outcome.is_ok()), "{answers:?}");
        assert_eq!(memory_orders(&books).len(), 2);
        assert_eq!(file_orders(&store), memory_orders(&books), "memory equals the file");
    }

    #[test]
    fn a_failed_group_commit_refuses_every_request_in_it_and_changes_nothing() {
        let (mut books, mut store, faults) =
            (Books::default(), Store::open(Path::new(":memory:")).unwrap(), Mutex::default());
        let answers = Answers::default();
        commit(&mut books, &mut store, &faults, vec![place(new_order("rrn_0", 100), &answers)]);
        let before = books.clone();
        // One failing write fails the group's one commit.
        *faults.lock().unwrap() = Faults { fail_writes: 1, ..Faults::default() };
        answers.lock().unwrap().clear();
        let group = || {
            vec![
                place(new_order("rrn_1", 100), &answers),
                place(new_order("rrn_1", 100), &answers),
                // Refused in its plan, against an order of the group that is never committed.
                place(new_order("rrn_1", 200), &answers),
                // Changes nothing (rrn_0 is committed), but was planned in the failed group.
                place(new_order("rrn_0", 100), &answers),
                place(new_order("rrn_2", 100), &answers),
            ]
        };
        commit(&mut books, &mut store, &faults, group());
        let refused = answers.lock().unwrap().clone();
        assert_eq!(refused.len(), 5);
        for (name, outcome) in &refused {
            assert_eq!(outcome.as_ref().unwrap_err().meaning, Meaning::ServerError, "{name}");
        }
        assert_eq!(books, before, "memory unchanged");
        assert_eq!(file_orders(&store), memory_orders(&books), "memory equals the file");
        assert_eq!(faults.lock().unwrap().fail_writes, 0, "the fault was used once, by the group");

        // The same group again, the disk well: taken, with the numbers the failed group had
        // planned (they were never given).
        answers.lock().unwrap().clear();
        commit(&mut books, &mut store, &faults, group());
        let taken = answers.lock().unwrap().clone();
        assert!(taken.iter().all(|(_, outcome)| outcome.is_ok()), "{taken:?}");
        assert_eq!(memory_orders(&books).len(), 3);
        assert_eq!(file_orders(&store), memory_orders(&books));
    }

    #[test]
    fn a_request_whose_rows_the_file_refuses_is_refused_alone() {
        let (mut books, mut store, faults) =
            (Books::default(), Store::open(Path::new(":memory:")).unwrap(), Mutex::default());
        let answers = Answers::default();
        let huge = NewOrder { subject: Some("x".repeat(crate::store::MAX_ROW_BYTES)), ..new_order("rrn_2", 100) };
        let jobs = vec![
            place(new_order("rrn_1", 100), &answers),
            place(huge, &answers),
            place(new_order("rrn_3", 100), &answers),
        ];
        commit(&mut books, &mut store, &faults, jobs);
        let outcomes: Vec<bool> = answers.lock().unwrap().iter().map(|(_, outcome)| outcome.is_ok()).collect();
        assert_eq!(outcomes, [true, false, true]);
        let kept: Vec<String> = memory_orders(&books).into_iter().map(|o| o.out_trade_no).collect();
        assert_eq!(kept, ["rrn_1", "rrn_3"]);
        assert_eq!(file_orders(&store), memory_orders(&books), "memory equals the file");
    }
}
