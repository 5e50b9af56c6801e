//! Stored uploads reach the segment index in the order they were committed. The writer numbers its
//! commits; each upload waits here for its number's turn, so an upload that read a profile's state
//! later never has it overwritten by one that read it earlier.

use tokio::sync::watch;

/// The number of the next commit whose changes go to the index.
pub struct CommitOrder(watch::Sender<u64>);

impl Default for CommitOrder {
    fn default() -> Self {
        Self(watch::Sender::new(0))
    }
}

impl CommitOrder {
    /// Waits until every commit before `commit` has taken its turn.
    pub async fn turn(&self, commit: u64) -> Turn<'_> {
        let mut next = self.0.subscribe();
        // The sender lives in `self`: the channel cannot close while this waits.
        let _ = next.wait_for(|n| *n == commit).await;
        Turn(&self.0)
    }
}

/// A commit's turn; passed on to the next commit when dropped, even by a panic.
pub struct Turn<'a>(&'a watch::Sender<u64>);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n += 1);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[tokio::test]
    async fn turns_are_taken_in_commit_order_whatever_order_they_are_asked_in() {
        let order = Arc::new(CommitOrder::default());
        let taken = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for commit in [3, 1, 4, 0, 2] {
            let (order, taken) = (order.clone(), taken.clone());
            tasks.push(tokio::spawn(async move {
                let _turn = order.turn(commit).await;
                taken.lock().unwrap().push(commit);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*taken.lock().unwrap(), [0, 1, 2, 3, 4]);
    }
}
