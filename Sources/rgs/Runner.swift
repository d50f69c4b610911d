import Foundation
import RGSLanguage
import RGSNumerics

/// Runs source through the interpreter on its large stack and reports errors on stderr.
struct Runner {
    let interpreter: Interpreter

    /// Colour in error messages only on a terminal and without NO_COLOR.
    static var useColor: Bool {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return !noColor && isatty(STDERR_FILENO) != 0
    }

    /// Runs `source`; returns the statement values to show, or the error (already printed).
    /// Outside the REPL (`interactive` false) an interrupt ends the script, which the message says.
    func run(_ source: String, file: String, interactive: Bool = false) -> Result<[Value], RGSError> {
        let rgs = interpreter
        let result = Interpreter.onLargeStack { () -> Result<[Value], RGSError> in
            do throws(RGSError) {
                return .success(try rgs.run(source, file: file))
            } catch {
                return .failure(error)
            }
        }
        guard case .failure(var e) = result else { return result }
        if e.isInterrupt && !interactive {
            // Keep what the primitive said about its files ("'x.npz' was not written ..."); the
            // variables a partial result was bound to end with the script.
            let detail = e.message.hasPrefix("interrupted: '") ? "; " + e.message.dropFirst("interrupted: ".count) : ""
            e.message = "interrupted: the script stops here (exit status 130)" + detail
        }
        Runner.report(e)
        return .failure(e)
    }

    static func report(_ e: RGSError) {
        FileHandle.standardError.write(Data(e.render(color: useColor).utf8))
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
