//! The one table type: a header and rows of text cells, rendered as aligned plain text (the
//! CLI's tables) or as a markdown table (the report).

/// A table of text cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(header: I) -> Self {
        Table { header: header.into_iter().map(Into::into).collect(), rows: Vec::new() }
    }

    /// Appends a row.
    pub fn row<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, cells: I) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The number of rows (the header excluded).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Plain text: columns padded to their widest cell, the first left-aligned and the others
    /// right-aligned, a dashed rule under the header, trailing spaces removed.
    pub fn render(&self) -> String {
        let columns = self.header.len();
        let width = |c: usize| {
            std::iter::once(&self.header)
                .chain(&self.rows)
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..columns).map(width).collect();
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (c, w) in widths.iter().enumerate() {
                let cell = cells.get(c).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                if c == 0 {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                } else {
                    out.push_str("  ");
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.header);
        out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }

    /// A markdown table followed by a blank line (cells are written as given).
    pub fn markdown(&self) -> String {
        let mut out = format!("| {} |\n|{}\n", self.header.join(" | "), "---|".repeat(self.header.len()));
        for r in &self.rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_tables_align_and_markdown_tables_follow_the_report_format() {
        let mut t = Table::new(["name", "value"]);
        t.row(["a", "1"]);
        t.row(["long name", "12.5"]);
        assert_eq!(t.render(), "name       value\n---------  -----\na              1\nlong name   12.5\n");
        assert_eq!(t.markdown(), "| name | value |\n|---|---|\n| a | 1 |\n| long name | 12.5 |\n\n");
        assert_eq!(t.len(), 2);
        assert_eq!(Table::new(["x"]).markdown(), "| x |\n|---|\n\n");
    }
}
