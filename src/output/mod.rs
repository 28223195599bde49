//! Output formats: report → bytes.
