//! Team mode's end-to-end encryption: what the team's server stores and relays is the shared
//! document's shape (random case ids, part names, sizes, times) and ciphertext, never a value.
//!
//! - The team key (128 random bits, in the join link) never leaves a device. HKDF-SHA256 turns
//!   it into two things: the room's name on the server (one way: the name doesn't give the
//!   key back) and the AES-256-GCM key every value is sealed with.
//! - A sealed value is bytes (a binary value in the document, no base64): the scheme's version
//!   (1), a 12-byte random nonce, the ciphertext and its 16-byte tag. Its place in the
//!   document (`cases <id> <part>`, `team name`, ...) is the additional data, so a server that
//!   moves a value to another case or part makes it unreadable, never misplaced.
//! - The same construction as WebCrypto's `HKDF` and `AES-GCM` (and Node's `crypto`, which the
//!   tests' raw peer uses), done in Rust because yrs reads the document synchronously.
//!
//! Randomness is a parameter, like time: the worker passes the browser's
//! `crypto.getRandomValues`, tests a counter.

use std::cell::RefCell;
use std::rc::Rc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

/// HKDF's salt: names this app and the scheme's version.
const SALT: &[u8] = b"escalation-desk team v1";
/// The first byte of a sealed value: the scheme's version.
const VERSION: u8 = 1;

/// Bytes derived from the team key for one use (`info`).
fn derive<const N: usize>(key: &str, info: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let ikm = key.trim().to_ascii_lowercase();
    // `expand` fails only past 255 blocks of output; these are one or two.
    let _ = Hkdf::<Sha256>::new(Some(SALT), ikm.as_bytes()).expand(info, &mut out);
    out
}

/// The room's name on the team's server (the WebSocket path): derived one way from the key.
pub fn room(key: &str) -> String {
    let bytes: [u8; 16] = derive(key, b"room");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("escdesk-{hex}")
}

/// Seals and opens the values of one team's document.
#[derive(Clone)]
pub struct Seal {
    cipher: Aes256Gcm,
    /// A fresh 12-byte nonce for every value sealed.
    nonces: Rc<RefCell<dyn FnMut() -> [u8; 12]>>,
}

impl Seal {
    /// The team `key`'s seal; `nonces` gives random bytes (the browser's CSPRNG).
    pub fn new(key: &str, nonces: impl FnMut() -> [u8; 12] + 'static) -> Seal {
        let bytes: [u8; 32] = derive(key, b"values");
        Seal {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
            nonces: Rc::new(RefCell::new(nonces)),
        }
    }

    /// A seal whose nonces count up from `start` (tests, and nothing the team sees).
    pub fn counting(key: &str, start: u64) -> Seal {
        let mut n = start;
        Seal::new(key, move || {
            n += 1;
            let mut nonce = [0u8; 12];
            nonce[4..].copy_from_slice(&n.to_be_bytes());
            nonce
        })
    }

    /// `plain` sealed for its `place` in the document.
    pub fn seal(&self, place: &str, plain: &str) -> Vec<u8> {
        let nonce = (self.nonces.borrow_mut())();
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: place.as_bytes(),
        };
        // Encryption fails only past 64 GiB of text; an empty value then opens as nothing.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut bytes = Vec::with_capacity(1 + 12 + sealed.len());
        bytes.push(VERSION);
        bytes.extend(nonce);
        bytes.extend(sealed);
        bytes
    }

    /// The text sealed at `place`; `None` when it isn't sealed with this team's key for that
    /// place (another team's, moved, altered, or never sealed).
    pub fn open(&self, place: &str, sealed: &[u8]) -> Option<String> {
        let (&VERSION, bytes) = sealed.split_first()? else {
            return None;
        };
        if bytes.len() < 12 + 16 {
            return None;
        }
        let (nonce, body) = bytes.split_at(12);
        let payload = Payload {
            msg: body,
            aad: place.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Bytes as base64 text (the document's state passed between the worker and the page).
pub fn to_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Each byte's value as a base64 digit, 255 for none (the state is MBs: one lookup a digit).
const DIGITS: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        t[BASE64[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Base64 text back to bytes; `None` when it isn't base64.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut n, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = DIGITS[usize::from(c)];
        if v == 255 {
            return None;
        }
        n = n << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_value_opens_only_with_its_key_and_at_its_place() {
        let seal = Seal::counting(KEY, 0);
        let sealed = seal.seal("cases c1 details.subject", "\"Müller can't log in\"");
        assert!(!String::from_utf8_lossy(&sealed).contains("Müller"));
        assert_eq!(
            seal.open("cases c1 details.subject", &sealed).as_deref(),
            Some("\"Müller can't log in\"")
        );
        // Moved to another case or part by the server: unreadable, never misplaced.
        assert_eq!(seal.open("cases c2 details.subject", &sealed), None);
        assert_eq!(seal.open("cases c1 details.owner", &sealed), None);
        // Another team's key.
        let other = Seal::counting("fedcba9876543210fedcba9876543210", 0);
        assert_eq!(other.open("cases c1 details.subject", &sealed), None);
        // Altered by one character, cut short, plain text, garbage.
        let mut altered = sealed.clone();
        let i = altered.len() - 5;
        altered[i] ^= 1;
        assert_eq!(seal.open("cases c1 details.subject", &altered), None);
        assert_eq!(seal.open("cases c1 details.subject", &sealed[..20]), None);
        assert_eq!(seal.open("cases c1 details.subject", b"\"plain\""), None);
        assert_eq!(seal.open("cases c1 details.subject", &[]), None);
        let mut other_version = sealed.clone();
        other_version[0] = 2;
        assert_eq!(seal.open("cases c1 details.subject", &other_version), None);
    }

    #[test]
    fn the_same_value_sealed_twice_reads_differently() {
        let seal = Seal::counting(KEY, 0);
        let a = seal.seal("team name", "Support");
        let b = seal.seal("team name", "Support");
        assert_ne!(a, b);
        assert_eq!(seal.open("team name", &b).as_deref(), Some("Support"));
    }

    #[test]
    fn the_room_is_derived_one_way_and_never_holds_the_key() {
        let r = room(KEY);
        assert!(r.starts_with("escdesk-") && r.len() == "escdesk-".len() + 32);
        assert!(!r.contains(KEY) && !r.contains(&KEY[..8]));
        assert_eq!(r, room(&KEY.to_ascii_uppercase()));
        assert_ne!(r, room("fedcba9876543210fedcba9876543210"));
    }

    /// The scheme as another implementation computes it (Node's `crypto.hkdfSync` and
    /// `aes-256-gcm`, as the tests' raw peer does): fixed vectors keep the two in step.
    #[test]
    fn the_scheme_matches_its_vectors() {
        assert_eq!(room(KEY), "escdesk-".to_string() + ROOM_VECTOR);
        let sealed = Seal::counting(KEY, 0).seal("team name", "Support");
        assert_eq!(to_base64(&sealed), SEALED_VECTOR);
    }

    const ROOM_VECTOR: &str = "2f6352acb3f9f6a3e81ed77d9537d86d";
    const SEALED_VECTOR: &str = "AQAAAAAAAAAAAAAAAV6eRs0VpaR8t2Nl7kK5Z8eyoRAZCJ5m";

    #[test]
    fn base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", &[0, 255, 128, 7, 9]] {
            assert_eq!(from_base64(&to_base64(bytes)).as_deref(), Some(bytes));
        }
        assert_eq!(to_base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(to_base64(b"fo"), "Zm8=");
        assert_eq!(from_base64("not base64!"), None);
    }
}
