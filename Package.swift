// swift-tools-version:6.0
// rgs: a scripting language and REPL for renormalization-group and deep-learning experiments on spin
// lattices. The package reads top-down: public products, the compiled core (no knowledge of the
// language), the language layer, front ends, system libraries, tests.
import PackageDescription
import Foundation

/// Hot kernels (Monte Carlo, nets) are compiled for the build machine's CPU so that SIMD types get
/// wide registers (a baseline x86-64 build splits them into SSE halves: RECIPES §9). Override with
/// RGS_TARGET_CPU=x86-64 (portable) or any `-target-cpu` name (haswell, skylake-avx512, znver4).
let targetCPU = ProcessInfo.processInfo.environment["RGS_TARGET_CPU"] ?? "native"
/// Whether that CPU has AVX-512's vector rotate (`vprolq`): the build machine's flags for "native",
/// else the CPU's name. Multi-spin random bits (`VectorRandom`) are written for one or the other
/// (`RGS_VECTOR_ROTATE`): a rotate written with `|` is one instruction with AVX-512 and is split
/// into lanes without it, where `&+` keeps it vectorised (twice the speed on a Zen3 AVX2 VM).
let vectorRotate: Bool = {
    guard targetCPU == "native" else {
        let avx512 = ["skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake", "tigerlake", "rocketlake",
                      "sapphirerapids", "graniterapids", "emeraldrapids", "znver4", "znver5", "x86-64-v4"]
        return avx512.contains { targetCPU.hasPrefix($0) }
    }
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let flags = info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
    return flags.contains("avx512f")
}()
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", targetCPU, "-Xcc", "-fno-math-errno"]),
] + (vectorRotate ? [.define("RGS_VECTOR_ROTATE")] : [])

let package = Package(
    name: "rgs",
    platforms: [.macOS(.v15)],
    products: [
        // MARK: Public API
        .executable(name: "rgs", targets: ["rgs"]),
        .library(name: "RGSLanguage", targets: ["RGSLanguage"]),
        .library(name: "RGSLibrary", targets: ["RGSLibrary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: Core (compiled Swift, no knowledge of the language)
        .target(name: "RGSNumerics", dependencies: ["CBLAS"], swiftSettings: kernelFlags),
        .target(name: "RGSPhysics", dependencies: ["RGSNumerics"], swiftSettings: kernelFlags),
        .target(name: "RGSNets", dependencies: ["RGSNumerics", "RGSPhysics", "CBLAS"], swiftSettings: kernelFlags),
        .target(name: "RGSPlot", dependencies: ["RGSNumerics"]),
        .target(name: "RGSIO", dependencies: ["RGSNumerics", "CZlib"]),

        // MARK: Language layer
        .target(name: "RGSLanguage", dependencies: ["RGSNumerics"]),
        .target(name: "RGSLibrary", dependencies: [
            "RGSLanguage", "RGSNumerics", "RGSPhysics", "RGSNets", "RGSPlot", "RGSIO",
        ]),

        // MARK: Front ends
        .executableTarget(name: "rgs", dependencies: [
            "RGSLibrary", "RGSLanguage", "RGSIO", "CEdit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Implementation details (system libraries)
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Tests
        .testTarget(name: "RGSNumericsTests", dependencies: ["RGSNumerics"]),
        .testTarget(name: "RGSPhysicsTests", dependencies: ["RGSPhysics", "RGSNumerics"]),
        .testTarget(name: "RGSNetsTests", dependencies: ["RGSNets", "RGSNumerics", "RGSPhysics"]),
        .testTarget(name: "RGSPlotTests", dependencies: ["RGSPlot", "RGSNumerics"]),
        .testTarget(name: "RGSIOTests", dependencies: ["RGSIO", "RGSNumerics"]),
        .testTarget(name: "RGSLanguageTests", dependencies: ["RGSLanguage", "RGSNumerics"]),
        .testTarget(name: "RGSLibraryTests", dependencies: ["RGSLibrary", "RGSLanguage"], exclude: ["repl_pty.py", "scripts"]),
    ]
)
