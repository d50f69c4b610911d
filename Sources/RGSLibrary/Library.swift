import Foundation
import RGSLanguage

/// Builds a ready interpreter: the language's own builtins, every domain library, and the
/// prelude written in rgs (`stdlib/prelude.rgs`).
public enum Library {
    /// The domain builtin tables, one per area of the core (lattices, RG, nets, flows, plots, io).
    public static var domainBuiltins: [Builtin] {
        DataBuiltins.builtins + LatticeBuiltins.builtins + ObservableBuiltins.builtins + RGBuiltins.builtins
            + NetBuiltins.builtins + TrainBuiltins.builtins + FlowBuiltins.builtins + OutputBuiltins.builtins
    }

    /// An interpreter with all builtins registered and the prelude loaded.
    public static func makeInterpreter(output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) })
        throws(RGSError) -> Interpreter {
        let rgs = Interpreter(output: output)
        rgs.register(domainBuiltins)
        if let dir = Stdlib.directory() {
            rgs.libraryPaths = [dir]
            let prelude = dir + "/prelude.rgs"
            if let text = try? String(contentsOfFile: prelude, encoding: .utf8) {
                try rgs.run(text, file: prelude)
            }
        }
        return rgs
    }
}

/// Finds `stdlib/`: `$RGS_STDLIB`, then next to the executable (and `../share/rgs/stdlib`), then
/// the source tree this binary was built from.
public enum Stdlib {
    public static func directory() -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["RGS_STDLIB"], !env.isEmpty { candidates.append(env) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.appendingPathComponent("stdlib").path)
        candidates.append(exe.appendingPathComponent("../share/rgs/stdlib").standardizedFileURL.path)
        // Sources/RGSLibrary/Library.swift -> <package>/stdlib
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../stdlib")
        candidates.append(source.standardizedFileURL.path)
        return candidates.first { fm.fileExists(atPath: $0 + "/prelude.rgs") }
    }
}
