import RGSNumerics

/// The header dictionary of a `.npy` file, e.g. `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// numpy writes it with Python's `repr` and reads it with `ast.literal_eval`; this parser accepts
/// the literals numpy can produce for the dtypes rgs supports (strings, True/False, int tuples).
struct NpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The header text exactly as numpy 1.x/2.x writes it, including the spare spaces it leaves so
    /// that the first axis can grow in place (`GROWTH_AXIS_MAX_DIGITS = 21`).
    var text: String {
        var text = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
            + "'shape': \(NpyArray.describe(shape)), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(growing).count))
        }
        return text
    }

    private enum Literal {
        case string(String), bool(Bool), tuple([Int])
    }

    /// Parses the dictionary text of the file named `file`.
    init(parsing text: String, file: String) throws {
        func fail(_ what: String) -> CoreError { FileFailure.corrupt(file, what) }
        var scanner = Scanner(characters: Array(text.unicodeScalars), file: file)
        var entries: [String: Literal] = [:]
        try scanner.expect("{")
        while try scanner.peek() != "}" {
            guard case .string(let key) = try scanner.literal() else { throw fail("header keys must be strings") }
            try scanner.expect(":")
            if try scanner.peek() == "[" {
                throw fail("structured dtype (a record array)")
            }
            entries[key] = try scanner.literal()
            guard try scanner.peek() != "}" else { break }
            try scanner.expect(",")
        }
        guard case .string(let descr)? = entries["descr"] else { throw fail("header has no 'descr' string") }
        guard case .bool(let fortran)? = entries["fortran_order"] else {
            throw fail("header has no 'fortran_order' flag")
        }
        guard case .tuple(let shape)? = entries["shape"] else { throw fail("header has no 'shape' tuple") }
        guard entries.count == 3 else {
            throw fail("header has unexpected keys \(entries.keys.sorted().filter { !["descr", "fortran_order", "shape"].contains($0) })")
        }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
    }

    init(descr: String, fortranOrder: Bool, shape: [Int]) {
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// A cursor over Python literal text.
    private struct Scanner {
        let characters: [Unicode.Scalar]
        let file: String
        var index = 0

        func fail(_ what: String) -> CoreError { FileFailure.corrupt(file, what) }

        mutating func skipSpace() {
            while index < characters.count, characters[index].properties.isWhitespace { index += 1 }
        }

        mutating func peek() throws -> Unicode.Scalar {
            skipSpace()
            guard index < characters.count else { throw fail("header dictionary is cut short") }
            return characters[index]
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            guard try peek() == c else { throw fail("malformed header (expected '\(c)' at character \(index))") }
            index += 1
        }

        mutating func literal() throws -> Literal {
            let c = try peek()
            switch c {
            case "'", "\"":
                index += 1
                var s = String.UnicodeScalarView()
                while index < characters.count, characters[index] != c {
                    s.append(characters[index])
                    index += 1
                }
                try expect(c)
                return .string(String(s))
            case "(":
                index += 1
                var values: [Int] = []
                while try peek() != ")" {
                    values.append(try integer())
                    guard try peek() != ")" else { break }
                    try expect(",")
                }
                index += 1
                return .tuple(values)
            default:
                var word = ""
                while index < characters.count, characters[index].properties.isAlphabetic {
                    word.unicodeScalars.append(characters[index])
                    index += 1
                }
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                default: throw fail("malformed header (unexpected '\(word.isEmpty ? String(c) : word)')")
                }
            }
        }

        mutating func integer() throws -> Int {
            _ = try peek()
            var digits = ""
            while index < characters.count, ("0"..."9").contains(characters[index]) {
                digits.unicodeScalars.append(characters[index])
                index += 1
            }
            // Python 2 wrote long integers as 3L.
            if index < characters.count, characters[index] == "L" { index += 1 }
            guard let value = Int(digits) else { throw fail("malformed shape in header") }
            return value
        }
    }
}
