//! Turning a file's bytes into text.
//!
//! Archives of Arabic news come in three encodings: UTF-8 (with or without a byte-order mark),
//! UTF-16 with a byte-order mark (files saved as "Unicode" by Windows tools), and Windows-1256
//! (older Arabic archives). Anything else, and binary data, is refused with a reason naming the
//! file, so one odd file never turns into an index full of mojibake.
//!
//! A UTF-8 file with a few bad bytes (cut off mid-letter, one stray byte) is still UTF-8: its
//! bad bytes become U+FFFD and the encoding says how many ([`TextEncoding::Utf8Repaired`]), so
//! the caller can say so. Windows-1256 is chosen only when the bytes read as Windows-1256
//! Arabic throughout, not merely because they are not perfect UTF-8.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1256};

use crate::error::{Error, Result, shown};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-8 but for a few invalid byte sequences, each replaced by U+FFFD.
    Utf8Repaired {
        /// How many invalid sequences were replaced.
        replaced: usize,
        /// The byte offset of the first.
        first_offset: usize,
    },
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
    /// Windows-1256 (Arabic), recognized when the text is not UTF-8 and reads as Arabic.
    Windows1256,
}

/// At most this share of a text's characters may be control characters other than white space
/// (a stray form feed or SUB in an old file is fine; binary data has many).
const MAX_CONTROL_PER_MILLE: usize = 10;

/// A file not valid UTF-8 is read as UTF-8 (bad bytes replaced) when it has at least this many
/// well-formed non-ASCII characters per invalid sequence. Windows-1256 Arabic is almost never
/// well-formed UTF-8 (its letters are bytes 0xC1–0xFE, lead bytes whose next byte is a letter,
/// not a continuation byte), so its ratio is near 0; a UTF-8 file cut off mid-letter has one
/// invalid sequence among thousands of letters.
const MIN_UTF8_CHARS_PER_INVALID: usize = 10;

/// Or, for text that is mostly ASCII, when at most one byte in this many is in an invalid
/// sequence (and the bytes do not read as Windows-1256 Arabic).
const MIN_BYTES_PER_INVALID: usize = 1000;

/// Decodes a file's bytes; see the module documentation for what is accepted.
pub fn decode_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Cow<'a, str>, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // the mark says UTF-8, so bad bytes are damage, never another encoding
        return match std::str::from_utf8(rest) {
            Ok(text) => checked_text(path, Cow::Borrowed(text), TextEncoding::Utf8),
            Err(_) => {
                let census = Utf8Census::of(rest);
                let encoding = census.repaired(3);
                checked_text(path, String::from_utf8_lossy(rest), encoding)
            }
        };
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((UTF_16LE, TextEncoding::Utf16Le, rest)),
        [0xFE, 0xFF, rest @ ..] => Some((UTF_16BE, TextEncoding::Utf16Be, rest)),
        _ => None,
    };
    if let Some((encoding, name, rest)) = utf16 {
        let text = strict_decode(encoding, rest).ok_or_else(|| Error::UnknownEncoding {
            path: path.to_path_buf(),
            detail: "starts with a UTF-16 byte-order mark but is not valid UTF-16".into(),
        })?;
        return checked_text(path, text, name);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(binary(path, format!("NUL byte at offset {offset}")));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => checked_text(path, Cow::Borrowed(text), TextEncoding::Utf8),
        Err(utf8_error) => {
            let census = Utf8Census::of(bytes);
            let lossy = || checked_text(path, String::from_utf8_lossy(bytes), census.repaired(0));
            if census.non_ascii_chars >= census.invalid * MIN_UTF8_CHARS_PER_INVALID {
                return lossy();
            }
            match strict_decode(WINDOWS_1256, bytes) {
                Some(text) if reads_as_arabic(&text) => {
                    checked_text(path, text, TextEncoding::Windows1256)
                }
                _ if bytes.len() >= census.invalid * MIN_BYTES_PER_INVALID => lossy(),
                _ => Err(unknown_encoding(path, utf8_error.valid_up_to())),
            }
        }
    }
}

/// How much of a byte string is well-formed UTF-8.
struct Utf8Census {
    /// Well-formed characters outside ASCII.
    non_ascii_chars: usize,
    /// Invalid sequences (each would become one U+FFFD).
    invalid: usize,
    /// Byte offset of the first invalid sequence.
    first_invalid: usize,
}

impl Utf8Census {
    fn of(bytes: &[u8]) -> Utf8Census {
        let mut census = Utf8Census {
            non_ascii_chars: 0,
            invalid: 0,
            first_invalid: 0,
        };
        let mut offset = 0;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            census.non_ascii_chars += valid.chars().filter(|c| !c.is_ascii()).count();
            offset += valid.len();
            if !chunk.invalid().is_empty() {
                if census.invalid == 0 {
                    census.first_invalid = offset;
                }
                census.invalid += 1;
            }
            offset += chunk.invalid().len();
        }
        census
    }

    /// The encoding of these bytes read as UTF-8, `skipped` bytes after the file's start.
    fn repaired(&self, skipped: usize) -> TextEncoding {
        TextEncoding::Utf8Repaired {
            replaced: self.invalid,
            first_offset: skipped + self.first_invalid,
        }
    }
}

impl TextEncoding {
    /// A line on what was not read as written (for [`TextEncoding::Utf8Repaired`]), naming
    /// the file; `None` when the text is the file's bytes exactly.
    pub fn notice(&self, path: &Path) -> Option<String> {
        let TextEncoding::Utf8Repaired {
            replaced,
            first_offset,
        } = *self
        else {
            return None;
        };
        let sequences = if replaced == 1 {
            "1 byte sequence that is".to_string()
        } else {
            format!("{replaced} byte sequences that are")
        };
        Some(format!(
            "{}: {sequences} not valid UTF-8 (the first at byte {first_offset}) replaced by \
             U+FFFD; the rest is indexed as UTF-8",
            shown(path)
        ))
    }
}

fn strict_decode<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> Option<Cow<'a, str>> {
    encoding.decode_without_bom_handling_and_without_replacement(bytes)
}

fn unknown_encoding(path: &Path, offset: usize) -> Error {
    Error::UnknownEncoding {
        path: path.to_path_buf(),
        detail: format!(
            "not UTF-8, UTF-16 or Windows-1256 text (invalid UTF-8 byte at offset {offset})"
        ),
    }
}

/// Refuses decoded text with NUL characters or many other control characters: binary data
/// that happened to decode.
fn checked_text<'a>(
    path: &Path,
    text: Cow<'a, str>,
    encoding: TextEncoding,
) -> Result<(Cow<'a, str>, TextEncoding)> {
    if let Some(offset) = text.find('\0') {
        return Err(binary(path, format!("NUL character at offset {offset}")));
    }
    let is_odd_control = |c: char| {
        c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}')
    };
    let controls = text.chars().filter(|&c| is_odd_control(c)).count();
    if controls * 1000 > text.chars().count() * MAX_CONTROL_PER_MILLE {
        return Err(binary(path, format!("{controls} control characters")));
    }
    Ok((text, encoding))
}

fn binary(path: &Path, detail: String) -> Error {
    Error::Binary {
        path: path.to_path_buf(),
        detail,
    }
}

/// True when most non-ASCII characters are Arabic letters: Windows-1256 maps every byte to a
/// character, so only the result tells an Arabic file from a Latin-1 one or from noise.
fn reads_as_arabic(text: &str) -> bool {
    let mut non_ascii = 0;
    let mut arabic_letters = 0;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}') {
            arabic_letters += 1;
        }
    }
    arabic_letters > 0 && arabic_letters * 2 >= non_ascii
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "وصل وفد تجاري إلى ميناء اللاذقية، وقال «المدير» إن الموسم جيد.\n";

    fn decode(bytes: &[u8]) -> Result<(String, TextEncoding)> {
        decode_text(Path::new("x.txt"), bytes).map(|(text, enc)| (text.into_owned(), enc))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(ARABIC.as_bytes());
        assert_eq!(
            decode(&with_bom).unwrap(),
            (ARABIC.into(), TextEncoding::Utf8)
        );
        assert_eq!(
            decode(ARABIC.as_bytes()).unwrap(),
            (ARABIC.into(), TextEncoding::Utf8)
        );
    }

    #[test]
    fn utf16_with_either_byte_order_mark() {
        let units: Vec<u16> = ARABIC.encode_utf16().collect();
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in &units {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap(), (ARABIC.into(), TextEncoding::Utf16Le));
        assert_eq!(decode(&be).unwrap(), (ARABIC.into(), TextEncoding::Utf16Be));
        // an odd byte count cannot be UTF-16
        le.push(b'x');
        let err = decode(&le).unwrap_err().to_string();
        assert!(err.contains("not valid UTF-16"), "{err}");
    }

    #[test]
    fn windows_1256_arabic_is_recognized() {
        let (bytes, _, unmappable) = WINDOWS_1256.encode(ARABIC);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(
            decode(&bytes).unwrap(),
            (ARABIC.into(), TextEncoding::Windows1256)
        );
    }

    #[test]
    fn latin1_french_is_not_taken_for_arabic() {
        // "Le président a été élu" in Latin-1
        let bytes = b"Le pr\xe9sident a \xe9t\xe9 \xe9lu \xe0 Tunis.\n";
        let err = decode(bytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "x.txt: not UTF-8, UTF-16 or Windows-1256 text (invalid UTF-8 byte at offset 5); convert it to UTF-8"
        );
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8() {
        // the last letter cut in half
        let text = ARABIC.repeat(3);
        let cut = &text.as_bytes()[..text.len() - 3];
        let (decoded, encoding) = decode(cut).unwrap();
        assert!(decoded.starts_with("وصل وفد تجاري إلى ميناء اللاذقية"));
        assert!(decoded.ends_with("جي\u{FFFD}"), "{decoded}");
        assert_eq!(
            encoding,
            TextEncoding::Utf8Repaired {
                replaced: 1,
                first_offset: cut.len() - 1
            }
        );
        assert_eq!(
            encoding.notice(Path::new("x.txt")).unwrap(),
            format!(
                "x.txt: 1 byte sequence that is not valid UTF-8 (the first at byte {}) replaced by U+FFFD; the rest is indexed as UTF-8",
                cut.len() - 1
            )
        );
        // one stray byte in the middle, with and without a byte-order mark
        let mut stray = ARABIC.as_bytes().to_vec();
        stray.insert(7, 0xFF);
        let (decoded, _) = decode(&stray).unwrap();
        assert_eq!(decoded.replace('\u{FFFD}', ""), ARABIC);
        let mut marked = b"\xEF\xBB\xBF".to_vec();
        marked.extend_from_slice(&stray);
        let (_, encoding) = decode(&marked).unwrap();
        assert!(matches!(
            encoding,
            TextEncoding::Utf8Repaired {
                first_offset: 10,
                ..
            }
        ));
        // ASCII with one stray byte
        let mut english = b"Tunis, 5 March: the ministry said ".repeat(40);
        english.push(0xE9);
        assert!(matches!(
            decode(&english).unwrap().1,
            TextEncoding::Utf8Repaired { replaced: 1, .. }
        ));
        assert_eq!(TextEncoding::Utf8.notice(Path::new("x.txt")), None);
    }

    #[test]
    fn binary_data_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let err = decode(png).unwrap_err().to_string();
        assert_eq!(err, "x.txt: binary data, not text (NUL byte at offset 8)");
        // control characters without NUL, in valid UTF-8
        let noise: Vec<u8> = (0u8..200).map(|i| (i % 30) + 1).collect();
        assert_eq!(
            decode(&noise).unwrap_err().to_string(),
            "x.txt: binary data, not text (165 control characters)"
        );
        // one stray control character in a long text is fine
        let mut text = ARABIC.repeat(5);
        text.push('\u{1A}');
        assert!(decode(text.as_bytes()).is_ok());
    }
}
