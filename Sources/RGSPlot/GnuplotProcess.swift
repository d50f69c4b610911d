import Foundation
import RGSNumerics

/// Runs one gnuplot script in a child process, with a timeout and gnuplot's complaints surfaced.
enum GnuplotProcess {
    /// Collects a pipe's bytes on a background thread (a full pipe would otherwise block gnuplot).
    private final class Drain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }
        }

        func result() -> Data {
            done.wait()
            return data
        }
    }

    /// Feeds `script` to gnuplot on stdin and returns what it printed on stdout.
    static func run(_ executable: String, script: String, timeout: Double) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw CoreError("cannot start gnuplot at '\(executable)': \(error.localizedDescription)")
        }
        let stdout = Drain(output.fileHandleForReading), stderr = Drain(errors.fileHandleForReading)
        // gnuplot may exit early on a fatal error: a broken pipe then is reported through its stderr.
        try? input.fileHandleForWriting.write(contentsOf: Data(script.utf8))
        try? input.fileHandleForWriting.close()
        guard finished.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            throw CoreError("gnuplot did not finish within \(Int(timeout)) seconds", hint: "a very large image? try fewer points")
        }
        let printed = String(decoding: stdout.result(), as: UTF8.self)
        let complaints = String(decoding: stderr.result(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let lines = complaints.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            throw CoreError("gnuplot failed: " + (lines.suffix(3).joined(separator: " / ").nonEmpty ?? "exit status \(process.terminationStatus)"))
        }
        return printed
    }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
