import Foundation
import RGSIO
import RGSLanguage
import RGSNumerics

/// The interactive loop: `rg> ` prompt, `... ` continuation for unbalanced input, a one-line
/// summary of each statement's value, and the `:` commands.
@MainActor
struct REPL {
    let runner: Runner
    var rgs: Interpreter { runner.interpreter }

    static let commands = [
        (":help [name]", "this list, or the documentation of a builtin"),
        (":vars", "the variables defined in this session"),
        (":time STMT", "run a statement and print its wall time"),
        (":load FILE", "run an .rgs file in this session"),
        (":quit", "leave (or Ctrl-D)"),
    ]

    func loop() {
        let rgs = self.rgs
        let editor = LineEditor { prefix, word in rgs.completions(linePrefix: prefix, word: word) }
        print("rgs \(Version.string): renormalization group and deep learning on spin lattices")
        print("type :help for commands, help NAME for a builtin, Ctrl-D to quit")
        var buffer = ""
        while true {
            guard let input = editor.read(prompt: buffer.isEmpty ? "rg> " : "... ") else {
                print("")
                return
            }
            // Ctrl-C drops the statement being typed, also at a continuation line.
            guard case .line(let line) = input else { buffer = ""; continue }
            if line.isEmpty && buffer.isEmpty { continue }
            if buffer.isEmpty, line.hasPrefix(":") {
                editor.remember(line)
                if !command(line) { return }
                continue
            }
            if Cancellation.isRequested { buffer = ""; continue }
            buffer += (buffer.isEmpty ? "" : "\n") + line
            if rgs.isIncomplete(buffer), !line.isEmpty { continue }
            editor.remember(buffer)
            execute(buffer)
            buffer = ""
        }
    }

    private func execute(_ source: String, timed: Bool = false) {
        Cancellation.clear()
        let start = DispatchTime.now().uptimeNanoseconds
        let result = runner.run(source, file: "<repl>", interactive: true)
        if case .success(let values) = result {
            for v in values {
                if case .nothing = v { continue }
                print(v.summary)
            }
        }
        if timed {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            print("time: \(formatDuration(seconds))")
        }
        Cancellation.clear()
    }

    /// Handles a `:command`; false means quit.
    private func command(_ line: String) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0], rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":quit", ":q", ":exit":
            return false
        case ":help", ":h":
            if rest.isEmpty {
                for (c, d) in REPL.commands { print("  \(c.padding(toLength: 14, withPad: " ", startingAt: 0)) \(d)") }
                print("  help NAME      the documentation of a builtin (help alone lists them)")
            } else if let text = rgs.helpText(for: rest) {
                print(text, terminator: "")
            } else {
                let suggestion = Suggest.hint(rest, in: rgs.builtinNames + rgs.variables.map(\.name)).map { "; \($0)" } ?? ""
                Runner.fail("no help for '\(rest)'" + suggestion)
            }
        case ":vars":
            let vars = rgs.variables
            if vars.isEmpty { print("no variables yet") }
            for (n, v) in vars { print("  \(n) = \(v.summary)") }
        case ":time" where rest.isEmpty:
            Runner.fail(":time needs a statement to time, e.g. :time ising(L: 32, beta: 0.44)")
        case ":time":
            execute(rest, timed: true)
        case ":load" where rest.isEmpty:
            Runner.fail(":load needs a file name, e.g. :load examples/quickstart.rgs")
        case ":load":
            let text: String
            do { text = try FileContents.text(rest) } catch {
                Runner.fail("\(error)")
                return true
            }
            _ = runner.run(text, file: rest, interactive: true)
        default:
            let names = REPL.commands.map { String($0.0.prefix { $0 != " " }) }
            let hint = Suggest.hint(name, in: names).map { "; \($0)" } ?? "; :help lists the commands"
            Runner.fail("unknown command '\(name)'\(hint)")
        }
        return true
    }
}
