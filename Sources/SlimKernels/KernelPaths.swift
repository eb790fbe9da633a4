#if canImport(Glibc)
import Glibc
#endif
import _SlimKernelsAVX2
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
    /// capped by the environment variable `SLIMLAB_KERNELS` (`generic`, `avx2`, `avx512`) when
    /// it is set — to compare paths, or to check that a lesson replays the same on each.
    public static let best: KernelPath = {
        let available = allCases.filter(\.isSupported)
        let cap = getenv("SLIMLAB_KERNELS").flatMap { KernelPath(rawValue: String(cString: $0)) } ?? .avx512
        return available.last { $0 <= cap } ?? .generic
    }()

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

/// The one line that says which kernels run, e.g.
/// `kernels: fp32 avx2-fma 6×16 · int8 avx2 (vpmaddwd) · sparse avx2 · 2 threads`.
public func kernelDescription(threads: Int) -> String {
    let fp32 = KernelPath.best, int8 = Int8GEMMPath.best
    return "kernels: fp32 \(fp32.gemmName) · int8 \(int8.displayName) · sparse \(fp32.sparse.rawValue)"
        + " · \(threads) thread\(threads == 1 ? "" : "s")"
}
