import RGSNumerics

/// An n-dimensional array as numpy stores it: an element type, a shape, and the raw little-endian
/// bytes in C (row-major) order. This is what `.npy` files and the members of `.npz` archives hold.
public struct NpyArray: Sendable, Equatable {
    /// The element types rgs reads and writes (numpy's `bool`, `int8` ... `float64`).
    public enum DType: String, Sendable, CaseIterable {
        case bool, int8, uint8, int16, int32, int64, float32, float64

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .int8, .uint8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .int64, .float64: 8
            }
        }

        /// numpy's type string for little-endian data: `'|b1'`, `'<f8'`, ...
        public var descr: String {
            switch self {
            case .bool: "|b1"
            case .int8: "|i1"
            case .uint8: "|u1"
            case .int16: "<i2"
            case .int32: "<i4"
            case .int64: "<i8"
            case .float32: "<f4"
            case .float64: "<f8"
            }
        }
    }

    public let dtype: DType
    /// The extent of each axis; `[]` is a 0-d (scalar) array.
    public let shape: [Int]
    /// `count * dtype.size` bytes, little-endian, C order.
    public let bytes: [UInt8]

    /// The number of elements (the product of the shape; 1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// An array over raw little-endian C-order bytes; throws when the sizes disagree.
    public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        let count = try NpyArray.elementCount(shape)
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, needed == bytes.count else {
            throw CoreError("an array of shape \(NpyArray.describe(shape)) and dtype \(dtype) needs "
                            + "\(overflow ? "too many" : String(needed)) bytes, not \(bytes.count)")
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// An array of `values` with the given shape (default: one axis of `values.count`).
    public init<Element: NpyElement>(_ values: [Element], shape: [Int]? = nil) throws {
        try self.init(dtype: Element.npyType, shape: shape ?? [values.count],
                      bytes: values.withUnsafeBytes { Array($0) })
    }

    /// A one-axis array of `values`.
    public init<Element: NpyElement>(vector values: [Element]) {
        dtype = Element.npyType
        shape = [values.count]
        bytes = values.withUnsafeBytes { Array($0) }
    }

    /// A float64 array of shape (rows, columns).
    public init(_ matrix: Matrix) {
        dtype = .float64
        shape = [matrix.rows, matrix.columns]
        bytes = matrix.storage.withUnsafeBytes { Array($0) }
    }

    /// The elements as `Element`, or nil when the array's dtype is not `Element`'s.
    public func values<Element: NpyElement>(as type: Element.Type) -> [Element]? {
        guard dtype == Element.npyType else { return nil }
        if Element.self == Bool.self {
            // Bytes other than 0 and 1 are not valid Bools: numpy treats any nonzero byte as True.
            return bytes.map { $0 != 0 } as? [Element]
        }
        return [Element](unsafeUninitializedCapacity: bytes.count / dtype.size) { buffer, initialized in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = bytes.count / dtype.size
        }
    }

    /// The elements converted to Double (bool as 0/1; int64 beyond 2^53 rounds).
    public func doubles() -> [Double] {
        switch dtype {
        case .bool: values(as: Bool.self).map { $0.map { $0 ? 1 : 0 } } ?? []
        case .int8: values(as: Int8.self).map { $0.map(Double.init) } ?? []
        case .uint8: values(as: UInt8.self).map { $0.map(Double.init) } ?? []
        case .int16: values(as: Int16.self).map { $0.map(Double.init) } ?? []
        case .int32: values(as: Int32.self).map { $0.map(Double.init) } ?? []
        case .int64: values(as: Int64.self).map { $0.map(Double.init) } ?? []
        case .float32: values(as: Float.self).map { $0.map(Double.init) } ?? []
        case .float64: values(as: Double.self) ?? []
        }
    }

    /// The array as a Matrix: 2-d arrays keep their shape, 1-d and 0-d arrays become one row.
    public func matrix() throws -> Matrix {
        switch shape.count {
        case 0: return Matrix(rows: 1, columns: 1, storage: doubles())
        case 1: return Matrix(rows: 1, columns: shape[0], storage: doubles())
        case 2:
            // An empty array holds no data whatever its other extent, which rows are made from.
            guard shape.allSatisfy({ $0 <= Int(Int32.max) }) else {
                throw CoreError("a matrix of shape \(NpyArray.describe(shape)) is too large (at most 2^31 - 1 rows and columns)")
            }
            return Matrix(rows: shape[0], columns: shape[1], storage: doubles())
        default:
            throw CoreError("an array of shape \(NpyArray.describe(shape)) is not a matrix",
                            hint: "only 1-d and 2-d arrays convert to a Matrix")
        }
    }

    /// The shape written as Python does: `()`, `(5,)`, `(3, 4)`.
    public static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// The product of `shape`, refusing negative extents and overflow.
    public static func elementCount(_ shape: [Int]) throws -> Int {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { throw CoreError("shape \(describe(shape)) has a negative extent") }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw CoreError("shape \(describe(shape)) has too many elements") }
            count = product
        }
        return count
    }
}

/// A Swift type that is stored as one numpy dtype.
public protocol NpyElement: Sendable {
    static var npyType: NpyArray.DType { get }
}

extension Bool: NpyElement { public static var npyType: NpyArray.DType { .bool } }
extension Int8: NpyElement { public static var npyType: NpyArray.DType { .int8 } }
extension UInt8: NpyElement { public static var npyType: NpyArray.DType { .uint8 } }
extension Int16: NpyElement { public static var npyType: NpyArray.DType { .int16 } }
extension Int32: NpyElement { public static var npyType: NpyArray.DType { .int32 } }
extension Int64: NpyElement { public static var npyType: NpyArray.DType { .int64 } }
extension Float: NpyElement { public static var npyType: NpyArray.DType { .float32 } }
extension Double: NpyElement { public static var npyType: NpyArray.DType { .float64 } }
