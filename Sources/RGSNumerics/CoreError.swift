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
    /// The argument of the call that the error is about ("algorithm"), which the language layer
    /// underlines instead of the whole call when the call gives it.
    public var argument: String?

    public init(_ message: String, hint: String? = nil, keepsPartialResult: Bool = false, argument: String? = nil) {
        self.message = message
        self.hint = hint
        self.keepsPartialResult = keepsPartialResult
        self.argument = argument
    }

    public var description: String { message }
}
