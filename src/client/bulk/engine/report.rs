//! The report of a run: the stretches a driver builds while calls are in flight, and the final
//! account of every item.

use super::super::{ItemReport, Outcome};
use super::Engine;

impl Engine {
    /// The report's next stretch: the items after the last one handed over, as far as every
    /// item has its outcome, in input order, once there are at least `at_least` of them (none
    /// before; drivers use [`SETTLED_STRETCH`]). Outcomes are final, so a driver can build that
    /// part of its report while calls are still in flight and leave only the rest (from
    /// `handed()` on in `finish_all`) for the end.
    pub fn settled(&mut self, at_least: usize) -> Vec<&ItemReport> {
        let items = &self.plan.items;
        let from = self.handed;
        let mut end = from;
        while end < items.len() && items[end].report.is_some() {
            end += 1;
        }
        if end == from || end - from < at_least {
            return Vec::new();
        }
        self.handed = end;
        items[from..end].iter().filter_map(|i| i.report.as_ref()).collect()
    }

    /// How many items `settled` has handed over.
    pub fn handed(&self) -> usize {
        self.handed
    }

    /// Whether item `i` has its outcome.
    pub fn is_done(&self, i: usize) -> bool {
        self.plan.items[i].report.is_some()
    }

    /// The final account: one report per input item, in input order. Items a stopped run never
    /// finished are `failed` with "not finished" (the journal does not record them: a resumed
    /// run sends them).
    pub fn finish_all(mut self) -> Vec<ItemReport> {
        let users = std::mem::take(&mut self.plan.users);
        let stopped = self.stopped;
        std::mem::take(&mut self.plan.items)
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item.report {
                Some(report) => report,
                None => ItemReport {
                    index: i,
                    from_account: users[item.user].name.clone(),
                    to_account: item.target,
                    outcome: Outcome::Failed,
                    code: None,
                    info: Some(if stopped { "not finished: the run was stopped".into() } else { "not sent".into() }),
                    relation: None,
                    reconciled: false,
                    attempts: item.attempts,
                },
            })
            .collect()
    }
}
