//! How the headline and text of an article are stored: Arabic letters one byte each.
//!
//! In UTF-8 every Arabic letter, diacritic and Arabic-Indic digit takes two bytes, and lz4 (the
//! doc store's compressor) finds repeats but cannot code the lead byte they all share: stored as
//! UTF-8, ANT JawharaFM's articles took 9.6 MB of its 19.4 MB index (the corpus is 18.1 MB).
//! Written one byte a character before lz4, they take about 7 MB, and a hit shown
//! decompresses fewer bytes. The mapping is exact both ways, for any text:
//!
//! - a byte below `0x80` other than [`ESCAPE`] is that ASCII character;
//! - a byte from `0x80` is a character of the Arabic block's first half
//!   (U+0600 to U+067F: the letters, hamza forms, diacritics,
//!   Arabic-Indic digits and punctuation);
//! - [`ESCAPE`] is followed by any other character in UTF-8 (Persian letters, `«»`, `“”`,
//!   Latin accents, the escape character itself).

/// The byte before a character written in UTF-8 (U+0001, which news text does not hold).
const ESCAPE: u8 = 0x01;

/// The two UTF-8 lead bytes of the characters written as one byte: U+0600..U+063F are
/// `D8 80..D8 BF`, U+0640..U+067F are `D9 80..D9 BF`.
const ARABIC_LEADS: [u8; 2] = [0xD8, 0xD9];

/// `text`, one byte an ASCII or first-half Arabic character. Read byte by byte: a character
/// of the first half is its UTF-8 lead byte and one continuation byte.
pub fn pack(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut packed = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte < 0x80 && byte != ESCAPE {
            packed.push(byte);
            at += 1;
        } else if ARABIC_LEADS.contains(&byte) {
            // 0x80 + the character's offset from U+0600 (64 characters a lead byte)
            let offset = ((byte - ARABIC_LEADS[0]) << 6) | (bytes[at + 1] & 0x3F);
            packed.push(0x80 | offset);
            at += 2;
        } else {
            let length = utf8_length(byte);
            packed.push(ESCAPE);
            packed.extend_from_slice(&bytes[at..at + length]);
            at += length;
        }
    }
    packed
}

/// The characters written as the bytes `0x80..=0xFF`, in order.
const ARABIC_FIRST_HALF: [char; 128] = {
    let mut characters = ['\0'; 128];
    let mut i = 0;
    while i < 128 {
        characters[i] = match char::from_u32(0x0600 + i as u32) {
            Some(character) => character,
            None => char::REPLACEMENT_CHARACTER,
        };
        i += 1;
    }
    characters
};

/// The text [`pack`] packed into `packed`. Bytes no [`pack`] writes (a damaged store) read
/// as U+FFFD, the replacement character. Written a character at a time, so the text needs
/// no UTF-8 check at the end (which took a third of the time).
pub fn unpack(packed: &[u8]) -> String {
    let mut text = String::with_capacity(packed.len() * 2);
    let mut at = 0;
    while let Some(&byte) = packed.get(at) {
        at += 1;
        if byte >= 0x80 {
            text.push(ARABIC_FIRST_HALF[usize::from(byte & 0x7F)]);
        } else if byte != ESCAPE {
            text.push(char::from(byte));
        } else {
            let length = packed.get(at).map_or(1, |&lead| utf8_length(lead));
            let end = (at + length).min(packed.len());
            match std::str::from_utf8(&packed[at..end]) {
                Ok(character) if !character.is_empty() => {
                    text.push_str(character);
                    at = end;
                }
                _ => {
                    text.push(char::REPLACEMENT_CHARACTER);
                    at += 1;
                }
            }
        }
    }
    text
}

/// Bytes of the UTF-8 character whose first byte is `lead` (1 for a byte no character starts
/// with, which then reads as damaged).
fn utf8_length(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_text_takes_one_byte_a_letter_and_reads_back_as_written() {
        // diacritics, hamza and alef forms, ta marbuta, alef maqsura, Arabic-Indic digits,
        // the Arabic comma and question mark, Latin and ASCII digits
        let text = "أعلنت وزارةُ الخارجيّة، يوم ١٥ آذار 2024، أنّ إيران ستُشارك في قمة COP29؟ مستشفى";
        let packed = pack(text);
        let characters = text.chars().count();
        assert_eq!(packed.len(), characters, "one byte a character: {packed:?}");
        assert!(text.len() > characters * 3 / 2);
        assert_eq!(unpack(&packed), text);
    }

    #[test]
    fn other_characters_are_escaped_and_read_back_exactly() {
        // Persian letters and digits (second half of the Arabic block), guillemets, curly
        // quotes, an accent, an emoji, a zero-width non-joiner, the escape character itself
        let text = "«پیام» گفت “کابل” ۱۴۰۲ café 🙂 می\u{200C}خواهد \u{1}نهاية";
        assert_eq!(unpack(&pack(text)), text);
        assert_eq!(pack("«")[0], ESCAPE);
        assert_eq!(unpack(&pack("")), "");
    }

    #[test]
    fn every_character_reads_back_as_written() {
        let all: String = (0..=0x2FFF_u32)
            .chain(0x1F600..0x1F650)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(unpack(&pack(&all)), all);
        let arabic: String = ('\u{0600}'..='\u{067F}').collect();
        assert_eq!(pack(&arabic), (0x80..=0xFF).collect::<Vec<u8>>());
    }

    #[test]
    fn damaged_bytes_read_as_replacement_characters_not_a_panic() {
        assert_eq!(unpack(&[ESCAPE]), "\u{FFFD}");
        assert_eq!(unpack(&[b'a', ESCAPE, 0xD8]), "a\u{FFFD}");
        assert_eq!(unpack(&[ESCAPE, 0xFF, b'b']), "\u{FFFD}b");
        // a two-byte character cut after its first byte
        assert_eq!(unpack(&[ESCAPE, 0xC2, b'x']), "\u{FFFD}x");
    }

    #[test]
    fn any_bytes_read_without_a_panic_and_repack_to_what_they_read() {
        for first in 0..=255u8 {
            for second in 0..=255u8 {
                for bytes in [[ESCAPE, first, second], [first, ESCAPE, second]] {
                    let text = unpack(&bytes);
                    assert_eq!(unpack(&pack(&text)), text, "{bytes:?}");
                }
            }
        }
    }
}
