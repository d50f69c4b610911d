import Foundation
import RGSNumerics

/// Runs rgs source: the public face of the language layer used by the CLI, the REPL and tests.
///
/// ```swift
/// let rgs = Interpreter()
/// rgs.register(MathLibrary.builtins)
/// try rgs.run("print(1 + 1)", file: "-e")
/// ```
public final class Interpreter {
    let globals = Environment(parent: nil)
    private(set) var builtins: [String: Builtin] = [:]
    let output: (String) -> Void
    var callDepth = 0
    /// Files already imported (absolute paths), so each runs once.
    var imported: Set<String> = []
    /// Directories of the files being run, innermost last, for relative imports.
    var directories: [String] = []
    /// Where `import` looks after the importing file's directory.
    public var libraryPaths: [String] = []
    /// What a failing primitive finished before its error (a net holding the weights of its last
    /// good epoch) and how to name it: a `let` or assignment of the failing expression binds the
    /// value before the error propagates, so the work is not lost (`Arguments.fail(_:keeping:_:)`).
    var partialResult: (value: Value, what: String)?

    /// Deep enough for honest recursion, shallow enough for the 512 MB interpreter stack.
    public static let maxCallDepth = 1000

    /// An interpreter writing `print` output through `output` (stdout by default), with the core
    /// builtins (print, help, math, collections) registered.
    public init(output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.output = output
        register(CoreLibrary.builtins)
        register(MathLibrary.builtins)
        register(CollectionLibrary.builtins)
    }

    /// Adds builtins (later registrations replace earlier ones of the same name).
    public func register(_ list: [Builtin]) {
        for b in list {
            builtins[b.name] = b
            globals.define(b.name, .function(Function(builtin: b)))
        }
    }

    /// The builtin called `name`, if registered.
    public func builtin(named name: String) -> Builtin? { builtins[name] }

    /// All builtin names, sorted.
    public var builtinNames: [String] { builtins.keys.sorted() }

    /// Defines a global variable (e.g. `args` for scripts).
    public func define(_ name: String, _ value: Value) { globals.define(name, value) }

    /// User variables (not builtins), sorted by name.
    public var variables: [(name: String, value: Value)] {
        globals.localBindings.filter { name, v in
            if case .function(let f) = v, f.isBuiltin, builtins[name] != nil { return false }
            return true
        }.map { ($0.0, $0.1) }
    }

    /// Parses and runs `source`; returns the values of its top-level expression and `let`
    /// statements not silenced with `;` (the REPL prints their summaries).
    @discardableResult
    public func run(_ source: String, file: String) throws(RGSError) -> [Value] {
        let sourceFile = SourceFile(name: file, text: source)
        let statements = try Parser.parse(sourceFile)
        directories.append(Interpreter.directory(of: file))
        defer { directories.removeLast() }
        return try runTopLevel(statements)
    }

    /// Parses `source` and checks that every name it uses is defined, without running it: every
    /// unknown name and keyword argument, in source order (a parse error throws, as it stops the parse).
    public func check(_ source: String, file: String) throws(RGSError) -> [RGSError] {
        let statements = try Parser.parse(SourceFile(name: file, text: source))
        var resolver = Resolver(globals: globals.allNames.union(["args"]), builtins: builtins)
        resolver.check(statements)
        return resolver.errors
    }

    /// True when `source` is a prefix of a valid program that only lacks its end (unclosed
    /// brackets or braces): the REPL then asks for a continuation line. Strings end on their line.
    public func isIncomplete(_ source: String) -> Bool {
        do {
            _ = try Parser.parse(SourceFile(name: "<repl>", text: source))
            return false
        } catch {
            return error.isUnexpectedEnd
        }
    }

    /// The `help NAME` text for a builtin, a user function or a keyword.
    public func helpText(for name: String) -> String? {
        if let b = builtins[name] { return b.helpText }
        if case .function(let f)? = globals.lookup(name) { return helpText(for: f, boundTo: name) }
        return Keyword(rawValue: name).map { "'\($0.rawValue)' is a keyword; see docs/language.md\n" }
    }

    /// The help of a function value: a builtin's documentation, a user function's declaration.
    /// An anonymous one (`let sq = fn(x) = x * x`) is shown by the name it is bound to, if any.
    public func helpText(for f: Function, boundTo name: String? = nil) -> String? {
        guard case .user(let decl, _) = f.kind else {
            if case .builtin(let b) = f.kind { return b.helpText }  // `let p = print; help p`
            return nil
        }
        // Defaults as written (`fn area(w, h: 1)`), so help says what an omitted argument is.
        let parameters = decl.parameters.map { p in p.defaultValue.map { "\(p.name): \($0.span.text)" } ?? p.name }
        let anonymous = f.name == Keyword.fn.rawValue
        let title = anonymous ? (name.map { "\($0) = fn" } ?? "fn") : "fn \(f.name)"
        return "\(title)(\(parameters.joined(separator: ", ")))  (\(anonymous ? "anonymous" : "user") function, \(decl.span.locationDescription))\n"
            + decl.docComment.map { "  " + $0 + "\n" }.joined()
    }

    /// Runs `body` on a thread with a 512 MB stack, so deep (but bounded) recursion in scripts
    /// cannot overflow the main thread's 8 MB stack.
    public static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let work = body
        let thread = Thread {
            box.value = work()
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()
        return box.value!
    }

    static func directory(of file: String) -> String {
        guard file.contains("/") else { return FileManager.default.currentDirectoryPath }
        return URL(fileURLWithPath: file).deletingLastPathComponent().path
    }
}

/// Carries a result out of the large-stack thread (written once, read after the semaphore).
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
