//! The zip reader of `verify`.

pub mod index;
