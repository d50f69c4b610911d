import RGSNumerics

/// An rgs value. Numbers are doubles (integers are exact up to 2^53); lists and records are values
/// (copied on assignment); domain values (Ensemble, Net, Table, Figure, ...) are host objects.
public enum Value {
    case number(Double)
    case bool(Bool)
    case string(String)
    case list([Value])
    case range(RangeValue)
    case record(Record)
    case function(Function)
    indirect case object(any HostObject)
    case nothing

    /// The type name users see in messages and from `type(x)`.
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .range: return "range"
        case .record: return "record"
        case .function(let f): return f.isBuiltin ? "builtin" : "function"
        case .object(let o): return o.kindName
        case .nothing: return "nil"
        }
    }

    /// Truthiness for `if`, `while`, `and`, `or`: only bools are conditions.
    public var asBool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var asNumber: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    public var asString: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object as a given host type.
    public func object<T>(_ type: T.Type) -> T? {
        if case .object(let o) = self { return o as? T }
        return nil
    }

    /// Lists and records nest at most this many levels, checked wherever a container of user
    /// values is built, so that no recursion over a value (printing, comparing, flattening,
    /// freeing) can exhaust the stack.
    public static let maximumNesting = 1000

    static let nestingMessage = "lists and records nest at most \(maximumNesting) levels deep"

    /// Levels of list and record nesting: 0 for other values, 1 for a flat list. Recursion is
    /// bounded by `maximumNesting`, which every existing value respects. A container that holds
    /// other containers is measured once per storage buffer, so a value that shares its parts
    /// (`a = [a, a]` in a loop: 2^40 leaves after 40 rounds) takes time linear in its distinct parts.
    public var nesting: Int {
        var measured: [UnsafeRawPointer: Int] = [:]
        return nesting(&measured)
    }

    private func nesting(_ measured: inout [UnsafeRawPointer: Int]) -> Int {
        // 1 + the deepest of `count` parts, measured once per storage `key`.
        func deepest(_ key: UnsafeRawPointer?, _ count: Int, _ part: (Int) -> Value,
                     _ measured: inout [UnsafeRawPointer: Int]) -> Int {
            guard (0..<count).contains(where: { part($0).isContainer }) else { return 1 }
            if let key, let known = measured[key] { return known }
            var deepest = 0
            for i in 0..<count where part(i).isContainer { deepest = max(deepest, part(i).nesting(&measured)) }
            if let key { measured[key] = 1 + deepest }
            return 1 + deepest
        }
        switch self {
        case .list(let xs): return deepest(storageAddress(xs), xs.count, { xs[$0] }, &measured)
        case .record(let r): return deepest(storageAddress(r.fields), r.fields.count, { r.fields[$0].value }, &measured)
        default: return 0
        }
    }

    /// A list or a record.
    @inline(__always) var isContainer: Bool {
        switch self {
        case .list, .record: return true
        default: return false
        }
    }

    /// The most elements `+` joins into one list (as many as `elements()` materialises).
    public static let maximumListLength = 50_000_000

    /// Elements when iterating (`for`, `map`, `sum`): lists, ranges, strings' characters, and
    /// host objects that are sequences. Ranges are materialised, so callers that only need to
    /// stream them use `RangeValue` directly.
    public func elements(limit: Int = maximumListLength) -> [Value]? {
        switch self {
        case .list(let xs): return xs
        case .range(let r):
            guard r.count <= limit else { return nil }
            return (0..<r.count).map { .number(r.element($0)) }
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o): return o.elements()
        default: return nil
        }
    }
}

/// A lazy arithmetic range `start..end step s`, inclusive of `end` when a step lands on it
/// (within a relative tolerance of 1e-9 of the step, so `0..1 step 0.1` has 11 elements).
/// When start and step are decimals of at most 12 places, elements are the doubles nearest to
/// their decimal values: `2..3 step 0.1` holds 2.3, not 2 + 3 x 0.1 = 2.3000000000000003.
public struct RangeValue: Equatable, Sendable {
    public let start: Double
    public let end: Double
    public let step: Double
    public let count: Int
    /// 10^d for the decimal places d of start and step, nil past 12.
    private let grid: Double?

    /// Nil when the step is zero or not finite, or the range is absurdly long.
    public init?(start: Double, end: Double, step: Double) {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else { return nil }
        self.start = start
        self.end = end
        self.step = step
        let n = ((end - start) / step + 1e-9).rounded(.down)
        guard n < 1e15 else { return nil }
        self.count = n < 0 ? 0 : Int(n) + 1
        grid = Self.decimalPlaces(start).flatMap { a in Self.decimalPlaces(step).map { b in Self.powersOfTen[max(a, b)] } }
    }

    public func element(_ i: Int) -> Double {
        let x = start + Double(i) * step
        guard let grid else { return x }
        let scaled = x * grid
        // Past 2^52 the scaled value has no fraction to round.
        return Swift.abs(scaled) < 4_503_599_627_370_496 ? scaled.rounded() / grid : x
    }

    /// 10^0 ... 10^12, each exact.
    private static let powersOfTen: [Double] = (0...12).map { d in (0..<d).reduce(1.0) { p, _ in p * 10 } }

    /// The fewest decimal places (up to 12) that write `x` exactly, nil if more are needed.
    private static func decimalPlaces(_ x: Double) -> Int? {
        powersOfTen.indices.first { d in
            let p = powersOfTen[d]
            return Swift.abs(x * p) < 4_503_599_627_370_496 && (x * p).rounded() / p == x
        }
    }
}

/// An ordered set of named fields: `{L: 32, beta: 0.44}`.
public struct Record {
    public var fields: [(name: String, value: Value)]

    public init(_ fields: [(name: String, value: Value)]) { self.fields = fields }

    public subscript(name: String) -> Value? {
        get { fields.first { $0.name == name }?.value }
        set {
            if let i = fields.firstIndex(where: { $0.name == name }) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((name, newValue))
            }
        }
    }
}

/// A user function (closure over its defining environment) or a builtin.
public final class Function {
    enum Kind {
        case user(FunctionDecl, Environment)
        case builtin(Builtin)
    }
    let kind: Kind

    init(user decl: FunctionDecl, closure: Environment) { kind = .user(decl, closure) }
    init(builtin: Builtin) { kind = .builtin(builtin) }

    public var isBuiltin: Bool {
        if case .builtin = kind { return true }
        return false
    }

    /// The builtin behind this function, if it is one.
    public var builtin: Builtin? {
        if case .builtin(let b) = kind { return b }
        return nil
    }

    public var name: String {
        switch kind {
        case .user(let d, _): return d.name ?? "fn"
        case .builtin(let b): return b.name
        }
    }

    var parameterNames: [String] {
        switch kind {
        case .user(let d, _): return d.parameters.map(\.name)
        case .builtin(let b): return b.parameters.map(\.name)
        }
    }
}

/// A domain value (Ensemble, Net, Table, Figure, Matrix, ...) exposed to the language.
///
/// Conformances live beside the builtins that produce the values (RGSLibrary), so the core stays
/// free of language concerns.
public protocol HostObject {
    /// "Ensemble", "Matrix", "Table", ...
    var kindName: String { get }
    /// The REPL's one-line summary.
    var summary: String { get }
    /// Full text for `print`; defaults to the summary.
    var longDescription: String { get }
    /// Named members (`e.count`, `t.beta`), with their names for completion.
    func member(_ name: String) -> Value?
    var memberNames: [String] { get }
    /// Why a member named in `memberNames` has no value on this object (`member` returned nil),
    /// as the error's message and help line: an untrained recipe has no sizes yet.
    func missingMember(_ name: String) -> (message: String, hint: String?)
    /// Length for `len`, if meaningful.
    var length: Int? { get }
    /// `x[i]` for integer i in 0..<length (already range-checked by the evaluator).
    func element(at index: Int) -> Value?
    /// Elements for iteration (`for x in table`), if the object is a sequence.
    func elements() -> [Value]?
    /// All numbers (for `sum`, `mean`, `min`, `max`), if the object is numeric.
    func numbers() -> [Double]?
    /// Equality with another host object (identity by default).
    func isEqual(to other: any HostObject) -> Bool
    /// `x[0..9]` or `x[[1, 5]]`: the elements at valid `indices`, if the object can be sliced.
    func slice(_ indices: [Int]) throws -> Value?
    /// `x + y` for two host objects (e.g. concatenating ensembles), if defined.
    func adding(_ other: any HostObject) throws -> Value?
    /// `x op y` with this object on the left (`selfOnLeft`) or the right and `other` (a number or
    /// a host object) on the other side, if defined: measurements with their errors.
    func arithmetic(_ op: ArithmeticOperator, _ other: Value, selfOnLeft: Bool) throws -> Value?
}

/// The arithmetic operators a host object may define (`HostObject.arithmetic`).
public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
}

extension HostObject {
    public var longDescription: String { summary }
    public func member(_ name: String) -> Value? { nil }
    public var memberNames: [String] { [] }
    public func missingMember(_ name: String) -> (message: String, hint: String?) { ("this \(kindName) has no '\(name)'", nil) }
    public var length: Int? { nil }
    public func element(at index: Int) -> Value? { nil }
    public func elements() -> [Value]? {
        guard let n = length else { return nil }
        return (0..<n).compactMap { element(at: $0) }
    }
    public func numbers() -> [Double]? { nil }
    public func isEqual(to other: any HostObject) -> Bool { false }
    public func slice(_ indices: [Int]) throws -> Value? { nil }
    public func adding(_ other: any HostObject) throws -> Value? { nil }
    public func arithmetic(_ op: ArithmeticOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? { nil }
}

/// The address of an array's storage buffer: copies that share it (a list held twice) have the
/// same one, which lets walks over values visit shared parts once.
func storageAddress<T>(_ items: [T]) -> UnsafeRawPointer? {
    items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
}

extension String {
    /// The UTF-8 bytes of ASCII text, where byte k is character k, or nil when a character takes
    /// more than one byte. Each `s[i]` still copies and scans the text, but as bytes: 40,000
    /// indexes of a 40,000-letter string took 19 s by characters and 1.4 s this way.
    var asciiBytes: ContiguousArray<UInt8>? {
        let bytes = ContiguousArray(utf8)
        return bytes.allSatisfy({ $0 < 0x80 }) && !bytes.contains(UInt8(ascii: "\r")) ? bytes : nil
    }
}
