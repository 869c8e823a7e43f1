//! A CSV file as spreadsheet programs save it: `,` or `;` between cells (told by the header
//! line), UTF-8 with or without a byte-order mark, quoted cells with doubled quotes.

use super::FileError;

/// The header and the rows of a file; every cell trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header cells as written.
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// A row with the line it starts on (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of column `i`; a short row has empty cells at its end.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
}

/// A header the way columns are matched: lower case, spaces and dashes as `_`.
pub fn header_key(header: &str) -> String {
    header.trim().to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect()
}

/// The separator of the header line: `;` if it has more of them than `,` outside quotes.
fn separator(text: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for &b in text {
        match b {
            b'\n' | b'\r' if !quoted => break,
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// Undoes the export's guard against spreadsheet formulas: a `'` before `=`, `+`, `-`, `@`,
/// a tab or a carriage return is taken off again.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Reads the whole file. Rows whose cells are all empty (a spreadsheet's trailing `;;;`) are left out.
pub fn read(bytes: &[u8]) -> Result<Table, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(bytes))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut headers = None;
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| FileError::Csv(e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let cells = record
            .iter()
            .map(|c| std::str::from_utf8(c).map(|s| unguard(s).to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| FileError::NotUtf8 { line })?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match headers {
            None => headers = Some(cells),
            Some(_) => rows.push(Row { line, cells }),
        }
    }
    Ok(Table { headers: headers.ok_or(FileError::Empty)?, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_a_bom_and_quoted_cells_are_read() {
        let t = read("\u{feff}id;note\n\"A1;2\";\"say \"\"hi\"\"\"\n;;\n".as_bytes()).expect("reads");
        assert_eq!(t.headers, ["id", "note"]);
        assert_eq!(t.rows, [Row { line: 2, cells: vec!["A1;2".into(), "say \"hi\"".into()] }]);
    }

    #[test]
    fn commas_win_when_the_header_has_more_of_them() {
        let t = read(b"id,\"a;b\",c\r\nx,y,z\r\n").expect("reads");
        assert_eq!(t.headers, ["id", "a;b", "c"]);
        assert_eq!(t.rows[0].cells, ["x", "y", "z"]);
    }

    #[test]
    fn guarded_formulas_come_back_as_written() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'-5"), "-5");
        assert_eq!(unguard("'quoted"), "'quoted");
        let t = read(b"a\n'@x\n").expect("reads");
        assert_eq!(t.rows[0].cells, ["@x"]);
    }

    #[test]
    fn an_empty_file_and_bad_utf8_are_named() {
        assert_eq!(read(b"\xEF\xBB\xBF \n"), Err(FileError::Empty));
        assert_eq!(read(b"id\nA\xFF\n"), Err(FileError::NotUtf8 { line: 2 }));
    }

    #[test]
    fn headers_are_matched_loosely() {
        assert_eq!(header_key(" Valid Until "), "valid_until");
        assert_eq!(header_key("Issued-On"), "issued_on");
    }
}
