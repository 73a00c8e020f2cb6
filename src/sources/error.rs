//! Why an export cannot be read, and where in the file: a line and column for CSV and encoding
//! problems (with the header name of the cell), a line, column and JSON path for JSON.

use std::fmt;

/// Where in an export a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// The file as a whole (unreadable, empty).
    File,
    /// A 1-based line and byte column of the file.
    At {
        /// 1-based line.
        line: u64,
        /// 1-based byte column.
        column: u64,
    },
    /// A CSV cell: where it starts and the name of its column in the header row.
    Cell {
        /// 1-based line where the cell starts.
        line: u64,
        /// 1-based byte column where the cell starts.
        column: u64,
        /// The column's name in the header row.
        header: String,
    },
    /// A JSON value: where the parser stopped and the path of the value, e.g.
    /// `[12].reviews[0].submittedAt`.
    Json {
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// Path of the value from the top-level array.
        path: String,
    },
    /// An element of a JSON array known by its path only (`[12]`), for problems found after it
    /// was parsed (a duplicate key).
    Element {
        /// Path of the element, e.g. `[12]`.
        path: String,
    },
}

impl Position {
    /// The line and column to report (`1:1` for the file as a whole or an element without one).
    pub fn line_col(&self) -> (u64, u64) {
        match self {
            Position::File | Position::Element { .. } => (1, 1),
            Position::At { line, column }
            | Position::Cell { line, column, .. }
            | Position::Json { line, column, .. } => (*line, (*column).max(1)),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::File => f.write_str("file"),
            Position::At { line, column } => write!(f, "line {line}, column {column}"),
            Position::Cell {
                line,
                column,
                header,
            } => write!(f, "line {line}, column {column} (`{header}`)"),
            Position::Json { line, column, path } => {
                write!(f, "line {line}, column {column}")?;
                if !path.is_empty() {
                    write!(f, " at `{path}`")?;
                }
                Ok(())
            }
            Position::Element { path } => write!(f, "`{path}`"),
        }
    }
}

/// A problem with an export: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// Where it is.
    pub position: Position,
    /// What is wrong, as one sentence for people.
    pub message: String,
}

impl SourceError {
    /// A problem at `position`.
    pub fn new(position: Position, message: impl Into<String>) -> SourceError {
        SourceError {
            position,
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn file(message: impl Into<String>) -> SourceError {
        SourceError::new(Position::File, message)
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::File => f.write_str(&self.message),
            ref p => write!(f, "{p}: {}", self.message),
        }
    }
}

impl std::error::Error for SourceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_as_places_in_the_file() {
        let cell = SourceError::new(
            Position::Cell {
                line: 4,
                column: 17,
                header: "Created".into(),
            },
            "not a date",
        );
        assert_eq!(
            cell.to_string(),
            "line 4, column 17 (`Created`): not a date"
        );
        assert_eq!(cell.position.line_col(), (4, 17));
        let json = Position::Json {
            line: 1,
            column: 0,
            path: "[12].reviews[0].submittedAt".into(),
        };
        assert_eq!(
            json.to_string(),
            "line 1, column 0 at `[12].reviews[0].submittedAt`"
        );
        assert_eq!(json.line_col(), (1, 1));
        assert_eq!(SourceError::file("empty").to_string(), "empty");
        assert_eq!(
            Position::Element { path: "[3]".into() }.to_string(),
            "`[3]`"
        );
    }
}
