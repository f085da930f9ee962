//! How large a value may be before it is stored: a field, and a case as a whole.
//!
//! The bounds come from the storage. localStorage holds about 5 million UTF-16 characters per
//! site, and the packer (`pack`) writes at worst 0.6 characters per byte of JSON (text that
//! doesn't compress: 9 bits a byte, 15 bits a character). A case at [`CASE_MAX_BYTES`] of JSON
//! therefore takes at most about 630,000 characters, an eighth of the quota, and a field at
//! [`FIELD_MAX_CHARS`] about a sixteenth of a case. Text past these limits (a pasted log, a
//! dump) belongs in a file the case links to, not in the case: it is refused before it is
//! stored, never written as something that can't be read back.
//!
//! Counted in characters as the browser counts them (UTF-16 units), so a limit the page
//! enforces on typing is never exceeded by what the core then counts.

use super::case::{Case, Details};

/// The most characters one text field holds (a description, evidence, a step).
pub const FIELD_MAX_CHARS: usize = 100_000;
/// The most bytes of JSON one case holds, everything on it counted (history, reviews).
pub const CASE_MAX_BYTES: usize = 1024 * 1024;

/// What is too large to keep, in words the agent can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TooLarge {
    #[error("{field} holds {} characters, and a field holds at most {} (attach long text as a file instead and put its link in Evidence)", thousands(*.chars), thousands(FIELD_MAX_CHARS))]
    Field { field: String, chars: usize },
    #[error("the case would take {} as stored, and a case holds at most {} (shorten its longest text, or attach it as a file instead)", size_words(*.bytes), size_words(CASE_MAX_BYTES))]
    Case { bytes: usize },
}

/// The length of `text` as the browser counts it (UTF-16 units).
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The first text of the form past [`FIELD_MAX_CHARS`], with its name as the form shows it.
pub fn check_details(d: &Details) -> Result<(), TooLarge> {
    let named: [(&str, &str); 10] = [
        ("Name", &d.customer.name),
        ("Email or phone", &d.customer.contact),
        ("Account or plan", &d.customer.account),
        ("Product or area", &d.product),
        ("Subject", &d.subject),
        ("Description", &d.description),
        ("Expectation", &d.expectation),
        ("Owner", &d.owner),
        ("Impact", &d.impact),
        ("Evidence", &d.evidence),
    ];
    let steps = d.steps.iter().enumerate().flat_map(|(i, s)| {
        [
            (format!("Step {}", i + 1), s.action.as_str()),
            (format!("Step {}'s outcome", i + 1), s.outcome.as_str()),
        ]
    });
    named
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .chain(steps)
        .try_for_each(|(field, text)| {
            // Bytes bound characters from above: only a long text is counted.
            if text.len() <= FIELD_MAX_CHARS {
                return Ok(());
            }
            let chars = units(text);
            if chars > FIELD_MAX_CHARS {
                Err(TooLarge::Field { field, chars })
            } else {
                Ok(())
            }
        })
}

/// A case is kept only if each of its fields and its whole JSON fit (`json_len`: the length of
/// the JSON it is stored as).
pub fn check_case(case: &Case, json_len: usize) -> Result<(), TooLarge> {
    check_details(&case.details)?;
    if json_len > CASE_MAX_BYTES {
        return Err(TooLarge::Case { bytes: json_len });
    }
    Ok(())
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes as a person reads it: `820 KB`, `5.2 MB`.
pub fn size_words(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_at_the_limit_fits_and_one_past_it_is_named() {
        let mut d = Details {
            description: "a".repeat(FIELD_MAX_CHARS),
            ..Details::default()
        };
        assert_eq!(check_details(&d), Ok(()));
        d.evidence = "é".repeat(FIELD_MAX_CHARS + 1);
        let err = check_details(&d).unwrap_err();
        assert_eq!(
            err,
            TooLarge::Field {
                field: "Evidence".into(),
                chars: FIELD_MAX_CHARS + 1
            }
        );
        assert!(err
            .to_string()
            .starts_with("Evidence holds 100,001 characters, and a field holds at most 100,000"));
    }

    #[test]
    fn characters_are_counted_as_the_browser_counts_them() {
        // An emoji is two UTF-16 units: the page counts it so, and so does the core.
        let mut d = Details {
            description: "😀".repeat(FIELD_MAX_CHARS / 2 + 1),
            ..Details::default()
        };
        assert!(check_details(&d).is_err());
        d.description = "😀".repeat(FIELD_MAX_CHARS / 2);
        assert_eq!(check_details(&d), Ok(()));
    }

    #[test]
    fn steps_are_fields_too() {
        let mut d = Details::default();
        d.steps.push(super::super::case::Step {
            at: chrono::DateTime::UNIX_EPOCH,
            action: "x".repeat(FIELD_MAX_CHARS + 5),
            outcome: String::new(),
        });
        assert!(
            matches!(check_details(&d), Err(TooLarge::Field { field, .. }) if field == "Step 1")
        );
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(thousands(5_242_880), "5,242,880");
        assert_eq!(thousands(999), "999");
        assert_eq!(size_words(CASE_MAX_BYTES), "1.0 MB");
        assert_eq!(size_words(5 * 1024 * 1024 + 200 * 1024), "5.2 MB");
        assert_eq!(size_words(1000), "1 KB");
    }
}
