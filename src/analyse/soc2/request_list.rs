//! The request list (PBC list): the sampled items still missing evidence, by control.

use super::{ControlTest, Sampled, Soc2Analysis};

/// A group of the request list: one control's sampled items still missing evidence.
#[derive(Debug, Clone)]
pub struct RequestGroup<'a, 'c> {
    /// The control's test.
    pub test: &'a ControlTest<'c>,
    /// Its sampled items without evidence, in rank order.
    pub items: Vec<&'a Sampled>,
}

impl<'c> Soc2Analysis<'c> {
    /// The request list (PBC list): every in-scope control with sampled items still missing
    /// evidence, grouped by control, ordered by the control's owner and then the control id.
    pub fn requests(&self) -> Vec<RequestGroup<'_, 'c>> {
        let mut groups: Vec<RequestGroup<'_, 'c>> = self
            .in_scope()
            .filter_map(|test| {
                let items: Vec<&Sampled> = test.missing().collect();
                (!items.is_empty()).then_some(RequestGroup { test, items })
            })
            .collect();
        groups.sort_by(|a, b| {
            (
                a.test.control.owner.as_bytes(),
                a.test.control.id.as_bytes(),
            )
                .cmp(&(
                    b.test.control.owner.as_bytes(),
                    b.test.control.id.as_bytes(),
                ))
        });
        groups
    }
}
