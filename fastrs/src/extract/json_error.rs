//! Where and why a JSON text is invalid, in the words of Python's `json`
//! module, which FastAPI reports: `loc` `["body", position]` and `ctx`
//! `{"error": "Expecting value"}`.
//!
//! This runs only after serde has rejected a body, so it favours being a
//! faithful, readable copy of CPython's scanner (3.11) over speed. Nesting
//! is followed with an explicit stack, so no input can overflow ours;
//! Python itself gives up past its recursion limit, which FastAPI answers
//! with a 400.

/// Python's recursion limit, near which its JSON decoder stops.
const PYTHON_MAX_DEPTH: usize = 1000;

/// What Python's `json.loads` makes of a text serde rejected.
#[derive(Debug, PartialEq)]
pub(crate) enum PythonVerdict {
    /// A `JSONDecodeError`: its message and character position.
    Invalid(String, usize),
    /// Python could not decode it at all (nesting past its recursion limit).
    Undecodable,
    /// Python would accept the text (serde's limits are stricter).
    Valid,
}

/// The verdict Python's `json.loads` would reach on `text`.
pub(crate) fn python_json_error(text: &str) -> PythonVerdict {
    let chars: Vec<char> = text.chars().collect();
    match (Scanner { s: &chars }.document()) {
        Ok(()) => PythonVerdict::Valid,
        Err((message, _)) if message == TOO_DEEP => PythonVerdict::Undecodable,
        Err((message, position)) => PythonVerdict::Invalid(message, position),
    }
}

const TOO_DEEP: &str = "maximum recursion depth exceeded";

struct Scanner<'a> {
    s: &'a [char],
}

type Scan<T> = Result<T, (String, usize)>;

fn err<T>(msg: &str, pos: usize) -> Scan<T> {
    Err((msg.to_owned(), pos))
}

/// What the scanner is inside of, for the explicit stack.
enum Frame {
    Object,
    Array,
}

impl Scanner<'_> {
    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.s.get(i), Some(' ' | '\t' | '\n' | '\r')) {
            i += 1;
        }
        i
    }

    fn document(&self) -> Scan<()> {
        let start = self.ws(0);
        let end = self.value(start)?;
        let end = self.ws(end);
        if end != self.s.len() {
            return err("Extra data", end);
        }
        Ok(())
    }

    /// Scans one value starting at `i`; returns the index after it.
    fn value(&self, i: usize) -> Scan<usize> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = i;
        loop {
            // Scan a value at `i`, or open a container.
            let mut after = match self.s.get(i) {
                Some('"') => self.string(i + 1)?,
                Some('{') => {
                    let j = self.ws(i + 1);
                    match self.s.get(j) {
                        Some('}') => j + 1,
                        Some('"') => {
                            i = self.key(j)?;
                            stack.push(Frame::Object);
                            if stack.len() > PYTHON_MAX_DEPTH {
                                return err(TOO_DEEP, i);
                            }
                            continue;
                        }
                        _ => return err("Expecting property name enclosed in double quotes", j),
                    }
                }
                Some('[') => {
                    let j = self.ws(i + 1);
                    if self.s.get(j) == Some(&']') {
                        j + 1
                    } else {
                        stack.push(Frame::Array);
                        if stack.len() > PYTHON_MAX_DEPTH {
                            return err(TOO_DEEP, j);
                        }
                        i = j;
                        continue;
                    }
                }
                _ => self.atom(i)?,
            };
            // Close containers that end here.
            loop {
                let Some(frame) = stack.last() else {
                    return Ok(after);
                };
                let j = self.ws(after);
                let close = match frame {
                    Frame::Object => '}',
                    Frame::Array => ']',
                };
                match self.s.get(j) {
                    Some(c) if *c == close => {
                        stack.pop();
                        after = j + 1;
                    }
                    Some(',') => {
                        let k = self.ws(j + 1);
                        match frame {
                            Frame::Object => {
                                if self.s.get(k) != Some(&'"') {
                                    return err(
                                        "Expecting property name enclosed in double quotes",
                                        k,
                                    );
                                }
                                i = self.key(k)?;
                            }
                            Frame::Array => i = k,
                        }
                        break;
                    }
                    _ => return err("Expecting ',' delimiter", j),
                }
            }
        }
    }

    /// Scans `"key" :` starting at the quote; returns where the value starts.
    fn key(&self, quote: usize) -> Scan<usize> {
        let end = self.string(quote + 1)?;
        let j = self.ws(end);
        if self.s.get(j) != Some(&':') {
            return err("Expecting ':' delimiter", j);
        }
        Ok(self.ws(j + 1))
    }

    /// Scans a string body starting after the opening quote.
    fn string(&self, begin: usize) -> Scan<usize> {
        let mut i = begin;
        loop {
            match self.s.get(i) {
                None => return err("Unterminated string starting at", begin - 1),
                Some('"') => return Ok(i + 1),
                Some('\\') => match self.s.get(i + 1) {
                    None => return err("Unterminated string starting at", begin - 1),
                    Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => i += 2,
                    Some('u') => {
                        let hex = self.s.get(i + 2..i + 6);
                        if !hex.is_some_and(|h| h.iter().all(char::is_ascii_hexdigit)) {
                            return err("Invalid \\uXXXX escape", i + 1);
                        }
                        i += 6;
                    }
                    Some(_) => return err("Invalid \\escape", i),
                },
                Some(c) if (*c as u32) < 0x20 => return err("Invalid control character at", i),
                Some(_) => i += 1,
            }
        }
    }

    /// Scans a literal or a number; "Expecting value" if there is none.
    fn atom(&self, i: usize) -> Scan<usize> {
        for word in ["null", "true", "false", "NaN", "Infinity", "-Infinity"] {
            let len = word.chars().count();
            if self
                .s
                .get(i..i + len)
                .is_some_and(|w| w.iter().copied().eq(word.chars()))
            {
                return Ok(i + len);
            }
        }
        // -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
        let digit = |j: usize| self.s.get(j).is_some_and(char::is_ascii_digit);
        let mut j = i;
        if self.s.get(j) == Some(&'-') {
            j += 1;
        }
        match self.s.get(j) {
            Some('0') => j += 1,
            Some('1'..='9') => {
                while digit(j) {
                    j += 1;
                }
            }
            _ => return err("Expecting value", i),
        }
        if self.s.get(j) == Some(&'.') && digit(j + 1) {
            j += 1;
            while digit(j) {
                j += 1;
            }
        }
        if matches!(self.s.get(j), Some('e' | 'E')) {
            let mut k = j + 1;
            if matches!(self.s.get(k), Some('+' | '-')) {
                k += 1;
            }
            if digit(k) {
                while digit(k) {
                    k += 1;
                }
                j = k;
            }
        }
        Ok(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(text: &str) -> Option<(String, usize)> {
        match python_json_error(text) {
            PythonVerdict::Invalid(message, position) => Some((message, position)),
            _ => None,
        }
    }

    // Expectations from CPython 3.11: json.loads(text) -> JSONDecodeError(msg, pos).
    #[test]
    fn errors_match_python_messages_and_positions() {
        assert_eq!(e(r#"{"name": x}"#), Some(("Expecting value".into(), 9)));
        assert_eq!(
            e(r#"{"name": "x",}"#),
            Some((
                "Expecting property name enclosed in double quotes".into(),
                13
            ))
        );
        assert_eq!(e(r#"{"name""#), Some(("Expecting ':' delimiter".into(), 7)));
        assert_eq!(e(r#"{"a":1"#), Some(("Expecting ',' delimiter".into(), 6)));
        assert_eq!(
            e("{"),
            Some((
                "Expecting property name enclosed in double quotes".into(),
                1
            ))
        );
        assert_eq!(e("[1,]"), Some(("Expecting value".into(), 3)));
        assert_eq!(
            e(r#"{"a": "b"#),
            Some(("Unterminated string starting at".into(), 6))
        );
        assert_eq!(e("{} x"), Some(("Extra data".into(), 3)));
        assert_eq!(e(""), Some(("Expecting value".into(), 0)));
        assert_eq!(
            e("\"a\nb\""),
            Some(("Invalid control character at".into(), 2))
        );
        assert_eq!(e(r#""\q""#), Some(("Invalid \\escape".into(), 1)));
        assert_eq!(e(r#""\u12x4""#), Some(("Invalid \\uXXXX escape".into(), 2)));
        assert_eq!(e("01"), Some(("Extra data".into(), 1)));
        assert_eq!(e("tru"), Some(("Expecting value".into(), 0)));
    }

    #[test]
    fn valid_documents_have_no_error() {
        for ok in [
            r#"{"a": [1, -2.5e3, true, null, {"b": "\u00e9"}]}"#,
            " [] ",
            "NaN",
            "\"é\"",
        ] {
            assert_eq!(e(ok), None, "{ok}");
        }
    }

    #[test]
    fn deep_nesting_is_undecodable_as_in_python_and_overflows_nothing() {
        let deep = "[".repeat(100_000);
        assert_eq!(python_json_error(&deep), PythonVerdict::Undecodable);
        let shallow = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert_eq!(python_json_error(&shallow), PythonVerdict::Valid);
        assert_eq!(
            python_json_error("[[1] x"),
            PythonVerdict::Invalid("Expecting ',' delimiter".into(), 5)
        );
    }
}
