import Foundation
import RGSNumerics

/// Tables as CSV (RFC 4180): a header row of column names, then one row per table row.
///
/// A column with error bars `x` is followed by a column `x_err`; row labels, when the table has
/// them, come first in a column named `label`. Numbers are written in Swift's shortest form that
/// reads back bit-exactly (`0.1`, `1e-05`, `nan`, `inf`; integral values as integers, `500`), which numpy (`np.genfromtxt(f,
/// delimiter=",", names=True)`) and pandas (`pd.read_csv`) read as well.
public enum TableCSV {
    /// The CSV text of `table`.
    public static func encode(_ table: Table) -> String {
        var header: [String] = table.rowLabels.isEmpty ? [] : ["label"]
        for column in table.columns {
            header.append(column.name)
            if column.errors != nil { header.append(column.name + "_err") }
        }
        var lines = [header.map(quoted).joined(separator: ",")]
        for row in 0..<table.rowCount {
            var fields: [String] = table.rowLabels.isEmpty ? [] : [quoted(row < table.rowLabels.count ? table.rowLabels[row] : "")]
            for column in table.columns {
                fields.append(number(column.values, row))
                if let errors = column.errors { fields.append(number(errors, row)) }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses CSV text written by `encode` (or any numeric CSV with a header row); `file` names it in errors.
    public static func decode(_ text: String, file: String) throws -> Table {
        // A byte-order mark (spreadsheets write one) is not part of the first column's name.
        let records = try parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, file: file)
        guard let header = records.first else { throw FileFailure.corrupt(file, "empty file (no header row)") }
        var table = Table(columns: [])
        var errorColumns: [(index: Int, target: Int)] = []
        var valueColumns: [(index: Int, target: Int)] = []
        var labelColumn: Int?
        for (index, name) in header.enumerated() {
            if header[..<index].contains(name) {
                throw FileFailure.corrupt(file, "the header names the column '\(name)' twice")
            }
            if name == "label", labelColumn == nil, index == 0 {
                labelColumn = index
            } else if name.hasSuffix("_err"), let target = table.columns.firstIndex(where: { $0.name == name.dropLast(4) }) {
                table.columns[target].errors = []
                errorColumns.append((index, target))
            } else {
                valueColumns.append((index, table.columns.count))
                table.columns.append(.init(name, []))
            }
        }
        for (line, record) in records.enumerated().dropFirst() {
            guard record.count == header.count else {
                throw FileFailure.corrupt(file, "line \(line + 1) has \(record.count) fields, the header has \(header.count)")
            }
            if let labelColumn { table.rowLabels.append(record[labelColumn]) }
            for (index, target) in valueColumns {
                table.columns[target].values.append(try value(record[index], header[index], line, file))
            }
            for (index, target) in errorColumns {
                table.columns[target].errors?.append(try value(record[index], header[index], line, file))
            }
        }
        return table
    }

    /// Parses CSV bytes, refusing text that is not UTF-8.
    static func decode(_ bytes: [UInt8], file: String) throws -> Table {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FileFailure.corrupt(file, "not UTF-8 text") }
        return try decode(text, file: file)
    }

    /// Writes `table` as CSV to `path`, atomically.
    public static func write(_ table: Table, to path: String) throws {
        try AtomicFile.write(encode(table), to: path)
    }

    /// Reads the CSV file at `path`.
    public static func read(from path: String) throws -> Table {
        try decode(FileContents.read(path), file: path)
    }

    private static func number(_ values: [Double], _ row: Int) -> String {
        row < values.count ? formatNumber(values[row]) : "nan"
    }

    private static func value(_ field: String, _ column: String, _ line: Int, _ file: String) throws -> Double {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed) else {
            throw FileFailure.corrupt(file, "line \(line + 1), column '\(column)': '\(field)' is not a number")
        }
        return value
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits CSV text into records of fields, honouring quotes; blank lines are skipped.
    private static func parse(_ text: String, file: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false, wasQuoted = false
        var characters = text.makeIterator()
        func endRecord() {
            record.append(field)
            if record != [""] || wasQuoted { records.append(record) }
            record = []
            field = ""
            wasQuoted = false
        }
        while let c = characters.next() {
            if inQuotes {
                if c == "\"" {
                    inQuotes = false
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                // A quote inside a quoted field is doubled: reopening right after closing adds one quote.
                if wasQuoted { field.append("\"") }
                inQuotes = true
                wasQuoted = true
            } else if c == "," {
                record.append(field)
                field = ""
                wasQuoted = false
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endRecord()
            } else {
                field.append(c)
            }
        }
        guard !inQuotes else { throw FileFailure.corrupt(file, "unterminated quoted field at the end of the file") }
        if !field.isEmpty || !record.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
