/// An error raised by the compiled core: a message for the user and an optional hint.
///
/// The language layer attaches the source span of the call that raised it, so core code only says
/// what went wrong ("L must be even for the checkerboard sampler"), never where.
public struct CoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
