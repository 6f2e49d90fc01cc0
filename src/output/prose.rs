//! Words in the text rmspec prints: counts whose noun agrees in number ([`counted`]: "1 trial",
//! "2 trials") and long lines wrapped at a word boundary ([`wrap`]).

/// The width text lines are wrapped to.
pub const LINE_WIDTH: usize = 100;

/// `count` followed by the singular or plural noun: `1 trial`, `0 trials`, `2 matrices`.
pub fn counted(count: u64, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// `text` (one paragraph, no newlines) broken at spaces into lines of at most `width` characters
/// where possible (a word longer than the width stays whole), continuation lines starting with
/// `indent`; each line ends with a newline.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut line_chars = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_chars = word.chars().count();
        if line_chars > 0 && line_chars + 1 + word_chars > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
            line_chars = indent.chars().count();
        }
        if line_chars > 0 && !line.ends_with(' ') {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(word);
        line_chars += word_chars;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(counted(1, "trial", "trials"), "1 trial");
        assert_eq!(counted(0, "trial", "trials"), "0 trials");
        assert_eq!(counted(5, "matrix", "matrices"), "5 matrices");
    }

    #[test]
    fn long_lines_wrap_at_spaces_with_an_indent() {
        assert_eq!(wrap("aa bb cc dd", 5, "  "), "aa bb\n  cc\n  dd\n");
        assert_eq!(wrap("short", 80, "  "), "short\n");
        // A word longer than the width stays whole.
        assert_eq!(wrap("abcdefgh ij", 4, ""), "abcdefgh\nij\n");
        // Width counts characters, not bytes.
        assert_eq!(wrap("λλλ μμμ", 7, ""), "λλλ μμμ\n");
        for line in wrap(&"word ".repeat(50), 30, "    ").lines() {
            assert!(line.chars().count() <= 30, "{line}");
        }
    }
}
