//! The text of a file the person picked, from its bytes.
//!
//! Our files are UTF-8 JSON. Editors on Windows sometimes save them as UTF-16 (Notepad's
//! "Unicode") or put a byte-order mark in front; those are read too. Anything else is refused
//! with a message that says so, rather than reaching the JSON parser as garbage and coming back
//! as "expected value at line 1 column 1".

/// Why a file's bytes are not text we can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("It is not UTF-8 text: it may not be a text file at all, or it was saved in another encoding. Save it as UTF-8 (or UTF-16) and try again.")]
    NotText,
    /// A byte-order mark after the start: two files were joined into one (a `copy a+b`, or
    /// one export pasted after another), and the second kept its mark.
    #[error("There is a second byte-order mark at line {line}, column {column}: the file was joined from two files. Keep one of them and try again.")]
    SecondByteOrderMark { line: usize, column: usize },
    /// A NUL character in otherwise readable text: text never holds one.
    #[error("There is a NUL character inside the text at line {line}, column {column}: the file is damaged or not text.")]
    Nul { line: usize, column: usize },
}

/// A file's bytes as text: UTF-8 (with or without a byte-order mark), or UTF-16 in either byte
/// order (with a byte-order mark, or recognised by the zero byte beside a first ASCII
/// character, as in every JSON file). Text never holds a NUL character, so one is refused too,
/// and so is a byte-order mark after the start (either byte order's: U+FEFF, or U+FFFE when the
/// second file had the other order), each with where it is. A NUL as the very first character
/// means the bytes were never text of ours (UTF-32, a binary file): that is `NotText`.
pub fn decode(bytes: &[u8]) -> Result<String, TextError> {
    let text = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest)?,
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes)?,
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes)?,
        [a, 0, ..] if *a != 0 && bytes.len().is_multiple_of(2) => utf16(bytes, u16::from_le_bytes)?,
        [0, b, ..] if *b != 0 && bytes.len().is_multiple_of(2) => utf16(bytes, u16::from_be_bytes)?,
        _ => utf8(bytes)?,
    };
    let (mut line, mut column) = (1, 1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\0' if i == 0 => return Err(TextError::NotText),
            '\0' => return Err(TextError::Nul { line, column }),
            '\u{feff}' | '\u{fffe}' => return Err(TextError::SecondByteOrderMark { line, column }),
            '\n' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    Ok(text)
}

fn utf8(bytes: &[u8]) -> Result<String, TextError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| TextError::NotText)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, TextError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(TextError::NotText);
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| TextError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn utf16be(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFE, 0xFF] } else { vec![] };
        out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    #[test]
    fn utf8_reads_with_or_without_a_byte_order_mark() {
        let json = r#"{"name":"Zoë 🚀"}"#;
        assert_eq!(decode(json.as_bytes()).unwrap(), json);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(json.as_bytes());
        assert_eq!(decode(&bom).unwrap(), json);
        assert_eq!(decode(b"").unwrap(), "");
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF]).unwrap(), "");
    }

    #[test]
    fn utf16_reads_in_either_byte_order() {
        let json = r#"{"name":"Zoë 🚀"}"#;
        for bytes in [
            utf16le(json, true),
            utf16be(json, true),
            utf16le(json, false),
            utf16be(json, false),
        ] {
            assert_eq!(decode(&bytes).unwrap(), json);
        }
        // Leading white space before the JSON is still recognised.
        assert_eq!(decode(&utf16le("\n{}", false)).unwrap(), "\n{}");
    }

    #[test]
    fn anything_else_is_not_text() {
        // Latin-1 "é", a lone continuation byte, an odd UTF-16 tail, an unpaired surrogate.
        assert_eq!(decode(b"{\"a\":\"caf\xe9\"}"), Err(TextError::NotText));
        assert_eq!(decode(&[0x80, 0x41]), Err(TextError::NotText));
        assert_eq!(decode(&[0xFF, 0xFE, 0x7B]), Err(TextError::NotText));
        assert_eq!(decode(&[0xFF, 0xFE, 0x00, 0xD8]), Err(TextError::NotText));
        // Binary: a PNG header, NUL bytes in UTF-8, UTF-32.
        assert_eq!(
            decode(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            Err(TextError::NotText)
        );
        assert_eq!(
            decode(b"{\0\0\0}"),
            Err(TextError::Nul { line: 1, column: 2 })
        );
        assert_eq!(decode(b"\0{}"), Err(TextError::NotText));
        assert_eq!(
            decode(&[0xFF, 0xFE, 0, 0, b'{', 0, 0, 0]),
            Err(TextError::NotText)
        );
        assert!(TextError::NotText
            .to_string()
            .starts_with("It is not UTF-8 text"));
    }

    #[test]
    fn a_second_byte_order_mark_or_a_nul_says_where_it_is() {
        // Two UTF-16 files joined: the second's mark is inside the text.
        let mut joined = utf16le("{}\n", true);
        joined.extend(utf16le("{}", true));
        assert_eq!(
            decode(&joined),
            Err(TextError::SecondByteOrderMark { line: 2, column: 1 })
        );
        // The second in the other byte order, and two marks in a row in UTF-8.
        let mut mixed = utf16le("{}", true);
        mixed.extend(utf16be("{}", true));
        assert_eq!(
            decode(&mixed),
            Err(TextError::SecondByteOrderMark { line: 1, column: 3 })
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xEF\xBB\xBF{}"),
            Err(TextError::SecondByteOrderMark { line: 1, column: 1 })
        );
        assert_eq!(
            decode(b"{\n  \"a\": \"x\0y\"\n}"),
            Err(TextError::Nul {
                line: 2,
                column: 10
            })
        );
        assert_eq!(
            decode(&utf16le("{\"a\":\"\0\"}", true)),
            Err(TextError::Nul { line: 1, column: 7 })
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_or_are_refused_and_any_text_round_trips(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            text in "[^\u{0}\u{feff}\u{fffe}]{0,40}",
        ) {
            let _ = decode(&bytes);
            proptest::prop_assert_eq!(decode(text.as_bytes()), Ok(text.clone()));
            proptest::prop_assert_eq!(decode(&utf16le(&text, true)), Ok(text.clone()));
            proptest::prop_assert_eq!(decode(&utf16be(&text, true)), Ok(text.clone()));
        }
    }
}
