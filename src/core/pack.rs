//! Compact storage text: a stored value is its JSON compressed (LZSS) and written 15 bits per
//! UTF-16 character, about a quarter of the JSON's length.
//!
//! localStorage counts its quota (about 5 million characters) in UTF-16 characters, whatever
//! they hold; plain JSON of a typical case takes about 1,800, so fewer than 3,000 cases fit.
//! Packed, the same case takes about 450. Every character written is in U+0020..U+801F: never a
//! surrogate, never a control character, so every browser stores it unchanged.
//!
//! Layout: `~1`, two characters holding the unpacked length (30 bits), then the bit stream.
//! A value that doesn't start with `~1` is not packed (JSON starts with `{`).

pub const MARKER: &str = "~1";

const OFFSET_BITS: u32 = 12;
const LENGTH_BITS: u32 = 5;
const WINDOW: usize = 1 << OFFSET_BITS;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = MIN_MATCH + (1 << LENGTH_BITS) - 1;
const MAX_CANDIDATES: usize = 48;
const HASH_SIZE: usize = 1 << 13;
const CHAR_BASE: u32 = 0x20;
const CHAR_BITS: u32 = 15;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnpackError {
    #[error("its packed length is missing or too large")]
    BadLength,
    #[error("it has a character packed text never has")]
    BadCharacter,
    #[error("its packed data is cut short or refers outside itself")]
    Corrupt,
}

struct BitWriter {
    out: String,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    fn push(&mut self, value: u32, width: u32) {
        self.acc = (self.acc << width) | u64::from(value);
        self.bits += width;
        while self.bits >= CHAR_BITS {
            self.bits -= CHAR_BITS;
            let unit = ((self.acc >> self.bits) as u32) & ((1 << CHAR_BITS) - 1);
            self.out.push(to_char(unit));
        }
    }

    fn finish(mut self) -> String {
        if self.bits > 0 {
            let unit = ((self.acc << (CHAR_BITS - self.bits)) as u32) & ((1 << CHAR_BITS) - 1);
            self.out.push(to_char(unit));
        }
        self.out
    }
}

fn to_char(unit: u32) -> char {
    // unit < 2^15, so the code point stays below the surrogate range.
    char::from_u32(unit + CHAR_BASE).unwrap_or(' ')
}

fn from_char(c: char) -> Result<u32, UnpackError> {
    let code = c as u32;
    if (CHAR_BASE..CHAR_BASE + (1 << CHAR_BITS)).contains(&code) {
        Ok(code - CHAR_BASE)
    } else {
        Err(UnpackError::BadCharacter)
    }
}

fn hash(b: &[u8]) -> usize {
    let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
    (v.wrapping_mul(2_654_435_761) >> (32 - 13)) as usize & (HASH_SIZE - 1)
}

/// Packs text for storage.
pub fn pack(text: &str) -> String {
    let data = text.as_bytes();
    let len = data.len() as u32;
    let mut w = BitWriter {
        out: String::with_capacity(data.len() / 3 + 4),
        acc: 0,
        bits: 0,
    };
    w.out.push_str(MARKER);
    w.push(len >> 15 & 0x7fff, 15);
    w.push(len & 0x7fff, 15);

    let mut head = vec![usize::MAX; HASH_SIZE];
    let mut prev = vec![usize::MAX; data.len()];
    let mut i = 0;
    let insert = |pos: usize, head: &mut [usize], prev: &mut [usize]| {
        if pos + MIN_MATCH <= data.len() {
            let h = hash(&data[pos..]);
            prev[pos] = head[h];
            head[h] = pos;
        }
    };
    while i < data.len() {
        let mut best_len = 0;
        let mut best_off = 0;
        if i + MIN_MATCH <= data.len() {
            let mut candidate = head[hash(&data[i..])];
            let mut tries = 0;
            while candidate != usize::MAX && i - candidate <= WINDOW && tries < MAX_CANDIDATES {
                let max = MAX_MATCH.min(data.len() - i);
                let mut n = 0;
                while n < max && data[candidate + n] == data[i + n] {
                    n += 1;
                }
                if n > best_len {
                    best_len = n;
                    best_off = i - candidate;
                    if n == max {
                        break;
                    }
                }
                candidate = prev[candidate];
                tries += 1;
            }
        }
        if best_len >= MIN_MATCH {
            w.push(1, 1);
            w.push((best_off - 1) as u32, OFFSET_BITS);
            w.push((best_len - MIN_MATCH) as u32, LENGTH_BITS);
            for k in 0..best_len {
                insert(i + k, &mut head, &mut prev);
            }
            i += best_len;
        } else {
            w.push(0, 1);
            w.push(u32::from(data[i]), 8);
            insert(i, &mut head, &mut prev);
            i += 1;
        }
    }
    w.finish()
}

/// Whether a stored value is packed (else it is plain text).
pub fn is_packed(raw: &str) -> bool {
    raw.starts_with(MARKER)
}

/// Unpacks a value made by [`pack`]; refuses anything longer than `limit` bytes unpacked.
pub fn unpack(raw: &str, limit: usize) -> Result<String, UnpackError> {
    let body = raw.strip_prefix(MARKER).ok_or(UnpackError::Corrupt)?;
    let mut units = body.chars().map(from_char);
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    let mut read = |width: u32| -> Result<u32, UnpackError> {
        while bits < width {
            let unit = units.next().ok_or(UnpackError::Corrupt)??;
            acc = (acc << CHAR_BITS) | u64::from(unit);
            bits += CHAR_BITS;
        }
        bits -= width;
        Ok(((acc >> bits) as u32) & ((1u32 << width) - 1))
    };
    let hi = read(15)?;
    let lo = read(15)?;
    let len = ((hi << 15) | lo) as usize;
    if len > limit {
        return Err(UnpackError::BadLength);
    }
    let mut out: Vec<u8> = Vec::with_capacity(len);
    while out.len() < len {
        if read(1)? == 0 {
            out.push(read(8)? as u8);
        } else {
            let offset = read(OFFSET_BITS)? as usize + 1;
            let length = read(LENGTH_BITS)? as usize + MIN_MATCH;
            if offset > out.len() || out.len() + length > len {
                return Err(UnpackError::Corrupt);
            }
            let start = out.len() - offset;
            for k in 0..length {
                out.push(out[start + k]);
            }
        }
    }
    String::from_utf8(out).map_err(|_| UnpackError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_text_of_every_kind() {
        for text in [
            "",
            "a",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            r#"{"v":2,"kind":"case","data":{"name":"Zoë Ångström — 東京 🚀"}}"#,
            &"{\"at\":\"2026-01-05T19:19:00Z\",\"event\":{\"type\":\"edited\"}},".repeat(200),
        ] {
            let packed = pack(text);
            assert!(is_packed(&packed));
            assert!(packed.chars().all(|c| (0x20..0xD800).contains(&(c as u32))));
            assert_eq!(unpack(&packed, usize::MAX).unwrap(), text);
        }
    }

    #[test]
    fn repetitive_json_packs_small() {
        let text = "{\"at\":\"2026-01-05T19:19:00Z\",\"event\":{\"type\":\"edited\"}},".repeat(50);
        assert!(pack(&text).chars().count() * 8 < text.len());
    }

    #[test]
    fn damaged_packed_text_is_refused_not_trusted() {
        let packed = pack(&"some text that repeats, some text that repeats".repeat(5));
        let cut: String = packed.chars().take(packed.chars().count() / 2).collect();
        assert_eq!(unpack(&cut, usize::MAX), Err(UnpackError::Corrupt));
        assert_eq!(
            unpack("~1\u{1}\u{1}", usize::MAX),
            Err(UnpackError::BadCharacter)
        );
        assert_eq!(unpack(&packed, 10), Err(UnpackError::BadLength));
        // A match pointing before the start.
        let mut w = BitWriter {
            out: MARKER.to_string(),
            acc: 0,
            bits: 0,
        };
        w.push(0, 15);
        w.push(10, 15);
        w.push(1, 1);
        w.push(5, OFFSET_BITS);
        w.push(0, LENGTH_BITS);
        assert_eq!(unpack(&w.finish(), usize::MAX), Err(UnpackError::Corrupt));
    }
}
