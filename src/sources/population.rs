//! The population of a source, packed. A million items held as a million structs of strings and
//! vectors cost about 450 bytes each in five allocations; here every key, title, link and failure
//! reason lives in a text store of large chunks (which grows without copying), account names are
//! stored once, and outcomes are small codes, so an item costs its text plus about 90 bytes.
//! Items are read back through [`ItemRef`] views.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::error::SourceError;
use super::item::{Item, Locator, Role};
use super::outcome::{failures, Attribute, AttributeResult, Deviation, Outcome};

/// A slice of the text store: `start` is the chunk index above [`CHUNK_BITS`], the offset in
/// the chunk below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// Chunks hold at most 4 MiB; 1,024 of them make the 4 GiB a [`Span`] can address.
const CHUNK_BITS: u32 = 22;
const CHUNK: usize = 1 << CHUNK_BITS;
const FIRST_CHUNK: usize = 64 * 1024;

/// Append-only text in chunks that are never moved (no reallocation peak), growing from 64 KiB
/// to 4 MiB each.
#[derive(Debug, Clone, Default)]
struct Text {
    chunks: Vec<String>,
}

impl Text {
    /// Stores `text`; `None` when the store is full or `text` is longer than a chunk.
    fn push(&mut self, text: &str) -> Option<Span> {
        let len = u32::try_from(text.len())
            .ok()
            .filter(|&l| l as usize <= CHUNK)?;
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + text.len() <= c.capacity().min(CHUNK));
        if !fits {
            if self.chunks.len() >= 1 << (32 - CHUNK_BITS) {
                return None;
            }
            let size = self
                .chunks
                .last()
                .map_or(FIRST_CHUNK, |c| (c.capacity() * 2).min(CHUNK))
                .max(text.len());
            self.chunks.push(String::with_capacity(size));
        }
        let index = self.chunks.len() - 1;
        let chunk = &mut self.chunks[index];
        let at = chunk.len();
        chunk.push_str(text);
        Some(Span {
            start: (index << CHUNK_BITS | at) as u32,
            len,
        })
    }

    fn get(&self, span: Span) -> &str {
        let chunk = &self.chunks[(span.start >> CHUNK_BITS) as usize];
        let at = (span.start as usize) & (CHUNK - 1);
        &chunk[at..at + span.len as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    Pass,
    Fail(Span),
    /// Index into `reasons`.
    NotApplicable(u32),
}

/// An item's link: most exports repeat a site address before each key (Jira's
/// `…/browse/SEC-142`), which is stored once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    None,
    Own(Span),
    /// The shared prefix (a `names` id) followed by the key.
    BeforeKey(u32),
}

/// A [`Locator`] in 8 bytes: the line, or the element index with the top bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedLocator(u64);

const ELEMENT: u64 = 1 << 63;

impl PackedLocator {
    fn new(locator: Locator) -> PackedLocator {
        match locator {
            Locator::Line(line) => PackedLocator(line & !ELEMENT),
            Locator::Element(index) => PackedLocator(index | ELEMENT),
        }
    }

    fn get(self) -> Locator {
        if self.0 & ELEMENT == 0 {
            Locator::Line(self.0)
        } else {
            Locator::Element(self.0 & !ELEMENT)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    key: Span,
    title: Span,
    link: Link,
    date: NaiveDate,
    locator: PackedLocator,
    /// First of its actors in `actors` (they run to the next item's first).
    actors: u32,
    /// First of its results in `results`.
    results: u32,
}

/// The items of a source in the period, in file order, each with its attribute results.
#[derive(Debug, Clone, Default)]
pub struct Population {
    text: Text,
    names: Vec<Arc<str>>,
    name_ids: HashMap<Arc<str>, u32>,
    reasons: Vec<&'static str>,
    items: Vec<Packed>,
    actors: Vec<(Role, u32)>,
    results: Vec<(Attribute, Code)>,
    /// Item indices sorted by key.
    by_key: Vec<u32>,
    /// Set when the text outgrew 4 GiB; [`Population::finish`] refuses it.
    overflow: bool,
}

/// Makes room in `v` for `more` elements, quadrupling its capacity when it is full rather than
/// doubling it: growing a vector copies it into memory the kernel must first zero, and a million
/// items grown four times at a time copy a third of what doubling copies. The spare capacity
/// costs address space only: pages never written are never resident.
fn grow<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() < more {
        v.reserve((v.len() * 3).max(more).max(64));
    }
}

impl Population {
    fn span(&mut self, text: &str) -> Span {
        self.text.push(text).unwrap_or_else(|| {
            self.overflow = true;
            Span { start: 0, len: 0 }
        })
    }

    fn name_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let shared: Arc<str> = Arc::from(name);
        self.names.push(shared.clone());
        self.name_ids.insert(shared, id);
        id
    }

    fn link(&mut self, link: Option<&str>, key: &str) -> Link {
        match link {
            None => Link::None,
            Some(l) => match l.strip_suffix(key) {
                Some(prefix) if !key.is_empty() => Link::BeforeKey(self.name_id(prefix)),
                _ => Link::Own(self.span(l)),
            },
        }
    }

    fn reason_id(&mut self, reason: &'static str) -> u32 {
        match self.reasons.iter().position(|r| std::ptr::eq(*r, reason)) {
            Some(i) => i as u32,
            None => {
                self.reasons.push(reason);
                (self.reasons.len() - 1) as u32
            }
        }
    }

    /// Adds an item with its results.
    pub(crate) fn push(&mut self, item: &Item, results: &[AttributeResult]) {
        grow(&mut self.items, 1);
        grow(&mut self.actors, item.actors.len());
        grow(&mut self.results, results.len());
        let key = self.span(&item.key);
        let title = self.span(&item.title);
        let link = self.link(item.link.as_deref(), &item.key);
        let packed = Packed {
            key,
            title,
            link,
            date: item.date,
            locator: PackedLocator::new(item.locator),
            actors: self.actors.len() as u32,
            results: self.results.len() as u32,
        };
        for actor in &item.actors {
            let id = self.name_id(&actor.account);
            self.actors.push((actor.role, id));
        }
        for r in results {
            let code = match &r.outcome {
                Outcome::Pass => Code::Pass,
                Outcome::Fail(reason) => Code::Fail(self.span(reason)),
                Outcome::NotApplicable(why) => Code::NotApplicable(self.reason_id(why)),
            };
            self.results.push((r.attribute, code));
        }
        self.items.push(packed);
    }

    /// Seals the population: refuses a text over 4 GiB and a key that appears twice (one item
    /// counted twice), and indexes the keys.
    pub(crate) fn finish(mut self) -> Result<Population, SourceError> {
        if self.overflow {
            return Err(SourceError::file(
                "the items of this export hold more than 4 GiB of keys, titles and links (or one \
                 longer than 4 MiB)",
            ));
        }
        let mut order: Vec<u32> = (0..self.items.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (
                self.text_of(self.items[a as usize].key),
                self.text_of(self.items[b as usize].key),
            );
            ka.cmp(kb).then(a.cmp(&b))
        });
        for pair in order.windows(2) {
            let (first, second) = (self.items[pair[0] as usize], self.items[pair[1] as usize]);
            if self.text_of(first.key) == self.text_of(second.key) {
                return Err(SourceError::new(
                    second.locator.get().position(),
                    format!(
                        "the key `{}` appears twice (also at {}): each item must be unique",
                        self.text_of(second.key),
                        first.locator.get()
                    ),
                ));
            }
        }
        self.by_key = order;
        self.name_ids = HashMap::new();
        // The vectors keep their spare capacity: pages never written are never resident, and
        // shrinking would copy a million items into memory the kernel must first zero.
        Ok(self)
    }

    fn text_of(&self, span: Span) -> &str {
        self.text.get(span)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Is the population empty?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item at `index` (file order).
    pub fn get(&self, index: usize) -> Option<ItemRef<'_>> {
        (index < self.items.len()).then_some(ItemRef {
            population: self,
            index,
        })
    }

    /// Every item, in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ItemRef<'_>> + '_ {
        (0..self.items.len()).map(move |index| ItemRef {
            population: self,
            index,
        })
    }

    /// The item with key `key` (what `item: <source>:<key>` addresses).
    pub fn find(&self, key: &str) -> Option<ItemRef<'_>> {
        let at = self
            .by_key
            .binary_search_by(|&i| self.text_of(self.items[i as usize].key).cmp(key))
            .ok()?;
        self.get(self.by_key[at] as usize)
    }

    /// Every failed attribute of every item, in file order.
    pub fn deviations(&self) -> impl Iterator<Item = Deviation<'_>> + '_ {
        self.iter().flat_map(|item| item.deviations())
    }
}

/// One item of a [`Population`].
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    population: &'a Population,
    index: usize,
}

impl<'a> ItemRef<'a> {
    fn packed(&self) -> &'a Packed {
        &self.population.items[self.index]
    }

    /// Its position in the population (file order).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Its stable key.
    pub fn key(&self) -> &'a str {
        self.population.text_of(self.packed().key)
    }

    /// Its date.
    pub fn date(&self) -> NaiveDate {
        self.packed().date
    }

    /// Its title (empty when the export has none).
    pub fn title(&self) -> &'a str {
        self.population.text_of(self.packed().title)
    }

    /// Its link, when the export gives one.
    pub fn link(&self) -> Option<Cow<'a, str>> {
        let p = self.population;
        match self.packed().link {
            Link::None => None,
            Link::Own(span) => Some(Cow::Borrowed(p.text_of(span))),
            Link::BeforeKey(prefix) => Some(Cow::Owned(format!(
                "{}{}",
                p.names[prefix as usize],
                self.key()
            ))),
        }
    }

    /// Where it sits in the export.
    pub fn locator(&self) -> Locator {
        self.packed().locator.get()
    }

    /// The accounts that acted on it, as the export names them.
    pub fn actors(&self) -> impl Iterator<Item = (Role, &'a str)> + 'a {
        let p = self.population;
        let end = p
            .items
            .get(self.index + 1)
            .map_or(p.actors.len(), |n| n.actors as usize);
        p.actors[self.packed().actors as usize..end]
            .iter()
            .map(move |&(role, id)| (role, &*p.names[id as usize]))
    }

    /// Its attribute results, in its kind's order.
    pub fn results(&self) -> impl Iterator<Item = AttributeResult<&'a str>> + 'a {
        let p = self.population;
        let end = p
            .items
            .get(self.index + 1)
            .map_or(p.results.len(), |n| n.results as usize);
        p.results[self.packed().results as usize..end]
            .iter()
            .map(move |&(attribute, code)| {
                let outcome = match code {
                    Code::Pass => Outcome::Pass,
                    Code::Fail(span) => Outcome::Fail(p.text_of(span)),
                    Code::NotApplicable(i) => Outcome::NotApplicable(p.reasons[i as usize]),
                };
                AttributeResult::new(attribute, outcome)
            })
    }

    /// Its failed attributes.
    pub fn deviations(&self) -> impl Iterator<Item = Deviation<'a>> + 'a {
        failures(self.key(), self.locator(), self.results())
    }
}

/// An actor as JSON.
#[derive(Serialize)]
struct ActorJson<'a> {
    role: Role,
    account: &'a str,
}

impl Serialize for ItemRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Item", 7)?;
        st.serialize_field("key", self.key())?;
        st.serialize_field("date", &self.date())?;
        st.serialize_field("title", self.title())?;
        st.serialize_field("link", &self.link())?;
        let actors: Vec<ActorJson> = self
            .actors()
            .map(|(role, account)| ActorJson { role, account })
            .collect();
        st.serialize_field("actors", &actors)?;
        st.serialize_field("locator", &self.locator())?;
        let results: Vec<AttributeResult<&str>> = self.results().collect();
        st.serialize_field("results", &results)?;
        st.end()
    }
}

impl Serialize for Population {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self.iter() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

impl PartialEq for Population {
    fn eq(&self, other: &Population) -> bool {
        self.len() == other.len()
            && self.iter().zip(other.iter()).all(|(a, b)| {
                a.key() == b.key()
                    && a.date() == b.date()
                    && a.title() == b.title()
                    && a.link() == b.link()
                    && a.locator() == b.locator()
                    && a.actors().eq(b.actors())
                    && a.results().eq(b.results())
            })
    }
}

impl Eq for Population {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::item::Interner;

    #[test]
    fn a_full_vector_grows_fourfold_and_room_is_always_made() {
        let mut v: Vec<u8> = Vec::new();
        grow(&mut v, 1);
        assert!(v.capacity() >= 64);
        v.resize(v.capacity(), 0);
        let full = v.len();
        grow(&mut v, 1);
        assert!(v.capacity() >= 4 * full, "{} for {full}", v.capacity());
        // Room for many more than the growth gives.
        let len = v.len();
        grow(&mut v, 100 * len);
        assert!(v.capacity() >= len + 100 * len);
        // A vector with room is left alone.
        let before = v.capacity();
        grow(&mut v, 1);
        assert_eq!(v.capacity(), before);
    }

    fn item(key: &str, line: u64, actors: &[(Role, &str)], names: &mut Interner) -> Item {
        Item {
            key: key.into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            title: format!("title of {key}"),
            link: line
                .is_multiple_of(2)
                .then(|| format!("https://x.example/{key}")),
            actors: actors.iter().map(|(r, a)| names.actor(*r, a)).collect(),
            locator: Locator::Line(line),
        }
    }

    fn sample() -> Population {
        let mut names = Interner::default();
        let mut p = Population::default();
        p.push(
            &item(
                "B-2",
                2,
                &[(Role::Author, "ann"), (Role::Approver, "bob")],
                &mut names,
            ),
            &[
                AttributeResult::new(Attribute::Resolved, Outcome::Pass),
                AttributeResult::new(Attribute::WithinSla, Outcome::Fail("late by 2 days".into())),
            ],
        );
        p.push(
            &item("A-1", 3, &[(Role::Author, "bob")], &mut names),
            &[
                AttributeResult::new(Attribute::Resolved, Outcome::NotApplicable("n/a")),
                AttributeResult::new(Attribute::WithinSla, Outcome::Pass),
            ],
        );
        p.push(&item("C-3", 4, &[], &mut names), &[]);
        p.finish().unwrap()
    }

    #[test]
    fn items_read_back_as_pushed() {
        let p = sample();
        assert_eq!(p.len(), 3);
        assert!(!p.is_empty());
        let b = p.get(0).unwrap();
        assert_eq!((b.key(), b.title(), b.index()), ("B-2", "title of B-2", 0));
        assert_eq!(b.link().as_deref(), Some("https://x.example/B-2"));
        assert_eq!(
            p.names.len(),
            3,
            "the link prefix is stored once, as a name"
        );
        assert_eq!(b.locator(), Locator::Line(2));
        assert_eq!(
            b.actors().collect::<Vec<_>>(),
            [(Role::Author, "ann"), (Role::Approver, "bob")]
        );
        assert_eq!(
            b.results().collect::<Vec<_>>(),
            [
                AttributeResult::new(Attribute::Resolved, Outcome::Pass),
                AttributeResult::new(Attribute::WithinSla, Outcome::Fail("late by 2 days")),
            ]
        );
        let a = p.get(1).unwrap();
        assert_eq!(a.link(), None);
        assert_eq!(a.actors().collect::<Vec<_>>(), [(Role::Author, "bob")]);
        assert_eq!(
            a.results().next().unwrap().outcome,
            Outcome::NotApplicable("n/a")
        );
        let c = p.get(2).unwrap();
        assert_eq!(c.link().as_deref(), Some("https://x.example/C-3"));
        assert_eq!((c.actors().count(), c.results().count()), (0, 0));
        assert!(p.get(3).is_none());
        assert_eq!(p.names.len(), 3, "names are stored once");
    }

    #[test]
    fn keys_are_found_and_deviations_listed() {
        let p = sample();
        assert_eq!(p.find("A-1").unwrap().index(), 1);
        assert_eq!(p.find("C-3").unwrap().index(), 2);
        assert!(p.find("Z-9").is_none());
        let d: Vec<(&str, Attribute, &str)> = p
            .deviations()
            .map(|d| (d.subject, d.attribute, d.reason))
            .collect();
        assert_eq!(d, [("B-2", Attribute::WithinSla, "late by 2 days")]);
        assert_eq!(p, sample());
    }

    #[test]
    fn links_without_their_key_and_json_elements_are_kept_as_they_are() {
        let mut names = Interner::default();
        let mut p = Population::default();
        let mut own = item("K-1", 1, &[], &mut names);
        own.link = Some("https://x.example/pull/1".into());
        own.locator = Locator::Element(41);
        p.push(&own, &[]);
        let p = p.finish().unwrap();
        let k = p.get(0).unwrap();
        assert_eq!(k.link().as_deref(), Some("https://x.example/pull/1"));
        assert_eq!(k.locator(), Locator::Element(41));
        assert!(p.names.is_empty());
    }

    #[test]
    fn text_grows_in_chunks_that_never_move() {
        let mut t = Text::default();
        let a = t.push("alpha").unwrap();
        let first = t.chunks[0].as_ptr();
        let big = "x".repeat(FIRST_CHUNK);
        let b = t.push(&big).unwrap();
        let c = t.push("gamma").unwrap();
        assert_eq!(t.chunks[0].as_ptr(), first);
        assert_eq!(
            (t.get(a), t.get(b).len(), t.get(c)),
            ("alpha", FIRST_CHUNK, "gamma")
        );
        assert_eq!(b.start >> CHUNK_BITS, 1);
        assert!(t.chunks[1].capacity() >= FIRST_CHUNK);
        assert_eq!(t.push(&"y".repeat(CHUNK + 1)), None);
        let mut full = Text {
            chunks: (0..1 << (32 - CHUNK_BITS)).map(|_| String::new()).collect(),
        };
        assert_eq!(full.push("z"), None);
    }

    #[test]
    fn an_overflowing_text_is_refused() {
        let mut names = Interner::default();
        let mut p = Population::default();
        let mut long = item("A-1", 2, &[], &mut names);
        long.title = "t".repeat(CHUNK + 1);
        p.push(&long, &[]);
        assert!(p.finish().unwrap_err().message.contains("more than 4 GiB"));
    }

    #[test]
    fn a_key_twice_is_refused_at_the_second() {
        let mut names = Interner::default();
        let mut p = Population::default();
        p.push(&item("A-1", 2, &[], &mut names), &[]);
        p.push(&item("B-1", 3, &[], &mut names), &[]);
        p.push(&item("A-1", 9, &[], &mut names), &[]);
        let err = p.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 9, column 1: the key `A-1` appears twice (also at line 2): each item must be \
             unique"
        );
    }

    #[test]
    fn populations_serialize_as_items() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v[0]["key"], "B-2");
        assert_eq!(v[0]["date"], "2026-03-01");
        assert_eq!(
            v[0]["actors"][1],
            serde_json::json!({"role": "approver", "account": "bob"})
        );
        assert_eq!(
            v[0]["results"][1],
            serde_json::json!({"attribute": "within-sla", "outcome": "fail", "reason": "late by 2 days"})
        );
        assert_eq!(v[1]["link"], serde_json::Value::Null);
        assert_eq!(v[1]["locator"], serde_json::json!({"line": 3}));
    }
}
