//! The view models both bundles' templates share. Like every view model they borrow from the
//! content (nothing is copied to be serialised); each bundle keeps its own in its `views`
//! module.

use serde::Serialize;

use crate::content::{Content, Index};

/// A person as pages show them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PersonView<'a> {
    /// The id in people.yaml.
    pub id: &'a str,
    /// The full name (the id when people.yaml does not list the person).
    pub name: &'a str,
    /// The job title.
    pub title: Option<&'a str>,
}

impl<'a> PersonView<'a> {
    /// The person `id` of `content`, found through its `index`.
    pub fn lookup(content: &'a Content, index: &Index, id: &'a str) -> PersonView<'a> {
        match index.people.get(id).map(|&i| &content.people[i].value) {
            Some(p) => PersonView {
                id,
                name: &p.name,
                title: p.title.as_deref(),
            },
            None => PersonView {
                id,
                name: id,
                title: None,
            },
        }
    }
}

/// A record or framework id with its title.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Titled<'a> {
    /// The id.
    pub id: &'a str,
    /// Its title (empty when unknown).
    pub title: &'a str,
}

/// A link to a record whose title may be withheld: `title` is `None` when the record is
/// withheld from the audience (or has no title).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RecordRef<'a> {
    /// The id.
    pub id: &'a str,
    /// Its title, when the audience may see it.
    pub title: Option<&'a str>,
}

/// An attachment of an evidence record, as stored in the bundle.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AttachmentView<'a> {
    /// Its path under `attachments/`.
    pub name: &'a str,
    /// Its file in the bundle (`files/<sha256>.<ext>`), when it was stored.
    pub href: Option<&'a str>,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256 (empty when it was not stored).
    pub sha256: &'a str,
}
