//! Upper and lower case for the scripts customer names and subjects come in here: Latin
//! (ASCII, Latin-1, Latin Extended-A), Greek and Cyrillic. Other letters are left as they
//! are; and text folded for matching ([`folded`]). std's `to_lowercase` and `to_uppercase` carry Unicode's whole case tables, about
//! 13 KB of the desk's download after compression, for scripts the search never meets.

/// The lower case of a letter of the scripts above; anything else as it is.
pub fn lower(c: char) -> char {
    let u = c as u32;
    let even = u.is_multiple_of(2);
    let l = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => u + 32,
        // Latin Extended-A: pairs, upper first; but for the stretches where the lower comes first.
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if even => u + 1,
        0x139..=0x148 | 0x179..=0x17E if !even => u + 1,
        0x130 => 0x69,
        0x178 => 0xFF,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E..=0x38F => u + 63,
        0x391..=0x3A1 | 0x3A3..=0x3AB => u + 32,
        0x400..=0x40F => u + 80,
        0x410..=0x42F => u + 32,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if even => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// The upper case of a letter of the scripts above; anything else as it is.
pub fn upper(c: char) -> char {
    let u = c as u32;
    let even = u.is_multiple_of(2);
    let l = match u {
        0x61..=0x7A | 0xE0..=0xF6 | 0xF8..=0xFE => u - 32,
        0xFF => 0x178,
        0x101..=0x12F | 0x133..=0x137 | 0x14B..=0x177 if !even => u - 1,
        0x13A..=0x148 | 0x17A..=0x17E if even => u - 1,
        0x3AC => 0x386,
        0x3AD..=0x3AF => u - 37,
        0x3CC => 0x38C,
        0x3CD..=0x3CE => u - 63,
        0x3B1..=0x3C1 | 0x3C3..=0x3CB => u - 32,
        0x3C2 => 0x3A3,
        0x430..=0x44F => u - 32,
        0x450..=0x45F => u - 80,
        0x461..=0x481 | 0x48B..=0x4BF | 0x4D1..=0x52F if !even => u - 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// `s` in lower case (see [`lower`]).
pub fn to_lower(s: &str) -> String {
    s.chars().map(lower).collect()
}

/// `s` with its first letter in upper case (see [`upper`]).
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => std::iter::once(upper(first)).chain(chars).collect(),
        None => String::new(),
    }
}

/// `s` with its first letter in lower case ("The trigger" -> "the trigger").
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => std::iter::once(lower(first)).chain(chars).collect(),
        None => String::new(),
    }
}

/// Unicode's canonical decomposition (NFD) of a text, given by the caller: the browser's own
/// (`String.prototype.normalize`) in the page, the `unicode-normalization` crate in native
/// tests, so none of Unicode's tables is copied here or into the download.
pub type Decompose = fn(&str) -> String;

/// No decomposition: letters with marks stay as they are (matching still ignores case).
pub fn as_is(s: &str) -> String {
    s.to_string()
}

/// `text` folded for matching: lower case, without accents and other marks, and the letters
/// that carry their mark inside written with their base letters, as search engines fold
/// Latin ("Müller", "MULLER" and "muller" alike; "Łukasz" and "lukasz"; "Straße" and
/// "strasse"). Searching folds both the text and the words looked for.
pub fn folded(text: &str, decompose: Decompose) -> String {
    let decomposed;
    let text = if text.is_ascii() {
        text
    } else {
        decomposed = decompose(text);
        &decomposed
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // The combining marks' blocks: what a decomposition moves accents into.
        if matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
        {
            continue;
        }
        match lower(c) {
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ħ' => out.push('h'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // std is the reference the tests compare with
mod tests {
    use super::*;

    #[test]
    fn agrees_with_unicode_where_it_covers() {
        let ranges = [0x20..0x250u32, 0x370..0x400, 0x400..0x530];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let want: Vec<char> = c.to_lowercase().collect();
            if want.len() == 1 && lower(c) != c {
                assert_eq!(lower(c), want[0], "lower of {c} U+{:04X}", c as u32);
            }
            let want: Vec<char> = c.to_uppercase().collect();
            if want.len() == 1 && upper(c) != c {
                assert_eq!(upper(c), want[0], "upper of {c} U+{:04X}", c as u32);
            }
        }
    }

    fn nfd(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd().collect()
    }

    #[test]
    fn folding_finds_names_whatever_their_accents() {
        for (written, typed) in [
            ("Müller", "muller"),
            ("MÜLLER", "muller"),
            ("Zoë", "zoe"),
            ("Łukasz Żółć", "lukasz zolc"),
            ("Ørsted", "orsted"),
            ("Straße", "strasse"),
            ("Ærøskøbing", "aeroskobing"),
            ("Nguyễn Thị Ánh", "nguyen thi anh"),
            ("Ἀθηνᾶ", "αθηνα"),
            ("ESC-2026-0042", "esc-2026-0042"),
        ] {
            assert_eq!(folded(written, nfd), typed, "{written}");
            assert_eq!(folded(typed, nfd), typed, "{typed}");
        }
        // Without a decomposition, case still folds and the inner-mark letters still do.
        assert_eq!(folded("ŁUKASZ Müller", as_is), "lukasz müller");
    }

    #[test]
    fn covers_the_letters_names_are_written_in() {
        assert_eq!(
            to_lower("ÉLODIE Ørsted ŁUKASZ Żółć"),
            "élodie ørsted łukasz żółć"
        );
        assert_eq!(to_lower("ΑΘΗΝΑ Ωμέγα"), "αθηνα ωμέγα");
        assert_eq!(to_lower("ЖАННА Ёлкина ЄВГЕН"), "жанна ёлкина євген");
        assert_eq!(to_lower("ESC-2026-0042"), "esc-2026-0042");
        assert_eq!(upper_first("élodie"), "Élodie");
        assert_eq!(upper_first("жанна"), "Жанна");
        assert_eq!(upper_first(""), "");
        // Every letter of Latin-1, Extended-A, basic Greek and Cyrillic that has a simple
        // lower case gets it.
        for c in (0xC0..0x180u32)
            .chain(0x391..0x3AA)
            .chain(0x400..0x430)
            .filter_map(char::from_u32)
        {
            let want: Vec<char> = c.to_lowercase().collect();
            if want.len() == 1 && want[0] != c && c as u32 != 0x130 {
                assert_eq!(lower(c), want[0], "lower of {c} U+{:04X}", c as u32);
            }
        }
    }
}
