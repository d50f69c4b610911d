import Foundation

/// Where a chain of symbolic links ends, so that replacing a file atomically (write a temporary
/// file, rename it over the target) updates the file a link points to instead of the link.
public enum SymbolicLinks {
    /// The file `path` finally names (`path` itself when it is not a link).
    public static func target(of path: String) -> String {
        var current = path
        for _ in 0..<40 {  // the kernel's own bound on link chains
            guard let next = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = next.hasPrefix("/") ? next
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(next).path
        }
        return current
    }
}
