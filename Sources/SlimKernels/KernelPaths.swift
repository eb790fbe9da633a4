#if canImport(Glibc)
import Glibc
#endif
import _SlimKernelsAVX2
import _SlimKernelsAVXVNNI
import _SlimKernelsAVX512

/// Which instruction set the fp32 kernels (GEMM, sparse × dense) run on. Every path computes
/// each output element as the same chain of fused multiply-adds in the same order, so all
/// give bit-identical results; they differ only in speed.
public enum KernelPath: String, Sendable, CaseIterable, Comparable {
    /// Swift SIMD types compiled for the architecture's baseline: any CPU (arm64 included).
    case generic
    /// AVX2 + FMA, 6×16 GEMM tiles in 8-lane registers.
    case avx2
    /// AVX-512, 8×32 GEMM tiles in 16-lane registers (needs VNNI too: see Package.swift).
    case avx512

    /// The fastest path this process runs: the best the CPU supports and the build carries,
    /// capped by the environment variable `SLIMLAB_KERNELS` (see `KernelCap`) when it is set —
    /// to compare paths, or to check that a lesson replays the same on each.
    public static let best: KernelPath = {
        allCases.filter(\.isSupported).last { $0.cap <= KernelCap.current } ?? .generic
    }()

    /// The cap level this path belongs to.
    var cap: KernelCap {
        switch self {
        case .generic: return .generic
        case .avx2: return .avx2
        case .avx512: return .avx512
        }
    }

    /// Whether this path can run here: compiled into this build, and supported by the CPU
    /// (whatever `SLIMLAB_KERNELS` says).
    public var isAvailable: Bool { isSupported }

    var isSupported: Bool {
        let cpu = CPUFeatures.current
        switch self {
        case .generic: return true
        case .avx2: return avx2KernelsCompiled && cpu.hasAVX2
        case .avx512: return avx512KernelsCompiled && cpu.hasAVX512 && cpu.hasAVX512VNNI && cpu.hasAVX2
        }
    }

    public static func < (a: KernelPath, b: KernelPath) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The fp32 GEMM's name and register tile on this path, e.g. `avx2-fma 6×16`.
    public var gemmName: String {
        switch self {
        case .generic: return "generic 8×32"
        case .avx2: return "avx2-fma 6×16"
        case .avx512: return "avx512 8×32"
        }
    }

    /// About how many fp32 multiply-adds ×2 one thread does per microsecond on this path (a
    /// 4 GHz core), for deciding whether a call is worth more threads; slower CPUs only make
    /// that decision more conservative.
    var roughFlopsPerMicrosecond: Double {
        switch self {
        case .generic: return 3_000
        case .avx2: return 130_000
        case .avx512: return 250_000
        }
    }

    /// Rows × columns of C per micro-tile (columns = the width of a packed B panel).
    var tile: (rows: Int, columns: Int) {
        switch self {
        case .generic, .avx512: return (8, 32)
        case .avx2: return (6, 16)
        }
    }

    /// The path the sparse × dense kernel runs (AVX-512 machines use the AVX2 one: the same
    /// bits, and the sparse product is bound by memory, not by vector width).
    var sparse: KernelPath { self == .generic ? .generic : .avx2 }
}

/// How far `SLIMLAB_KERNELS` lets the run-time choice go, from the least to the most the CPU
/// may offer: `generic` (the baseline of the architecture), `avx2` (AVX2 + FMA; int8 on
/// `vpmaddwd`), `avxvnni` (the same fp32, int8 on the 256-bit `vpdpbusd`), `avx512` (AVX-512
/// with VNNI; the default, so every path the CPU has may run). Case and hyphens do not matter
/// (`AVX-VNNI` is `avxvnni`); an unknown value is ignored, and `slimlab --version` shows what runs.
public enum KernelCap: Int, Sendable, Comparable, CaseIterable {
    case generic, avx2, avxVNNI, avx512

    /// The name `SLIMLAB_KERNELS` takes.
    public var name: String {
        switch self {
        case .generic: return "generic"
        case .avx2: return "avx2"
        case .avxVNNI: return "avxvnni"
        case .avx512: return "avx512"
        }
    }

    /// The cap of this process, read once from `SLIMLAB_KERNELS`.
    public static let current: KernelCap = {
        guard let value = getenv("SLIMLAB_KERNELS").map({ String(cString: $0) }) else { return .avx512 }
        return named(value) ?? .avx512
    }()

    /// The cap a `SLIMLAB_KERNELS` value names, if any.
    public static func named(_ value: String) -> KernelCap? {
        let key = value.lowercased().filter { $0 != "-" && $0 != "_" }
        return allCases.first { $0.name == key }
    }

    public static func < (a: KernelCap, b: KernelCap) -> Bool { a.rawValue < b.rawValue }
}

/// The one line that says which kernels run, e.g.
/// `kernels: fp32 avx2-fma 6×16 · int8 avx2 (vpmaddwd) · sparse avx2 · 2 threads` (the paths
/// of this process unless given).
public func kernelDescription(fp32: KernelPath = .best, int8: Int8GEMMPath = .best, threads: Int) -> String {
    "kernels: fp32 \(fp32.gemmName) · int8 \(int8.displayName) · sparse \(fp32.sparse.rawValue)"
        + " · \(threads) thread\(threads == 1 ? "" : "s")"
}
