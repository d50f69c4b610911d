import ArgumentParser
import Foundation
import RGSIO
import RGSLanguage
import RGSLibrary
import RGSNumerics

/// The `rgs` command line: REPL, script runner, `-e` snippets and `--check`.
///
/// Exit codes: 0 success, 1 runtime error, 2 usage or parse error, 130 killed by a second Ctrl-C.
@main
struct RGSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rgs",
        abstract: "A scripting language and REPL for renormalization-group and deep-learning experiments on spin lattices.",
        discussion: """
            rgs                    start the REPL (reads plain statements when stdin is not a terminal)
            rgs FILE [ARGS...]     run a script; ARGS are visible to it as the list `args`
            rgs -e CODE [ARGS...]  run a snippet, ARGS in `args` as for a script
            rgs --check FILE       parse and resolve names without running
            Exit codes: 0 ok, 1 runtime error, 2 usage or parse error, 130 stopped by Ctrl-C.
            """,
        version: Version.string)

    @Option(name: .customShort("e"), parsing: .unconditionalSingleValue,
            help: "Run CODE and exit (it may start with -; several -e run as consecutive lines of one snippet).")
    var code: [String] = []

    @Flag(name: .long, help: "Parse FILE and check its names without running it.")
    var check = false

    // `.unconditional`: `--seed -3` is a bad seed, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: "Default seed for random primitives called without seed: (an integer >= 0).")
    var seed: UInt64?

    @Option(name: .long, parsing: .unconditional,
            help: "Worker threads, at most one per CPU the process may use (results do not depend on it).")
    var threads: Int?

    @Flag(name: .long, help: "No progress bars.")
    var quiet = false

    @Option(name: .long, help: "Directory for figures plotted without a file name.")
    var plots: String?

    @Argument(help: "A script to run.")
    var file: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script (the list `args`).")
    var scriptArguments: [String] = []

    mutating func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if check && file == nil { throw ValidationError("--check needs a FILE") }
        if !code.isEmpty && check { throw ValidationError("use either -e or --check") }
    }

    func run() throws {
        if let seed { Settings.defaultSeed = seed }
        if let threads {
            Settings.threads = threads
            if threads > Settings.availableCores {
                Notice.write(["--threads \(threads) is more than the \(Settings.availableCores) CPUs this process may use: \(Settings.availableCores) threads run"])
            }
        }
        if quiet { Settings.quiet = true }
        if let plots { setenv("RGS_PLOTS", plots, 1) }
        Signals.install()

        let interpreter: Interpreter
        do throws(RGSError) {
            interpreter = try Library.makeInterpreter()
        } catch {
            Runner.report(error)
            throw ExitCode(1)
        }
        let runner = Runner(interpreter: interpreter)
        // With -e there is no script: every argument after the options is the snippet's.
        let arguments = code.isEmpty ? scriptArguments : (file.map { [$0] } ?? []) + scriptArguments
        interpreter.define("args", .list(arguments.map { .string($0) }))

        if !code.isEmpty {
            try finish(runner.run(code.joined(separator: "\n"), file: "-e"))
        } else if let file {
            let text: String
            do { text = try FileContents.text(file) } catch {
                Runner.fail("\(error)")
                throw ExitCode(2)
            }
            if check {
                let problems: [RGSError]
                do throws(RGSError) {
                    problems = try interpreter.check(text, file: file)
                } catch {
                    Runner.report(error)
                    throw ExitCode(2)
                }
                problems.forEach(Runner.report)
                guard problems.isEmpty else { throw ExitCode(1) }
                print("\(file): ok")
            } else {
                try finish(runner.run(text, file: file))
            }
        } else if isatty(STDIN_FILENO) != 0 {
            MainActor.assumeIsolated { REPL(runner: runner).loop() }
        } else {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            try finish(runner.run(text, file: "<stdin>"))
        }
    }

    private func finish(_ result: Result<[Value], RGSError>) throws {
        guard case .failure(let e) = result else { return }
        throw ExitCode(e.isInterrupt ? 130 : e.kind == .parse ? 2 : 1)
    }

    /// Usage errors exit with 2 (ArgumentParser's default is 64). ArgumentParser refuses every
    /// token that starts with three dashes, even as the value of `-e` (`.unconditionalSingleValue`)
    /// or a script's argument; no option of rgs does, so such tokens pass under a stand-in and are
    /// put back after parsing.
    static func main() {
        let standIn = "\u{1}rgs-argument-"
        var arguments = Array(CommandLine.arguments.dropFirst())
        var held: [String] = []
        for i in arguments.indices where arguments[i].hasPrefix("---") {
            held.append(arguments[i])
            arguments[i] = standIn + "\(held.count - 1)"
        }
        func restore(_ s: String) -> String {
            guard s.hasPrefix(standIn), let k = Int(s.dropFirst(standIn.count)), held.indices.contains(k) else { return s }
            return held[k]
        }
        do {
            var command = try parseAsRoot(arguments)
            if var rgs = command as? RGSCommand {
                rgs.code = rgs.code.map(restore)
                rgs.file = rgs.file.map(restore)
                rgs.scriptArguments = rgs.scriptArguments.map(restore)
                command = rgs
            }
            try command.run()
            leave(0)
        } catch let code as ExitCode {
            leave(code.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }

    /// Exits with `code`; while an interrupted LAPACK or BLAS call still runs in the background
    /// (`Cancellation.hasAbandonedWork`), without the exit handlers that would free its buffers.
    private static func leave(_ code: Int32) -> Never {
        guard Cancellation.hasAbandonedWork else { Foundation.exit(code) }
        fflush(nil)
        _exit(code)
    }
}
