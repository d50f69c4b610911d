/// An error raised by the compiled core: a message for the user and an optional hint.
///
/// The language layer attaches the source span of the call that raised it, so core code only says
/// what went wrong ("L must be even for the checkerboard sampler"), never where.
public struct CoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var hint: String?
    /// True when the failing operation stopped midway and the value it was changing holds what it
    /// finished (training that diverged keeps the weights of its last good epoch), so the caller
    /// can keep that value instead of dropping it with the error.
    public var keepsPartialResult: Bool

    public init(_ message: String, hint: String? = nil, keepsPartialResult: Bool = false) {
        self.message = message
        self.hint = hint
        self.keepsPartialResult = keepsPartialResult
    }

    public var description: String { message }
}
