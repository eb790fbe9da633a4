// swift-tools-version:6.0
//
// SlimLab — learn neural-network compression by doing it.
//
// The manifest is the architecture diagram. Dependencies point one way:
//
//     slimlab → SlimREPL → SlimLab → SlimKernels → _SlimKernelsAVX2, _SlimKernelsAVXVNNI,
//                                                  _SlimKernelsAVX512 → _SlimKernelsShared
//
// Build with `--explicit-target-dependency-import-check error` (the Makefile does) so that an
// import of a target not declared here fails the build.
import PackageDescription

// One build runs at full speed on any CPU of its architecture. Most of the code is compiled for
// the architecture's baseline (x86-64: SSE2; arm64: NEON); the hot loops live in small targets,
// each compiled for one instruction set, and SlimKernels picks one at run time from what the CPU
// reports (see SlimKernels/KernelPaths.swift). A kernel target's code runs only after that check.
//
//   _SlimKernelsAVX2     -target-cpu haswell              AVX2 + FMA (Intel 2013+, every AMD Zen)
//   _SlimKernelsAVXVNNI  -target-cpu haswell -mavxvnni    AVX2 + AVX-VNNI (Alder Lake+, Zen 5)
//   _SlimKernelsAVX512   -target-cpu icelake-server       AVX-512 F/BW/VL + VNNI (Ice Lake+, Zen 4+)
//
// `_SlimKernelsShared` holds what they have in common (the int8 GEMM's task driver and
// epilogues, rounding) as inlinable code, so each compiles it for its own instruction set.
// On other architectures the ISA targets compile to nothing and the generic SIMD path runs.
#if arch(x86_64)
let avx2Code: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let avxVNNICode: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-mavxvnni"])]
let avx512Code: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "icelake-server"])]
#else
let avx2Code: [SwiftSetting] = []
let avxVNNICode: [SwiftSetting] = []
let avx512Code: [SwiftSetting] = []
#endif

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
            dependencies: ["SlimLab", "SlimKernels"]
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
            dependencies: ["_SlimKernelsShared", "_SlimKernelsAVX2", "_SlimKernelsAVXVNNI", "_SlimKernelsAVX512"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        // Implementation details: the micro-kernels of one instruction set each, and the
        // inlinable code they share.
        .target(
            name: "_SlimKernelsShared"
        ),
        .target(
            name: "_SlimKernelsAVX2",
            dependencies: ["_SlimKernelsShared"],
            swiftSettings: avx2Code
        ),
        .target(
            name: "_SlimKernelsAVXVNNI",
            dependencies: ["_SlimKernelsShared", "_SlimKernelsAVX2"],
            swiftSettings: avxVNNICode
        ),
        .target(
            name: "_SlimKernelsAVX512",
            dependencies: ["_SlimKernelsShared"],
            swiftSettings: avx512Code
        ),

        // MARK: - Tests

        // Shared by the test targets: the digits data and trained digits models, made once per
        // test process. Not a product: nothing ships it.
        .target(
            name: "SlimTestSupport",
            dependencies: ["SlimLab"],
            path: "Tests/SlimTestSupport"
        ),
        .testTarget(
            name: "SlimKernelsTests",
            dependencies: ["SlimKernels"]
        ),
        .testTarget(
            name: "SlimLabTests",
            dependencies: ["SlimLab", "SlimKernels", "SlimTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SlimREPLTests",
            dependencies: ["SlimREPL", "SlimLab", "SlimKernels", "SlimTestSupport", "slimlab"]
        ),
        .testTarget(
            name: "LessonReplayTests",
            dependencies: ["SlimREPL", "SlimLab", "slimlab"]
        ),
    ]
)
