import Foundation
import Synchronization

/// A progress bar on stderr for long primitives: count, rate and ETA, at most ten refreshes a
/// second. Silent when stderr is not a terminal, with `--quiet`, or for work under a second.
///
/// ```swift
/// let progress = Progress("sampling", total: sweeps, unit: "sweeps")
/// for s in 0..<sweeps { ...; progress.advance() }
/// progress.finish()
/// ```
public final class Progress: Sendable {
    private struct State {
        var done = 0
        var lastDraw = 0.0
        var drawn = false
    }

    private let label: String
    private let total: Int
    private let unit: String
    private let start: Double
    private let enabled: Bool
    private let state = Mutex(State())

    /// Whether bars may be drawn at all in this process (stderr is a TTY and not `--quiet`).
    public static var isAvailable: Bool { isatty(STDERR_FILENO) != 0 && !Settings.quiet }

    public init(_ label: String, total: Int, unit: String = "it") {
        self.label = label
        self.total = max(1, total)
        self.unit = unit
        self.start = Progress.now()
        self.enabled = Progress.isAvailable
    }

    /// count x per units of work, saturating at Int.max (a huge epoch count must not overflow:
    /// the bar then never fills, and Ctrl-C still stops the work).
    public static func total(_ count: Int, times per: Int) -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: per)
        return overflow ? .max : product
    }

    /// Records `n` more units of finished work and redraws if due. Once Ctrl-C was pressed the bar
    /// is no longer redrawn: the work still winding down (chains returning early, the step in
    /// flight) would otherwise run it on towards 100% under the "interrupted" message.
    public func advance(_ n: Int = 1) {
        guard enabled else { return }
        let line: String? = state.withLock { s in
            s.done += n
            guard !Cancellation.isRequested else { return nil }
            let t = Progress.now()
            // Wait a second before the first draw so quick calls never flash a bar.
            guard t - start > 1.0, t - s.lastDraw >= 0.1 || s.done >= total else { return nil }
            s.lastDraw = t
            s.drawn = true
            return render(done: s.done, elapsed: t - start, width: Progress.terminalWidth())
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Clears the bar (if one was drawn).
    public func finish() {
        guard enabled else { return }
        let drawn = state.withLock { $0.drawn }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    /// The bar line for `done` units after `elapsed` seconds, at most `width - 1` characters: a
    /// line as wide as the terminal would wrap, and the `\r` + clear-line of the next redraw would
    /// then clear only its second half, leaving a stale copy on every line. On a narrow terminal
    /// the bar drops its counts, then its bar, and is cut last.
    func render(done: Int, elapsed: Double, width: Int) -> String {
        let fraction = min(1, Double(done) / Double(total))
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(max(0, total - done)) / rate : 0
        let percent = Int(fraction * 100)
        let tail = "\(Progress.rate(rate)) \(unit)/s ETA \(Progress.clock(eta))"
        let counts = "\(Progress.count(done))/\(Progress.count(total))"
        func bar(_ cells: Int) -> String {
            let filled = Int(fraction * Double(cells))
            return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled) + "]"
        }
        let room = max(width - 1, 1)
        let candidates = ["\(label) \(bar(24)) \(percent)% \(counts) \(tail)",
                          "\(label) \(bar(12)) \(percent)% \(counts) \(tail)",
                          "\(label) \(bar(12)) \(percent)% \(tail)",
                          "\(label) \(percent)% \(tail)"]
        let line = candidates.first { $0.count <= room } ?? String(candidates[candidates.count - 1].prefix(room))
        return "\r\u{1B}[2K" + line
    }

    /// The columns of the terminal on stderr (80 when it does not say).
    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// A count as it fits a bar: exact below a million, then in millions (3.3M); a saturated
    /// total (`total(_:times:)` overflowed) is "?".
    static func count(_ n: Int) -> String {
        if n == .max { return "?" }
        return n < 1_000_000 ? String(n) : String(format: "%.1fM", Double(n) / 1e6)
    }

    private static func rate(_ r: Double) -> String {
        if r >= 1e6 { return String(format: "%.1fM", r / 1e6) }
        if r >= 1e3 { return String(format: "%.1fk", r / 1e3) }
        return String(format: "%.1f", r)
    }

    private static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e8 else { return "--:--" }  // years away (or a saturated total)
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%d:%02d", s / 60, s % 60)
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
