//! Errors: every problem names the file, the line and column, and the field path.

use crate::Location;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub location: Location,
    /// The field path, like `board.mdio[0].phys[1].address`; empty for the document itself.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(
        location: Location,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            location,
            field: one_line(field.into()),
            message: one_line(message.into()),
        }
    }
}

/// User text quoted in a problem must not break the one-problem-a-line output.
fn one_line(s: String) -> String {
    if s.contains(['\n', '\r']) {
        s.replace('\n', "\\n").replace('\r', "\\r")
    } else {
        s
    }
}

/// `line:column: field: message` (the caller puts the file name in front).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.location.line, self.location.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("{}: cannot read the scenario: {message}", path.display())]
    Read { path: PathBuf, message: String },
    /// The file was read and is not a valid scenario: every problem found, in file order, one
    /// `FILE:LINE:COLUMN: FIELD: MESSAGE` line each.
    #[error("{}", render(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems of an invalid file (empty for a file that could not be read).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render(path: &std::path::Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}:{p}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}
