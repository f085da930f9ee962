//! Our plain data as JSON and back, read and written by hand.
//!
//! serde's derived readers are generated per type *and* per source, and in the app they were
//! the largest single part of the download (about 130 KB of code before optimisation, for some
//! 40 types); its derived writers and serde_json's reader and writer were another 40 KB. Here
//! every stored or imported text is parsed once into a [`Value`] ([`parse_value`], our own
//! reader), each type's [`FromJson`] reads its fields out of it through a handful of shared
//! functions, and each type's [`ToJson`] writes its fields in order through [`Object`]. Each
//! `FromJson` reads exactly what that type's `ToJson` writes (the round-trip tests hold them
//! together, and `tests/writers.rs` and the golden files hold the writers to the bytes the app
//! always wrote); unknown fields are ignored, a missing optional field is `None`, and anything
//! else missing or of the wrong kind is an error naming the place, e.g.
//! `details.steps[2].at: not a date and time`.
//!
//! Types that other code may still read through serde get a `Deserialize` that goes through
//! here too ([`deserialize_by_hand!`]), so there is one reader per type.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

/// What went wrong, in words, and where: `details.steps[2].at: not a date and time`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The path from the value read to the place, empty when it is the value itself.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl From<String> for ReadError {
    fn from(problem: String) -> ReadError {
        ReadError {
            path: String::new(),
            problem,
        }
    }
}

impl From<&str> for ReadError {
    fn from(problem: &str) -> ReadError {
        problem.to_string().into()
    }
}

impl ReadError {
    /// The same error, seen from one level up: `key` (`"steps"` or `"[2]"`) goes in front.
    fn inside(mut self, key: &str) -> ReadError {
        let sep = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            "."
        };
        self.path = format!("{key}{sep}{}", self.path);
        self
    }
}

pub type Read<T> = Result<T, ReadError>;

/// A type that can be read out of a parsed JSON value.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Read<Self>;

    /// What an absent field of this type reads as: `Some(None)` for an `Option`; `None` for
    /// every other type, meaning the field is required.
    fn absent() -> Option<Self> {
        None
    }
}

/// Parses `text` as JSON and reads a `T` out of it.
pub fn parse<T: FromJson>(text: &str) -> Read<T> {
    let v = parse_value(text).map_err(|e| ReadError::from(e.to_string()))?;
    T::from_json(&v)
}

/// Why a text is not JSON we can read, in the reader's words, and where: "It is not valid JSON:
/// it ends too early, as if cut off (line 1, column 53)." The parser's own wording ("EOF while
/// parsing a list", "recursion limit exceeded") means little to a person and stays off the
/// screen; the place stays, for whoever looks at the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub problem: Syntax,
    pub line: usize,
    pub column: usize,
}

/// The kinds of broken JSON worth telling apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// The text stops in the middle: a download or a copy that was cut short.
    CutOff,
    /// Lists or objects inside each other deeper than the parser goes (128): never one of ours.
    TooDeep,
    /// A whole JSON value, then more.
    MoreAfterTheEnd,
    /// Anything else.
    Invalid,
}

impl SyntaxError {
    /// The error for byte `at` of `text` (its length: the text stopped there), with the line
    /// and column a text editor shows: columns count bytes from 1; at the end of the text, the
    /// column of its last character.
    fn at(text: &str, at: usize, problem: Syntax) -> SyntaxError {
        let before = &text.as_bytes()[..at.min(text.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = before.len() - line_start + usize::from(at < text.len());
        SyntaxError {
            problem,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column,
        }
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words = match self.problem {
            Syntax::CutOff => "It is not valid JSON: it ends too early, as if cut off",
            Syntax::TooDeep => "It is nested too deeply to be a file of ours",
            Syntax::MoreAfterTheEnd => {
                "It is not valid JSON: more text follows where it should end"
            }
            Syntax::Invalid => "It is not valid JSON",
        };
        write!(f, "{words} (line {}, column {}).", self.line, self.column)
    }
}

/// Parses `text` as JSON (RFC 8259), with a failure in the reader's words ([`SyntaxError`]).
///
/// Written here rather than serde_json's reader, which is generic over every source and
/// visitor and was 15 KB of each page's code; this one builds serde_json's `Value` the way
/// that reader does (whole numbers as integers when they fit, lists and objects nested at most
/// 127 deep, the last of a repeated key kept) and is checked against it in the tests.
pub fn parse_value(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Parser {
        text,
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let whole = p.value().and_then(|v| {
        p.space();
        if p.i < p.s.len() {
            Err((Syntax::MoreAfterTheEnd, p.i))
        } else {
            Ok(v)
        }
    });
    whole.map_err(|(problem, at)| SyntaxError::at(text, at, problem))
}

/// What went wrong and the byte it went wrong at (the text's length: it ended there).
type Parsed<T> = Result<T, (Syntax, usize)>;

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl Parser<'_> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte, not taken; the text ending here is an error.
    fn peek(&self) -> Parsed<u8> {
        self.s
            .get(self.i)
            .copied()
            .ok_or((Syntax::CutOff, self.s.len()))
    }

    fn invalid<T>(&self) -> Parsed<T> {
        Err((Syntax::Invalid, self.i))
    }

    /// Takes `b`, which must come next.
    fn take(&mut self, b: u8) -> Parsed<()> {
        if self.peek()? != b {
            return self.invalid();
        }
        self.i += 1;
        Ok(())
    }

    fn value(&mut self) -> Parsed<Value> {
        self.space();
        match self.peek()? {
            b'n' => self.word("null", Value::Null),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => {
                let mut items = Vec::new();
                self.items(b']', |p| {
                    items.push(p.value()?);
                    Ok(())
                })?;
                Ok(Value::Array(items))
            }
            b'{' => {
                let mut map = Map::new();
                self.items(b'}', |p| {
                    p.space();
                    let key = p.string()?;
                    p.space();
                    p.take(b':')?;
                    map.insert(key, p.value()?);
                    Ok(())
                })?;
                Ok(Value::Object(map))
            }
            _ => self.invalid(),
        }
    }

    /// A list or object, one level deeper: its opening bracket, then `item` for each item up
    /// to `close`, with commas between.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Parsed<()>) -> Parsed<()> {
        self.depth += 1;
        if self.depth >= 128 {
            return Err((Syntax::TooDeep, self.i));
        }
        self.i += 1;
        self.space();
        if self.peek()? == close {
            self.i += 1;
        } else {
            loop {
                item(self)?;
                self.space();
                match self.peek()? {
                    b',' => self.i += 1,
                    b if b == close => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.invalid(),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn word(&mut self, word: &str, v: Value) -> Parsed<Value> {
        for &b in word.as_bytes() {
            self.take(b)?;
        }
        Ok(v)
    }

    fn digits(&mut self) -> Parsed<()> {
        if !self.peek()?.is_ascii_digit() {
            return self.invalid();
        }
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Parsed<Value> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        if self.peek()? == b'0' {
            self.i += 1;
            if self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                return self.invalid();
            }
        } else {
            self.digits()?;
        }
        let mut whole = true;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            self.digits()?;
            whole = false;
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            self.digits()?;
            whole = false;
        }
        // Only ASCII digits, signs, points and exponents were taken.
        let text = self.text.get(start..self.i).unwrap_or_default();
        if whole {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Value::Number(n.into()));
            }
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Value::Number(n.into()));
            }
        }
        serde_json::Number::from_f64(decimal(text))
            .map(Value::Number)
            .ok_or((Syntax::Invalid, start))
    }

    /// A string, from its opening quote; escapes read, a lone half of a surrogate pair refused.
    fn string(&mut self) -> Parsed<String> {
        self.take(b'"')?;
        let mut out = String::new();
        loop {
            let run = self.i;
            let rest = &self.s[run..];
            let len = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            self.i += len;
            // The run ends at an ASCII byte or the end, so it is whole characters of the text.
            let piece = self.text.get(run..self.i).unwrap_or_default();
            if out.is_empty() && self.s.get(self.i) == Some(&b'"') {
                // No escapes (most strings): one allocation of the right size.
                self.i += 1;
                return Ok(piece.to_string());
            }
            out.push_str(piece);
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.i += 1;
                            let unit = self.hex4()?;
                            let code = match unit {
                                0xD800..=0xDBFF => {
                                    self.take(b'\\')?;
                                    self.take(b'u')?;
                                    let low = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return Err((Syntax::Invalid, self.i - 1));
                                    }
                                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                                }
                                0xDC00..=0xDFFF => return Err((Syntax::Invalid, self.i - 1)),
                                _ => unit,
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            continue;
                        }
                        _ => return self.invalid(),
                    };
                    self.i += 1;
                    out.push(c);
                }
                // A control character: JSON wants it escaped.
                _ => return self.invalid(),
            }
        }
    }

    fn hex4(&mut self) -> Parsed<u32> {
        if self.i + 4 > self.s.len() {
            return Err((Syntax::CutOff, self.s.len()));
        }
        let mut n = 0;
        for _ in 0..4 {
            let d = (self.peek()? as char).to_digit(16);
            let Some(d) = d else {
                return self.invalid();
            };
            n = n * 16 + d;
            self.i += 1;
        }
        Ok(n)
    }
}

/// The value of a JSON number that is not a whole number in range (`2.5`, `1e3`, a 30-digit
/// integer), to within a unit or so in the last place: the app writes no fractions, and
/// std's exact reader would add its tables to the download.
fn decimal(text: &str) -> f64 {
    let (text, negative) = match text.strip_prefix('-') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let (digits, exponent) = match text.find(['e', 'E']) {
        Some(at) => (
            &text[..at],
            text[at + 1..].parse::<i32>().unwrap_or(i32::MAX),
        ),
        None => (text, 0),
    };
    let (mut mantissa, mut scale) = (0u64, 0i32);
    let mut after_point = false;
    for b in digits.bytes() {
        match b {
            b'.' => after_point = true,
            _ if mantissa < 1_000_000_000_000_000_000 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                scale -= i32::from(after_point);
            }
            _ => scale += i32::from(!after_point),
        }
    }
    let power = exponent.saturating_add(scale);
    let mut v = mantissa as f64;
    if mantissa != 0 {
        // Two steps, so 1e-320 reaches the small numbers instead of stopping at 0.
        let half = power / 2;
        v = v * 10f64.powi(half) * 10f64.powi(power - half);
        // Rounding on the way can overshoot the largest number for one that is just below it.
        let magnitude = mantissa.ilog10() as i32 + power;
        if v.is_infinite() && magnitude <= 308 {
            v = f64::MAX;
        }
    }
    if negative {
        -v
    } else {
        v
    }
}

/// A type written as JSON by hand: the counterpart of [`FromJson`], and for the same reason
/// (serde's derived writers and serde_json's serializer were 28 KB of each page's code). Each
/// type writes its fields in the order serde's derive did, so stored text stays byte for byte
/// what older versions wrote; `tests` hold every writer to its reader.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// `value` as compact JSON text, as the store and the files write it.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// `value` as a parsed [`Value`], through its text: one writer per type in the download.
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> Value {
    parse_value(&to_string(value)).unwrap_or(Value::Null)
}

/// An object being written, its fields in the order they are given:
/// `Object::new(out).field("id", &self.id).field("rev", &self.rev).end()`.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn new(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, empty: true }
    }

    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Object<'a> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_text(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// A field written only when `keep` (serde's `skip_serializing_if`, turned round).
    pub fn field_if<T: ToJson + ?Sized>(
        &mut self,
        keep: bool,
        key: &str,
        value: &T,
    ) -> &mut Object<'a> {
        if keep {
            self.field(key, value);
        }
        self
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Text that is JSON already, written as it is (a case's stored text inside a message).
pub struct RawJson<'a>(pub &'a str);

impl ToJson for RawJson<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

/// Text as a JSON string, escaped as serde_json escapes it: quotes, backslashes and control
/// characters; everything else as it is.
pub fn write_text(out: &mut String, text: &str) {
    out.push('"');
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push_str(short);
        }
        from = i + 1;
    }
    out.push_str(&text[from..]);
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_text(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_text(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! write_integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
write_integers!(u8, u32, u64, usize, i32, i64);

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// As chrono's serde writes it: RFC 3339 in UTC, `Z`, fractions of a second only when there
/// are some (`2026-11-23T09:30:00Z`, `2026-11-23T09:30:00.500Z`).
impl ToJson for DateTime<Utc> {
    fn write_json(&self, out: &mut String) {
        write_text(
            out,
            &self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
    }
}

/// `2026-12-25`.
impl ToJson for NaiveDate {
    fn write_json(&self, out: &mut String) {
        use chrono::Datelike;
        use std::fmt::Write;
        let _ = write!(
            out,
            "\"{:04}-{:02}-{:02}\"",
            self.year(),
            self.month(),
            self.day()
        );
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => {
                use std::fmt::Write;
                let _ = write!(out, "{n}");
            }
            Value::String(s) => write_text(out, s),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => {
                let mut o = Object::new(out);
                for (k, v) in map {
                    o.field(k, v);
                }
                o.end();
            }
        }
    }
}

/// Writes a struct as an object of the fields listed, in that order (the order of the
/// struct, as serde's derive wrote them).
macro_rules! write_fields {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::core::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let mut o = $crate::core::json::Object::new(out);
                $( o.field(stringify!($field), &self.$field); )*
                o.end();
            }
        }
    };
}
pub(crate) use write_fields;

/// `value` as indented JSON, exactly as `serde_json::to_string_pretty` writes it, made from the
/// compact text the store already writes: one serializer per type in the download instead of
/// two (the pretty one was a second full copy of every type's writer).
pub fn pretty<T: ToJson + ?Sized>(value: &T) -> String {
    indent(&to_string(value))
}

/// Indents compact JSON text (no whitespace outside strings) two spaces a level.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// "expected text, found a number".
pub fn expected(what: &str, v: &Value) -> ReadError {
    format!("expected {what}, found {}", kind(v)).into()
}

/// "“teleported” is not a known Status".
pub fn unknown(what: &str, text: &str) -> ReadError {
    format!(
        "“{}” is not a known {what}",
        text.chars().take(40).collect::<String>()
    )
    .into()
}

/// The fields of a JSON object, read one by one.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value) -> Read<Fields<'a>> {
        v.as_object()
            .map(Fields)
            .ok_or_else(|| expected("an object", v))
    }

    pub fn of_map(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields(map)
    }

    /// A field that must be there (or, for an `Option`, may be absent).
    pub fn get<T: FromJson>(&self, key: &str) -> Read<T> {
        match self.0.get(key) {
            Some(v) => T::from_json(v).map_err(|e| e.inside(key)),
            None => T::absent().ok_or_else(|| ReadError::from("missing").inside(key)),
        }
    }

    /// A field that reads as `fallback()` when absent (serde's `#[serde(default)]`).
    pub fn get_or<T: FromJson>(&self, key: &str, fallback: impl FnOnce() -> T) -> Read<T> {
        match self.0.get(key) {
            Some(v) => T::from_json(v).map_err(|e| e.inside(key)),
            None => Ok(fallback()),
        }
    }

    pub fn get_or_default<T: FromJson + Default>(&self, key: &str) -> Read<T> {
        self.get_or(key, T::default)
    }

    /// The raw value of a field, if present.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }
}

impl FromJson for String {
    fn from_json(v: &Value) -> Read<String> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| expected("text", v))
    }
}

impl FromJson for bool {
    fn from_json(v: &Value) -> Read<bool> {
        v.as_bool().ok_or_else(|| expected("true or false", v))
    }
}

fn integer(v: &Value) -> Read<i64> {
    v.as_i64().ok_or_else(|| expected("a whole number", v))
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Value) -> Read<$t> {
                <$t>::try_from(integer(v)?).map_err(|_| ReadError::from(format!("{} is out of range", to_string(v))))
            }
        }
    )*};
}
integers!(u8, u32, i32, i64);

impl FromJson for u64 {
    fn from_json(v: &Value) -> Read<u64> {
        v.as_u64()
            .ok_or_else(|| expected("a whole number from 0", v))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value) -> Read<Option<T>> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }

    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Read<Vec<T>> {
        let items = v.as_array().ok_or_else(|| expected("a list", v))?;
        items
            .iter()
            .enumerate()
            .map(|(i, x)| T::from_json(x).map_err(|e| at_index(i, e)))
            .collect()
    }
}

fn at_index(i: usize, e: ReadError) -> ReadError {
    e.inside(&format!("[{i}]"))
}

impl<T: FromJson, const N: usize> FromJson for [T; N] {
    fn from_json(v: &Value) -> Read<[T; N]> {
        let items: Vec<T> = Vec::from_json(v)?;
        items
            .try_into()
            .map_err(|items: Vec<T>| format!("expected {N} items, found {}", items.len()).into())
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(v: &Value) -> Read<(A, B)> {
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok((
                A::from_json(a).map_err(|e| at_index(0, e))?,
                B::from_json(b).map_err(|e| at_index(1, e))?,
            )),
            _ => Err(expected("a pair", v)),
        }
    }
}

impl FromJson for Value {
    fn from_json(v: &Value) -> Read<Value> {
        Ok(v.clone())
    }
}

/// Dates and times as chrono writes them: RFC 3339 (`2026-11-23T09:30:00Z`, any offset).
impl FromJson for DateTime<Utc> {
    fn from_json(v: &Value) -> Read<DateTime<Utc>> {
        let text = v.as_str().ok_or_else(|| expected("a date and time", v))?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "not a date and time".into())
    }
}

/// Days as chrono writes them: `2026-12-25`.
impl FromJson for NaiveDate {
    fn from_json(v: &Value) -> Read<NaiveDate> {
        let text = v.as_str().ok_or_else(|| expected("a date", v))?;
        day(text).ok_or_else(|| "not a date like 2026-12-25".into())
    }
}

fn day(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A unit enum read and written as text, e.g. `"in_progress"`: either the words each variant
/// is written as, or the type's own lookup and key when its keys are those words
/// (`Channel via Channel::from_key, Channel::key`).
macro_rules! text_enum {
    ($ty:ident via $lookup:path, $key:path) => {
        impl $crate::core::json::FromJson for $ty {
            fn from_json(v: &serde_json::Value) -> $crate::core::json::Read<$ty> {
                let text = v.as_str().ok_or_else(|| $crate::core::json::expected("text", v))?;
                $lookup(text).ok_or_else(|| $crate::core::json::unknown(stringify!($ty), text))
            }
        }
        impl $crate::core::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::core::json::write_text(out, $key(*self));
            }
        }
    };
    ($ty:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $crate::core::json::FromJson for $ty {
            fn from_json(v: &serde_json::Value) -> $crate::core::json::Read<$ty> {
                match v.as_str() {
                    $(Some($text) => Ok($ty::$variant),)*
                    Some(other) => Err($crate::core::json::unknown(stringify!($ty), other)),
                    None => Err($crate::core::json::expected("text", v)),
                }
            }
        }
        impl $crate::core::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::core::json::write_text(out, match self { $($ty::$variant => $text,)* });
            }
        }
    };
}
pub(crate) use text_enum;

/// A `Deserialize` that reads through [`FromJson`], for code that reads these types with serde.
macro_rules! deserialize_by_hand {
    ($($ty:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                <$ty as $crate::core::json::FromJson>::from_json(&v)
                    .map_err(serde::de::Error::custom)
            }
        }
    )*};
}
pub(crate) use deserialize_by_hand;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Step {
        at: DateTime<Utc>,
        note: Option<String>,
    }
    impl FromJson for Step {
        fn from_json(v: &Value) -> Read<Step> {
            let f = Fields::of(v)?;
            Ok(Step {
                at: f.get("at")?,
                note: f.get("note")?,
            })
        }
    }

    #[test]
    fn indenting_compact_json_is_what_serde_writes_pretty() {
        let v =
            json!({"a": [1, {"b": "x:{,}\\\"]"}, [], {}], "c": {"d": null, "e": [true]}, "f": "é"});
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
    }

    #[test]
    fn errors_name_the_place() {
        let v = json!({"steps": [{"at": "2026-11-23T09:30:00Z"}, {"at": 3}]});
        let f = Fields::of(&v).unwrap();
        let e = f.get::<Vec<Step>>("steps").unwrap_err().to_string();
        assert_eq!(e, "steps[1].at: expected a date and time, found a number");
        let e = f.get::<Vec<Step>>("gone").unwrap_err().to_string();
        assert_eq!(e, "gone: missing");
        let v = json!({"steps": [{"note": "x"}]});
        let e = Fields::of(&v)
            .unwrap()
            .get::<Vec<Step>>("steps")
            .unwrap_err();
        assert_eq!(e.to_string(), "steps[0].at: missing");
        let e = Vec::<(u8, u8)>::from_json(&json!([[1, 2], [3, "x"]])).unwrap_err();
        assert_eq!(e.to_string(), "[1][1]: expected a whole number, found text");
    }

    #[test]
    fn optional_fields_may_be_absent_or_null() {
        let s = Step::from_json(&json!({"at": "2026-11-23T09:30:00+01:00", "note": null}));
        assert_eq!(
            s.unwrap(),
            Step {
                at: "2026-11-23T08:30:00Z".parse().unwrap(),
                note: None
            }
        );
    }

    #[test]
    fn numbers_keep_their_range() {
        assert_eq!(u8::from_json(&json!(255)), Ok(255));
        assert!(u8::from_json(&json!(256)).is_err());
        assert!(u32::from_json(&json!(-1)).is_err());
        assert!(u32::from_json(&json!(1.5)).is_err());
        assert_eq!(<[u32; 2]>::from_json(&json!([1, 2])), Ok([1, 2]));
        assert!(<[u32; 2]>::from_json(&json!([1])).is_err());
    }

    /// serde_json's reader, whose results ours must match: the value, or the kind of error
    /// (with its place, which may differ by a character).
    fn serde_reads(text: &str) -> Result<Value, SyntaxError> {
        serde_json::from_str::<Value>(text).map_err(|e| {
            let words = e.to_string();
            let problem = if e.is_eof() {
                Syntax::CutOff
            } else if words.starts_with("recursion limit exceeded") {
                Syntax::TooDeep
            } else if words.starts_with("trailing characters") {
                Syntax::MoreAfterTheEnd
            } else {
                Syntax::Invalid
            };
            SyntaxError {
                problem,
                line: e.line(),
                column: e.column(),
            }
        })
    }

    /// Equal values; fractions to within a few units in the last place.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-15
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((k, a), (l, b))| k == l && same(a, b))
            }
            _ => a == b,
        }
    }

    fn reads_like_serde_json(text: &str) {
        match (parse_value(text), serde_reads(text)) {
            (Ok(a), Ok(b)) => assert!(same(&a, &b), "{text:?}: {a} against {b}"),
            // The kind; the place may differ by a character (ours is the offending one).
            (Err(a), Err(b)) => assert_eq!(a.problem, b.problem, "{text:?}: {a} against {b}"),
            (a, b) => panic!("{text:?}: ours {a:?}, serde_json's {b:?}"),
        }
    }

    #[test]
    fn reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        let deep_ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        let corpus = [
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1",
            "-1",
            "12.5",
            "-0.25",
            "1e3",
            "1E+3",
            "2.5e-3",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1",
            "1.7976931348623157e308",
            "5e-324",
            "1e400",
            "-1e400",
            "1e-400",
            "\"\"",
            "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
            "\"\\u00e9\\u20ac\"",
            "\"\\ud83d\\ude00\"",
            "\"é ✓ 😀\"",
            "[]",
            "{}",
            "[1,2,[3,{}]]",
            "{\"a\":1,\"a\":2}",
            " \t\r\n{ \"k\" : [ null , true ] } \n",
            &deep_ok,
            // Refused:
            "",
            " ",
            "nul",
            "nulx",
            "tru",
            "True",
            "01",
            "-",
            "-a",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "0x10",
            "NaN",
            "Infinity",
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{\"a\"}",
            "{a:1}",
            "{\"a\" 1}",
            "[1 2]",
            "\"abc",
            "\"a\nb\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\ud800\"",
            "\"\\ud800x\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "{}{}",
            "[] x",
            "[1]]",
            "'a'",
            "[",
            "{",
            "{\"a\":",
            "[1,",
            "\u{feff}{}",
            "\u{0}",
        ];
        for text in corpus {
            reads_like_serde_json(text);
        }
        for n in [126, 127, 128, 129, 500] {
            reads_like_serde_json(&"[".repeat(n));
            reads_like_serde_json(&format!("{}{}", "{\"a\":".repeat(n), "1"));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any text made of JSON's own characters: the same value, or the same kind of error.
        #[test]
        fn any_text_reads_as_serde_json_reads_it(
            text in r#"[\[\]{}",:0-9.eE+\- \ntruefalsn\\u/abd\x01é]{0,30}"#
        ) {
            reads_like_serde_json(&text);
        }
    }

    #[test]
    fn broken_json_is_described_in_words_with_its_place() {
        let said = |text: &str| parse_value(text).unwrap_err().to_string();
        assert_eq!(
            said(r#"{"cases":[{"id":"x"}"#),
            "It is not valid JSON: it ends too early, as if cut off (line 1, column 20)."
        );
        assert_eq!(
            said(&"[".repeat(10_000)),
            "It is nested too deeply to be a file of ours (line 1, column 128)."
        );
        assert_eq!(
            said("{}\n{}"),
            "It is not valid JSON: more text follows where it should end (line 2, column 1)."
        );
        assert_eq!(said("hello"), "It is not valid JSON (line 1, column 1).");
        assert_eq!(
            said("{\"a\":\n  01}"),
            "It is not valid JSON (line 2, column 4)."
        );
        assert_eq!(parse_value("[1]").unwrap(), json!([1]));
    }

    #[test]
    fn days_and_times_are_strict() {
        assert!(NaiveDate::from_json(&json!("2026-12-25")).is_ok());
        for bad in ["2026-13-01", "2026-2-01", "25.12.2026", "2026-12-25x"] {
            assert!(NaiveDate::from_json(&json!(bad)).is_err(), "{bad}");
        }
        assert!(DateTime::<Utc>::from_json(&json!("2026-11-23 09:30")).is_err());
    }
}
