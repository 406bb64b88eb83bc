//! Turning a file's bytes into text.
//!
//! Archives of Arabic news come in three encodings: UTF-8 (with or without a byte-order mark),
//! UTF-16 with a byte-order mark (files saved as "Unicode" by Windows tools), and Windows-1256
//! (older Arabic archives). Anything else, and binary data, is refused with a reason naming the
//! file, so one odd file never turns into an index full of mojibake.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1256};

use crate::error::{Error, Result};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
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

/// Decodes a file's bytes; see the module documentation for what is accepted.
pub fn decode_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Cow<'a, str>, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text =
            std::str::from_utf8(rest).map_err(|e| unknown_encoding(path, 3 + e.valid_up_to()))?;
        return checked_text(path, Cow::Borrowed(text), TextEncoding::Utf8);
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
        Err(utf8_error) => match strict_decode(WINDOWS_1256, bytes) {
            Some(text) if reads_as_arabic(&text) => {
                checked_text(path, text, TextEncoding::Windows1256)
            }
            _ => Err(unknown_encoding(path, utf8_error.valid_up_to())),
        },
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
