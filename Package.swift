// swift-tools-version:6.0
//
// SlimLab — learn neural-network compression by doing it.
//
// The manifest is the architecture diagram. Dependencies point one way:
//
//     slimlab → SlimREPL → SlimLab → SlimKernels → _SlimKernelsX86
//
// Build with `--explicit-target-dependency-import-check error` (the Makefile does) so that an
// import of a target not declared here fails the build.
import PackageDescription

// Release builds compile the kernels for the CPU they are built on: SlimLab is built from
// source, and the default x86-64 baseline runs the GEMM 3–100× slower (see SWIFT-NOTES.md).
// `SLIMLAB_PORTABLE=1 swift build -c release` (or `make PORTABLE=1 …`) builds for the baseline.
let portable = Context.environment["SLIMLAB_PORTABLE"].map { $0 != "" && $0 != "0" } ?? false

let nativeRelease: [SwiftSetting] = portable
    ? [.define("SLIMLAB_PORTABLE")]
    : [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release))]

// The intrinsics target is always compiled for a CPU with AVX-512 VNNI (`_mm512_dpbusd_epi32`
// crashes the compiler otherwise, e.g. with `native` on an AVX2-only host); its kernel runs only
// after the run-time CPU check. In a portable build it compiles to nothing.
#if arch(x86_64)
let intrinsicsCPU = "icelake-server"
#else
let intrinsicsCPU = "native"
#endif
let intrinsics: [SwiftSetting] = portable
    ? [.define("SLIMLAB_PORTABLE")]
    : [.unsafeFlags(["-target-cpu", intrinsicsCPU])]

let package = Package(
    name: "SlimLab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slimlab", targets: ["slimlab"]),
        .executable(name: "slimbench", targets: ["slimbench"]),
        .library(name: "SlimLab", targets: ["SlimLab"]),
    ],
    targets: [
        // MARK: - Executables

        .executableTarget(
            name: "slimlab",
            dependencies: ["SlimREPL"]
        ),
        .executableTarget(
            name: "slimbench",
            dependencies: ["SlimLab", "SlimKernels"],
            swiftSettings: nativeRelease
        ),

        // MARK: - The interactive layer (terminal, commands, rendering, lessons)

        .target(
            name: "SlimREPL",
            dependencies: ["SlimLab", "SlimKernels", "CReadline"]
        ),
        // GNU readline, reached only through the static inline functions of shim.h.
        .systemLibrary(
            name: "CReadline",
            pkgConfig: "readline",
            providers: [.apt(["libreadline-dev"])]
        ),

        // MARK: - The domain (datasets, layers, training, compression, file formats)

        .target(
            name: "SlimLab",
            dependencies: ["SlimKernels", "CZlib"],
            swiftSettings: nativeRelease,
            linkerSettings: [.linkedLibrary("m")]
        ),

        // zlib, for gzip'd datasets (Fashion-MNIST ships as .gz), reached only through shim.h.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - The kernel library

        .target(
            name: "SlimKernels",
            dependencies: ["_SlimKernelsX86"],
            swiftSettings: nativeRelease,
            linkerSettings: [.linkedLibrary("m")]
        ),
        // Implementation detail: x86 intrinsics (AVX-512 VNNI), isolated so only this small
        // target needs host-CPU code generation in every configuration.
        .target(
            name: "_SlimKernelsX86",
            swiftSettings: intrinsics
        ),

        // MARK: - Tests

        .testTarget(
            name: "SlimKernelsTests",
            dependencies: ["SlimKernels", "_SlimKernelsX86"]
        ),
        .testTarget(
            name: "SlimLabTests",
            dependencies: ["SlimLab", "SlimKernels"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SlimREPLTests",
            dependencies: ["SlimREPL", "SlimLab", "SlimKernels", "slimlab"]
        ),
        .testTarget(
            name: "LessonReplayTests",
            dependencies: ["SlimREPL", "SlimLab", "slimlab"]
        ),
    ]
)
